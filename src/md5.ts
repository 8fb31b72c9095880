/**
 * MD5 for the short inputs hashed on every request or record: a partition key (values/key.ts),
 * a stream record's event id, a Kinesis partition key. An input of at most 55 bytes (one 64-byte
 * block once padded) is hashed in JavaScript (RFC 1321; `md5.test.ts` checks it against
 * node:crypto); longer ones by node:crypto.
 *
 * Why: for inputs this short, a node:crypto call costs several times the hash itself (1.85 µs
 * for crypto.hash, 2.6 µs for createHash, against 0.3 µs here: OpenSSL 3 looks the algorithm up
 * on every call), and allocates its digest.
 */
import { createHash } from 'node:crypto'

/** Inputs up to this many bytes fit one block with MD5's padding and length. */
const singleBlockBytesMax = 55

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

/** The padded block and the digest's four words, reused: hashing is synchronous. */
const block = new Int32Array(16)
const digest = new Int32Array(4)

/** Writes the first 8 bytes of MD5(input) to out[outOffset, outOffset + 8). */
export function writeMd5Head(input: Uint8Array, out: Uint8Array, outOffset: number): void {
  if (input.length > singleBlockBytesMax) {
    createHash('md5').update(input).digest().copy(out, outOffset, 0, 8)
    return
  }
  digestOneBlock(input)
  writeWordLittleEndian(out, outOffset, digest[0]!)
  writeWordLittleEndian(out, outOffset + 4, digest[1]!)
}

/** The MD5 digest (16 bytes) of `data`, a string being hashed as UTF-8. */
export function md5Digest(data: string | Uint8Array): Buffer {
  const input = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  if (input.length > singleBlockBytesMax) return createHash('md5').update(input).digest()
  digestOneBlock(input)
  const out = Buffer.allocUnsafe(16)
  for (let word = 0; word < 4; word++) writeWordLittleEndian(out, word * 4, digest[word]!)
  return out
}

/** Sets `digest` to the MD5 of an input of at most singleBlockBytesMax bytes. */
function digestOneBlock(input: Uint8Array): void {
  const length = input.length
  block.fill(0)
  for (let index = 0; index < length; index++) orByte(index, input[index]!)
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
  digest[0] = (initial[0]! + a) | 0
  digest[1] = (initial[1]! + b) | 0
  digest[2] = (initial[2]! + c) | 0
  digest[3] = (initial[3]! + d) | 0
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
