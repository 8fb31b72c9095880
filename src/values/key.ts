/**
 * Order-preserving key encoding: comparing two encodings as unsigned bytes (memcmp) gives
 * DynamoDB's order of the values, so every storage engine can sort and range-scan keys
 * without knowing anything about DynamoDB types.
 *
 * Each component is self-delimiting, so a sort key can follow a partition key:
 *  - S: its UTF-8 bytes and B: its raw bytes, with 0x00 escaped as 00 FF, then 00 01.
 *    A value's escaped bytes without the terminator are a prefix of the encoding of every
 *    value that starts with it, which is what BEGINS_WITH needs.
 *  - N: one tag byte (01 negative, 02 zero, 03 positive); for non-zero numbers one byte of
 *    exponent (exponent + 130, which fits since exponents run from -130 to 125) and the
 *    significant digits two per byte (value + 1, so 1..100), then 00. Negative numbers have
 *    exponent and digit bytes complemented (255 - byte) and end with FF, reversing their order.
 *
 * A row key starts with 8 bytes of MD5 of the encoded partition value, so rows are spread in
 * hash order: Scan walks that order and parallel-scan segments are ranges of the hash.
 *
 * A GSI with multi-attribute keys has several partition values and several sort values. They
 * are encoded one after another in KeySchema order: the hash covers all the partition
 * encodings, and since each component is self-delimiting, comparing the concatenated sort
 * encodings compares the sort values left to right, each in its type's order. A key of one
 * partition value and at most one sort value encodes exactly as it did before such keys existed.
 */
import { prefixEnd } from '../storage/bytes.js'
import { assert } from '../errors.js'
import type { KeyRange } from '../storage/engine.js'
import type { AttributeValue, ScalarKeyType } from './types.js'
import { decompose, formatDecimal, numberExponentMin } from './number.js'
import { writeMd5Head } from '../md5.js'

export const partitionHashBytes = 8

const escapeByte = 0xff
const terminatorByte = 0x01
const negativeTag = 0x01
const zeroTag = 0x02
const positiveTag = 0x03
const digitsEnd = 0x00
const negativeDigitsEnd = 0xff

/** One self-delimiting, order-preserving component for an S, N or B value. */
export function encodeKeyValue(value: AttributeValue): Buffer {
  const component = keyComponent(value)
  return typeof component === 'string' ? stringComponent(component) : component
}

/**
 * A key value's component, or, for an S value with nothing to escape (no NUL, nearly every S
 * key), its text: writeComponent writes that straight into the buffer it goes to, with no
 * buffer of its own in between.
 */
function keyComponent(value: AttributeValue): string | Buffer {
  if ('S' in value) return value.S.includes('\0') ? encodeBytes(Buffer.from(value.S, 'utf8'), true) : value.S
  if ('B' in value) return encodeBytes(Buffer.from(value.B, 'base64'), true)
  if ('N' in value) return encodeNumber(value.N)
  assert(false, 'key values are S, N or B')
}

/** Bytes with 0x00 escaped, followed by the terminator when `terminated`. */
function encodeBytes(raw: Buffer, terminated: boolean): Buffer {
  let zeros = 0
  for (let index = 0; index < raw.length; index++) if (raw[index] === 0) zeros++
  const out = Buffer.allocUnsafe(raw.length + zeros + (terminated ? 2 : 0))
  let position = 0
  for (let index = 0; index < raw.length; index++) {
    const byte = raw[index]!
    out[position++] = byte
    if (byte === 0) out[position++] = escapeByte
  }
  if (terminated) {
    out[position++] = 0
    out[position++] = terminatorByte
  }
  return out
}

function encodeNumber(text: string): Buffer {
  const parts = decompose(text)
  if (parts.digits === '') return Buffer.from([zeroTag])
  const digits = parts.digits
  const pairCount = (digits.length + 1) >> 1
  const out = Buffer.allocUnsafe(3 + pairCount)
  const negative = parts.negative
  out[0] = negative ? negativeTag : positiveTag
  const exponentByte = parts.exponent - numberExponentMin
  assert(exponentByte >= 0 && exponentByte <= 255, 'number exponent out of range')
  out[1] = negative ? 255 - exponentByte : exponentByte
  for (let pair = 0; pair < pairCount; pair++) {
    const high = digits.charCodeAt(pair * 2) - 48
    const low = pair * 2 + 1 < digits.length ? digits.charCodeAt(pair * 2 + 1) - 48 : 0
    const byte = high * 10 + low + 1
    out[2 + pair] = negative ? 255 - byte : byte
  }
  out[2 + pairCount] = negative ? negativeDigitsEnd : digitsEnd
  return out
}

/** Decodes one component written by encodeKeyValue; `next` is the offset just after it. */
export function decodeKeyValue(
  buffer: Buffer,
  offset: number,
  type: ScalarKeyType,
): { value: AttributeValue; next: number } {
  if (type === 'N') return decodeNumber(buffer, offset)
  const { raw, next } = decodeBytes(buffer, offset)
  return { value: type === 'S' ? { S: raw.toString('utf8') } : { B: raw.toString('base64') }, next }
}

function decodeBytes(buffer: Buffer, offset: number): { raw: Buffer; next: number } {
  const bytes: number[] = []
  let position = offset
  for (;;) {
    assert(position < buffer.length, 'unterminated key component')
    const byte = buffer[position++]!
    if (byte !== 0) {
      bytes.push(byte)
      continue
    }
    const marker = buffer[position++]
    if (marker === terminatorByte) return { raw: Buffer.from(bytes), next: position }
    assert(marker === escapeByte, 'bad escape in key component')
    bytes.push(0)
  }
}

function decodeNumber(buffer: Buffer, offset: number): { value: AttributeValue; next: number } {
  const tag = buffer[offset]
  if (tag === zeroTag) return { value: { N: '0' }, next: offset + 1 }
  assert(tag === negativeTag || tag === positiveTag, 'bad number tag in key')
  const negative = tag === negativeTag
  const flip = (byte: number) => (negative ? 255 - byte : byte)
  const exponent = flip(buffer[offset + 1]!) + numberExponentMin
  const end = negative ? negativeDigitsEnd : digitsEnd
  let digits = ''
  let position = offset + 2
  for (;;) {
    assert(position < buffer.length, 'unterminated number in key')
    const byte = buffer[position++]!
    if (byte === end) break
    const pair = flip(byte) - 1
    digits += String(Math.floor(pair / 10)) + String(pair % 10)
  }
  if (digits.endsWith('0')) digits = digits.slice(0, -1)
  return { value: { N: formatDecimal({ negative, digits, exponent }) }, next: position }
}

/**
 * hash8(enc(p1)..enc(pN)) + enc(p1)..enc(pN), in one Buffer: hash8 is the first 8 bytes of MD5
 * of the encoded partition values, stable across processes and versions.
 */
function hashedKey(encodedPartition: Buffer): Buffer {
  const key = Buffer.allocUnsafe(partitionHashBytes + encodedPartition.length)
  writeMd5Head(encodedPartition, key, 0)
  encodedPartition.copy(key, partitionHashBytes)
  return key
}

/**
 * hash8(enc(p1)..enc(pN)) + enc(p1)..enc(pN): the common prefix of every row of one partition.
 * Tables and most indexes have exactly one partition value.
 */
export function partitionPrefix(partitionValues: readonly AttributeValue[]): Buffer {
  assert(partitionValues.length > 0, 'a partition key has at least one value')
  if (partitionValues.length === 1) return encodePrimaryKey(partitionValues[0]!)
  return hashedKey(Buffer.concat(partitionValues.map(encodeKeyValue)))
}

/**
 * A table row's key: hash8(enc(partition)) + enc(partition) [+ enc(sort)], each enc as
 * encodeKeyValue writes it. Every read and write encodes one,
 * so a string without NUL characters (nearly every S key) is written straight into the key
 * rather than into buffers of its own that are then copied.
 */
export function encodePrimaryKey(partition: AttributeValue, sort?: AttributeValue): Buffer {
  const partitionComponent = keyComponent(partition)
  const sortComponent = sort === undefined ? undefined : keyComponent(sort)
  const partitionBytes = componentBytes(partitionComponent)
  const key = Buffer.allocUnsafe(partitionHashBytes + partitionBytes + (sortComponent === undefined ? 0 : componentBytes(sortComponent)))
  const partitionEnd = writeComponent(partitionComponent, key, partitionHashBytes)
  if (sortComponent !== undefined) writeComponent(sortComponent, key, partitionEnd)
  writeMd5Head(key.subarray(partitionHashBytes, partitionEnd), key, 0)
  return key
}

/** The component of an S value without NULs (nothing to escape), written once into its own buffer. */
function stringComponent(text: string): Buffer {
  const out = Buffer.allocUnsafe(componentBytes(text))
  writeComponent(text, out, 0)
  return out
}

function componentBytes(component: string | Buffer): number {
  return typeof component === 'string' ? Buffer.byteLength(component, 'utf8') + 2 : component.length
}

/** Writes the component at `offset` (the caller sized `out` with componentBytes); returns the offset after it. */
function writeComponent(component: string | Buffer, out: Buffer, offset: number): number {
  if (typeof component !== 'string') return offset + component.copy(out, offset)
  let position = offset + out.write(component, offset, 'utf8')
  out[position++] = 0
  out[position++] = terminatorByte
  return position
}

/**
 * A secondary-index row's key: the index's partition prefix, its sort values in order, then
 * the table's key, so that every item has its own row even when many items share the index
 * key; the table key also orders ties.
 */
export function encodeIndexKey(
  indexPartitionValues: readonly AttributeValue[],
  indexSortValues: readonly AttributeValue[],
  tablePartition: AttributeValue,
  tableSort: AttributeValue | undefined,
): Buffer {
  const parts = [partitionPrefix(indexPartitionValues), ...indexSortValues.map(encodeKeyValue)]
  parts.push(encodeKeyValue(tablePartition))
  if (tableSort !== undefined) parts.push(encodeKeyValue(tableSort))
  return Buffer.concat(parts)
}

export { prefixEnd }

/** DynamoDB's upper bound on TotalSegments for a parallel Scan. */
export const totalSegmentsMax = 1_000_000

const hashSpace = 1n << 64n

/**
 * Parallel scan: segment `segment` of `totalSegments` covers the hashes in [start, end).
 * The first segment has no start and the last no end. Keys are longer than 8 bytes, so a key
 * whose hash equals `start` sorts after it and one whose hash equals `end` sorts after `end`.
 */
export function hashSegmentRange(segment: number, totalSegments: number): { start?: Buffer; end?: Buffer } {
  assert(Number.isInteger(totalSegments) && totalSegments >= 1 && totalSegments <= totalSegmentsMax, 'bad totalSegments')
  assert(Number.isInteger(segment) && segment >= 0 && segment < totalSegments, 'bad segment')
  const range: { start?: Buffer; end?: Buffer } = {}
  if (segment > 0) range.start = hashBoundary(segment, totalSegments)
  if (segment < totalSegments - 1) range.end = hashBoundary(segment + 1, totalSegments)
  return range
}

function hashBoundary(segment: number, totalSegments: number): Buffer {
  const boundary = Buffer.alloc(partitionHashBytes)
  boundary.writeBigUInt64BE((BigInt(segment) * hashSpace) / BigInt(totalSegments))
  return boundary
}

export type SortKeyCondition =
  | { op: 'EQ' | 'LT' | 'LE' | 'GT' | 'GE'; value: AttributeValue }
  | { op: 'BETWEEN'; low: AttributeValue; high: AttributeValue }
  | { op: 'BEGINS_WITH'; value: AttributeValue }

/**
 * The key range of one partition's rows that satisfy the sort-key conditions (all of them when
 * there are none). With multi-attribute sort keys the conditions apply to the sort attributes
 * left to right: every one but the last is an equality, which extends the prefix the rows
 * share; the last may be any condition. Bounds are therefore encoded sort values.
 */
export function queryRange(
  partitionValues: readonly AttributeValue[],
  sortConditions: readonly SortKeyCondition[],
  reverse: boolean,
): KeyRange {
  // Bounds are prefixes: an index row's key is its index key followed by the table key, so
  // "sort key = v" means "every row whose key starts with the encoding of v". Encodings are
  // self-delimiting, so for table rows (no suffix) the same ranges are exact.
  const equalities = sortConditions.slice(0, -1).map((condition) => {
    assert(condition.op === 'EQ', 'only the last sort condition may be a range')
    return encodeKeyValue(condition.value)
  })
  const prefix = Buffer.concat([partitionPrefix(partitionValues), ...equalities])
  const sort = sortConditions.at(-1)
  const withSort = (value: AttributeValue) => Buffer.concat([prefix, encodeKeyValue(value)])
  // Every range is built whole, one object shape for all: properties added to an object after
  // it is made (or after a spread) give it a hidden class of its own in V8, and every read of the
  // range down the storage layer then goes megamorphic.
  const between = (start: Buffer, end: Buffer | undefined): KeyRange =>
    ({ start, startInclusive: true, end, endInclusive: false, reverse })
  switch (sort?.op) {
    case undefined:
      return between(prefix, prefixEnd(prefix))
    case 'EQ': {
      const key = withSort(sort.value)
      return between(key, prefixEnd(key))
    }
    case 'LT':
      return between(prefix, withSort(sort.value))
    case 'LE':
      return between(prefix, prefixEnd(withSort(sort.value)))
    case 'GT':
      return between(prefixEnd(withSort(sort.value)) ?? prefix, prefixEnd(prefix))
    case 'GE':
      return between(withSort(sort.value), prefixEnd(prefix))
    case 'BETWEEN':
      return between(withSort(sort.low), prefixEnd(withSort(sort.high)))
    case 'BEGINS_WITH': {
      const start = Buffer.concat([prefix, encodeBytes(beginsWithBytes(sort.value), false)])
      return between(start, prefixEnd(start))
    }
  }
}

/** The bytes an S or B sort key must start with for BEGINS_WITH: one contiguous range of encodings. */
function beginsWithBytes(value: AttributeValue): Buffer {
  if ('S' in value) return Buffer.from(value.S, 'utf8')
  if ('B' in value) return Buffer.from(value.B, 'base64')
  assert(false, 'BEGINS_WITH takes an S or B value')
}
