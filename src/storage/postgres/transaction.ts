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
 *   transactions do not wait for each other's. Once a write has been sent, the transaction has
 *   its id, which orders its changes in the log (statements.ts): a lock it then needs is only
 *   tried, and if another transaction holds it this one fails as a conflict and runs again; so
 *   a transaction that waited for an item always gets a larger id than the one it waited for,
 *   and the item's changes stay in commit order.
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
import { mapPostgresError } from './errors.js'
import { Sql } from './sql.js'
import { changeOrdinalsPerTransaction, type KeyLockMode, type Statements } from './statements.js'
import { PostgresQueries, postgresStatistics } from './views.js'

const beginSerializable = new Sql('BEGIN ISOLATION LEVEL SERIALIZABLE')
const beginByKey = new Sql('BEGIN ISOLATION LEVEL READ COMMITTED')
const commit = new Sql('COMMIT')

export class PostgresTransaction extends PostgresQueries implements Transaction {
  protected readonly waitsForWatermark = false
  readonly #client: pg.PoolClient
  /** Isolated by key locks rather than serializable (the file comment). */
  readonly #byKey: boolean
  #pending: Sql[] = []
  /** Whether a statement in #pending may give the transaction its id (a write). */
  #pendingAssignsId = false
  /** Whether one has been sent: a lock asked for after that is only tried. */
  #idMayBeAssigned = false
  /** The advisory locks held or queued, with the strongest mode asked for. */
  readonly #locks = new Map<bigint, KeyLockMode>()
  /** Lock statements waiting for the next batch, which they lead, ordered by id. */
  #pendingLocks: Array<{ id: bigint; statement: Sql }> = []
  /** What the commit announces to other nodes (listener.ts). */
  readonly #topics = new Set<CommitTopic>()
  /** The expectState checks already queued or sent. */
  readonly #expectations = new Set<string>()
  /** Changes appended so far: the next one's ordinal within this transaction. */
  #appended = 0
  #begun = false
  #ended = false

  constructor(client: pg.PoolClient, statements: Statements, byKey: boolean) {
    super(statements)
    this.#client = client
    this.#byKey = byKey
  }

  /** True once BEGIN has been sent: the connection then needs a ROLLBACK if commit() is not reached. */
  get begun(): boolean {
    return this.#begun
  }

  /** Sends what is pending with COMMIT. A transaction that neither read nor wrote sends nothing. */
  async commit(): Promise<void> {
    if (!this.#begun && this.#pending.length === 0) return
    for (const topic of this.#topics) this.#pending.push(this.statements.notify(topic))
    await this.#send(commit)
  }

  /** After commit or rollback: later calls are a programmer error (fn kept tx past its promise). */
  end(): void {
    this.#ended = true
  }

  protected async query(statement: Sql, assignsId = false): Promise<Record<string, unknown>[]> {
    const results = await this.#send(statement, assignsId)
    return results.at(-1)!.rows
  }

  async #send(last: Sql, lastAssignsId = false): Promise<pg.QueryResult[]> {
    if (this.#ended) throw new Error('Transaction used after it ended')
    const locks = this.#pendingLocks.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((lock) => lock.statement)
    const batch = [...locks, ...this.#pending, last]
    if (!this.#begun) batch.unshift(this.#byKey ? beginByKey : beginSerializable)
    if (this.#pendingAssignsId || lastAssignsId) this.#idMayBeAssigned = true
    this.#pending = []
    this.#pendingLocks = []
    this.#pendingAssignsId = false
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

  /** Queues the lock unless it is held (or queued) in this mode or a stronger one. */
  #lock(id: bigint, mode: KeyLockMode): void {
    const held = this.#locks.get(id)
    if (held === 'exclusive' || held === mode) return
    this.#locks.set(id, mode)
    // Serializable transactions always wait: their order comes from PostgreSQL, not from ids.
    const wait = !this.#byKey || !this.#idMayBeAssigned
    this.#pendingLocks.push({ id, statement: this.statements.keyLock(id, mode, wait) })
  }

  #lockItem(table: TableId, key: Buffer): void {
    this.#lock(this.statements.itemLockId(table, key), 'exclusive')
  }

  #lockState(namespace: string, key: string, mode: KeyLockMode): void {
    this.#lock(this.statements.stateLockId(namespace, key), mode)
  }

  /** By key, an item read is a write's first step: its lock is taken first (the file comment). */
  override getStoredItems(table: TableId, keys: readonly Buffer[]): Promise<Array<StoredItem | undefined>> {
    if (this.#byKey) for (const key of keys) this.#lockItem(table, key)
    return super.getStoredItems(table, keys)
  }

  override getItem(table: TableId, key: Buffer): Promise<string | undefined> {
    if (this.#byKey) this.#lockItem(table, key)
    return super.getItem(table, key)
  }

  override getState(namespace: string, key: string): Promise<string | undefined> {
    if (this.#byKey) this.#lockState(namespace, key, 'exclusive')
    return super.getState(namespace, key)
  }

  putItem(table: TableId, key: Buffer, json: string, sizeBytes: number, expiresAtSeconds?: number): Promise<void> {
    this.#lockItem(table, key)
    return this.#write(this.statements.putItem(table, key, json, sizeBytes, expiresAtSeconds))
  }

  async loadItems(table: TableId, items: readonly LoadedItem[]): Promise<void> {
    for (const statement of this.statements.loadItems(table, items)) await this.#write(statement)
  }

  async copyItemRows(from: TableId, to: TableId, after: Buffer | undefined, limit: number): Promise<CopiedRows> {
    const [row] = await this.query(this.statements.copyItemRows(from, to, after, limit), true)
    return { count: Number(row!.count), bytes: Number(row!.bytes), lastKey: (row!.last_key as Buffer | null) ?? undefined }
  }

  setExpiry(table: TableId, key: Buffer, expiresAtSeconds: number | undefined): Promise<void> {
    this.#lockItem(table, key)
    return this.#write(this.statements.setExpiry(table, key, expiresAtSeconds))
  }

  deleteItem(table: TableId, key: Buffer): Promise<void> {
    this.#lockItem(table, key)
    return this.#write(this.statements.deleteItem(table, key))
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

  putState(namespace: string, key: string, value: string): Promise<void> {
    this.#lockState(namespace, key, 'exclusive')
    return this.#write(this.statements.putState(namespace, key, value))
  }

  deleteState(namespace: string, key: string): Promise<void> {
    this.#lockState(namespace, key, 'exclusive')
    return this.#write(this.statements.deleteState(namespace, key))
  }

  /** Travels with the next statement like a write; the same expectation is sent once (a batch's 25 items of one table). */
  expectState(namespace: string, key: string, value: string | undefined): Promise<void> {
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
