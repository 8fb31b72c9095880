/**
 * Where replication from this region to each target has got to, per table: a change-log cursor
 * (changes/cursors.ts, so the retention trimmer keeps every change not yet replicated), and
 * whether the target still needs the initial copy of the items that existed before it joined.
 */
import { deleteCursor, loadCursor, saveCursor } from '../changes/cursors.js'
import type { ReadView, TableId, Transaction } from '../storage/engine.js'
import { forgetDelivered } from './settings-delivery.js'

const copyNamespace = 'replication-copy'

export function readerId(target: string): string {
  return `replication:${target}`
}

/** Starts replicating to `target` from the next change on (the target was told of everything before). */
export async function followFromNow(tx: Transaction, tableId: TableId, target: string): Promise<void> {
  if ((await loadCursor(tx, tableId, readerId(target))) !== undefined) return
  await saveCursor(tx, tableId, readerId(target), await tx.lastChangeSequence(tableId))
}

/** As followFromNow, after first copying every item the table holds now (a new replica). */
export async function copyThenFollow(tx: Transaction, tableId: TableId, target: string): Promise<void> {
  await saveCursor(tx, tableId, readerId(target), await tx.lastChangeSequence(tableId))
  await tx.putState(copyNamespace, `${tableId}/${target}`, 'pending')
}

export async function copyPending(view: ReadView, tableId: TableId, target: string): Promise<boolean> {
  return (await view.getState(copyNamespace, `${tableId}/${target}`)) !== undefined
}

export function copyDone(tx: Transaction, tableId: TableId, target: string): Promise<void> {
  return tx.deleteState(copyNamespace, `${tableId}/${target}`)
}

export async function forgetTarget(tx: Transaction, tableId: TableId, target: string): Promise<void> {
  await deleteCursor(tx, tableId, readerId(target))
  await copyDone(tx, tableId, target)
  await forgetDelivered(tx, tableId, target)
}

export function loadCheckpoint(view: ReadView, tableId: TableId, target: string): Promise<number | undefined> {
  return loadCursor(view, tableId, readerId(target))
}

/** Changes read per step while looking for unreplicated ones (a control-plane check, not the replicator). */
const pendingScanBatch = 500

/**
 * Whether the table's log holds a change made in `region` (this replica's own writes) past the
 * checkpoint of replication to `target`, that is, one not yet applied there. Changes of other
 * origins are not sent, so a checkpoint behind them alone leaves nothing pending.
 */
export async function ownChangesPending(view: ReadView, tableId: TableId, target: string, region: string): Promise<boolean> {
  let after = await loadCheckpoint(view, tableId, target)
  if (after === undefined) return false
  if (await copyPending(view, tableId, target)) return true
  for (;;) {
    const changes = await view.readChanges(tableId, after, pendingScanBatch)
    if (changes.some((change) => change.originRegion === region)) return true
    if (changes.length < pendingScanBatch) return false
    after = changes.at(-1)!.sequence
  }
}

export function saveCheckpoint(tx: Transaction, tableId: TableId, target: string, sequence: number): Promise<void> {
  return saveCursor(tx, tableId, readerId(target), sequence)
}
