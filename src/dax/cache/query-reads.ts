/**
 * Query and Scan through the query cache (spec A2, A11.4): each page is its own entry, keyed by
 * every result-affecting parameter. Empty pages are cached too. Results never enter the item
 * cache, and writes never refresh these entries (only query-ttl-millis, LRU or coherent mode).
 */
import { queryCacheKey } from './cache-keys.js'
import type { Reply } from './cached-reply.js'
import type { CacheContext } from './context.js'

export async function queryThroughCache(cache: CacheContext, operation: 'Query' | 'Scan', input: Record<string, any>): Promise<Reply> {
  if (input.ConsistentRead === true) return cache.upstream.execute(operation, input)
  const [hits, misses] = operation === 'Query'
    ? ['QueryCacheHits', 'QueryCacheMisses'] as const
    : ['ScanCacheHits', 'ScanCacheMisses'] as const
  const key = queryCacheKey(operation, input, cache.store.tableGeneration(input.TableName))
  const entry = key === undefined ? undefined : cache.store.getQuery(key)
  if (entry !== undefined) {
    cache.metrics.add(hits)
    return entry.reply
  }
  cache.metrics.add(misses)
  const output = await cache.upstream.execute(operation, input)
  if (key !== undefined) {
    // The page is cached without ConsumedCapacity: a hit reports none (spec A11.8).
    const { ConsumedCapacity: _consumed, ...page } = output
    cache.store.setQuery(key, page)
  }
  return output
}
