/**
 * AttributeValues on the DAX wire and back. S is text, B is bytes, BOOL and NULL are CBOR's
 * own, M is a text-keyed map, L an array, and the sets are arrays under tags 3321-3323.
 * Numbers arrive in whatever CBOR form the client chose (int, bignum, float, decimal) and
 * leave as an int in the safe range or a tag-4 decimal: never a float, which the JS client
 * would print as 1e+21.
 */
import type { AttributeValue, Item } from '../../values/types.js'
import { decompose } from '../../values/number.js'
import { CborFloat, CborTag, CborWriter, type CborValue } from './cbor.js'
import { setMember } from '../../values/members.js'

export const tagStringSet = 3321
export const tagNumberSet = 3322
export const tagBinarySet = 3323
export const tagDocumentPathOrdinal = 3324
const tagPositiveBignum = 2
const tagNegativeBignum = 3
const tagDecimal = 4

/** Nesting past DynamoDB's own limit of 32 levels is malformed. */
const attributeNestingMax = 40

/** A protocol-level decoding problem: answered as a ValidationException. */
export class WireFormatError extends Error {}

/** A CBOR value (already decoded) as a DynamoDB JSON AttributeValue. */
export function attributeValueFromCbor(value: CborValue, depth = 0): AttributeValue {
  if (depth > attributeNestingMax) throw new WireFormatError('Nesting Levels have exceeded supported limits')
  if (typeof value === 'string') return { S: value }
  if (Buffer.isBuffer(value)) return { B: value.toString('base64') }
  if (typeof value === 'boolean') return { BOOL: value }
  if (value === null || value === undefined) return { NULL: true }
  if (Array.isArray(value)) return { L: value.map((element) => attributeValueFromCbor(element, depth + 1)) }
  if (value instanceof Map) {
    const map: Item = {}
    for (const [name, element] of value) {
      if (typeof name !== 'string') throw new WireFormatError('map attribute names must be text')
      setMember(map, name, attributeValueFromCbor(element, depth + 1))
    }
    return { M: map }
  }
  if (value instanceof CborTag) {
    if (value.tag === tagStringSet) return { SS: setElements(value.value).map(expectText) }
    if (value.tag === tagNumberSet) return { NS: setElements(value.value).map(numberTextFromCbor) }
    if (value.tag === tagBinarySet) return { BS: setElements(value.value).map((element) => expectBytes(element).toString('base64')) }
  }
  return { N: numberTextFromCbor(value) }
}

function setElements(value: CborValue): CborValue[] {
  if (!Array.isArray(value)) throw new WireFormatError('a set must be an array')
  return value
}

function expectText(value: CborValue): string {
  if (typeof value !== 'string') throw new WireFormatError('a string set element must be text')
  return value
}

function expectBytes(value: CborValue): Buffer {
  if (!Buffer.isBuffer(value)) throw new WireFormatError('a binary set element must be bytes')
  return value
}

/**
 * Decimal text for any CBOR number form. Exponents are kept as 'E' notation so a hostile
 * exponent cannot expand into a huge digit string; the core canonicalizes and range-checks.
 */
export function numberTextFromCbor(value: CborValue): string {
  if (typeof value === 'number' && Number.isInteger(value)) return String(value)
  if (typeof value === 'bigint') return value.toString()
  // The client sends a float only when its shortest text round-trips, so String() restores it.
  if (value instanceof CborFloat) {
    if (!Number.isFinite(value.value)) throw new WireFormatError('The parameter cannot be converted to a numeric value')
    return String(value.value)
  }
  if (value instanceof CborTag) {
    if (value.tag === tagPositiveBignum || value.tag === tagNegativeBignum) return bignumFromTag(value).toString()
    if (value.tag === tagDecimal && Array.isArray(value.value) && value.value.length === 2) {
      const exponent = integerFromCbor(value.value[0]!)
      const mantissa = integerFromCbor(value.value[1]!)
      return exponent === 0n ? mantissa.toString() : `${mantissa}E${exponent}`
    }
  }
  throw new WireFormatError('The parameter cannot be converted to a numeric value')
}

function integerFromCbor(value: CborValue): bigint {
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value)
  if (typeof value === 'bigint') return value
  if (value instanceof CborTag && (value.tag === tagPositiveBignum || value.tag === tagNegativeBignum)) return bignumFromTag(value)
  throw new WireFormatError('The parameter cannot be converted to a numeric value')
}

function bignumFromTag(value: CborTag): bigint {
  const bytes = expectBytes(value.value)
  const magnitude = bytes.length === 0 ? 0n : BigInt('0x' + bytes.toString('hex'))
  return value.tag === tagPositiveBignum ? magnitude : -1n - magnitude
}

/** Writes a DynamoDB JSON AttributeValue as CBOR. */
export function writeAttributeValue(writer: CborWriter, value: AttributeValue): void {
  if ('S' in value) writer.text(value.S)
  else if ('N' in value) writeNumber(writer, value.N)
  else if ('B' in value) writer.bytes(Buffer.from(value.B, 'base64'))
  else if ('BOOL' in value) writer.bool(value.BOOL)
  else if ('NULL' in value) writer.null()
  else if ('M' in value) {
    const names = Object.keys(value.M)
    writer.mapHeader(names.length)
    for (const name of names) {
      writer.text(name)
      writeAttributeValue(writer, value.M[name]!)
    }
  } else if ('L' in value) {
    writer.arrayHeader(value.L.length)
    for (const element of value.L) writeAttributeValue(writer, element)
  } else if ('SS' in value) {
    writer.tag(tagStringSet).arrayHeader(value.SS.length)
    for (const element of value.SS) writer.text(element)
  } else if ('NS' in value) {
    writer.tag(tagNumberSet).arrayHeader(value.NS.length)
    for (const element of value.NS) writeNumber(writer, element)
  } else if ('BS' in value) {
    writer.tag(tagBinarySet).arrayHeader(value.BS.length)
    for (const element of value.BS) writer.bytes(Buffer.from(element, 'base64'))
  } else {
    throw new WireFormatError('unknown AttributeValue type')
  }
}

const safeIntegerText = /^-?\d{1,15}$/

/** An int when it fits in a double exactly, else a tag-4 decimal [exponent, mantissa]. */
export function writeNumber(writer: CborWriter, text: string): void {
  if (safeIntegerText.test(text)) {
    writer.int(Number(text))
    return
  }
  const parts = decompose(text)
  if (parts.digits === '') {
    writer.int(0)
    return
  }
  const integerDigits = parts.exponent + 1
  const isInteger = integerDigits >= parts.digits.length
  // Integers keep scale 0 ([0, mantissa]) so the client prints them without an exponent.
  const digits = isInteger ? parts.digits + '0'.repeat(integerDigits - parts.digits.length) : parts.digits
  const mantissa = BigInt((parts.negative ? '-' : '') + digits)
  const exponent = isInteger ? 0 : integerDigits - parts.digits.length
  if (isInteger && mantissa >= BigInt(Number.MIN_SAFE_INTEGER) && mantissa <= BigInt(Number.MAX_SAFE_INTEGER)) {
    writer.int(Number(mantissa))
    return
  }
  writer.tag(tagDecimal).arrayHeader(2).int(exponent)
  writeInteger(writer, mantissa)
}

function writeInteger(writer: CborWriter, value: bigint): void {
  if (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) {
    writer.int(Number(value))
    return
  }
  const negative = value < 0n
  const magnitude = negative ? -1n - value : value
  let hex = magnitude.toString(16)
  if (hex.length % 2) hex = '0' + hex
  writer.tag(negative ? tagNegativeBignum : tagPositiveBignum).bytes(Buffer.from(hex, 'hex'))
}

/** One AttributeValue as standalone CBOR bytes. */
export function encodeAttributeValue(value: AttributeValue): Buffer {
  const writer = new CborWriter(64)
  writeAttributeValue(writer, value)
  return writer.toBuffer()
}
