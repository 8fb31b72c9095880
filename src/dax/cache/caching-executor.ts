/**
 * The DAX node's executor: every request of every protocol (the DAX wire protocol, the DynamoDB
 * JSON endpoint, the in-process middleware) runs through here, so the cache semantics live in
 * one place. Reads are served from the item and query caches; writes go through to the upstream.
 * Anything else (TransactGetItems, control-plane calls) passes through uncached.
 */
import type { ChecksummedText } from '../../http/reply.js'
import type { Clock } from '../../api/context.js'
import type { Logger } from '../../log.js'
import type { DaxCacheSettings, DynamoDbExecutor } from '../node-api.js'
import type { Item } from '../../values/types.js'
import { CacheStore } from './cache-store.js'
import { ValidationException } from '../../errors.js'
import { firstTableArn } from '../../tables/table-name-arns.js'
import { CachedReply, replyJson, replyOutput, type Reply } from './cached-reply.js'
import type { CacheContext } from './context.js'
import { batchGetItemThroughCache, getItemThroughCache } from './item-reads.js'
import { KeySchemas } from './key-schemas.js'
import { DaxMetrics } from './metrics.js'
import { queryThroughCache } from './query-reads.js'
import { RepeatedGetItems, repeatedGetItemsBytesMax } from './repeated-get-items.js'
import { resolveCacheSettings } from './settings.js'
import { transactWriteItemsThroughCache } from './transact-write-through.js'
import {
  batchWriteItemThroughCache, deleteItemThroughCache, putItemThroughCache, updateItemThroughCache,
} from './write-through.js'

export interface CachingExecutorOptions {
  upstream: DynamoDbExecutor
  settings?: Partial<DaxCacheSettings>
  clock?: Clock
  log?: Logger
  /** Told of each entry a read miss stored, for a cluster's other nodes (management/replication.ts). */
  onItemFill?: (cacheKey: string, item: Item | undefined, readAtMs: number) => void
}

type CachedOperation = (cache: CacheContext, input: Record<string, any>) => Promise<Reply>

const cachedOperations: Record<string, CachedOperation> = {
  GetItem: getItemThroughCache,
  BatchGetItem: batchGetItemThroughCache,
  Query: (cache, input) => queryThroughCache(cache, 'Query', input),
  Scan: (cache, input) => queryThroughCache(cache, 'Scan', input),
  PutItem: putItemThroughCache,
  UpdateItem: updateItemThroughCache,
  DeleteItem: deleteItemThroughCache,
  BatchWriteItem: batchWriteItemThroughCache,
  TransactWriteItems: transactWriteItemsThroughCache,
}

/** Control-plane calls that change a table's key schema or existence. */
const schemaChangingOperations = new Set(['DeleteTable', 'CreateTable'])

export class CachingExecutor implements DynamoDbExecutor {
  readonly #cache: CacheContext
  readonly #repeatedGetItems: RepeatedGetItems

  constructor(options: CachingExecutorOptions) {
    const settings = resolveCacheSettings(options.settings)
    const clock = options.clock ?? { now: () => Date.now() }
    this.#cache = {
      store: new CacheStore(settings, clock, { takesFills: options.onItemFill !== undefined }),
      upstream: options.upstream,
      metrics: new DaxMetrics(),
      keySchemas: new KeySchemas(options.upstream, clock),
      log: options.log,
      onFill: options.onItemFill,
    }
    this.#repeatedGetItems = new RepeatedGetItems(repeatedGetItemsBytesMax(settings.cacheSizeBytes))
  }

  get settings(): DaxCacheSettings {
    return this.#cache.store.settings
  }

  /** The output object. On a hit it is the cached object itself: treat it as read-only. */
  async execute(operation: string, input: Record<string, any>): Promise<Record<string, any>> {
    return replyOutput(await this.#run(operation, input))
  }

  /**
   * The output as JSON text; a hit reuses the text (and its checksum) made for an earlier hit.
   * Given the request's text, a plain GetItem answered by a hit is remembered by it (repeated-get-items.ts).
   */
  async executeJson(operation: string, input: Record<string, any>, requestText?: string): Promise<string | ChecksummedText> {
    const reply = await this.#run(operation, input)
    if (requestText !== undefined && operation === 'GetItem' && reply instanceof CachedReply) {
      this.#repeatedGetItems.rememberIfPlain(requestText, input)
    }
    return replyJson(reply)
  }

  /** The table of a GetItem remembered by this exact request text, or undefined. Changes nothing. */
  repeatedGetItemTable(requestText: string): string | undefined {
    return this.#repeatedGetItems.tableOf(requestText)
  }

  /** The cached answer to a GetItem remembered by this exact request text, counted as a hit; or undefined. */
  answerRepeatedGetItem(requestText: string): ChecksummedText | undefined {
    return this.#repeatedGetItems.answer(this.#cache, requestText)
  }

  stats(): Record<string, number> {
    return this.#cache.metrics.snapshot(this.#cache.store.gauges())
  }

  updateSettings(settings: Partial<DaxCacheSettings>): void {
    this.#cache.store.updateSettings(resolveCacheSettings({ ...this.#cache.store.settings, ...settings }))
    this.#repeatedGetItems.resize(repeatedGetItemsBytesMax(this.#cache.store.settings.cacheSizeBytes))
  }

  /**
   * Stores an entry another node of the cluster filled on a read miss begun at `readAtMs`, unless
   * this node holds a fresh one or wrote the key through since (CacheStore.fillItemIfAbsent).
   */
  applyReplicatedFill(cacheKey: string, item: Item | undefined, readAtMs: number): void {
    this.#cache.store.fillItemIfAbsent(cacheKey, item, readAtMs)
  }

  /** Drops every entry of both caches (a cluster replica that fell behind, management/replication.ts). */
  clear(): void {
    this.#cache.store.clear()
    this.#repeatedGetItems.clear()
  }

  async #run(operation: string, input: Record<string, any>): Promise<Reply> {
    const cache = this.#cache
    cache.metrics.countRequest(operation)
    try {
      const arn = firstTableArn(input)
      if (arn !== undefined) throw new ValidationException(`1 validation error detected: Value '${arn}' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`)
      const cached = Object.hasOwn(cachedOperations, operation) ? cachedOperations[operation] : undefined
      if (cached) return await cached(cache, input)
      if (schemaChangingOperations.has(operation) && typeof input.TableName === 'string') {
        cache.keySchemas.forget(input.TableName)
      }
      return await cache.upstream.execute(operation, input)
    } catch (error) {
      cache.metrics.countError(error)
      throw error
    }
  }
}
