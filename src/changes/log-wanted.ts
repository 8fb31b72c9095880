/**
 * Whether a write must append its change to the table's log. The log is there for its readers;
 * a table that has none skips it. On a write-heavy table without a stream, the change rows (old
 * and new image) were half the bytes each write committed, and the log grew faster than the
 * trimmer removed it: 500 MB after 100 s of PutItem on 10,000 items.
 *
 * The readers: the table's stream and replication (flags of the table in the catalog),
 * point-in-time recovery (its setting in storage), and every internal reader with a cursor:
 * triggers, Kinesis destinations, replication, backups and restores being taken. The settings in
 * storage are read inside the write's transaction, so a reader registering at the same time is
 * ordered before or after the write, never half. The catalog flags come from this node's
 * catalog, which is the truth only where one process owns the storage (SQLite); on an engine
 * shared by nodes (PostgreSQL) another node may have just enabled a stream, so there every write
 * is logged and the retention trims what nobody reads.
 */
import type { RegionContext } from '../api/context.js'
import type { Transaction } from '../storage/engine.js'
import type { TableSchema } from '../tables/schema.js'
import { loadPitrSetting } from '../history/pitr.js'
import { hasCursor } from './cursors.js'

export async function changeLogWanted(tx: Transaction, ctx: RegionContext, table: TableSchema): Promise<boolean> {
  if (table.streamEnabled || table.replicated || ctx.storage.onCommit !== undefined) return true
  // Asked once per table and transaction: a batch or transaction writes many items of a table,
  // and nothing inside one transaction turns PITR on or registers a cursor.
  let answers = storedReadersOf.get(tx)
  if (!answers) storedReadersOf.set(tx, answers = new Map())
  let wanted = answers.get(table.tableId)
  if (wanted === undefined) {
    wanted = await loadPitrSetting(tx, table.tableId) !== undefined || await hasCursor(tx, table.tableId)
    answers.set(table.tableId, wanted)
  }
  return wanted
}

/** Per transaction (each run of a re-run transaction is a new one): whether the readers in storage want a table's log. */
const storedReadersOf = new WeakMap<Transaction, Map<string, boolean>>()
