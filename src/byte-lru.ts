/**
 * A least-recently-used map bounded by estimated bytes rather than by entry count. The DAX item
 * cache and query cache share one instance, so they share one memory budget as DAX's do
 * (spec A5, A11.5); the expression parse cache (src/expressions/cache.ts) counts each entry as
 * one, which bounds it by entries. Entries are also linked in order of use, least recent first: a hit moves its
 * entry to the end by four pointer changes, and eviction takes from the front. (Deleting and
 * re-inserting the key in the Map on every hit, as this did before, made the Map rehash
 * itself every few thousand hits.)
 */
export interface LruEntry<Value> {
  value: Value
  sizeBytes: number
  /** When the entry was written (read misses and write-through both write); hits do not extend it. */
  writtenAtMillis: number
}

/** An entry with its place in the order of use. */
interface Node<Value> extends LruEntry<Value> {
  readonly key: string
  older: Node<Value> | undefined
  newer: Node<Value> | undefined
}

export class ByteLru<Value> {
  readonly #entries = new Map<string, Node<Value>>()
  /** The least and the most recently used entries: the two ends of the list. */
  #oldest: Node<Value> | undefined
  #newest: Node<Value> | undefined
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
    const node = this.#entries.get(key)
    if (node === undefined) return undefined
    if (node !== this.#newest) {
      this.#unlink(node)
      this.#append(node)
    }
    return node
  }

  /**
   * Stores the entry as most recently used, then evicts from the least recently used end until
   * the budget holds. An entry larger than the whole budget is not stored.
   */
  set(key: string, value: Value, sizeBytes: number, writtenAtMillis: number): void {
    this.delete(key)
    if (sizeBytes > this.#capacityBytes) return
    const node: Node<Value> = { key, value, sizeBytes, writtenAtMillis, older: undefined, newer: undefined }
    this.#entries.set(key, node)
    this.#append(node)
    this.#usedBytes += sizeBytes
    this.#evictToBudget()
  }

  /** The entry, without marking it used. */
  peek(key: string): LruEntry<Value> | undefined {
    return this.#entries.get(key)
  }

  delete(key: string): boolean {
    const node = this.#entries.get(key)
    if (node === undefined) return false
    this.#entries.delete(key)
    this.#unlink(node)
    this.#usedBytes -= node.sizeBytes
    return true
  }

  clear(): void {
    this.#entries.clear()
    this.#oldest = undefined
    this.#newest = undefined
    this.#usedBytes = 0
  }

  resize(capacityBytes: number): void {
    this.#capacityBytes = capacityBytes
    this.#evictToBudget()
  }

  #evictToBudget(): void {
    while (this.#usedBytes > this.#capacityBytes && this.#oldest !== undefined) {
      const node = this.#oldest
      this.#entries.delete(node.key)
      this.#unlink(node)
      this.#usedBytes -= node.sizeBytes
      this.#evictedBytes += node.sizeBytes
      this.#evictedCount += 1
    }
  }

  #unlink(node: Node<Value>): void {
    if (node.older === undefined) this.#oldest = node.newer
    else node.older.newer = node.newer
    if (node.newer === undefined) this.#newest = node.older
    else node.newer.older = node.older
    node.older = undefined
    node.newer = undefined
  }

  #append(node: Node<Value>): void {
    node.older = this.#newest
    if (this.#newest === undefined) this.#oldest = node
    else this.#newest.newer = node
    this.#newest = node
  }
}
