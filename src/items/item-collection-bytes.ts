/**
 * The size of each item collection of a table with local secondary indexes (the items of one
 * partition key and their local index entries), which DynamoDB caps at 10 GB: a running count
 * per collection in the state store, changed by every write in its own transaction.
 *
 * Why a count and not a sum at each write: summing the collection's rows made every write to it
 * cost the collection's size (a put into a collection of 8,800 items of 4 KB took 55 ms on
 * SQLite, which reads a row's size past its JSON text), so bulk loads slowed down as they went.
 * The count's state entry is locked by key like the item (on PostgreSQL), so the writers of one
 * collection take turns on it as they would on one partition.
 *
 * A collection without a count (written by an EddyDB before counts, or filled by a restore or an
 * import, which load rows without counting) is summed once, at its next write. A collection
 * emptied loses its count.
 */
import { createHash } from 'node:crypto'
import type { RegionContext } from '../api/context.js'
import { ItemCollectionSizeLimitExceededException } from '../errors.js'
import type { StorageEngine, TableId, Transaction } from '../storage/engine.js'
import type { IndexEntry } from '../tables/index-entries.js'
import type { TableSchema } from '../tables/schema.js'
import { partitionPrefix } from '../values/key.js'
import type { AttributeValue } from '../values/types.js'

const namespaceOf = (tableId: TableId) => `item-collection-bytes/${tableId}`

/** Deleting a table's counts: this many state entries per transaction. */
const countsDeletedPerTransaction = 500

/** Whether the table's items form item collections (it has a local secondary index). */
export function hasItemCollections(table: TableSchema): boolean {
  return table.indexes.some((index) => index.kind === 'local')
}

/** What an item of `itemBytes` with these index entries adds to its item collection. */
export function itemCollectionShare(table: TableSchema, itemBytes: number, entries: readonly IndexEntry[]): number {
  let bytes = itemBytes
  for (const entry of entries) {
    if (table.indexes.find((index) => index.name === entry.index)?.kind === 'local') bytes += entry.sizeBytes
  }
  return bytes
}

/**
 * Moves the count of the collection of `partitionValue` from an item's share `before` to its
 * share `after` (0 for an item that is not there). A write that grows the collection past the
 * limit is refused with ItemCollectionSizeLimitExceededException; one that does not grow it
 * never is, and neither is a global table's write replicated from another region: the limit
 * answers the client that writes, and a replica refusing what its origin accepted would stop
 * the table's replication for good (two regions each filling the last room at once did).
 */
export async function changeItemCollectionBytes(
  tx: Transaction, ctx: RegionContext, table: TableSchema, partitionValue: AttributeValue, before: number, after: number,
  write: { replicated?: unknown },
): Promise<void> {
  if (before === after) return
  const prefix = partitionPrefix([partitionValue])
  const namespace = namespaceOf(table.tableId)
  const key = countKeyOf(prefix)
  const counted = await tx.getState(namespace, key)
  const current = counted === undefined ? await summedCollectionBytes(tx, table, prefix) : Number(counted)
  const next = current - before + after
  if (after > before && next > ctx.config.itemCollectionSizeLimitBytes && write.replicated === undefined) {
    throw new ItemCollectionSizeLimitExceededException('Item collection size limit exceeded')
  }
  if (next > 0) await tx.putState(namespace, key, String(next))
  else await tx.deleteState(namespace, key)
}

/** A partition key may take 2,048 bytes; its digest keeps the count's state key short. */
function countKeyOf(prefix: Buffer): string {
  return createHash('sha256').update(prefix).digest('base64url')
}

/**
 * Before a transaction writes several items of the table: locks their collections' counts with
 * the items (Transaction.lockStates), so that batches sharing collections cannot deadlock by
 * taking them one after another in different orders (PostgreSQL then waits a second to break it).
 */
export function lockItemCollections(tx: Transaction, table: TableSchema, partitionValues: readonly AttributeValue[]): void {
  if (!tx.lockStates || !hasItemCollections(table)) return
  tx.lockStates(namespaceOf(table.tableId), partitionValues.map((value) => countKeyOf(partitionPrefix([value]))))
}

/** The collection's rows as stored, summed: its items and their local index entries. */
async function summedCollectionBytes(tx: Transaction, table: TableSchema, prefix: Buffer): Promise<number> {
  let bytes = await tx.bytesWithKeyPrefix(table.tableId, undefined, prefix)
  for (const index of table.indexes) {
    if (index.kind === 'local') bytes += await tx.bytesWithKeyPrefix(table.tableId, index.name, prefix)
  }
  return bytes
}

/** Deletes a deleted table's counts. */
export async function dropItemCollectionBytes(storage: StorageEngine, tableId: TableId): Promise<void> {
  const namespace = namespaceOf(tableId)
  const entries = await storage.read((view) => view.listState(namespace))
  for (let start = 0; start < entries.length; start += countsDeletedPerTransaction) {
    const page = entries.slice(start, start + countsDeletedPerTransaction)
    await storage.transact(async (tx) => {
      for (const entry of page) await tx.deleteState(namespace, entry.key)
    })
  }
}
