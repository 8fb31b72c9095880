import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import fc from 'fast-check'
import { singleBlockBytesMax, writeMd5Head } from './md5-block.js'

function viaCrypto(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest().subarray(0, 8).toString('hex')
}

function viaBlock(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const out = Buffer.alloc(12, 0xee)
  writeMd5Head(bytes, start, end, out, 2)
  // Only the 8 bytes asked for are written.
  assert.equal(out.readUInt16BE(0), 0xeeee)
  assert.equal(out.readUInt16BE(10), 0xeeee)
  return out.subarray(2, 10).toString('hex')
}

test('the first 8 bytes equal node:crypto MD5 for every length one block holds', () => {
  for (let length = 0; length <= singleBlockBytesMax; length++) {
    const bytes = Buffer.alloc(length, length * 37 + 11)
    assert.equal(viaBlock(bytes), viaCrypto(bytes), `length ${length}`)
  }
  // RFC 1321's own examples.
  assert.equal(viaBlock(Buffer.from('')), 'd41d8cd98f00b204')
  assert.equal(viaBlock(Buffer.from('abc')), '900150983cd24fb0')
  assert.equal(viaBlock(Buffer.from('message digest')), 'f96b697d7cb7938d')
})

test('random inputs and sub-ranges hash as node:crypto hashes them', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), fc.nat(), fc.nat(), (bytes, a, b) => {
    const start = bytes.length === 0 ? 0 : a % (bytes.length + 1)
    const end = Math.min(bytes.length, start + (b % (singleBlockBytesMax + 1)))
    assert.equal(viaBlock(bytes, start, end), viaCrypto(bytes.subarray(start, end)))
  }), { numRuns: 2000 })
})

test('an input longer than one block is refused', () => {
  assert.throws(() => writeMd5Head(Buffer.alloc(singleBlockBytesMax + 1), 0, singleBlockBytesMax + 1, Buffer.alloc(8), 0), RangeError)
})
