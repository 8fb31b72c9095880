/**
 * GetItem requests the DAX node's JSON endpoint has already answered from the item cache, by
 * their exact text. An SDK writes the same GetItem as the same bytes every time, and a hot key is
 * asked for again and again: such a repeat is answered by looking its text up here and its item
 * up in the cache, without parsing, validating or building the cache key again, which was most of
 * a hit's own work (bench/js-per-request.js --dax-http).
 *
 * Only the plainest GetItem is remembered: eventually consistent, without a projection, answered
 * with the cached entry's own reply (see rememberIfPlain). The same text parses and validates the
 * same way every time, so skipping those steps changes no answer; the item still comes from the
 * cache as it is now (a write-through, an eviction or an expired TTL is seen at once), and the
 * caller's signature and policies are still checked on every request (src/dax/http/endpoint.ts).
 *
 * Texts are kept up to a budget of bytes (repeatedGetItemsBytesMax), the oldest remembered dropped first.
 */
import type { ChecksummedText } from '../../http/reply.js'
import type { CacheContext } from './context.js'
import { itemCacheKey } from './cache-keys.js'

/**
 * Request texts remembered at most, in bytes (UTF-16 code units × 2, plus the cache key): an
 * eighth of the caches' own budget, and never more than 8 MiB (the default 256 MB cache's share).
 * A text whose item has been evicted is only dropped when it is asked for again, so the share
 * follows the cache's size.
 */
export function repeatedGetItemsBytesMax(cacheSizeBytes: number): number {
  return Math.min(8 * 1024 * 1024, Math.floor(cacheSizeBytes / 8))
}

/** What a remembered text stands for. */
interface Remembered {
  /** The item-cache key its Key gives in its table. */
  cacheKey: string
  tableName: string
  sizeBytes: number
}

export class RepeatedGetItems {
  /** In the order remembered: the first is dropped first. */
  readonly #byText = new Map<string, Remembered>()
  #bytes = 0

  constructor(private bytesMax: number) {}

  get size(): number { return this.#byText.size }

  /** A new budget (the cache was resized): the oldest texts go until the rest fit. */
  resize(bytesMax: number): void {
    this.bytesMax = bytesMax
    this.#dropOldestToBudget()
  }

  /** The table a remembered request text reads, for the caller's policy check; nothing else happens. */
  tableOf(text: string): string | undefined {
    return this.#byText.get(text)?.tableName
  }

  /**
   * The cached answer to this exact request text, counted as the request and the hit the full
   * path would count; undefined when the text is not remembered or its item has left the cache.
   */
  answer(cache: CacheContext, text: string): ChecksummedText | undefined {
    const remembered = this.#byText.get(text)
    if (remembered === undefined) return undefined
    const entry = cache.store.getItem(remembered.cacheKey)
    if (entry === undefined) {
      this.#forget(text, remembered)
      return undefined
    }
    cache.metrics.countRequest('GetItem')
    cache.metrics.add('ItemCacheHits')
    return entry.reply.json
  }

  /**
   * Remembers the text of a GetItem just answered with a cached entry's own reply, if the request
   * was the plainest kind: TableName and Key, and at most ReturnConsumedCapacity (a hit carries
   * no ConsumedCapacity) or ConsistentRead false beside them.
   */
  rememberIfPlain(text: string, input: Record<string, any>): void {
    if (this.#byText.has(text) || !isPlainGetItem(input)) return
    const cacheKey = itemCacheKey(input.TableName, input.Key)
    if (cacheKey === undefined) return
    const sizeBytes = 2 * (text.length + cacheKey.length)
    if (sizeBytes > this.bytesMax) return
    this.#byText.set(text, { cacheKey, tableName: input.TableName, sizeBytes })
    this.#bytes += sizeBytes
    this.#dropOldestToBudget()
  }

  clear(): void {
    this.#byText.clear()
    this.#bytes = 0
  }

  #dropOldestToBudget(): void {
    for (const [text, remembered] of this.#byText) {
      if (this.#bytes <= this.bytesMax) break
      this.#forget(text, remembered)
    }
  }

  #forget(text: string, remembered: Remembered): void {
    this.#byText.delete(text)
    this.#bytes -= remembered.sizeBytes
  }
}

const plainMembers = new Set(['TableName', 'Key', 'ReturnConsumedCapacity', 'ConsistentRead'])

function isPlainGetItem(input: Record<string, any>): boolean {
  if (typeof input.TableName !== 'string' || input.ConsistentRead === true) return false
  for (const member in input) if (!plainMembers.has(member)) return false
  return true
}
