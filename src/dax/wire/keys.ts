/**
 * Primary keys on the DAX wire. The key is a byte string whose content depends on the table's
 * key schema: a hash-only key is the raw UTF-8 (S) or raw bytes (B) or a CBOR number (N); a
 * hash + range key is the hash as one CBOR item followed, unframed, by the range value: raw
 * UTF-8, raw bytes, or LexDecimal for numbers.
 */
import type { AttributeValue, Item, ScalarKeyType } from '../../values/types.js'
import { numberTextFromCbor, WireFormatError, writeNumber } from './attribute-values.js'
import { CborReader, CborWriter, NeedMoreData } from './cbor.js'
import { decodeLexDecimal, encodeLexDecimal } from './lex-decimal.js'

export interface KeyAttribute {
  name: string
  type: ScalarKeyType
}

/** Hash key first, then the range key if the table has one. */
export type KeySchema = KeyAttribute[]

export function decodeKey(bytes: Buffer, schema: KeySchema): Item {
  const [hash, range] = schema
  if (!hash) throw new WireFormatError('table has no key schema')
  if (!range) return { [hash.name]: decodeHashOnly(bytes, hash.type) }
  const reader = new CborReader(bytes)
  const hashValue = readCborKeyValue(reader, hash.type)
  const rest = bytes.subarray(reader.position)
  return { [hash.name]: hashValue, [range.name]: decodeRaw(rest, range.type) }
}

function decodeHashOnly(bytes: Buffer, type: ScalarKeyType): AttributeValue {
  if (type !== 'N') return decodeRaw(bytes, type)
  const reader = new CborReader(bytes)
  const value = readCborKeyValue(reader, 'N')
  if (!reader.atEnd) throw new WireFormatError('trailing bytes after a numeric key')
  return value
}

function readCborKeyValue(reader: CborReader, type: ScalarKeyType): AttributeValue {
  let value
  try {
    value = reader.read()
  } catch (error) {
    if (error instanceof NeedMoreData) throw new WireFormatError('truncated key')
    throw error
  }
  if (type === 'S' && typeof value === 'string') return { S: value }
  if (type === 'B' && Buffer.isBuffer(value)) return { B: value.toString('base64') }
  if (type === 'N') return { N: numberTextFromCbor(value) }
  throw new WireFormatError(`key value does not match the key schema type ${type}`)
}

function decodeRaw(bytes: Buffer, type: ScalarKeyType): AttributeValue {
  if (type === 'S') return { S: bytes.toString('utf8') }
  if (type === 'B') return { B: bytes.toString('base64') }
  try {
    const decoded = decodeLexDecimal(bytes)
    if (decoded.length !== bytes.length) throw new WireFormatError('trailing bytes after a numeric range key')
    return { N: decoded.text }
  } catch (error) {
    if (error instanceof RangeError) throw new WireFormatError(error.message)
    throw error
  }
}

/** The key bytes (content of the byte string) of an item or key under the schema. */
export function encodeKey(item: Item, schema: KeySchema): Buffer {
  const [hash, range] = schema
  if (!hash) throw new WireFormatError('table has no key schema')
  const hashValue = keyValue(item, hash)
  if (!range) {
    if (hash.type === 'N') return cborNumber(hashValue)
    return rawKeyBytes(hashValue, hash.type)
  }
  const writer = new CborWriter(64)
  if (hash.type === 'S') writer.text(hashValue)
  else if (hash.type === 'B') writer.bytes(Buffer.from(hashValue, 'base64'))
  else writeNumber(writer, hashValue)
  const rangeValue = keyValue(item, range)
  const rangeBytes = range.type === 'N' ? encodeLexDecimal(rangeValue) : rawKeyBytes(rangeValue, range.type)
  return Buffer.concat([writer.toBuffer(), rangeBytes])
}

function keyValue(item: Item, attribute: KeyAttribute): string {
  const value = item[attribute.name] as Record<string, unknown> | undefined
  const scalar = value?.[attribute.type]
  if (typeof scalar !== 'string') throw new WireFormatError(`item has no ${attribute.type} key attribute ${attribute.name}`)
  return scalar
}

function rawKeyBytes(value: string, type: ScalarKeyType): Buffer {
  return type === 'S' ? Buffer.from(value, 'utf8') : Buffer.from(value, 'base64')
}

function cborNumber(text: string): Buffer {
  const writer = new CborWriter(24)
  writeNumber(writer, text)
  return writer.toBuffer()
}
