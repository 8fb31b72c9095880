/**
 * GetItem texts remembered by the DAX JSON endpoint: only plain requests, answered from the cache
 * as it is now, counted as hits, and within their byte budget.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CacheStore } from './cache-store.js'
import type { CacheContext } from './context.js'
import { DaxMetrics } from './metrics.js'
import { RepeatedGetItems, repeatedGetItemsBytesMax } from './repeated-get-items.js'
import { itemCacheKey } from './cache-keys.js'

function cacheContext(): CacheContext {
  const store = new CacheStore({ recordTtlMillis: 300_000, queryTtlMillis: 300_000, cacheSizeBytes: 1 << 20 }, { now: () => 1_700_000_000_000 })
  const unused = () => { throw new Error('no upstream here') }
  return { store, metrics: new DaxMetrics(), upstream: { execute: unused }, keySchemas: undefined as never }
}

const key = { pk: { S: 'a' } }
const plain = { TableName: 'orders', Key: key }
const text = JSON.stringify(plain)

test('a remembered text is answered with the cached entry as it is now, and counted as a hit', () => {
  const cache = cacheContext()
  const repeated = new RepeatedGetItems(repeatedGetItemsBytesMax(1 << 20))
  const cacheKey = itemCacheKey('orders', key)!
  cache.store.setItem(cacheKey, { ...key, v: { N: '1' } })
  repeated.rememberIfPlain(text, plain)
  assert.equal(repeated.tableOf(text), 'orders')
  assert.deepEqual(JSON.parse(repeated.answer(cache, text)!.text), { Item: { ...key, v: { N: '1' } } })
  cache.store.setItem(cacheKey, { ...key, v: { N: '2' } })
  assert.deepEqual(JSON.parse(repeated.answer(cache, text)!.text), { Item: { ...key, v: { N: '2' } } })
  const stats = cache.metrics.snapshot(cache.store.gauges())
  assert.equal(stats.ItemCacheHits, 2)
  assert.equal(stats.GetItemRequestCount, 2)
  // Once the item has left the cache, the text is forgotten and the full path runs again.
  cache.store.deleteItem(cacheKey)
  assert.equal(repeated.answer(cache, text), undefined)
  assert.equal(repeated.tableOf(text), undefined)
  assert.equal(repeated.size, 0)
})

test('only plain GetItems are remembered', () => {
  const repeated = new RepeatedGetItems(repeatedGetItemsBytesMax(1 << 20))
  const notPlain = [
    { ...plain, ConsistentRead: true },
    { ...plain, ProjectionExpression: 'v' },
    { ...plain, AttributesToGet: ['v'] },
    { ...plain, ExpressionAttributeNames: { '#v': 'v' } },
    { TableName: 'orders', Key: { pk: { X: 'a' } } },
  ]
  for (const input of notPlain) repeated.rememberIfPlain(JSON.stringify(input), input)
  assert.equal(repeated.size, 0)
  for (const input of [{ ...plain, ConsistentRead: false }, { ...plain, ReturnConsumedCapacity: 'TOTAL' }]) {
    repeated.rememberIfPlain(JSON.stringify(input), input)
  }
  assert.equal(repeated.size, 2)
})

test('texts are kept within the byte budget, the oldest dropped first', () => {
  const texts = Array.from({ length: 50 }, (_, index) => {
    const input = { TableName: 'orders', Key: { pk: { S: `item-${String(index).padStart(2, '0')}` } } }
    return [JSON.stringify(input), input] as const
  })
  const oneEntryBytes = 2 * (texts[0]![0].length + itemCacheKey('orders', texts[0]![1].Key)!.length)
  const repeated = new RepeatedGetItems(10 * oneEntryBytes)
  for (const [text, input] of texts) repeated.rememberIfPlain(text, input)
  assert.equal(repeated.size, 10)
  assert.equal(repeated.tableOf(texts[0]![0]), undefined)
  assert.equal(repeated.tableOf(texts[49]![0]), 'orders')
  repeated.resize(4 * oneEntryBytes)
  assert.equal(repeated.size, 4)
  assert.equal(repeated.tableOf(texts[45]![0]), undefined)
  assert.equal(repeated.tableOf(texts[46]![0]), 'orders')
})

test('the budget is an eighth of the cache\'s, at most 8 MiB', () => {
  assert.equal(repeatedGetItemsBytesMax(256 * 1024 * 1024), 8 * 1024 * 1024)
  assert.equal(repeatedGetItemsBytesMax(1024 * 1024 * 1024), 8 * 1024 * 1024)
  assert.equal(repeatedGetItemsBytesMax(1024 * 1024), 128 * 1024)
})
