/**
 * The first 8 bytes of MD5 of a short input (at most 55 bytes, so one 64-byte block once
 * padded), computed in JavaScript. RFC 1321; `md5-block.test.ts` checks it against node:crypto.
 *
 * Why: every request hashes its partition key (values/key.ts). For inputs this short, calling
 * into OpenSSL through crypto.hash costs several times the hash itself, and allocates a Buffer
 * for the digest and another for the slice kept; here the rounds run in registers and the 8
 * bytes are written where the key is being built. Longer inputs go to node:crypto.
 */

/** Inputs up to this many bytes fit one block with MD5's padding and length. */
export const singleBlockBytesMax = 55

/** K[i] = floor(|sin(i + 1)| × 2^32), as RFC 1321 defines the table. */
const sines = Int32Array.from({ length: 64 }, (_, index) => Math.floor(Math.abs(Math.sin(index + 1)) * 2 ** 32) | 0)
const shifts = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21]
/** The message word each step reads. */
const wordIndexes = Int32Array.from({ length: 64 }, (_, step) => {
  if (step < 16) return step
  if (step < 32) return (5 * step + 1) % 16
  if (step < 48) return (3 * step + 5) % 16
  return (7 * step) % 16
})
const initial = [0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476]

/** The padded block, reused: the hash is synchronous and nothing else writes it. */
const block = new Int32Array(16)

/**
 * Writes the first 8 bytes of MD5(input[start, end)) to out[outOffset, outOffset + 8).
 * The input must be at most singleBlockBytesMax bytes.
 */
export function writeMd5Head(input: Uint8Array, start: number, end: number, out: Uint8Array, outOffset: number): void {
  const length = end - start
  if (length > singleBlockBytesMax || length < 0) throw new RangeError(`one MD5 block holds at most ${singleBlockBytesMax} bytes`)
  block.fill(0)
  for (let index = 0; index < length; index++) orByte(index, input[start + index]!)
  orByte(length, 0x80)
  block[14] = length * 8
  let a = initial[0]!
  let b = initial[1]!
  let c = initial[2]!
  let d = initial[3]!
  for (let step = 0; step < 64; step++) {
    let mixed: number
    if (step < 16) mixed = (b & c) | (~b & d)
    else if (step < 32) mixed = (d & b) | (~d & c)
    else if (step < 48) mixed = b ^ c ^ d
    else mixed = c ^ (b | ~d)
    const sum = (a + mixed + sines[step]! + block[wordIndexes[step]!]!) | 0
    const shift = shifts[((step >> 4) << 2) + (step & 3)]!
    a = d
    d = c
    c = b
    b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0
  }
  writeWordLittleEndian(out, outOffset, (initial[0]! + a) | 0)
  writeWordLittleEndian(out, outOffset + 4, (initial[1]! + b) | 0)
}

/** Puts byte `index` of the block (words are little-endian). */
function orByte(index: number, byte: number): void {
  block[index >> 2] = block[index >> 2]! | (byte << ((index & 3) * 8))
}

function writeWordLittleEndian(out: Uint8Array, offset: number, word: number): void {
  out[offset] = word & 0xff
  out[offset + 1] = (word >>> 8) & 0xff
  out[offset + 2] = (word >>> 16) & 0xff
  out[offset + 3] = (word >>> 24) & 0xff
}
