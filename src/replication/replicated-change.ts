/**
 * Applying writes replicated from another region: each through the one write path, which keeps
 * a change only if its version is newer than the item's (last writer wins). A batch commits in
 * one transaction, so a reader's checkpoint moves past whole batches only.
 */
import type { RegionContext } from '../api/context.js'
import { ResourceNotFoundException } from '../errors.js'
import { keyFromItem } from '../items/keys.js'
import { applyWrite } from '../items/write-item.js'
import { byKeyTransaction, type ChangeRecord } from '../storage/engine.js'
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
  return ctx.storage.transact(async (tx) => {
    let applied = 0
    for (const change of changes) {
      // A change never returns to its origin; a peer that sends one back is ignored.
      if (change.originRegion === ctx.region) continue
      const key = keyFromItem(table, change.keys)
      // Replicated writes carry no userIdentity, as DynamoDB's replicated writes (even of TTL deletes) show none.
      const result = await applyWrite(tx, ctx, table, key, { replaceWith: change.newImage ?? null }, {
        replicated: { timeMicros: change.timeMicros, region: change.originRegion },
      })
      if (result.changed) applied++
    }
    return applied
  }, byKeyTransaction)
}
