/**
 * Applying writes replicated from another region: each through the one write path, which keeps
 * a change only if its version is newer than the item's (last writer wins). A batch commits in
 * one transaction, so a reader's checkpoint moves past whole batches only.
 */
import type { RegionContext } from '../api/context.js'
import { ResourceNotFoundException } from '../errors.js'
import { keyFromItem } from '../items/keys.js'
import { applyWrite } from '../items/write-item.js'
import { byKeyTransaction, type ChangeRecord, type TableId, type Transaction } from '../storage/engine.js'
import { loadVersion } from './versions.js'
import type { Item } from '../values/types.js'

/** One item change as it travels between replicas (JSON, also between hosts). */
export interface ReplicatedChange {
  keys: Item
  /** The item after the change; absent for a delete. */
  newImage?: Item
  /** The origin's version: change time in microseconds and the origin region. */
  timeMicros: number
  originRegion: string
}

export function replicatedChangeOf(change: ChangeRecord): ReplicatedChange {
  const replicated: ReplicatedChange = { keys: JSON.parse(change.keysJson), timeMicros: change.timeMicros, originRegion: change.originRegion }
  if (change.newImageJson !== undefined) replicated.newImage = JSON.parse(change.newImageJson)
  return replicated
}

/** Applies a batch to this region's replica of `tableName`; returns how many changes won. */
export async function applyReplicatedChanges(ctx: RegionContext, tableName: string, changes: ReplicatedChange[]): Promise<number> {
  const table = ctx.catalog.get(tableName)
  if (!table?.replicated) throw new ResourceNotFoundException(`Requested resource not found: Table: ${tableName} is not a replica in ${ctx.region}`)
  // A change never returns to its origin; a peer that sends one back is ignored.
  const incoming = changes.filter((change) => change.originRegion !== ctx.region)
    .map((change) => ({ change, key: keyFromItem(table, change.keys) }))
  const distinctKeys = [...new Map(incoming.map(({ key }) => [key.encoded.toString('latin1'), key.encoded])).values()]
  return ctx.storage.transact(async (tx) => {
    await lockEveryItem(tx, table.tableId, distinctKeys)
    let applied = 0
    for (const { change, key } of incoming) {
      // Replicated writes carry no userIdentity, as DynamoDB's replicated writes (even of TTL deletes) show none.
      const result = await applyWrite(tx, ctx, table, key, { replaceWith: change.newImage ?? null }, {
        replicated: { timeMicros: change.timeMicros, region: change.originRegion },
      })
      if (result.changed) applied++
    }
    return applied
  }, byKeyTransaction)
}

/**
 * Reads every item the batch writes, and its version, before the first write. A batch names an
 * item again and again when it was written often (through several nodes, its changes come
 * interleaved with other items'), and on PostgreSQL a transaction by key must take every lock
 * before its first write goes out: a second write of an item sends the first, and an item met
 * only after that made the attempt run again, one more item locked up front each time. A batch
 * of more items than attempts then failed for good, and replication stopped (storage/postgres/
 * transaction.ts). Read here, up front, they are all locked before anything is written.
 */
async function lockEveryItem(tx: Transaction, tableId: TableId, keys: Buffer[]): Promise<void> {
  await tx.getStoredItems(tableId, keys)
  for (const key of keys) await loadVersion(tx, tableId, key)
}
