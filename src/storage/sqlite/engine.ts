/**
 * The embedded storage engine: SQLite through better-sqlite3, in a file (WAL mode) or in memory.
 *
 * Transactions are serialized by an in-process lock and run on the writable connection; their
 * fns may await, and other requests run meanwhile. The transactions that queue up while one runs
 * are committed together (group-commit.ts): one BEGIN IMMEDIATE … COMMIT, a savepoint each.
 *
 * Reads must never see a transaction's uncommitted writes:
 * - file mode reads through a second, read-only connection. In WAL mode it sees only committed
 *   data, so reads never wait for a transaction. Its reads share one read transaction until the
 *   next commit (read-snapshot.ts), so they see every commit made before they started.
 * - in-memory mode has one connection only (a ':memory:' database cannot be shared), so reads
 *   take the lock shared: they run at once when no transaction is open, and wait for the open
 *   one to finish otherwise.
 * read() is not a promised snapshot across several statements: a commit in between may show.
 * Use transact() when several reads must agree.
 *
 * Durability: 'process' (the default) uses synchronous=NORMAL. A committed transaction is in
 * the WAL file in the OS page cache, so it survives kill -9 of the server, but the last
 * transactions before a power loss or kernel crash may be lost (the database stays intact).
 * 'power' uses synchronous=FULL: the WAL is fsynced at every commit, which survives power loss
 * and costs one fsync per write.
 */
import { accessSync, constants, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import type { ReadView, StorageEngine, Transaction } from '../engine.js'
import { StorageUnavailable } from '../errors.js'
import {
  runTransactionGroup,
  transactionGroupSizeMax,
  type GroupMember,
  type GroupSteps,
} from './group-commit.js'
import { WalCheckpointer, backstopCheckpointPages } from './checkpointer.js'
import { ReadWriteLock } from './lock.js'
import { ReadSnapshot } from './read-snapshot.js'
import { promiseCall } from '../../promise-call.js'
import { afterAccepts } from '../../accept-turns.js'
import { migrateSchema } from './schema.js'
import { mapSqliteError } from './sqlite-errors.js'
import { StateChangeCounts } from './state-changes.js'
import { ReadStatements, WriteStatements } from './statements.js'
import { SqliteReadView, SqliteTransaction } from './views.js'

export type Durability = 'process' | 'power'

export type SqliteEngineOptions =
  | {
    path: string
    durability?: Durability
    /** WAL frames past which writes wait for the WAL to start over (checkpointer.ts); tests use a small one. */
    walRestartFrames?: number
  }
  | { inMemory: true }

export { transactAttemptsMax } from './group-commit.js'
/**
 * How long SQLite itself waits for a lock held by another process. Kept short because the
 * wait blocks the event loop; longer waits happen between attempts, asynchronously.
 */
const busyTimeoutMs = 250
/** Page cache per connection, in KiB (SQLite reads a negative cache_size as KiB). */
const cacheSizeKibibytes = 64 * 1024
/** The size a checkpointed WAL file is truncated back to, in bytes. */
const walSizeBytesLimit = 64 * 1024 * 1024
/**
 * Memory-mapped reads of the database file, in bytes: as much as this SQLite build allows
 * (SQLITE_MAX_MMAP_SIZE, just under 2 GiB), so that every page of a file up to that size is read
 * from the map. A page past the map costs a pread() and a slot in the page cache, and a point
 * lookup in a 1M-item table (an 838 MB file) lands past a 256 MiB map two times in three: Query-10
 * at 1M items was 1.30-1.34x its 10k-item latency with that map, 0.9-1.1x with this one
 * (bench/results/2026-12-04-3.md). The mapped pages are the OS page cache of the file, shared and
 * reclaimable, but they show in the process's RSS once read.
 */
const mmapSizeBytes = 0x7fff0000

/**
 * SQLite opens a file it may not write read-only without a word, and then fails every write
 * (SQLITE_READONLY): a region file without write permission is refused at open instead, so a
 * server whose default region's file is read-only does not start.
 */
function refuseReadOnlyFile(path: string): void {
  try {
    accessSync(path, constants.W_OK)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw new StorageUnavailable(`${path} is not writable (${(error as NodeJS.ErrnoException).code}); fix its permissions`)
  }
}

export function openSqliteEngine(options: SqliteEngineOptions): StorageEngine {
  if ('inMemory' in options) {
    const connection = new Database(':memory:')
    configureConnection(connection)
    migrateSchema(connection)
    return new SqliteEngine(connection, undefined, undefined)
  }
  mkdirSync(dirname(options.path), { recursive: true })
  refuseReadOnlyFile(options.path)
  const writer = new Database(options.path, { timeout: busyTimeoutMs })
  try {
    const journalMode = writer.pragma('journal_mode = WAL', { simple: true })
    // Without WAL the read connection would block on, and be blocked by, transactions.
    if (journalMode !== 'wal') {
      throw new StorageUnavailable(`SQLite cannot use WAL mode for ${options.path}: ${journalMode}`)
    }
    // After a large transaction, shrink the WAL back to this size at the next checkpoint.
    writer.pragma(`journal_size_limit = ${walSizeBytesLimit}`)
    const synchronous = options.durability === 'power' ? 'FULL' : 'NORMAL'
    writer.pragma(`synchronous = ${synchronous}`)
    writer.pragma(`mmap_size = ${mmapSizeBytes}`)
    // Checkpoints run in a worker thread (checkpointer.ts); this is the writer's backstop.
    writer.pragma(`wal_autocheckpoint = ${backstopCheckpointPages}`)
    configureConnection(writer)
    migrateSchema(writer)
    const reader = new Database(options.path, {
      readonly: true,
      fileMustExist: true,
      timeout: busyTimeoutMs,
    })
    reader.pragma(`mmap_size = ${mmapSizeBytes}`)
    configureConnection(reader)
    return new SqliteEngine(writer, reader, new WalCheckpointer({ path: options.path, synchronous }, options.walRestartFrames))
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
  readonly #readSnapshot: ReadSnapshot | undefined
  readonly #readView: SqliteReadView
  readonly #groupSteps: GroupSteps
  readonly #checkpointer: WalCheckpointer | undefined
  readonly #lock = new ReadWriteLock()
  readonly #stateChanges = new StateChangeCounts()
  /** transact() calls waiting for the next group; a group is scheduled whenever this is not empty. */
  readonly #queued: GroupMember[] = []
  #groupScheduled = false
  readonly #startGroup = (): void => void this.#lock.exclusive(() => this.#runNextGroup())
  #closing: Promise<void> | undefined

  /** `reader` and `checkpointer` are file mode's; undefined in in-memory mode. */
  constructor(writer: Database.Database, reader: Database.Database | undefined, checkpointer: WalCheckpointer | undefined) {
    this.#writer = writer
    this.#reader = reader
    this.#checkpointer = checkpointer
    const transactionReads = new ReadStatements(writer)
    if (reader === undefined) {
      this.#readView = new SqliteReadView(writer, transactionReads)
    } else {
      this.#readSnapshot = new ReadSnapshot(reader)
      this.#readView = new SqliteReadView(reader, new ReadStatements(reader), this.#readSnapshot)
    }
    this.#groupSteps = groupSteps(writer, transactionReads, new WriteStatements(writer), this.#readSnapshot, this.#stateChanges)
  }

  stateChanges(namespace: string): number {
    return this.#stateChanges.of(namespace)
  }

  read<T>(fn: (view: ReadView) => Promise<T>): Promise<T> {
    if (this.#closing) return Promise.reject(new StorageUnavailable('Storage is closed'))
    if (this.#reader === undefined) return this.#lock.shared(() => fn(this.#readView))
    return promiseCall(() => fn(this.#readView))
  }

  transact<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    if (this.#closing) return Promise.reject(new StorageUnavailable('Storage is closed'))
    return new Promise<T>((resolve, reject) => {
      this.#queued.push({ fn, resolve: resolve as (value: unknown) => void, reject })
      this.#scheduleGroup()
    })
  }

  close(): Promise<void> {
    // Transactions queued before close() still run; new calls are refused from now on.
    this.#closing ??= this.#lock.exclusive(async () => {
      // Each round takes at least one queued call, and nothing new can queue after close().
      while (this.#queued.length > 0) await this.#runNextGroup()
      if (this.#reader !== undefined) {
        await this.#checkpointer!.close()
        this.#readSnapshot!.end()
        this.#reader.close()
        this.#checkpoint()
      }
      this.#writer.close()
    })
    return this.#closing
  }

  /**
   * Asks for the lock once for everything queued so far; later calls join the next group. The
   * group starts in the event loop's check phase, after the poll phase has handed over every
   * request that arrived together: a transaction's fn usually finishes within microtasks, so
   * starting at once would make groups of one whatever the load. While new connections are
   * being accepted, the group waits for them a few turns (accept-turns.ts).
   */
  #scheduleGroup(): void {
    if (this.#groupScheduled) return
    this.#groupScheduled = true
    afterAccepts(this.#startGroup)
  }

  async #runNextGroup(): Promise<void> {
    this.#groupScheduled = false
    const members = this.#queued.splice(0, transactionGroupSizeMax)
    // Those beyond the bound go next, after readers waiting for the lock have had their turn.
    if (this.#queued.length > 0) this.#scheduleGroup()
    if (members.length === 0) return
    if (!this.#writer.open) {
      for (const member of members) member.reject(new StorageUnavailable('Storage is closed'))
      return
    }
    if (this.#checkpointer?.restartDue) await this.#letWalRestart()
    await runTransactionGroup(members, this.#groupSteps)
    // Also after a group that SQLite rolled back by itself, which no rollback step saw.
    this.#stateChanges.settle()
    this.#checkpointer?.committed()
  }

  /**
   * Holds this group until a checkpoint pass has copied the whole WAL, so that its write starts
   * the WAL over (checkpointer.ts). Reads go on meanwhile. The read snapshot is ended before the
   * pass, as one that holds WAL frames stops a checkpoint short of them, and again after it, as
   * one taken during the pass may hold them too and would keep the WAL from starting over.
   */
  async #letWalRestart(): Promise<void> {
    this.#readSnapshot?.end()
    await this.#checkpointer!.catchUp()
    this.#readSnapshot?.end()
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
}

/** The group-commit steps on the writable connection, SQLite errors mapped to storage errors. */
function groupSteps(
  writer: Database.Database,
  reads: ReadStatements,
  writes: WriteStatements,
  readSnapshot: ReadSnapshot | undefined,
  stateChanges: StateChangeCounts,
): GroupSteps {
  const step = (statement: Database.Statement) => () => {
    try {
      statement.run()
    } catch (error) {
      throw mapSqliteError(error)
    }
  }
  const commit = step(writes.commit)
  // A commit, a rollback and a new attempt each end what the state writes before them made visible.
  // (A step that fails counts too: what it ended is uncertain.)
  const settling = (run: () => void) => () => {
    try {
      run()
    } finally {
      stateChanges.settle()
    }
  }
  return {
    begin: settling(step(writes.begin)),
    commit: settling(() => {
      // Reads after this commit must see it (see read-snapshot.ts). Ended before, not after:
      // COMMIT may checkpoint the WAL, and an open read snapshot would hold that back. No read
      // can run in between, as both happen in this one synchronous step.
      readSnapshot?.end()
      commit()
    }),
    rollback: settling(step(writes.rollback)),
    savepoint: step(writes.savepoint),
    releaseSavepoint: step(writes.releaseSavepoint),
    rollbackToSavepoint: settling(step(writes.rollbackToSavepoint)),
    inTransaction: () => writer.inTransaction,
    newTransaction: () => {
      const tx = new SqliteTransaction(writer, reads, writes, (namespace) => stateChanges.written(namespace))
      return { tx, end: () => tx.end() }
    },
  }
}
