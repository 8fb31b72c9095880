/**
 * Last writer wins. Every item of a global table carries a hidden version: the change time in
 * microseconds and the region that made it. It lives in the state store, never in the item, so
 * reads and user streams never show it, and it outlives a delete: the version of a deleted item
 * is its tombstone, which is what stops a delayed replicated write from resurrecting it.
 *
 * Versions order by time, then by region name (a fixed tie-break every replica agrees on).
 */
import type { ReadView, TableId, Transaction } from '../storage/engine.js'

export interface ItemVersion {
  timeMicros: number
  region: string
}

const namespace = 'replication-versions'

function versionKey(tableId: TableId, key: Buffer): string {
  return `${tableId}/${key.toString('hex')}`
}

export function compareVersions(a: ItemVersion, b: ItemVersion): number {
  if (a.timeMicros !== b.timeMicros) return a.timeMicros < b.timeMicros ? -1 : 1
  return a.region < b.region ? -1 : a.region > b.region ? 1 : 0
}

export async function loadVersion(view: ReadView, tableId: TableId, key: Buffer): Promise<ItemVersion | undefined> {
  const value = await view.getState(namespace, versionKey(tableId, key))
  if (value === undefined) return undefined
  const [time, region] = JSON.parse(value) as [number, string]
  return { timeMicros: time, region }
}

export function saveVersion(tx: Transaction, tableId: TableId, key: Buffer, version: ItemVersion): Promise<void> {
  return tx.putState(namespace, versionKey(tableId, key), JSON.stringify([version.timeMicros, version.region]))
}

/**
 * The version of a write made in this region: now, but always after the version stored, so a
 * local write supersedes whatever the replica holds even when another region's clock runs ahead,
 * and every replica orders it the same way.
 */
export function nextLocalVersion(stored: ItemVersion | undefined, nowMicros: number, region: string): ItemVersion {
  const timeMicros = stored && stored.timeMicros >= nowMicros ? stored.timeMicros + 1 : nowMicros
  return { timeMicros, region }
}

/**
 * The version a write gets inside its transaction: for a local write the next local version; for
 * a replicated one its origin's version, or null when the item's is as new or newer (it lost).
 */
export async function versionOfWrite(
  tx: ReadView, tableId: TableId, key: Buffer, region: string, nowMicros: number, replicated: ItemVersion | undefined,
): Promise<ItemVersion | null> {
  const stored = await loadVersion(tx, tableId, key)
  if (!replicated) return nextLocalVersion(stored, nowMicros, region)
  return stored && compareVersions(replicated, stored) <= 0 ? null : replicated
}
