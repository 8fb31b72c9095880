/**
 * One transaction on a pooled connection, sent in as few round trips as possible.
 *
 * Writes do not go to the database when they are called: they wait in `#pending` and travel with
 * the next statement that needs an answer, as one multi-statement query (sql.ts explains why
 * the values are literals). BEGIN travels with the first batch and COMMIT with the last. So a
 * PutItem (read the current item; write the item, its index rows and its change record; commit)
 * costs two round trips, and a write with nothing to read costs one.
 *
 * Two isolations (TransactOptions):
 *
 * - **Serializable** (the default). PostgreSQL orders the transaction against every other by what
 *   it read, at the granularity of index pages: writers of different keys that share a page of
 *   the items' primary key conflict, and one of them runs again (docs/scale-out.md).
 * - **By key** (item writes). READ COMMITTED, plus an advisory lock for each item and state entry
 *   the transaction reads or writes, held until it ends: two-phase locking on exactly those keys,
 *   so writers of different items never conflict and writers of one item wait for each other
 *   instead of failing. Each statement reads what is committed when it starts, and the locks are
 *   taken in an earlier statement than the reads, so a read of a locked key sees its latest
 *   version and nothing changes it until commit. A lock goes at the head of the next batch, ahead
 *   of the writes queued with it, and the locks of one batch in a fixed order (by id), so that two
 *   transactions do not wait for each other's.
 *
 *   The first write sent gives the transaction its id, which orders its changes in the log
 *   (statements.ts), so every lock must be taken before it: then a transaction that waited for
 *   an item, or took it after another released it, gets a larger id than that other one, and the
 *   item's changes stay in commit order. So a read by key that no pending write touches goes
 *   ahead of the pending writes (#send), and the writes wait for the next statement that must
 *   follow them: a range or size read, a read of a key just written, the COMMIT. A lock asked
 *   for after writes were sent all the same (a read of a new key after one of those) dooms the
 *   attempt: it goes on without sending writes, to learn every lock it asks for, then fails as a
 *   conflict (whatever it answered on reads made without their locks), and the next attempt takes
 *   every lock the failed one asked for in its first batch (`prelocked`), so it runs through.
 *
 * Every transaction, serializable ones too, takes the exclusive lock of each item and state entry
 * it writes, so the two kinds exclude each other where they meet: a serializable UpdateTable
 * waits for the writes that checked the old definition (expectState takes a shared lock).
 *
 * A pending write that fails (it should not: constraints are never expected to be hit) fails the
 * batch it travels in, so the read or the commit after it throws, and the transaction rolls back.
 */
import type pg from 'pg'
import type {
  CatalogEntry, CommitTopic, CopiedRows, IndexName, LoadedItem, NewChangeRecord, StoredItem, StreamRecordRow, TableId, Transaction,
} from '../engine.js'
import { StorageConflict } from '../errors.js'
import { mapPostgresError } from './errors.js'
import { Sql } from './sql.js'
import { changeOrdinalsPerTransaction, type KeyLockMode, type Statements } from './statements.js'
import { PostgresQueries, postgresStatistics } from './views.js'

const beginSerializable = new Sql('BEGIN ISOLATION LEVEL SERIALIZABLE')
const beginByKey = new Sql('BEGIN ISOLATION LEVEL READ COMMITTED')
const commit = new Sql('COMMIT')

/** The conflict of an attempt that asked for a lock too late (PostgresTransaction.lockedTooLate). */
export function lockedTooLateConflict(): StorageConflict {
  return new StorageConflict('A transaction by key needed a lock after its first write; it runs again with its locks taken first')
}

export class PostgresTransaction extends PostgresQueries implements Transaction {
  protected readonly waitsForWatermark = false
  readonly #client: pg.PoolClient
  /** Isolated by key locks rather than serializable (the file comment). */
  readonly #byKey: boolean
  #pending: Sql[] = []
  /** Whether a statement in #pending may give the transaction its id (a write). */
  #pendingAssignsId = false
  /** Whether one has been sent: by key, no lock may be taken after that (the file comment). */
  #idMayBeAssigned = false
  /**
   * By key, a lock was asked for once the id may have been assigned: this attempt cannot commit.
   * It goes on, sending no more writes, only to learn every lock it asks for, so that the next
   * attempt takes them all first (a batch over many item collections learns them in one attempt,
   * not one per attempt).
   */
  #lockedTooLate = false
  /** The advisory locks held, queued or asked for too late, with the strongest mode asked for. */
  readonly #locks = new Map<bigint, KeyLockMode>()
  /** Lock statements waiting for the next batch, which they lead, ordered by id. */
  #pendingLocks: Array<{ id: bigint; statement: Sql }> = []
  /** The items and state entries written by statements in #pending (lock ids stand for them). */
  readonly #pendingTargets = new Set<bigint>()
  /** Set just before a read by key that no pending write touches, which may go ahead of them (query). */
  #readAhead = false
  /** What the commit announces to other nodes (listener.ts). */
  readonly #topics = new Set<CommitTopic>()
  /** The expectState checks already queued or sent. */
  readonly #expectations = new Set<string>()
  /** Changes appended so far: the next one's ordinal within this transaction. */
  #appended = 0
  #begun = false
  #ended = false

  /** `prelocked`: the locks an earlier attempt asked for, taken with the first batch. */
  constructor(client: pg.PoolClient, statements: Statements, byKey: boolean, prelocked?: ReadonlyMap<bigint, KeyLockMode>) {
    super(statements)
    this.#client = client
    this.#byKey = byKey
    for (const [id, mode] of prelocked ?? []) this.#lock(id, mode)
  }

  /** Every lock this attempt asked for: what the next attempt should take first. */
  get locksAskedFor(): ReadonlyMap<bigint, KeyLockMode> {
    return this.#locks
  }

  /** True once BEGIN has been sent: the connection then needs a ROLLBACK if commit() is not reached. */
  get begun(): boolean {
    return this.#begun
  }

  /** Whether a lock was asked for too late (#lockedTooLate): the attempt must run again. */
  get lockedTooLate(): boolean {
    return this.#lockedTooLate
  }

  /** Sends what is pending with COMMIT. A transaction that neither read nor wrote sends nothing. */
  async commit(): Promise<void> {
    if (this.#lockedTooLate) throw lockedTooLateConflict()
    if (!this.#begun && this.#pending.length === 0) return
    for (const topic of this.#topics) this.#pending.push(this.statements.notify(topic))
    await this.#send(commit)
  }

  /** After commit or rollback: later calls are a programmer error (fn kept tx past its promise). */
  end(): void {
    this.#ended = true
  }

  protected async query(statement: Sql, assignsId = false): Promise<Record<string, unknown>[]> {
    const ahead = this.#readAhead
    this.#readAhead = false
    const results = await this.#send(statement, assignsId, ahead)
    return results.at(-1)!.rows
  }

  /**
   * Sends the pending locks, then the pending writes unless `aheadOfWrites`, then `last`. A read
   * by key of what no pending write touches reads the same either way, and going ahead keeps the
   * writes, and so the transaction's id, after every lock its later reads take (the file comment).
   */
  async #send(last: Sql, lastAssignsId = false, aheadOfWrites = false): Promise<pg.QueryResult[]> {
    if (this.#ended) throw new Error('Transaction used after it ended')
    const locks = this.#pendingLocks.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((lock) => lock.statement)
    // An attempt that locked too late only learns its locks: its writes are dropped, not sent.
    const writes = aheadOfWrites || this.#lockedTooLate ? [] : this.#pending
    const batch = [...locks, ...writes, last]
    if (!this.#begun) batch.unshift(this.#byKey ? beginByKey : beginSerializable)
    if ((this.#pendingAssignsId && !aheadOfWrites) || lastAssignsId) this.#idMayBeAssigned = true
    this.#pendingLocks = []
    if (!aheadOfWrites || this.#lockedTooLate) {
      this.#pending = []
      this.#pendingAssignsId = false
      this.#pendingTargets.clear()
    }
    this.#begun = true
    postgresStatistics.roundTrips++
    try {
      const result = await this.#client.query(batch.map((statement) => statement.text).join(';\n'))
      // One statement gives one result, several an array of them.
      return Array.isArray(result) ? result : [result]
    } catch (error) {
      throw mapPostgresError(error)
    }
  }

  /** Queues a statement; `assignsId` unless it only reads (expectState). */
  #write(statement: Sql, assignsId = true): Promise<void> {
    if (this.#ended) return Promise.reject(new Error('Transaction used after it ended'))
    this.#pending.push(statement)
    if (assignsId) this.#pendingAssignsId = true
    return Promise.resolve()
  }

  /**
   * Queues the lock unless it is held (or queued) in this mode or a stronger one. By key, once
   * the transaction may have its id, throws a StorageConflict instead (the file comment).
   */
  #lock(id: bigint, mode: KeyLockMode): void {
    const held = this.#locks.get(id)
    if (held === 'exclusive' || held === mode) return
    this.#locks.set(id, mode)
    // Serializable transactions may lock at any time: their order comes from their snapshot.
    if (this.#byKey && this.#idMayBeAssigned) {
      this.#lockedTooLate = true
      return
    }
    this.#pendingLocks.push({ id, statement: this.statements.keyLock(id, mode) })
  }

  /** Locks the item; returns its lock id. */
  #lockItem(table: TableId, key: Buffer): bigint {
    const id = this.statements.itemLockId(table, key)
    this.#lock(id, 'exclusive')
    return id
  }

  #lockState(namespace: string, key: string, mode: KeyLockMode): bigint {
    const id = this.statements.stateLockId(namespace, key)
    this.#lock(id, mode)
    return id
  }

  /** A write to the item or state entry whose lock is `id`: a read of it may not go ahead (#send). */
  #writeTo(id: bigint, statement: Sql): Promise<void> {
    this.#pendingTargets.add(id)
    return this.#write(statement)
  }

  /**
   * By key, an item read is a write's first step: its lock is taken first (the file comment),
   * and unless a pending write touches one of the keys, the read goes ahead of pending writes.
   * (#readAhead is taken by query(), which the inherited method calls before its first await;
   * cleared after, for a read that sends nothing, such as one of no keys.)
   */
  override async getStoredItems(table: TableId, keys: readonly Buffer[]): Promise<Array<StoredItem | undefined>> {
    if (!this.#byKey) return super.getStoredItems(table, keys)
    const ids = keys.map((key) => this.#lockItem(table, key))
    this.#readAhead = ids.every((id) => !this.#pendingTargets.has(id))
    const read = super.getStoredItems(table, keys)
    this.#readAhead = false
    return read
  }

  override async getItem(table: TableId, key: Buffer): Promise<string | undefined> {
    if (!this.#byKey) return super.getItem(table, key)
    this.#readAhead = !this.#pendingTargets.has(this.#lockItem(table, key))
    const read = super.getItem(table, key)
    this.#readAhead = false
    return read
  }

  lockStates(namespace: string, keys: readonly string[]): void {
    if (this.#byKey) for (const key of keys) this.#lockState(namespace, key, 'exclusive')
  }

  override async getState(namespace: string, key: string): Promise<string | undefined> {
    if (!this.#byKey) return super.getState(namespace, key)
    this.#readAhead = !this.#pendingTargets.has(this.#lockState(namespace, key, 'exclusive'))
    const read = super.getState(namespace, key)
    this.#readAhead = false
    return read
  }

  async putItem(table: TableId, key: Buffer, json: string, sizeBytes: number, expiresAtSeconds?: number): Promise<void> {
    return this.#writeTo(this.#lockItem(table, key), this.statements.putItem(table, key, json, sizeBytes, expiresAtSeconds))
  }

  async loadItems(table: TableId, items: readonly LoadedItem[]): Promise<void> {
    for (const statement of this.statements.loadItems(table, items)) await this.#write(statement)
  }

  async copyItemRows(from: TableId, to: TableId, after: Buffer | undefined, limit: number): Promise<CopiedRows> {
    const [row] = await this.query(this.statements.copyItemRows(from, to, after, limit), true)
    return { count: Number(row!.count), bytes: Number(row!.bytes), lastKey: (row!.last_key as Buffer | null) ?? undefined }
  }

  async setExpiry(table: TableId, key: Buffer, expiresAtSeconds: number | undefined): Promise<void> {
    return this.#writeTo(this.#lockItem(table, key), this.statements.setExpiry(table, key, expiresAtSeconds))
  }

  async deleteItem(table: TableId, key: Buffer): Promise<void> {
    return this.#writeTo(this.#lockItem(table, key), this.statements.deleteItem(table, key))
  }

  putIndexEntry(table: TableId, index: IndexName, key: Buffer, json: string, sizeBytes: number): Promise<void> {
    return this.#write(this.statements.putIndexEntry(table, index, key, json, sizeBytes))
  }

  deleteIndexEntry(table: TableId, index: IndexName, key: Buffer): Promise<void> {
    return this.#write(this.statements.deleteIndexEntry(table, index, key))
  }

  appendChange(change: NewChangeRecord): Promise<void> {
    if (this.#appended >= changeOrdinalsPerTransaction) {
      return Promise.reject(new Error(`A transaction may append at most ${changeOrdinalsPerTransaction} changes`))
    }
    this.#topics.add('changes')
    return this.#write(this.statements.appendChange(change, this.#appended++))
  }

  /** Taken from the transaction's id, not the log (Statements.transactionChangePosition). */
  override async lastChangeSequence(): Promise<number> {
    const [row] = await this.query(this.statements.transactionChangePosition(this.#appended), true)
    return Number(row!.last_sequence)
  }

  trimChanges(table: TableId, throughSequence: number): Promise<void> {
    return this.#write(this.statements.trimChanges(table, throughSequence))
  }

  putCatalogEntry(entry: CatalogEntry): Promise<void> {
    this.#topics.add('catalog')
    return this.#write(this.statements.putCatalogEntry(entry))
  }

  deleteCatalogEntry(name: string): Promise<void> {
    this.#topics.add('catalog')
    return this.#write(this.statements.deleteCatalogEntry(name))
  }

  async dropTableData(table: TableId): Promise<void> {
    await this.#write(this.statements.dropItems(table))
    await this.#write(this.statements.dropIndexEntries(table))
  }

  dropIndexData(table: TableId, index: IndexName): Promise<void> {
    return this.#write(this.statements.dropIndexEntries(table, index))
  }

  async putState(namespace: string, key: string, value: string): Promise<void> {
    return this.#writeTo(this.#lockState(namespace, key, 'exclusive'), this.statements.putState(namespace, key, value))
  }

  async deleteState(namespace: string, key: string): Promise<void> {
    return this.#writeTo(this.#lockState(namespace, key, 'exclusive'), this.statements.deleteState(namespace, key))
  }

  /** Travels with the next statement like a write; the same expectation is sent once (a batch's 25 items of one table). */
  async expectState(namespace: string, key: string, value: string | undefined): Promise<void> {
    const expectation = JSON.stringify([namespace, key, value ?? null])
    if (this.#expectations.has(expectation)) return Promise.resolve()
    this.#expectations.add(expectation)
    // By key, the entry must not change before this commits; serializable isolation sees to that itself.
    if (this.#byKey) this.#lockState(namespace, key, 'shared')
    return this.#write(this.statements.expectState(namespace, key, value), false)
  }

  appendStreamRecords(records: readonly StreamRecordRow[]): Promise<void> {
    if (records.length === 0) return Promise.resolve()
    return this.#write(this.statements.appendStreamRecords(records))
  }

  trimStreamRecords(stream: string, beforeOrdinal: number): Promise<void> {
    return this.#write(this.statements.trimStreamRecords(stream, beforeOrdinal))
  }

  dropStreamRecords(stream: string): Promise<void> {
    return this.#write(this.statements.dropStreamRecords(stream))
  }
}
