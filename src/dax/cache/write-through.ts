/**
 * Write-through (spec A2, A11.3): the write goes to the upstream first; only when it succeeds is
 * the item cache refreshed with the post-write image and a fresh TTL. A failed write (a
 * condition, a throttle, anything) leaves the cache as it was. Writes never touch the query
 * cache, unless the node runs in coherent mode (a documented difference from DAX).
 */
import { normalizeItem } from '../../values/attribute-value.js'
import type { Item } from '../../values/types.js'
import { itemCacheKey } from './cache-keys.js'
import type { CacheContext } from './context.js'
import { pickKey } from './key-schemas.js'

/** ReturnValues for which UpdateItem's reply can be cut from the ALL_NEW image the cache needs. */
const returnValuesFromAllNew = new Set([undefined, 'NONE', 'ALL_NEW'])

export async function putItemThroughCache(cache: CacheContext, input: Record<string, any>): Promise<Record<string, any>> {
  const keyNames = await cache.keySchemas.keyNames(input.TableName).catch(() => undefined)
  const output = await cache.upstream.execute('PutItem', input)
  const key = keyNames && pickKey(input.Item, keyNames)
  const cacheKey = key && itemCacheKey(input.TableName, key)
  if (cacheKey !== undefined) cache.store.setItem(cacheKey, canonicalItem(input.Item))
  afterWrite(cache, [input.TableName])
  return output
}

export async function updateItemThroughCache(cache: CacheContext, input: Record<string, any>): Promise<Record<string, any>> {
  const cacheKey = itemCacheKey(input.TableName, input.Key ?? {})
  if (!returnValuesFromAllNew.has(input.ReturnValues)) {
    // ALL_OLD, UPDATED_OLD and UPDATED_NEW cannot be cut from the new image: ask for what the
    // client wants and drop the entry, so the next read fetches the new image.
    const output = await cache.upstream.execute('UpdateItem', input)
    if (cacheKey !== undefined) cache.store.deleteItem(cacheKey)
    afterWrite(cache, [input.TableName])
    return output
  }
  // Assigned into a fresh object rather than `{ ...input, ReturnValues }`: a member added after a
  // spread gives the object a hidden class of its own in V8 (slow, and it spreads megamorphism).
  const output = await cache.upstream.execute('UpdateItem', Object.assign({}, input, { ReturnValues: 'ALL_NEW' }))
  if (cacheKey !== undefined) {
    if (output.Attributes !== undefined) cache.store.setItem(cacheKey, output.Attributes)
    else cache.store.deleteItem(cacheKey)
  }
  afterWrite(cache, [input.TableName])
  if (input.ReturnValues === 'ALL_NEW') return output
  const { Attributes: _image, ...reply } = output
  return reply
}

export async function deleteItemThroughCache(cache: CacheContext, input: Record<string, any>): Promise<Record<string, any>> {
  const output = await cache.upstream.execute('DeleteItem', input)
  const cacheKey = itemCacheKey(input.TableName, input.Key ?? {})
  // The item is gone: a negative entry answers the next GetItem (spec A4).
  if (cacheKey !== undefined) cache.store.setItem(cacheKey, undefined)
  afterWrite(cache, [input.TableName])
  return output
}

/** BatchWriteItem: write-through per item, for the processed items only (spec A11.3). */
export async function batchWriteItemThroughCache(cache: CacheContext, input: Record<string, any>): Promise<Record<string, any>> {
  const requestItems = input.RequestItems as Record<string, any[]>
  const keyNames = await cache.keySchemas.keyNamesOf(Object.keys(requestItems))
  const output = await cache.upstream.execute('BatchWriteItem', input)
  const unprocessed = output.UnprocessedItems as Record<string, any[]> | undefined
  for (const [tableName, requests] of Object.entries(requestItems)) {
    const names = keyNames.get(tableName)
    const skipped = new Set((unprocessed?.[tableName] ?? []).map((request) => writeRequestCacheKey(tableName, request, names)))
    for (const request of requests) {
      const cacheKey = writeRequestCacheKey(tableName, request, names)
      if (cacheKey === undefined || skipped.has(cacheKey)) continue
      cache.store.setItem(cacheKey, request.PutRequest ? canonicalItem(request.PutRequest.Item) : undefined)
    }
  }
  afterWrite(cache, Object.keys(requestItems))
  return output
}

function writeRequestCacheKey(tableName: string, request: Record<string, any>, keyNames: string[] | undefined): string | undefined {
  if (request.DeleteRequest) return itemCacheKey(tableName, request.DeleteRequest.Key ?? {})
  const key = keyNames && request.PutRequest?.Item && pickKey(request.PutRequest.Item, keyNames)
  return key ? itemCacheKey(tableName, key) : undefined
}

/** Numbers in canonical form, as the upstream will return them; the item as given if it is malformed. */
export function canonicalItem(item: Item): Item {
  try {
    return normalizeItem(item)
  } catch {
    return item
  }
}

/** Coherent mode: a write through this node drops the written tables' cached Query and Scan pages. */
export function afterWrite(cache: CacheContext, tableNames: Iterable<string>): void {
  if (!cache.store.settings.coherent) return
  for (const tableName of tableNames) cache.store.invalidateQueries(tableName)
}
