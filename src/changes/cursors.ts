/**
 * Where each internal reader of a table's change log has got to (trigger mappings now; the
 * Kinesis forwarder, replication and PITR later). The log is trimmed only below the lowest
 * cursor of a table, so no internal reader ever misses a record. Cursors live in the storage
 * state store and are saved in the same transaction as the reader's own progress.
 */
import type { ReadView, StorageEngine, Transaction } from '../storage/engine.js'

const namespace = 'change-cursors'

/** A table's TableId is a UUID, so '/' cannot occur in it and separates the reader's id. */
function cursorKey(tableId: string, readerId: string): string {
  return `${tableId}/${readerId}`
}

/** Records that `readerId` has processed every change of the table up to `sequence`. */
export function saveCursor(tx: Transaction, tableId: string, readerId: string, sequence: number): Promise<void> {
  return tx.putState(namespace, cursorKey(tableId, readerId), String(sequence))
}

export async function loadCursor(view: ReadView, tableId: string, readerId: string): Promise<number | undefined> {
  const value = await view.getState(namespace, cursorKey(tableId, readerId))
  return value === undefined ? undefined : Number(value)
}

export function deleteCursor(tx: Transaction, tableId: string, readerId: string): Promise<void> {
  return tx.deleteState(namespace, cursorKey(tableId, readerId))
}

/** The lowest cursor over every reader of the table, or undefined when it has none. */
export async function lowestCursor(view: ReadView, tableId: string): Promise<number | undefined> {
  let lowest: number | undefined
  for (const entry of await view.listState(namespace)) {
    if (!entry.key.startsWith(`${tableId}/`)) continue
    const sequence = Number(entry.value)
    if (lowest === undefined || sequence < lowest) lowest = sequence
  }
  return lowest
}

/** Whether any reader holds a cursor on the table's log. */
export async function hasCursor(view: ReadView, tableId: string): Promise<boolean> {
  return (await view.listState(namespace)).some((entry) => entry.key.startsWith(`${tableId}/`))
}

/** A count that moves whenever a cursor may have changed, where the engine keeps one (StorageEngine.stateChanges). */
export function cursorChanges(storage: StorageEngine): number | undefined {
  return storage.stateChanges?.(namespace)
}
