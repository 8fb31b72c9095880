import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import fc from 'fast-check'
import { md5Digest, writeMd5Head } from './md5.js'

function viaCrypto(data: string | Uint8Array): string {
  return createHash('md5').update(data).digest('hex')
}

function headViaBlock(bytes: Uint8Array): string {
  const out = Buffer.alloc(12, 0xee)
  writeMd5Head(bytes, out, 2)
  // Only the 8 bytes asked for are written.
  assert.equal(out.readUInt16BE(0), 0xeeee)
  assert.equal(out.readUInt16BE(10), 0xeeee)
  return out.subarray(2, 10).toString('hex')
}

test('digests equal node:crypto MD5 at every length around the one-block limit', () => {
  for (let length = 0; length <= 70; length++) {
    const bytes = Buffer.alloc(length, length * 37 + 11)
    assert.equal(md5Digest(bytes).toString('hex'), viaCrypto(bytes), `length ${length}`)
    assert.equal(headViaBlock(bytes), viaCrypto(bytes).slice(0, 16), `head, length ${length}`)
  }
  // RFC 1321's own examples.
  assert.equal(md5Digest('').toString('hex'), 'd41d8cd98f00b204e9800998ecf8427e')
  assert.equal(md5Digest('abc').toString('hex'), '900150983cd24fb0d6963f7d28e17f72')
  assert.equal(md5Digest('message digest').toString('hex'), 'f96b697d7cb7938d525a2f31aaf161d0')
})

test('random bytes and strings (hashed as UTF-8) digest as node:crypto digests them', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 90 }), (bytes) => {
    assert.equal(md5Digest(bytes).toString('hex'), viaCrypto(bytes))
    assert.equal(headViaBlock(bytes), viaCrypto(bytes).slice(0, 16))
  }), { numRuns: 2000 })
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
    assert.equal(md5Digest(text).toString('hex'), viaCrypto(Buffer.from(text, 'utf8')))
  }), { numRuns: 2000 })
})
