/**
 * ByteLru against a plain model of least-recently-used order (an array, least recent first),
 * over random sequences of reads, writes, deletes and resizes: the same entries must survive,
 * with the same byte and eviction counts.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ByteLru } from './byte-lru.js'

class ModelLru {
  order: Array<{ key: string; value: number; sizeBytes: number }> = []
  evictedBytes = 0
  evictedCount = 0
  constructor(public capacityBytes: number) {}
  get usedBytes(): number { return this.order.reduce((sum, entry) => sum + entry.sizeBytes, 0) }
  get(key: string): number | undefined {
    const index = this.order.findIndex((entry) => entry.key === key)
    if (index < 0) return undefined
    const [entry] = this.order.splice(index, 1)
    this.order.push(entry!)
    return entry!.value
  }
  set(key: string, value: number, sizeBytes: number): void {
    this.delete(key)
    if (sizeBytes > this.capacityBytes) return
    this.order.push({ key, value, sizeBytes })
    this.evict()
  }
  delete(key: string): boolean {
    const index = this.order.findIndex((entry) => entry.key === key)
    if (index >= 0) this.order.splice(index, 1)
    return index >= 0
  }
  resize(capacityBytes: number): void {
    this.capacityBytes = capacityBytes
    this.evict()
  }
  evict(): void {
    while (this.usedBytes > this.capacityBytes) {
      const oldest = this.order.shift()!
      this.evictedBytes += oldest.sizeBytes
      this.evictedCount++
    }
  }
}

/** A small deterministic generator, so a failure can be replayed. */
function randomSource(seed: number): (below: number) => number {
  let state = seed
  return (below) => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state % below
  }
}

test('ByteLru keeps, evicts and counts exactly as a least-recently-used model does', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const random = randomSource(seed)
    const lru = new ByteLru<number>(1000)
    const model = new ModelLru(1000)
    const keys = Array.from({ length: 30 }, (_, index) => `k${index}`)
    for (let step = 0; step < 2000; step++) {
      const key = keys[random(keys.length)]!
      const choice = random(100)
      if (choice < 45) {
        assert.equal(lru.get(key)?.value, model.get(key), `seed ${seed} step ${step}: get ${key}`)
      } else if (choice < 85) {
        const sizeBytes = 1 + random(choice < 84 ? 200 : 1500)
        lru.set(key, step, sizeBytes, step)
        model.set(key, step, sizeBytes)
      } else if (choice < 97) {
        assert.equal(lru.delete(key), model.delete(key), `seed ${seed} step ${step}: delete ${key}`)
      } else if (choice < 99) {
        const capacityBytes = 200 + random(1200)
        lru.resize(capacityBytes)
        model.resize(capacityBytes)
      } else {
        lru.clear()
        model.order = []
      }
      assert.equal(lru.size, model.order.length, `seed ${seed} step ${step}: size`)
      assert.equal(lru.usedBytes, model.usedBytes, `seed ${seed} step ${step}: used bytes`)
      assert.equal(lru.evictedCount, model.evictedCount, `seed ${seed} step ${step}: evicted count`)
      assert.equal(lru.evictedBytes, model.evictedBytes, `seed ${seed} step ${step}: evicted bytes`)
    }
    // Which entries survived, read without changing their order.
    for (const key of keys) assert.equal(lru.peek(key)?.value, model.order.find((entry) => entry.key === key)?.value)
  }
})

test('an entry larger than the whole budget is not stored, and replaces nothing but its own key', () => {
  const lru = new ByteLru<string>(100)
  lru.set('a', 'first', 60, 0)
  lru.set('b', 'second', 30, 0)
  lru.set('a', 'too big', 101, 1)
  assert.equal(lru.peek('a'), undefined)
  assert.equal(lru.get('b')?.value, 'second')
  assert.equal(lru.usedBytes, 30)
  assert.equal(lru.evictedCount, 0)
})
