/**
 * One node's connections to one PostgreSQL database, shared by every region it serves there: a
 * pool (16 connections unless `--storage-pool-size` says otherwise), one listening connection
 * (listener.ts) and one holding its schema version locks (version-locks.ts), whatever the number
 * of regions. Each region's engine (engine.ts) holds a reference while it is open; the
 * last to close ends them. Before, each region had a pool of 8 and a listener of its own, so a
 * node that clients had reached under 34 region names held 142 connections, and a few nodes
 * exhausted the database's max_connections.
 *
 * Transactions hold a connection for several round trips, and a request may read (on another
 * pooled connection) while its transaction is open; so transactions of all regions together
 * hold at most three quarters of the pool, and the rest is always free for reads.
 */
import type pg from 'pg'
import { connectTimeoutMs, postgresDriver } from './driver.js'
import { CommitListener } from './listener.js'
import { SchemaVersionLocks } from './version-locks.js'

/** Connections per node and database, shared by its regions, unless configured. */
export const databasePoolDefault = 16
/** A pool needs one connection for transactions and one that reads always find. */
export const poolSizeMin = 2

/** Of the pool, transactions (of every region together) hold at most this many at once. */
function transactionSlotsOf(poolSize: number): number {
  return Math.max(1, Math.floor((poolSize * 3) / 4))
}

export interface SharedDatabase {
  readonly pool: pg.Pool
  readonly listener: CommitListener
  /** The session holding the node's schema version locks (version-locks.ts). */
  readonly versionLocks: SchemaVersionLocks
  /** Runs `work` once a transaction slot is free (a bounded share of the pool, the file comment). */
  inTransactionSlot<T>(work: () => Promise<T>): Promise<T>
  /** Drops this engine's reference; the last one ends the pool and the listener. */
  release(): Promise<void>
}

interface Database {
  pool: pg.Pool
  listener: CommitListener
  versionLocks: SchemaVersionLocks
  slots: Slots
  references: number
}

const databases = new Map<string, Database>()

/**
 * A reference to the node's connections to the database at `url`, opened on first use with
 * `poolSize` connections (later references share them as they are).
 */
export function openSharedDatabase(url: string, poolSize = databasePoolDefault): SharedDatabase {
  if (!Number.isSafeInteger(poolSize) || poolSize < poolSizeMin) throw new Error(`A PostgreSQL pool needs at least ${poolSizeMin} connections, not ${poolSize}`)
  let database = databases.get(url)
  if (database === undefined) {
    const pool = new (postgresDriver().Pool)({
      connectionString: url, max: poolSize, connectionTimeoutMillis: connectTimeoutMs, application_name: 'eddydb',
    })
    // An idle connection the server drops emits 'error' on the pool; the next query reconnects.
    pool.on('error', () => undefined)
    database = { pool, listener: new CommitListener(url), versionLocks: new SchemaVersionLocks(url), slots: new Slots(transactionSlotsOf(poolSize)), references: 0 }
    databases.set(url, database)
  }
  database.references++
  const opened = database
  let released = false
  return {
    pool: opened.pool,
    listener: opened.listener,
    versionLocks: opened.versionLocks,
    inTransactionSlot: (work) => opened.slots.run(work),
    async release() {
      if (released) return
      released = true
      if (--opened.references > 0) return
      if (databases.get(url) === opened) databases.delete(url)
      await opened.listener.close()
      await opened.versionLocks.close()
      await opened.pool.end()
    },
  }
}

/** At most `max` pieces of work at once; the others wait, and start in arrival order. */
class Slots {
  readonly #max: number
  #running = 0
  readonly #waiting: Array<() => void> = []

  constructor(max: number) {
    this.#max = max
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    // A slot that frees up passes straight to the first waiter, so nobody is overtaken.
    if (this.#running < this.#max) this.#running++
    else await new Promise<void>((resolve) => this.#waiting.push(resolve))
    try {
      return await work()
    } finally {
      const next = this.#waiting.shift()
      if (next) next()
      else this.#running--
    }
  }
}
