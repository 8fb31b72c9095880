/**
 * DynamoDB's item size, as described in the developer guide ("DynamoDB item sizes and
 * formats"): it drives the 400 KB item limit and consumed capacity.
 *  - S: UTF-8 bytes. B: raw (decoded) bytes. NULL and BOOL: 1 byte.
 *  - N: 1 byte per two significant digits (leading and trailing zeros trimmed), plus 1.
 *  - SS, NS, BS: the sum of their members' sizes.
 *  - M and L: 3 bytes, plus 1 byte per element, plus the elements (and, for M, the UTF-8
 *    bytes of each element's name).
 */
import type { AttributeValue, Item } from './types.js'

export const itemSizeBytesMax = 400 * 1024

/** Overhead of a list or map, regardless of its contents. */
const containerOverheadBytes = 3
/** Overhead of each element of a list or map. */
const elementOverheadBytes = 1

export function attributeValueSizeBytes(value: AttributeValue): number {
  if ('S' in value) return Buffer.byteLength(value.S, 'utf8')
  if ('N' in value) return numberSizeBytes(value.N)
  if ('B' in value) return binarySizeBytes(value.B)
  if ('BOOL' in value || 'NULL' in value) return 1
  if ('SS' in value) return sumOf(value.SS, (member) => Buffer.byteLength(member, 'utf8'))
  if ('NS' in value) return sumOf(value.NS, numberSizeBytes)
  if ('BS' in value) return sumOf(value.BS, binarySizeBytes)
  if ('L' in value) {
    return containerOverheadBytes + sumOf(value.L, (element) => elementOverheadBytes + attributeValueSizeBytes(element))
  }
  if ('M' in value) {
    let size = containerOverheadBytes
    for (const name in value.M) {
      size += elementOverheadBytes + Buffer.byteLength(name, 'utf8') + attributeValueSizeBytes(value.M[name]!)
    }
    return size
  }
  return 0
}

/** The sum over attributes of the UTF-8 length of the name plus the size of the value. */
export function itemSizeBytes(item: Item): number {
  let size = 0
  for (const name in item) size += Buffer.byteLength(name, 'utf8') + attributeValueSizeBytes(item[name]!)
  return size
}

/**
 * DynamoDB stores a number as base-100 digit pairs aligned on the decimal point: 1 byte plus
 * ceil(significant digits / 2), one more byte when the digits start mid-pair (an even digit count
 * with an even exponent), and one more for a negative sign. Zero takes 1 byte. (This matches the
 * sizes DynamoDB reports, e.g. in stream records' SizeBytes, as dynalite and DynamoDB Local
 * recorded them.)
 */
export function numberSizeBytes(text: string): number {
  let mantissaEnd = 0
  // The mantissa ends where an exponent ('e' or 'E') starts.
  while (mantissaEnd < text.length && (text.charCodeAt(mantissaEnd) | 0x20) !== 101) mantissaEnd++
  let point = text.indexOf('.')
  if (point < 0 || point > mantissaEnd) point = mantissaEnd
  let first = 0
  while (first < mantissaEnd && !isNonZeroDigit(text.charCodeAt(first))) first++
  if (first === mantissaEnd) return 1
  let last = mantissaEnd
  while (last > first && !isNonZeroDigit(text.charCodeAt(last - 1))) last--
  let digitCount = 0
  for (let index = first; index < last; index++) {
    if (text.charCodeAt(index) !== 46) digitCount++
  }
  // The power of ten of the first significant digit.
  const explicitExponent = mantissaEnd < text.length ? Number(text.slice(mantissaEnd + 1)) : 0
  const exponent = (first < point ? point - first - 1 : point - first) + explicitExponent
  const midPair = digitCount % 2 === 0 && exponent % 2 === 0 ? 1 : 0
  const negative = text.charCodeAt(0) === 45 ? 1 : 0
  return 1 + Math.ceil(digitCount / 2) + midPair + negative
}

function isNonZeroDigit(code: number): boolean {
  return code >= 49 && code <= 57
}

/** Decoded length of base64 text, computed without decoding. */
export function binarySizeBytes(base64: string): number {
  let padding = 0
  if (base64.endsWith('==')) padding = 2
  else if (base64.endsWith('=')) padding = 1
  return Math.floor((base64.length * 3) / 4) - padding
}

function sumOf<T>(array: T[], size: (element: T) => number): number {
  let total = 0
  for (const element of array) total += size(element)
  return total
}
