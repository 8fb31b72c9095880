/**
 * GetItem and BatchGetItem through the item cache (spec A2, A4, A11.3). Eventually consistent
 * reads are served from cached full items (or negative entries); a miss reads the whole item
 * upstream, caches it, and projects. Strongly consistent reads pass through untouched.
 */
import { ValidationException } from '../../errors.js'
import type { Item } from '../../values/types.js'
import { itemCacheKey } from './cache-keys.js'
import type { Reply } from './cached-reply.js'
import type { CacheContext } from './context.js'
import { pickKey } from './key-schemas.js'
import { projectItem, readProjection, withoutProjection } from './projection.js'
import { memberOrAdd, ownMember, setMember } from '../../values/members.js'

export async function getItemThroughCache(cache: CacheContext, input: Record<string, any>): Promise<Reply> {
  if (input.ConsistentRead === true) return cache.upstream.execute('GetItem', input)
  const projection = readProjection(input)
  const key = itemCacheKey(input.TableName, input.Key ?? {})
  if (key === undefined) return cache.upstream.execute('GetItem', input)
  const entry = cache.store.getItem(key)
  if (entry !== undefined) {
    cache.metrics.add('ItemCacheHits')
    // A hit carries no ConsumedCapacity: the DAX clients fill in 0 (spec A11.8).
    if (projection === undefined || entry.item === undefined) return entry.reply
    return { Item: projectItem(projection, entry.item) }
  }
  cache.metrics.add('ItemCacheMisses')
  const versionAtMiss = cache.store.version
  const readAtMs = cache.store.now()
  const upstreamInput = withoutProjection(input)
  delete upstreamInput.ConsistentRead
  const output = await cache.upstream.execute('GetItem', upstreamInput)
  const item = output.Item as Item | undefined
  fillFromMiss(cache, key, item, { versionAtMiss, readAtMs })
  const reply: Record<string, any> = {}
  if (item !== undefined) reply.Item = projectItem(projection, item)
  if (output.ConsumedCapacity !== undefined) reply.ConsumedCapacity = output.ConsumedCapacity
  return reply
}

interface TableMisses {
  /** The client's request for this table (projection members included). */
  request: Record<string, any>
  keys: Record<string, unknown>[]
  cacheKeys: string[]
}

/** BatchGetItem as N GetItems against the item cache; one upstream call for all the misses. */
export async function batchGetItemThroughCache(cache: CacheContext, input: Record<string, any>): Promise<Reply> {
  const responses: Record<string, Item[]> = {}
  const upstreamItems: Record<string, any> = {}
  const misses = new Map<string, TableMisses>()
  for (const [tableName, request] of Object.entries(input.RequestItems as Record<string, any>)) {
    const tableResponses = memberOrAdd(responses, tableName, () => [])
    // DynamoDB applies ConsistentRead per table: such a table passes through (spec A2).
    if (request.ConsistentRead === true) {
      setMember(upstreamItems, tableName, request)
      continue
    }
    const tableMisses = serveTableFromCache(cache, tableName, request, tableResponses)
    if (tableMisses.keys.length === 0) continue
    misses.set(tableName, tableMisses)
    setMember(upstreamItems, tableName, { Keys: tableMisses.keys })
  }
  const output: Record<string, any> = { Responses: responses, UnprocessedKeys: {} }
  if (Object.keys(upstreamItems).length === 0) return output
  const miss = { versionAtMiss: cache.store.version, readAtMs: cache.store.now() }
  const upstreamInput: Record<string, any> = { RequestItems: upstreamItems }
  if (input.ReturnConsumedCapacity !== undefined) upstreamInput.ReturnConsumedCapacity = input.ReturnConsumedCapacity
  const upstreamOutput = await cache.upstream.execute('BatchGetItem', upstreamInput)
  const upstreamResponses: Record<string, Item[]> = upstreamOutput.Responses ?? {}
  for (const [tableName, items] of Object.entries(upstreamResponses)) {
    if (!misses.has(tableName)) memberOrAdd(responses, tableName, () => []).push(...items)
  }
  for (const [tableName, tableMisses] of misses) {
    const items = ownMember(upstreamResponses, tableName) ?? []
    const unprocessed = upstreamOutput.UnprocessedKeys === undefined ? undefined : ownMember(upstreamOutput.UnprocessedKeys as Record<string, any>, tableName)
    fillTableMisses(cache, tableName, tableMisses, items, unprocessed?.Keys ?? [], miss)
    const projection = readProjection(tableMisses.request)
    for (const item of items) responses[tableName]!.push(projectItem(projection, item))
  }
  output.UnprocessedKeys = clientUnprocessedKeys(upstreamOutput.UnprocessedKeys ?? {}, misses)
  if (upstreamOutput.ConsumedCapacity !== undefined) output.ConsumedCapacity = upstreamOutput.ConsumedCapacity
  return output
}

/** Pushes the table's cached items into `found`; returns the keys that missed. */
function serveTableFromCache(cache: CacheContext, tableName: string, request: Record<string, any>, found: Item[]): TableMisses {
  const projection = readProjection(request)
  const misses: TableMisses = { request, keys: [], cacheKeys: [] }
  const seen = new Set<string>()
  for (const key of request.Keys as Record<string, unknown>[]) {
    const cacheKey = itemCacheKey(tableName, key)
    if (cacheKey === undefined) {
      // Malformed: let the upstream reject it with DynamoDB's message.
      misses.keys.push(key)
      continue
    }
    if (seen.has(cacheKey)) throw new ValidationException('Provided list of item keys contains duplicates')
    seen.add(cacheKey)
    const entry = cache.store.getItem(cacheKey)
    if (entry === undefined) {
      cache.metrics.add('ItemCacheMisses')
      misses.keys.push(key)
      misses.cacheKeys.push(cacheKey)
      continue
    }
    cache.metrics.add('ItemCacheHits')
    if (entry.item !== undefined) found.push(projectItem(projection, entry.item))
  }
  return misses
}

/** Caches what came back, and negative entries for keys that were processed but not found. */
function fillTableMisses(
  cache: CacheContext, tableName: string, tableMisses: TableMisses, items: Item[],
  unprocessedKeys: Record<string, unknown>[], miss: MissStart,
): void {
  const keyNames = Object.keys(tableMisses.keys[0] ?? {})
  const pending = new Set(tableMisses.cacheKeys)
  for (const key of unprocessedKeys) pending.delete(itemCacheKey(tableName, key) ?? '')
  for (const item of items) {
    const itemKey = pickKey(item, keyNames)
    const cacheKey = itemKey && itemCacheKey(tableName, itemKey)
    if (cacheKey === undefined || !pending.has(cacheKey)) continue
    fillFromMiss(cache, cacheKey, item, miss)
    pending.delete(cacheKey)
  }
  for (const cacheKey of pending) fillFromMiss(cache, cacheKey, undefined, miss)
}

/** When a read miss began: the store's version then (against local writes) and its clock (against the cluster's). */
interface MissStart {
  versionAtMiss: number
  readAtMs: number
}

/**
 * Caches what a miss read, and tells the cluster's other nodes (spec A2: store, replicate); not
 * when a write-through here stored a newer image meanwhile.
 */
function fillFromMiss(cache: CacheContext, cacheKey: string, item: Item | undefined, miss: MissStart): void {
  if (cache.store.fillItem(cacheKey, item, miss.versionAtMiss)) cache.onFill?.(cacheKey, item, miss.readAtMs)
}

/** UnprocessedKeys as the client asked: its projection members back in place. */
function clientUnprocessedKeys(unprocessed: Record<string, any>, misses: Map<string, TableMisses>): Record<string, any> {
  const result: Record<string, any> = {}
  for (const [tableName, request] of Object.entries(unprocessed)) {
    const tableMisses = misses.get(tableName)
    setMember(result, tableName, tableMisses ? { ...withoutKeys(tableMisses.request), Keys: request.Keys } : request)
  }
  return result
}

function withoutKeys(request: Record<string, any>): Record<string, any> {
  const { Keys: _keys, ...rest } = request
  return rest
}
