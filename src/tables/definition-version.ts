/**
 * Per-table definition versions, so that a write made on one node under a table definition that
 * another node has just changed (DeleteTable, a GSI created or deleted, a stream turned on or off)
 * cannot commit. Nodes learn of catalog changes by notification (cluster/wakeups.ts), which takes
 * a moment; this closes that moment.
 *
 * Every stored record gets a new random version, published in the state store in the same
 * transaction as the record (a deleted table's entry says so). A write transaction that relies on
 * a definition expects that entry to still hold the version it used (Transaction.expectState).
 * The expectation reads the entry inside the serializable transaction, so either the write is
 * ordered before the change (and the change sees its rows: DeleteTable drops them, a backfill
 * indexes them), or it fails with StateMismatch before anything commits, and the request runs
 * again on a reloaded catalog (cluster/catalog-miss.ts). On PostgreSQL the expectation travels
 * with the transaction's next statement: no round trip of its own.
 *
 * Only storage shared by nodes needs it: where one process owns the storage (SQLite), that
 * process's catalog is the only one, and writes skip the check altogether.
 */
import { randomUUID } from 'node:crypto'
import type { StorageEngine, Transaction } from '../storage/engine.js'
import type { TableRecord } from './record.js'

const namespace = 'table-definitions'
/** The entry of a table name whose table was deleted (and not created again). */
const deletedVersion = 'deleted'

/** Inside the transaction that stores `draft`: gives it a new version and publishes that. */
export function markDefinitionStored(tx: Transaction, draft: TableRecord): Promise<void> {
  draft.definitionVersion = randomUUID()
  return tx.putState(namespace, draft.description.TableName, draft.definitionVersion)
}

/** Inside the transaction that deletes a table's record. */
export function markDefinitionDeleted(tx: Transaction, name: string): Promise<void> {
  return tx.putState(namespace, name, deletedVersion)
}

/**
 * Inside a transaction that relies on a table's definition as of `definitionVersion` (undefined
 * for a record stored before versions existed): it fails with StateMismatch if the definition
 * changed meanwhile. Nothing to check where one process owns the storage.
 */
export function expectDefinition(
  tx: Transaction, storage: StorageEngine, name: string, definitionVersion: string | undefined,
): Promise<void> {
  if (!isSharedByNodes(storage)) return Promise.resolve()
  return tx.expectState(namespace, name, definitionVersion)
}

/** Engines that several nodes share announce other nodes' commits; SQLite's single owner does not. */
function isSharedByNodes(storage: StorageEngine): boolean {
  return storage.onCommit !== undefined
}
