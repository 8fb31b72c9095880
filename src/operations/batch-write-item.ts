import type { OperationHandler } from '../api/context.js'
import type { BatchWriteItemInput } from '../shapes/batch-write-item.js'
import { normalizeItem } from '../values/attribute-value.js'
import type { Item } from '../values/types.js'
import { CapacityMeter, reportAll } from '../items/capacity.js'
import { itemCollectionMetricsByTable } from '../items/item-collection.js'
import { keyFromItem, keyFromKeyParameter, type PrimaryKey } from '../items/keys.js'
import { applyWrite, mayWriteUnread, readCurrentItems } from '../items/write-item.js'
import { changeLogWanted } from '../changes/log-wanted.js'
import { rejectDuplicateKeys } from './batch-get-item.js'
import type { TableSchema } from '../tables/schema.js'
import { byKeyTransaction } from '../storage/engine.js'

interface WriteRequest {
  table: TableSchema
  key: PrimaryKey
  /** The item to put, or null to delete. */
  item: Item | null
  /** A put that need not read the row it replaces (mayWriteUnread). */
  unread: boolean
}

/**
 * BatchWriteItem: up to 25 puts and deletes across tables. Every request is checked before any
 * is applied, so a bad one fails the whole call with nothing written; all of them are then
 * applied in one storage transaction (DynamoDB does not promise atomicity here; we give it).
 */
export const batchWriteItem: OperationHandler<BatchWriteItemInput> = async (ctx, input) => {
  const writes: WriteRequest[] = []
  const meters = new Map<string, CapacityMeter>()
  // The reply says nothing of the items written, only, when asked, the capacity they consumed.
  const blind = (input.ReturnConsumedCapacity ?? 'NONE') === 'NONE'
  for (const [tableName, requests] of Object.entries(input.RequestItems as Record<string, any[]>)) {
    const table = ctx.catalog.require(tableName)
    meters.set(tableName, new CapacityMeter(table))
    const tableWrites: WriteRequest[] = requests.map((request) => {
      if (request.PutRequest) {
        const item = normalizeItem(request.PutRequest.Item)
        return { table, key: keyFromItem(table, item, 'schema'), item, unread: mayWriteUnread(table, { replaceWith: item }, { blind }) }
      }
      return { table, key: keyFromKeyParameter(table, normalizeItem(request.DeleteRequest.Key)), item: null, unread: false }
    })
    rejectDuplicateKeys(tableWrites.map((write) => write.key))
    writes.push(...tableWrites)
  }
  const results = await ctx.storage.transact(async (tx) => {
    // Blind puts are read only where the table's log needs their rows (always on PostgreSQL):
    // then with the rest, in one read per table, rather than one by one in applyWrite.
    const logged = new Map<TableSchema, boolean>()
    for (const write of writes) {
      if (write.unread && !logged.has(write.table)) logged.set(write.table, await changeLogWanted(tx, ctx, write.table))
    }
    const readFirst = writes.filter((write) => !write.unread || logged.get(write.table))
    const rows = await readCurrentItems(tx, readFirst)
    const current = new Map(readFirst.map((write, index) => [write, rows[index]]))
    const results = []
    for (const write of writes) {
      results.push(await applyWrite(tx, ctx, write.table, write.key, { replaceWith: write.item }, { current: current.get(write), blind }))
    }
    return results
  }, byKeyTransaction)
  // Metered after the commit, from the run that committed (storage may have run it twice).
  results.forEach((result, index) => meters.get(writes[index]!.table.name)!.addAll(result.consumed))
  const output: Record<string, unknown> = { UnprocessedItems: {} }
  const consumed = reportAll(meters.values(), input.ReturnConsumedCapacity)
  if (consumed) output.ConsumedCapacity = consumed
  if (input.ReturnItemCollectionMetrics === 'SIZE') output.ItemCollectionMetrics = itemCollectionMetricsByTable(writes)
  return output
}
