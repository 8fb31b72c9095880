/**
 * Item-cache keys: one key per (table, primary key) whatever the form the key came in, and never
 * the same key for two different ones, even when names and values contain the separators.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { estimateSizeBytes, itemCacheKey } from './cache-keys.js'

test('the same item gives the same key whatever the attribute order, number form or binary form', () => {
  const key = itemCacheKey('orders', { pk: { S: 'customer#1' }, sk: { N: '10' } })
  assert.equal(itemCacheKey('orders', { sk: { N: '1E1' }, pk: { S: 'customer#1' } }), key)
  assert.equal(itemCacheKey('orders', { sk: { N: '10.0' }, pk: { S: 'customer#1' } }), key)
  assert.equal(
    itemCacheKey('blobs', { id: { B: Buffer.from('abc').toString('base64') } }),
    itemCacheKey('blobs', { id: { B: new Uint8Array(Buffer.from('abc')) } }),
  )
})

test('different tables, names, types or values never share a key', () => {
  const keys = [
    itemCacheKey('a', { pk: { S: 'x' } }),
    itemCacheKey('b', { pk: { S: 'x' } }),
    itemCacheKey('a', { pk: { S: 'y' } }),
    itemCacheKey('a', { pk: { N: '1' } }),
    itemCacheKey('a', { pk: { S: '1' } }),
    itemCacheKey('a', { pk: { B: 'MQ==' } }),
    itemCacheKey('a', { pk: { S: 'x' }, sk: { S: 'y' } }),
    // Separators inside names and values: plain concatenation would make these collide.
    itemCacheKey('a', { pk: { S: 'x|2:skS1:y' } }),
    itemCacheKey('a|2:pk', { pk: { S: 'x' } }),
    itemCacheKey('a', { 'pk|': { S: 'x' } }),
    itemCacheKey('a', { p: { S: 'kSx' } }),
    itemCacheKey('a', { pk: { S: '' }, sk: { S: 'x' } }),
    itemCacheKey('a', { pk: { S: 'x' }, sk: { S: '' } }),
  ]
  assert.ok(keys.every((key) => typeof key === 'string'))
  assert.equal(new Set(keys).size, keys.length)
})

test('a malformed key value has no cache key', () => {
  assert.equal(itemCacheKey('a', { pk: { N: 'not a number' } }), undefined)
  assert.equal(itemCacheKey('a', { pk: { SS: ['x'] } }), undefined)
  assert.equal(itemCacheKey('a', { pk: {} }), undefined)
  assert.equal(itemCacheKey('a', { pk: 'x' }), undefined)
})

test('size estimates count what a value holds in memory: its objects and its JSON text, not only its characters', () => {
  const wide = Object.fromEntries(Array.from({ length: 10_000 }, (_, index) => [`a${index}`, { N: String(index) }]))
  const wideText = JSON.stringify(wide).length
  // On Node 20 such an item takes about 3.3 times its text as objects, plus the text itself.
  assert.ok(estimateSizeBytes(wide) > 4 * wideText, `${estimateSizeBytes(wide)} for ${wideText} characters`)
  const long = { pk: { S: 'p' }, d: { S: 'x'.repeat(100_000) } }
  const longText = JSON.stringify(long).length
  assert.ok(estimateSizeBytes(long) >= 2 * 100_000 && estimateSizeBytes(long) < 2.01 * longText)
})
