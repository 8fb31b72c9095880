// An object's bytes decompressed as they stream in: the text comes out whole and in order, and
// what waits for a slow reader stays bounded however far a small object expands.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { Readable } from 'node:stream'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { gzipSync } from 'node:zlib'
import { decompressed, type Compression } from './object-lines.js'

const zstdMissing = (() => {
  try {
    execFileSync('zstd', ['--version'], { stdio: 'ignore' })
    return undefined
  } catch {
    return 'the zstd command is not installed'
  }
})()

/** `bytes` as a body arriving in chunks of `chunkBytes`. */
function body(bytes: Buffer, chunkBytes: number): Readable {
  const chunks: Buffer[] = []
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) chunks.push(bytes.subarray(offset, offset + chunkBytes))
  return Readable.from(chunks)
}

async function readAll(bytes: Buffer, compression: Compression, chunkBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of decompressed(body(bytes, chunkBytes), compression)) chunks.push(chunk)
  return Buffer.concat(chunks)
}

const text = Buffer.from(Array.from({ length: 20_000 }, (_, index) => `{"Item":{"pk":{"S":"item ${index}"}}}`).join('\n'))

test('gzip, zstd and plain objects come out whole, in any chunking', { skip: zstdMissing }, async () => {
  const zstd = execFileSync('zstd', ['-q', '-c', '-'], { input: text })
  for (const chunkBytes of [1, 7, 1000, 1 << 20]) {
    if (chunkBytes === 1 && zstd.length > 100_000) continue
    assert.ok((await readAll(zstd, 'ZSTD', chunkBytes)).equals(text), `zstd in chunks of ${chunkBytes}`)
    assert.ok((await readAll(gzipSync(text), 'GZIP', chunkBytes)).equals(text), `gzip in chunks of ${chunkBytes}`)
  }
  assert.ok((await readAll(text, 'NONE', 4096)).equals(text))
})

test('a small zstd object that expands to 256 MiB waits for its reader, decoded a little at a time', { skip: zstdMissing }, async () => {
  // 256 MiB of zeros compress to about 8 KB, one chunk of the body.
  const bomb = execFileSync('sh', ['-c', 'head -c 268435456 /dev/zero | zstd -q -c -3'])
  assert.ok(bomb.length < 64 * 1024)
  const object = decompressed(body(bomb, 64 * 1024), 'ZSTD')
  const reader = object[Symbol.asyncIterator]()
  assert.equal((await reader.next()).done, false)
  // The reader stops for a while: whatever the decoder does meanwhile, it holds back.
  for (let turn = 0; turn < 50; turn++) await nextTurn()
  assert.ok(object.bufferedBytes <= 16 * 1024 * 1024, `${object.bufferedBytes} bytes waiting`)
  let total = object.bytes
  for (let next = await reader.next(); !next.done; next = await reader.next()) total += next.value.length
  assert.equal(object.bytes, 256 * 1024 * 1024)
  assert.ok(total > 0)
})

test('bytes that are not zstd fail the reader after what was decoded before them', { skip: zstdMissing }, async () => {
  const good = execFileSync('zstd', ['-q', '-c', '-'], { input: text })
  const chunks: Buffer[] = []
  await assert.rejects(async () => {
    for await (const chunk of decompressed(body(Buffer.concat([good, Buffer.from('not zstd at all, not even close')]), 1000), 'ZSTD')) chunks.push(chunk)
  })
  assert.ok(Buffer.concat(chunks).equals(text))
})
