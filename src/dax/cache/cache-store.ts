/**
 * The node's two caches over one byte budget: item entries (a full item, or a negative entry for
 * an absent item) and query entries (one Query or Scan page). TTLs are checked on read against
 * the injected clock, so a settings change applies at once (DAX's ChangeType IMMEDIATE).
 */
import type { Clock } from '../../api/context.js'
import type { DaxCacheSettings } from '../node-api.js'
import type { Item } from '../../values/types.js'
import { ByteLru } from '../../byte-lru.js'
import { CachedReply } from './cached-reply.js'
import { entryOverheadBytes, estimateSizeBytes } from './cache-keys.js'
import type { CacheGauges } from './metrics.js'
import { isFresh } from './settings.js'

export interface ItemEntry {
  kind: 'item'
  /** The full item; undefined for a negative entry. */
  item: Item | undefined
  /** GetItem's reply without projection: {Item} or {} (negative). */
  reply: CachedReply
  /** Store-wide write order, so a slow read miss does not overwrite a newer write-through. */
  version: number
}

export interface QueryEntry {
  kind: 'query'
  reply: CachedReply
}

type Entry = ItemEntry | QueryEntry

/**
 * How long a cluster node remembers when it last wrote each key through: a read-miss fill from
 * another node that reaches it later than that is dropped, which only costs a fill
 * (management/replication.ts applies them after a lag of milliseconds). The memory it takes is
 * the keys written in that time.
 */
export const replicatedFillHorizonMs = 10_000

export class CacheStore {
  readonly #lru: ByteLru<Entry>
  readonly #clock: Clock
  #settings: DaxCacheSettings
  #version = 0
  /**
   * When each key was last written through this node (ms, oldest first), while a fill read
   * before it may still arrive from another node (fillItemIfAbsent).
   */
  readonly #writtenAt = new Map<string, number>()
  /** Per-table query-cache generation: coherent mode bumps it so older query keys are never hit again. */
  readonly #tableGenerations = new Map<string, number>()

  /** Whether this node is in a cluster, where other nodes' fills arrive (fillItemIfAbsent): only then are write times kept. */
  readonly #takesFills: boolean

  constructor(settings: DaxCacheSettings, clock: Clock, options: { takesFills?: boolean } = {}) {
    this.#settings = settings
    this.#clock = clock
    this.#takesFills = options.takesFills ?? false
    this.#lru = new ByteLru<Entry>(settings.cacheSizeBytes)
  }

  get settings(): DaxCacheSettings { return this.#settings }

  /** The version a read miss notes before it asks the upstream. */
  get version(): number { return this.#version }

  /** The node's clock: when a read miss begins, for the fill other nodes may store (fillItemIfAbsent). */
  now(): number { return this.#clock.now() }

  updateSettings(settings: DaxCacheSettings): void {
    this.#settings = settings
    this.#lru.resize(settings.cacheSizeBytes)
  }

  getItem(key: string): ItemEntry | undefined {
    const entry = this.#lru.get(key)
    if (entry === undefined || entry.value.kind !== 'item') return undefined
    if (isFresh(entry.writtenAtMillis, this.#settings.recordTtlMillis, this.#clock.now())) return entry.value
    this.#lru.delete(key)
    return undefined
  }

  /** Stores a write-through image (or a negative entry for `undefined`). */
  setItem(key: string, item: Item | undefined): void {
    this.#noteWrite(key)
    this.#store(key, item)
  }

  /**
   * Stores what a read miss fetched, unless a write-through stored a newer image meanwhile.
   * Returns whether it stored it.
   */
  fillItem(key: string, item: Item | undefined, versionAtMiss: number): boolean {
    const existing = this.#lru.peek(key)?.value
    if (existing?.kind === 'item' && existing.version > versionAtMiss) return false
    this.#store(key, item)
    return true
  }

  /**
   * Stores what another node of the cluster fetched on a read miss that began at `readAtMs`
   * (management/replication.ts), unless this node holds a fresh entry for the key (one it filled
   * or wrote itself is as new), or wrote the key through since that read began: a write that
   * dropped its entry (an UpdateItem asking for old values) must not let an older read put the
   * value it replaced back.
   */
  fillItemIfAbsent(key: string, item: Item | undefined, readAtMs: number): void {
    const nowMs = this.#clock.now()
    if (readAtMs < nowMs - replicatedFillHorizonMs) return
    const writtenAtMs = this.#writtenAt.get(key)
    if (writtenAtMs !== undefined && writtenAtMs >= readAtMs) return
    if (this.getItem(key) === undefined) this.#store(key, item)
  }

  deleteItem(key: string): void {
    this.#noteWrite(key)
    this.#version += 1
    this.#lru.delete(key)
  }

  #noteWrite(key: string): void {
    if (!this.#takesFills) return
    const nowMs = this.#clock.now()
    this.#writtenAt.delete(key)
    this.#writtenAt.set(key, nowMs)
    // Oldest first: forget what no fill within the horizon can be older than.
    for (const [oldKey, atMs] of this.#writtenAt) {
      if (atMs >= nowMs - replicatedFillHorizonMs) break
      this.#writtenAt.delete(oldKey)
    }
  }

  #store(key: string, item: Item | undefined): void {
    this.#version += 1
    const reply = new CachedReply(item === undefined ? {} : { Item: item })
    const sizeBytes = entryOverheadBytes + key.length + (item === undefined ? 0 : estimateSizeBytes(item))
    this.#lru.set(key, { kind: 'item', item, reply, version: this.#version }, sizeBytes, this.#clock.now())
  }

  getQuery(key: string): QueryEntry | undefined {
    const entry = this.#lru.get(key)
    if (entry === undefined || entry.value.kind !== 'query') return undefined
    if (isFresh(entry.writtenAtMillis, this.#settings.queryTtlMillis, this.#clock.now())) return entry.value
    this.#lru.delete(key)
    return undefined
  }

  setQuery(key: string, output: Record<string, any>): void {
    // query-ttl-millis = 0 means Query and Scan results are not cached at all (spec A3).
    if (this.#settings.queryTtlMillis === 0) return
    const sizeBytes = entryOverheadBytes + key.length + estimateSizeBytes(output)
    this.#lru.set(key, { kind: 'query', reply: new CachedReply(output) }, sizeBytes, this.#clock.now())
  }

  tableGeneration(tableName: string): number {
    return this.#tableGenerations.get(tableName) ?? 0
  }

  /** Coherent mode: the table's cached Query and Scan pages are never served again. */
  invalidateQueries(tableName: string): void {
    this.#tableGenerations.set(tableName, this.tableGeneration(tableName) + 1)
  }

  clear(): void {
    this.#lru.clear()
    this.#tableGenerations.clear()
    this.#version += 1
  }

  gauges(): CacheGauges {
    return {
      usedBytes: this.#lru.usedBytes,
      capacityBytes: this.#lru.capacityBytes,
      evictedBytes: this.#lru.evictedBytes,
      itemCount: this.#lru.size,
    }
  }
}
