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
import { CacheStore } from './cache-store.js'
import { ValidationException } from '../../errors.js'
import { firstTableArn } from '../../tables/table-name-arns.js'
import { replyJson, replyOutput, type Reply } from './cached-reply.js'
import type { CacheContext } from './context.js'
import { batchGetItemThroughCache, getItemThroughCache } from './item-reads.js'
import { KeySchemas } from './key-schemas.js'
import { DaxMetrics } from './metrics.js'
import { queryThroughCache } from './query-reads.js'
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

  constructor(options: CachingExecutorOptions) {
    const settings = resolveCacheSettings(options.settings)
    this.#cache = {
      store: new CacheStore(settings, options.clock ?? { now: () => Date.now() }),
      upstream: options.upstream,
      metrics: new DaxMetrics(),
      keySchemas: new KeySchemas(options.upstream),
      log: options.log,
    }
  }

  get settings(): DaxCacheSettings {
    return this.#cache.store.settings
  }

  /** The output object. On a hit it is the cached object itself: treat it as read-only. */
  async execute(operation: string, input: Record<string, any>): Promise<Record<string, any>> {
    return replyOutput(await this.#run(operation, input))
  }

  /** The output as JSON text; a hit reuses the text (and its checksum) made for an earlier hit. */
  async executeJson(operation: string, input: Record<string, any>): Promise<string | ChecksummedText> {
    return replyJson(await this.#run(operation, input))
  }

  stats(): Record<string, number> {
    return this.#cache.metrics.snapshot(this.#cache.store.gauges())
  }

  updateSettings(settings: Partial<DaxCacheSettings>): void {
    this.#cache.store.updateSettings(resolveCacheSettings({ ...this.#cache.store.settings, ...settings }))
  }

  /** Drops every entry of both caches (RebootNode). */
  clear(): void {
    this.#cache.store.clear()
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
