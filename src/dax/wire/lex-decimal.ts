/**
 * LexDecimal: the order-preserving byte encoding DAX uses for numeric sort keys inside key
 * bytes. A value is sign x 0.d1d2d3... x 10^e; the header byte carries sign and e, then the
 * digits go in base-1000 groups of 10 bits each (group g is g + 12 when positive, 1011 - g
 * when negative), closed by a terminator code that says how many padding digits the last
 * group has. One value has several encodings (trailing zero groups), so decoded keys are
 * compared as numbers, never as bytes.
 */
import { decompose } from '../../values/number.js'

/** A decoded number as decimal text ('0.15E1' style; the core canonicalizes it). */
export interface LexDecimalDecoded {
  text: string
  /** Bytes consumed. */
  length: number
}

const zeroByte = 0x80
/** Headers 0xc0 + e (positive) and 0x3f - e (negative) cover -62 <= e < 62. */
const shortExponentMin = -0x3e
const shortExponentLimit = 0x3e
/** A DynamoDB number has at most 38 digits; 64 leaves room for a client's trailing zeros. */
const digitGroupsMax = 64

export function encodeLexDecimal(text: string): Buffer {
  const parts = decompose(text)
  if (parts.digits === '') return Buffer.from([zeroByte])
  const exponent = parts.exponent + 1
  // Canonical form: an integer keeps its trailing zeros (scale 0); a fraction has none.
  const digits = exponent >= parts.digits.length ? parts.digits + '0'.repeat(exponent - parts.digits.length) : parts.digits
  const bytes: number[] = [...encodeHeader(parts.negative, exponent)]
  const padding = (3 - (digits.length % 3)) % 3
  const terminator = padding === 0 ? 2 : padding === 2 ? 0 : 1
  const padded = digits + '0'.repeat(padding)
  const codes: number[] = []
  for (let index = 0; index < padded.length; index += 3) {
    const group = Number(padded.slice(index, index + 3))
    codes.push(parts.negative ? 1011 - group : group + 12)
  }
  codes.push(parts.negative ? 1023 - terminator : terminator)
  packTenBitCodes(codes, bytes)
  return Buffer.from(bytes)
}

function encodeHeader(negative: boolean, exponent: number): number[] {
  if (exponent >= shortExponentMin && exponent < shortExponentLimit) {
    return [negative ? 0x3f - exponent : 0xc0 + exponent]
  }
  const word = Buffer.alloc(4)
  word.writeInt32BE(negative ? (exponent ^ 0x7fffffff) : (exponent ^ 0x80000000) | 0)
  const lead = negative ? (exponent < 0 ? 0x7e : 0x01) : (exponent < 0 ? 0x81 : 0xfe)
  return [lead, ...word]
}

function packTenBitCodes(codes: number[], out: number[]): void {
  let accumulator = 0
  let bits = 0
  for (const code of codes) {
    accumulator = ((accumulator << 10) | code) & 0xffffff
    bits += 10
    while (bits >= 8) {
      bits -= 8
      out.push((accumulator >> bits) & 0xff)
    }
  }
  if (bits > 0) out.push((accumulator << (8 - bits)) & 0xff)
}

/** Decodes the LexDecimal at `offset`; throws on truncated or malformed input. */
export function decodeLexDecimal(source: Uint8Array, offset = 0): LexDecimalDecoded {
  let position = offset
  const header = byteAt(source, position++)
  if (header === 0x80 || header === 0x7f) return { text: '0', length: 1 }
  let negative: boolean
  let exponent: number
  if (header === 0x01 || header === 0x7e || header === 0x81 || header === 0xfe) {
    negative = header === 0x01 || header === 0x7e
    if (position + 4 > source.length) throw new RangeError('truncated LexDecimal')
    const word = Buffer.from(source.buffer, source.byteOffset + position, 4).readInt32BE(0)
    exponent = negative ? word ^ 0x7fffffff : word ^ (0x80000000 | 0)
    position += 4
  } else {
    negative = header < 0x80
    exponent = negative ? 0x3f - header : header - 0xc0
  }
  let digits = ''
  let accumulator = 0
  let bits = 0
  for (let groups = 0; groups <= digitGroupsMax; groups++) {
    while (bits < 10) {
      accumulator = ((accumulator << 8) | byteAt(source, position++)) & 0xffffff
      bits += 8
    }
    bits -= 10
    const code = (accumulator >> bits) & 0x3ff
    const terminator = negative ? 1023 - code : code
    if (terminator >= 0 && terminator <= 2) {
      // Terminator t means the last group carried 2 - t padding digits.
      if (digits.length < 3) throw new RangeError('LexDecimal has no digits')
      digits = digits.slice(0, digits.length - (2 - terminator))
      const text = `${negative ? '-' : ''}0.${digits}E${exponent}`
      return { text, length: position - offset }
    }
    const group = negative ? 1011 - code : code - 12
    if (group < 0 || group > 999) throw new RangeError('bad LexDecimal digit group')
    digits += String(group).padStart(3, '0')
  }
  throw new RangeError('LexDecimal has too many digits')
}

function byteAt(source: Uint8Array, position: number): number {
  if (position >= source.length) throw new RangeError('truncated LexDecimal')
  return source[position]!
}
