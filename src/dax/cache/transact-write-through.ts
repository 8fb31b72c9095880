/**
 * TransactWriteItems through the cache. DAX commits upstream, answers, and refreshes the item
 * cache afterwards with a TransactGetItems of every item named (ConditionCheck items included),
 * which leaves a short window of stale reads (spec A2). Here the refresh runs before the reply by
 * default, which closes that window (spec A11.3); the refresh's cost is the same extra read.
 */
import type { Item } from '../../values/types.js'
import { itemCacheKey } from './cache-keys.js'
import type { CacheContext } from './context.js'
import { pickKey } from './key-schemas.js'
import { afterWrite } from './write-through.js'

/** TransactGetItems takes at most 100 items, as TransactWriteItems does. */
const transactGetItemsMax = 100

interface NamedItem {
  tableName: string
  key: Record<string, unknown>
  cacheKey: string
}

export async function transactWriteItemsThroughCache(cache: CacheContext, input: Record<string, any>): Promise<Record<string, any>> {
  const actions = input.TransactItems as Record<string, any>[]
  const tableNames = actions.map((action) => Object.values(action)[0]?.TableName as string)
  const keyNames = await cache.keySchemas.keyNamesOf(tableNames.filter((_, index) => actions[index]!.Put))
  const output = await cache.upstream.execute('TransactWriteItems', input)
  const named = namedItems(actions, keyNames)
  afterWrite(cache, tableNames)
  await refreshItems(cache, named)
  return output
}

function namedItems(actions: Record<string, any>[], keyNames: Map<string, string[] | undefined>): NamedItem[] {
  const named: NamedItem[] = []
  for (const action of actions) {
    const [kind, request] = Object.entries(action)[0] ?? []
    if (request === undefined) continue
    const tableName = request.TableName as string
    const names = keyNames.get(tableName)
    const key = kind === 'Put' ? names && pickKey(request.Item, names) : request.Key
    const cacheKey = key && itemCacheKey(tableName, key)
    if (cacheKey !== undefined) named.push({ tableName, key, cacheKey })
  }
  return named
}

/** Reads every named item back and caches it; on failure drops the entries so they are read again. */
async function refreshItems(cache: CacheContext, named: NamedItem[]): Promise<void> {
  for (let start = 0; start < named.length; start += transactGetItemsMax) {
    const chunk = named.slice(start, start + transactGetItemsMax)
    try {
      const output = await cache.upstream.execute('TransactGetItems', {
        TransactItems: chunk.map(({ tableName, key }) => ({ Get: { TableName: tableName, Key: key } })),
      })
      const responses = (output.Responses ?? []) as { Item?: Item }[]
      chunk.forEach((item, index) => cache.store.setItem(item.cacheKey, responses[index]?.Item))
    } catch (error) {
      cache.log?.warn('DAX item cache refresh after TransactWriteItems failed', { error: String(error) })
      for (const item of chunk) cache.store.deleteItem(item.cacheKey)
    }
  }
}
