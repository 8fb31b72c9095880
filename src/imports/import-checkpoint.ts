/**
 * How far an import has got, saved in the transaction that stores each batch of its items, so an
 * import that a restart (or a kill) interrupted goes on from there instead of staying
 * IN_PROGRESS: the counters and the position in the source (an object and how many of its lines
 * are done). Kept in the state store beside the import's record, and deleted with the
 * transaction that ends the import.
 */
import type { ReadView, Transaction } from '../storage/engine.js'

const namespace = 'import-checkpoints'

export interface ImportCheckpoint {
  processedItems: number
  importedItems: number
  errors: number
  /**
   * Uncompressed bytes of the objects read before `objectKey`, and of `objectKey` itself when
   * `objectDone` (a resumed import reads an unfinished object again from its first byte).
   */
  bytesRead: number
  /** The object being read (objects are read in the order the bucket lists them). */
  objectKey: string
  /** Lines of `objectKey` whose items are stored, or which were blank, a header or counted as errors. */
  linesDone: number
  /**
   * Items of line `linesDone` already stored (a DynamoDB JSON line may hold several objects);
   * absent in checkpoints saved before it was kept, where it is 0.
   */
  lineItemsDone?: number
  /** The object was read to its end or abandoned at a bad line: a resumed import starts at the next one. */
  objectDone: boolean
}

export async function loadCheckpoint(view: ReadView, importArn: string): Promise<ImportCheckpoint | undefined> {
  const json = await view.getState(namespace, importArn)
  return json === undefined ? undefined : JSON.parse(json) as ImportCheckpoint
}

export function saveCheckpoint(tx: Transaction, importArn: string, checkpoint: ImportCheckpoint): Promise<void> {
  return tx.putState(namespace, importArn, JSON.stringify(checkpoint))
}

export function deleteCheckpoint(tx: Transaction, importArn: string): Promise<void> {
  return tx.deleteState(namespace, importArn)
}
