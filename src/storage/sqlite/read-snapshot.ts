/**
 * Keeps one read transaction open on the WAL reader connection from a read until the next
 * commit, instead of letting every statement open and close its own.
 *
 * Why: an implicit read transaction costs two lock calls on the -shm file and a stat of the
 * database file, a few microseconds, which was most of a GetItem's storage time. Inside an open
 * read transaction a statement costs only its B-tree walk.
 *
 * Why it is safe: every write of this process commits through the engine, and the engine ends
 * the snapshot in the same synchronous step as each COMMIT, before any caller learns of the
 * commit. The next read then starts a fresh snapshot, so a read still sees every write of this
 * process committed before it started (read-your-writes across requests). Ending it just before
 * the COMMIT, not lazily at the next read, keeps a snapshot from holding back the checkpoint that
 * COMMIT may run, so the WAL is still backfilled and restarted under steady reads and writes.
 *
 * Another process writing the same file (not a supported setup, but possible) has no such hook:
 * its commits become visible once the snapshot is older than snapshotAgeMsMax, which also keeps
 * a read-only server from holding back that process's checkpoints for long.
 */
import type Database from 'better-sqlite3'

/** A snapshot older than this is renewed before the next read (see above). */
export const snapshotAgeMsMax = 10

export class ReadSnapshot {
  readonly #connection: Database.Database
  readonly #begin: Database.Statement
  readonly #end: Database.Statement
  #openedAtMs = 0

  constructor(connection: Database.Database) {
    this.#connection = connection
    this.#begin = connection.prepare('BEGIN')
    this.#end = connection.prepare('COMMIT')
  }

  /**
   * Makes sure a read transaction is open and young enough. SQLite takes the snapshot at the
   * first statement after BEGIN, which is the read about to run.
   */
  enter(): void {
    if (this.#connection.inTransaction) {
      if (performance.now() - this.#openedAtMs <= snapshotAgeMsMax) return
      this.#end.run()
    }
    this.#begin.run()
    this.#openedAtMs = performance.now()
  }

  /** Ends the open read transaction, if any; the next read takes a fresh snapshot. */
  end(): void {
    if (this.#connection.open && this.#connection.inTransaction) this.#end.run()
  }
}
