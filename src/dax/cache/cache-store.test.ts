/**
 * The item entries a cluster's other nodes fetched on their read misses (fillItemIfAbsent): stored
 * where this node holds no fresh entry, never over a write this node made after the read began,
 * even a write that dropped its entry instead of storing one.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CacheStore, replicatedFillHorizonMs } from './cache-store.js'

function storeAt(clock: { ms: number }): CacheStore {
  return new CacheStore({ recordTtlMillis: 300_000, queryTtlMillis: 300_000, cacheSizeBytes: 1 << 20 }, { now: () => clock.ms }, { takesFills: true })
}
const itemOf = (v: string) => ({ pk: { S: 'k' }, v: { S: v } })

test('a fill is stored where the node holds nothing, not over a fresh entry of its own', () => {
  const clock = { ms: 1_000_000 }
  const store = storeAt(clock)
  store.fillItemIfAbsent('t/k', itemOf('filled'), clock.ms - 5)
  assert.deepEqual(store.getItem('t/k')?.item, itemOf('filled'))
  store.setItem('t/j', itemOf('written'))
  clock.ms += 10
  store.fillItemIfAbsent('t/j', itemOf('other'), clock.ms - 1)
  assert.deepEqual(store.getItem('t/j')?.item, itemOf('written'))
})

test('a fill read before a write that dropped the entry is not stored; one read after it is', () => {
  const clock = { ms: 1_000_000 }
  const store = storeAt(clock)
  const readAtMs = clock.ms
  clock.ms += 3
  store.deleteItem('t/k')  // an UpdateItem asking for old values drops the entry
  clock.ms += 7
  store.fillItemIfAbsent('t/k', itemOf('old'), readAtMs)
  assert.equal(store.getItem('t/k'), undefined)
  store.fillItemIfAbsent('t/k', itemOf('new'), clock.ms)
  assert.deepEqual(store.getItem('t/k')?.item, itemOf('new'))
})

test('a fill older than the horizon is dropped, and writes older than it are forgotten', () => {
  const clock = { ms: 1_000_000 }
  const store = storeAt(clock)
  const readAtMs = clock.ms
  clock.ms += replicatedFillHorizonMs + 1
  store.fillItemIfAbsent('t/k', itemOf('ancient'), readAtMs)
  assert.equal(store.getItem('t/k'), undefined)
  store.deleteItem('t/w')
  clock.ms += replicatedFillHorizonMs + 1
  store.deleteItem('t/x')  // forgets t/w's write
  store.fillItemIfAbsent('t/w', itemOf('later'), clock.ms - 1)
  assert.deepEqual(store.getItem('t/w')?.item, itemOf('later'))
})

// An entry written while the clock was ahead (a step forward, then back) has no known age: it is
// not served, where it once was for the whole step and its TTL.
test('an entry written before the clock stepped back is not served', () => {
  const clock = { ms: 1_000_000 + 2 * 86_400_000 }
  const store = storeAt(clock)
  store.setItem('t/k', itemOf('during the step'))
  assert.deepEqual(store.getItem('t/k')?.item, itemOf('during the step'))
  clock.ms = 1_000_000
  assert.equal(store.getItem('t/k'), undefined)
})
