/**
 * The embedded storage engine: SQLite through better-sqlite3, in a file (WAL mode) or in memory.
 *
 * Transactions are serialized by an in-process lock and run as BEGIN IMMEDIATE … COMMIT on the
 * writable connection; their fns may await, and other requests run meanwhile.
 *
 * Reads must never see a transaction's uncommitted writes:
 * - file mode reads through a second, read-only connection. In WAL mode it sees only committed
 *   data, so reads never wait for a transaction.
 * - in-memory mode has one connection only (a ':memory:' database cannot be shared), so reads
 *   take the lock shared: they run at once when no transaction is open, and wait for the open
 *   one to finish otherwise.
 * Each read statement sees the latest committed state; read() is not a snapshot across several
 * statements. Use transact() when several reads must agree.
 *
 * Durability: 'process' (the default) uses synchronous=NORMAL. A committed transaction is in
 * the WAL file in the OS page cache, so it survives kill -9 of the server, but the last
 * transactions before a power loss or kernel crash may be lost (the database stays intact).
 * 'power' uses synchronous=FULL: the WAL is fsynced at every commit, which survives power loss
 * and costs one fsync per write.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import Database from 'better-sqlite3'
import type { ReadView, StorageEngine, Transaction } from '../engine.js'
import { StorageConflict, StorageUnavailable } from '../errors.js'
import { ReadWriteLock } from './lock.js'
import { migrateSchema } from './schema.js'
import { mapSqliteError } from './sqlite-errors.js'
import { ReadStatements, WriteStatements } from './statements.js'
import { SqliteReadView, SqliteTransaction } from './views.js'

export type Durability = 'process' | 'power'

export type SqliteEngineOptions =
  | { path: string; durability?: Durability }
  | { inMemory: true }

/** Attempts at a transaction that keeps losing to another process's lock (SQLITE_BUSY). */
export const transactAttemptsMax = 8
/** First wait between attempts; it doubles each time (10, 20, 40 … 640 ms, ~1.3 s in all). */
const conflictBackoffMs = 10
/**
 * How long SQLite itself waits for a lock held by another process. Kept short because the
 * wait blocks the event loop; longer waits happen between attempts, asynchronously.
 */
const busyTimeoutMs = 250
/** Page cache per connection, in KiB (SQLite reads a negative cache_size as KiB). */
const cacheSizeKibibytes = 64 * 1024
/** The size a checkpointed WAL file is truncated back to, in bytes. */
const walSizeBytesLimit = 64 * 1024 * 1024
/** Memory-mapped reads of the database file, in bytes: saves a read() call per page. */
const mmapSizeBytes = 256 * 1024 * 1024

export function openSqliteEngine(options: SqliteEngineOptions): StorageEngine {
  if ('inMemory' in options) {
    const connection = new Database(':memory:')
    configureConnection(connection)
    migrateSchema(connection)
    return new SqliteEngine(connection, undefined)
  }
  mkdirSync(dirname(options.path), { recursive: true })
  const writer = new Database(options.path, { timeout: busyTimeoutMs })
  try {
    const journalMode = writer.pragma('journal_mode = WAL', { simple: true })
    // Without WAL the read connection would block on, and be blocked by, transactions.
    if (journalMode !== 'wal') {
      throw new StorageUnavailable(`SQLite cannot use WAL mode for ${options.path}: ${journalMode}`)
    }
    // After a large transaction, shrink the WAL back to this size at the next checkpoint.
    writer.pragma(`journal_size_limit = ${walSizeBytesLimit}`)
    writer.pragma(`synchronous = ${options.durability === 'power' ? 'FULL' : 'NORMAL'}`)
    writer.pragma(`mmap_size = ${mmapSizeBytes}`)
    configureConnection(writer)
    migrateSchema(writer)
    const reader = new Database(options.path, {
      readonly: true,
      fileMustExist: true,
      timeout: busyTimeoutMs,
    })
    reader.pragma(`mmap_size = ${mmapSizeBytes}`)
    configureConnection(reader)
    return new SqliteEngine(writer, reader)
  } catch (error) {
    writer.close()
    throw mapSqliteError(error)
  }
}

function configureConnection(connection: Database.Database): void {
  connection.pragma(`busy_timeout = ${busyTimeoutMs}`)
  connection.pragma('foreign_keys = OFF')
  connection.pragma(`cache_size = ${-cacheSizeKibibytes}`)
  connection.pragma('temp_store = MEMORY')
}

class SqliteEngine implements StorageEngine {
  readonly #writer: Database.Database
  readonly #reader: Database.Database | undefined
  readonly #readView: SqliteReadView
  readonly #transactionReads: ReadStatements
  readonly #writes: WriteStatements
  readonly #lock = new ReadWriteLock()
  #closing: Promise<void> | undefined

  /** `reader` is the read-only connection of file mode; undefined in in-memory mode. */
  constructor(writer: Database.Database, reader: Database.Database | undefined) {
    this.#writer = writer
    this.#reader = reader
    this.#transactionReads = new ReadStatements(writer)
    this.#writes = new WriteStatements(writer)
    this.#readView =
      reader === undefined
        ? new SqliteReadView(writer, this.#transactionReads)
        : new SqliteReadView(reader, new ReadStatements(reader))
  }

  async read<T>(fn: (view: ReadView) => Promise<T>): Promise<T> {
    if (this.#closing) throw new StorageUnavailable('Storage is closed')
    if (this.#reader === undefined) return this.#lock.shared(() => fn(this.#readView))
    return fn(this.#readView)
  }

  async transact<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    if (this.#closing) throw new StorageUnavailable('Storage is closed')
    return this.#lock.exclusive(() => this.#transactWithRetries(fn))
  }

  close(): Promise<void> {
    // Transactions queued before close() still run; new calls are refused from now on.
    this.#closing ??= this.#lock.exclusive(async () => {
      if (this.#reader !== undefined) {
        this.#reader.close()
        this.#checkpoint()
      }
      this.#writer.close()
    })
    return this.#closing
  }

  /**
   * Moves the WAL into the database file so a closed data directory is one file. Best effort:
   * if it fails, the next open replays the WAL instead.
   */
  #checkpoint(): void {
    try {
      this.#writer.pragma('wal_checkpoint(TRUNCATE)')
    } catch {
      // The WAL stays; nothing is lost.
    }
  }

  async #transactWithRetries<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#transactOnce(fn)
      } catch (error) {
        if (!(error instanceof StorageConflict) || attempt >= transactAttemptsMax) throw error
        await sleep(conflictBackoffMs * 2 ** (attempt - 1))
      }
    }
  }

  async #transactOnce<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    if (!this.#writer.open) throw new StorageUnavailable('Storage is closed')
    try {
      this.#writes.begin.run()
    } catch (error) {
      throw mapSqliteError(error)
    }
    const tx = new SqliteTransaction(this.#writer, this.#transactionReads, this.#writes)
    try {
      const result = await fn(tx)
      tx.end()
      this.#commit()
      return result
    } catch (error) {
      tx.end()
      // SQLite may already have rolled back by itself (after some I/O errors).
      if (this.#writer.inTransaction) this.#rollback()
      throw error
    }
  }

  #rollback(): void {
    try {
      this.#writes.rollback.run()
    } catch (error) {
      throw mapSqliteError(error)
    }
  }

  #commit(): void {
    try {
      this.#writes.commit.run()
    } catch (error) {
      throw mapSqliteError(error)
    }
  }
}
