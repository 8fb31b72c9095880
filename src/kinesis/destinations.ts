/**
 * A table's Kinesis streaming destinations, kept in the storage state store under the table's
 * TableId (a table deleted and created again starts with none). Each destination also owns a
 * change-log cursor (changes/cursors.ts), saved with it when it is enabled: the forwarder
 * (destination-forwarder.ts) sends every change after it, and the log is never trimmed past it.
 */
import { deleteCursor, saveCursor } from '../changes/cursors.js'
import type { ReadView, TableId, Transaction } from '../storage/engine.js'
import type { CreationDateTimePrecision } from '../shapes/kinesis-streaming-destination.js'

const namespace = 'kinesis-destinations'

export type DestinationStatus = 'ACTIVE' | 'DISABLED' | 'ENABLE_FAILED'

export interface Destination {
  streamArn: string
  status: DestinationStatus
  /** Set only when the client chose one; MILLISECOND applies otherwise. */
  precision?: CreationDateTimePrecision
  statusDescription?: string
  /** Changes whose record would exceed Kinesis's 1 MiB limit, skipped (FailedToReplicateRecordCount). */
  skippedRecords: number
}

export interface TableDestinations {
  tableId: TableId
  tableName: string
  destinations: Destination[]
}

export function readerIdOf(streamArn: string): string {
  return `kinesis/${streamArn}`
}

export async function loadDestinations(view: ReadView, tableId: TableId): Promise<TableDestinations | undefined> {
  const json = await view.getState(namespace, tableId)
  return json === undefined ? undefined : (JSON.parse(json) as TableDestinations)
}

export async function listDestinations(view: ReadView): Promise<TableDestinations[]> {
  return (await view.listState(namespace)).map((entry) => JSON.parse(entry.value) as TableDestinations)
}

export function saveDestinations(tx: Transaction, entry: TableDestinations): Promise<void> {
  return tx.putState(namespace, entry.tableId, JSON.stringify(entry))
}

export async function forgetDestinations(tx: Transaction, entry: TableDestinations): Promise<void> {
  for (const destination of entry.destinations) await deleteCursor(tx, entry.tableId, readerIdOf(destination.streamArn))
  await tx.deleteState(namespace, entry.tableId)
}

/** Starts a destination at the table's newest change: it carries every change made from now on. */
export async function startCursor(tx: Transaction, tableId: TableId, streamArn: string): Promise<void> {
  await saveCursor(tx, tableId, readerIdOf(streamArn), await tx.lastChangeSequence(tableId))
}

export function stopCursor(tx: Transaction, tableId: TableId, streamArn: string): Promise<void> {
  return deleteCursor(tx, tableId, readerIdOf(streamArn))
}
