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
 *
 * Where one process owns the storage, its engine counts the changes of its state
 * (StorageEngine.stateChanges), and the answer read for a table is kept until a PITR setting or
 * a cursor changes: reading both for every write was 7% of a PutItem's CPU (in memory), and the
 * readers of a table change seldom against its writes.
 */
import type { RegionContext } from '../api/context.js'
import type { StorageEngine, Transaction } from '../storage/engine.js'
import type { TableSchema } from '../tables/schema.js'
import { loadPitrSetting, pitrSettingChanges } from '../history/pitr.js'
import { cursorChanges, hasCursor } from './cursors.js'

export async function changeLogWanted(tx: Transaction, ctx: RegionContext, table: TableSchema): Promise<boolean> {
  if (table.streamEnabled || table.replicated || ctx.storage.onCommit !== undefined) return true
  const storage = ctx.storage
  const changes = storedReaderChanges(storage)
  let known = storedReadersOf.get(storage)
  if (known === undefined || known.changes !== changes) storedReadersOf.set(storage, known = { changes, wanted: new Map() })
  let wanted = known.wanted.get(table.tableId)
  if (wanted === undefined) {
    wanted = await loadPitrSetting(tx, table.tableId) !== undefined || await hasCursor(tx, table.tableId)
    // Kept only if nothing moved while it was read, and only where the engine counts.
    if (changes !== undefined && storedReaderChanges(storage) === changes) known.wanted.set(table.tableId, wanted)
  }
  return wanted
}

/** Per storage engine: which tables' logs the stored readers want, as of a count of their changes. */
const storedReadersOf = new WeakMap<StorageEngine, { changes: number | undefined; wanted: Map<string, boolean> }>()

/** Moves whenever a PITR setting or a cursor may have changed; undefined where the engine does not count. */
function storedReaderChanges(storage: StorageEngine): number | undefined {
  const settings = pitrSettingChanges(storage)
  const cursors = cursorChanges(storage)
  return settings === undefined || cursors === undefined ? undefined : settings + cursors
}
