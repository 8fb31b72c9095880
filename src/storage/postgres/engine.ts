/**
 * The PostgreSQL storage engine: one region's tables in one PostgreSQL schema (schema.ts), reached
 * through the node's pool for that database, which its regions share (database.ts). Several
 * EddyDB nodes may open the same database; every guarantee comes from the database, none from
 * this process:
 *
 * - read() runs each statement on a pooled connection outside any transaction, so it sees
 *   exactly what has been committed, by any node, when the statement runs.
 * - transact() runs fn in a SERIALIZABLE transaction, or isolated by key locks when fn asks
 *   (TransactOptions.byKey; transaction.ts). When PostgreSQL (or CockroachDB, YugabyteDB) reports
 *   a serialization failure or a deadlock, or a by-key transaction asks for a lock too late, the
 *   attempt is rolled back and fn runs again from the start (storage/retry.ts), so fn must keep
 *   its effects inside tx.
 *
 * Transactions by key (the item writes) run side by side, as many as the node's transaction
 * slots allow (database.ts): writers of different items neither conflict nor wait (the change
 * log needs no shared counter row, statements.ts), and writers of one item wait for its lock.
 * Serializable transactions (the control plane, leases, cursors) run one at a time per region
 * on this node: they are few, and side by side they would mostly turn waits into retries. Other
 * nodes' transactions overlap with all of them.
 */
import type pg from 'pg'
import type { CommitTopic, ReadView, StorageEngine, Transaction, TransactOptions } from '../engine.js'
import { StorageCorrupt, StorageUnavailable } from '../errors.js'
import { retryOnConflict } from '../retry.js'
import { withCheckedOutClient } from './checkout.js'
import { openSharedDatabase, type SharedDatabase } from './database.js'
import { migrateSchema, schemaNameOf, schemaVersionLatest } from './schema.js'
import { Statements, type KeyLockMode } from './statements.js'
import type { VersionLockHold } from './version-locks.js'
import { lockedTooLateConflict, PostgresTransaction } from './transaction.js'
import { PoolReadView } from './views.js'
import { describeTarget, isPostgresUrl } from './url.js'

export interface PostgresEngineOptions {
  /** A libpq-style connection URL: postgresql://user:password@host:5432/database. */
  url: string
  /** The region whose schema this engine opens (created or migrated on first use). */
  region: string
  /** The node's pool for the database (database.ts), if this engine is the first to open it. */
  poolSize?: number
}

/**
 * AWS-style region names only: '-' becomes '_' in the schema name, which must stay unambiguous
 * and within PostgreSQL's 63-byte identifiers ('eddydb_' and 56 more).
 */
const regionNamePattern = /^[a-z0-9][a-z0-9-]{0,55}$/

/**
 * Opens the engine at once; the schema is created or migrated in the background, and every read
 * and transaction waits for that (a database from a newer EddyDB fails them with StorageCorrupt).
 */
export function openPostgresEngine(options: PostgresEngineOptions): StorageEngine {
  if (!isPostgresUrl(options.url)) throw new Error('A storage URL must start with postgresql://')
  if (!regionNamePattern.test(options.region)) {
    throw new Error(`Not a usable region name for a PostgreSQL schema: ${JSON.stringify(options.region)}`)
  }
  return new PostgresEngine(options.url, schemaNameOf(options.region), options.poolSize)
}

/** The locks a by-key transaction's failed attempt asked for, handed to its next attempt. */
interface CarriedLocks {
  locks?: ReadonlyMap<bigint, KeyLockMode>
}

class PostgresEngine implements StorageEngine {
  /** The node's connections to the database, shared with its other regions there. */
  readonly #database: SharedDatabase
  readonly #pool: pg.Pool
  readonly #schemaName: string
  readonly #statements: Statements
  readonly #view: PoolReadView
  readonly #ready: Promise<void>
  /** This node's share of its schema version lock (version-locks.ts); set once it is held. */
  #versionLock: VersionLockHold | undefined
  /** Set when a newer EddyDB migrated the schema while this node's lock was lost: nothing is served. */
  #schemaMovedOn: StorageCorrupt | undefined
  /** The tail of this region's serializable transactions, run one after another (the file comment). */
  #transactions: Promise<unknown>
  /** By-key transactions begun and not yet ended: close waits for them. */
  readonly #byKeyTransactions = new Set<Promise<unknown>>()
  /** Ends this engine's subscriptions to the node's listener (close). */
  readonly #unsubscribers: Array<() => void> = []
  #closing: Promise<void> | undefined

  constructor(url: string, schemaName: string, poolSize: number | undefined) {
    this.#database = openSharedDatabase(url, poolSize)
    this.#pool = this.#database.pool
    this.#schemaName = schemaName
    this.#statements = new Statements(schemaName)
    this.#view = new PoolReadView(this.#pool, this.#statements)
    this.#ready = this.#open().catch((error: unknown) => {
      if (!(error instanceof StorageUnavailable)) throw error
      throw new StorageUnavailable(`Cannot open ${describeTarget(url)} (schema ${schemaName}): ${error.message}`, { cause: error })
    })
    this.#transactions = this.#ready.catch(() => undefined)
  }

  /**
   * Holds this version's lock on the schema first, then creates or migrates it (version-locks.ts
   * says why in that order). A failed migration lets the lock go.
   */
  async #open(): Promise<void> {
    const versionLock = await this.#database.versionLocks.hold(this.#schemaName, schemaVersionLatest, (found) => {
      this.#schemaMovedOn = new StorageCorrupt(
        `The database schema ${this.#schemaName} was migrated to schema version ${found} by a newer EddyDB while this ` +
          `node (schema version ${schemaVersionLatest}) had lost its connection; restart this node with the newer version.`,
      )
      versionLock.release()
    })
    try {
      await migrateSchema(this.#pool, this.#schemaName)
    } catch (error) {
      versionLock.release()
      throw error
    }
    this.#versionLock = versionLock
  }

  /** The schema is open, still this version's, and this node's lock on it held (version-locks.ts). */
  async #whenReady(): Promise<void> {
    await this.#ready
    if (this.#schemaMovedOn) throw this.#schemaMovedOn
    if (!this.#versionLock!.held) {
      throw new StorageUnavailable(`This node's schema version lock on ${this.#schemaName} went with its connection to the database; ` +
        'requests are refused until it is taken again (a second after the database answers)')
    }
  }

  async read<T>(fn: (view: ReadView) => Promise<T>): Promise<T> {
    if (this.#closing) throw new StorageUnavailable('Storage is closed')
    await this.#whenReady()
    return fn(this.#view)
  }

  transact<T>(fn: (tx: Transaction) => Promise<T>, options: TransactOptions = {}): Promise<T> {
    if (this.#closing) return Promise.reject(new StorageUnavailable('Storage is closed'))
    if (options.byKey === true) return this.#alongside(fn)
    return this.#serially(async () => {
      await this.#whenReady()
      return retryOnConflict(() => this.#attempt(fn, false))
    })
  }

  /** A by-key transaction: it waits for no other transaction of this node, only for a free slot (database.ts). */
  #alongside<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    // What an attempt that failed asked to lock, for the next attempt to lock first (transaction.ts).
    const carried: CarriedLocks = {}
    const transaction = this.#whenReady().then(() => retryOnConflict(() => this.#attempt(fn, true, carried)))
    this.#byKeyTransactions.add(transaction)
    const forget = () => { this.#byKeyTransactions.delete(transaction) }
    transaction.then(forget, forget)
    return transaction
  }

  close(): Promise<void> {
    // Transactions already begun or queued still run; new calls are refused from now on.
    this.#closing ??= this.#serially(async () => {
      await Promise.allSettled([...this.#byKeyTransactions])
      for (const unsubscribe of this.#unsubscribers) unsubscribe()
      this.#versionLock?.release()
      await this.#database.release()
    })
    return this.#closing
  }

  onCommit(listener: (topic: CommitTopic) => void): void {
    // After the schema exists: LISTEN needs no table, but a listener is pointless before.
    void this.#ready.then(() => {
      if (!this.#closing) this.#unsubscribers.push(this.#database.listener.subscribe(this.#schemaName, listener))
    }, () => undefined)
  }

  #serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#transactions.then(work)
    this.#transactions = result.catch(() => undefined)
    return result
  }

  /** One attempt: fn on a fresh transaction, then COMMIT; ROLLBACK when anything throws. */
  #attempt<T>(fn: (tx: Transaction) => Promise<T>, byKey: boolean, carried?: CarriedLocks): Promise<T> {
    return this.#database.inTransactionSlot(() => withCheckedOutClient(this.#pool, async (client, discard) => {
      const tx = new PostgresTransaction(client, this.#statements, byKey, carried?.locks)
      try {
        const result = await fn(tx)
        await tx.commit()
        return result
      } catch (error) {
        if (carried) carried.locks = tx.locksAskedFor
        // What an attempt that locked too late concluded rests on reads made without their locks
        // (a condition that failed, say): it runs again instead, its locks taken first.
        if (tx.lockedTooLate) error = lockedTooLateConflict()
        // A connection whose ROLLBACK failed is closed rather than handed to the next caller.
        if (tx.begun) await client.query('ROLLBACK').catch(discard)
        throw error
      } finally {
        tx.end()
      }
    }))
  }
}
