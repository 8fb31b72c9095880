/**
 * How far each table's change log has been trimmed: every change with a sequence at or below
 * the trim point is gone. Stream readers compare their position with it to tell "no records
 * yet" from "records trimmed" (TrimmedDataAccessException). Only the retention trimmer
 * (changes/retention.ts) moves it, in the same transaction as Transaction.trimChanges.
 */
import type { ReadView, TableId, Transaction } from '../storage/engine.js'

const namespace = 'change-trim-points'

/** The highest trimmed sequence of a table's change log (0 when nothing was trimmed). */
export async function trimmedThrough(view: ReadView, tableId: TableId): Promise<number> {
  const value = await view.getState(namespace, tableId)
  return value === undefined ? 0 : Number(value)
}

export function saveTrimPoint(tx: Transaction, tableId: TableId, throughSequence: number): Promise<void> {
  return tx.putState(namespace, tableId, String(throughSequence))
}

export function forgetTrimPoint(tx: Transaction, tableId: TableId): Promise<void> {
  return tx.deleteState(namespace, tableId)
}
