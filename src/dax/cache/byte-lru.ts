/**
 * A least-recently-used map bounded by estimated bytes rather than by entry count. The item
 * cache and the query cache share one instance, so they share one memory budget as DAX's do
 * (spec A5, A11.5). A Map keeps insertion order, so re-inserting on each hit keeps the least
 * recently used entry first and eviction takes from the front.
 */
export interface LruEntry<Value> {
  value: Value
  sizeBytes: number
  /** When the entry was written (read misses and write-through both write); hits do not extend it. */
  writtenAtMillis: number
}

export class ByteLru<Value> {
  readonly #entries = new Map<string, LruEntry<Value>>()
  #capacityBytes: number
  #usedBytes = 0
  #evictedBytes = 0
  #evictedCount = 0

  constructor(capacityBytes: number) {
    this.#capacityBytes = capacityBytes
  }

  get usedBytes(): number { return this.#usedBytes }
  get capacityBytes(): number { return this.#capacityBytes }
  get evictedBytes(): number { return this.#evictedBytes }
  get evictedCount(): number { return this.#evictedCount }
  get size(): number { return this.#entries.size }

  /** The entry, marked most recently used. */
  get(key: string): LruEntry<Value> | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined) return undefined
    this.#entries.delete(key)
    this.#entries.set(key, entry)
    return entry
  }

  /**
   * Stores the entry as most recently used, then evicts from the least recently used end until
   * the budget holds. An entry larger than the whole budget is not stored.
   */
  set(key: string, value: Value, sizeBytes: number, writtenAtMillis: number): void {
    this.delete(key)
    if (sizeBytes > this.#capacityBytes) return
    this.#entries.set(key, { value, sizeBytes, writtenAtMillis })
    this.#usedBytes += sizeBytes
    this.#evictToBudget()
  }

  /** The entry, without marking it used. */
  peek(key: string): LruEntry<Value> | undefined {
    return this.#entries.get(key)
  }

  delete(key: string): boolean {
    const entry = this.#entries.get(key)
    if (entry === undefined) return false
    this.#entries.delete(key)
    this.#usedBytes -= entry.sizeBytes
    return true
  }

  clear(): void {
    this.#entries.clear()
    this.#usedBytes = 0
  }

  resize(capacityBytes: number): void {
    this.#capacityBytes = capacityBytes
    this.#evictToBudget()
  }

  #evictToBudget(): void {
    // Bounded by the number of entries: each turn removes one.
    for (const [key, entry] of this.#entries) {
      if (this.#usedBytes <= this.#capacityBytes) return
      this.#entries.delete(key)
      this.#usedBytes -= entry.sizeBytes
      this.#evictedBytes += entry.sizeBytes
      this.#evictedCount += 1
    }
  }
}
