/**
 * One serializable transaction on a pooled connection, sent in as few round trips as possible.
 *
 * Writes do not go to the database when they are called: they wait in `#pending` and travel with
 * the next statement that needs an answer, as one multi-statement query (sql.ts explains why
 * the values are literals). BEGIN travels with the first batch and COMMIT with the last. So a
 * PutItem (read the current item; write the item, its index rows and its change record; commit)
 * costs two round trips, and a write with nothing to read costs one.
 *
 * A pending write that fails (it should not: constraints are never expected to be hit) fails the
 * batch it travels in, so the read or the commit after it throws, and the transaction rolls back.
 */
import type pg from 'pg'
import type { CatalogEntry, CommitTopic, CopiedRows, IndexName, LoadedItem, NewChangeRecord, StreamRecordRow, TableId, Transaction } from '../engine.js'
import { mapPostgresError } from './errors.js'
import { Sql } from './sql.js'
import { changeOrdinalsPerTransaction, type Statements } from './statements.js'
import { PostgresQueries, postgresStatistics } from './views.js'

const begin = new Sql('BEGIN ISOLATION LEVEL SERIALIZABLE')
const commit = new Sql('COMMIT')

export class PostgresTransaction extends PostgresQueries implements Transaction {
  protected readonly waitsForWatermark = false
  readonly #client: pg.PoolClient
  #pending: Sql[] = []
  /** What the commit announces to other nodes (listener.ts). */
  readonly #topics = new Set<CommitTopic>()
  /** The expectState checks already queued or sent. */
  readonly #expectations = new Set<string>()
  /** Changes appended so far: the next one's ordinal within this transaction. */
  #appended = 0
  #begun = false
  #ended = false

  constructor(client: pg.PoolClient, statements: Statements) {
    super(statements)
    this.#client = client
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

  protected async query(statement: Sql): Promise<Record<string, unknown>[]> {
    const results = await this.#send(statement)
    return results.at(-1)!.rows
  }

  async #send(last: Sql): Promise<pg.QueryResult[]> {
    if (this.#ended) throw new Error('Transaction used after it ended')
    const batch = this.#begun ? [...this.#pending, last] : [begin, ...this.#pending, last]
    this.#pending = []
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

  #write(statement: Sql): Promise<void> {
    if (this.#ended) return Promise.reject(new Error('Transaction used after it ended'))
    this.#pending.push(statement)
    return Promise.resolve()
  }

  putItem(table: TableId, key: Buffer, json: string, sizeBytes: number, expiresAtSeconds?: number): Promise<void> {
    return this.#write(this.statements.putItem(table, key, json, sizeBytes, expiresAtSeconds))
  }

  async loadItems(table: TableId, items: readonly LoadedItem[]): Promise<void> {
    for (const statement of this.statements.loadItems(table, items)) await this.#write(statement)
  }

  async copyItemRows(from: TableId, to: TableId, after: Buffer | undefined, limit: number): Promise<CopiedRows> {
    const [row] = await this.query(this.statements.copyItemRows(from, to, after, limit))
    return { count: Number(row!.count), bytes: Number(row!.bytes), lastKey: (row!.last_key as Buffer | null) ?? undefined }
  }

  setExpiry(table: TableId, key: Buffer, expiresAtSeconds: number | undefined): Promise<void> {
    return this.#write(this.statements.setExpiry(table, key, expiresAtSeconds))
  }

  deleteItem(table: TableId, key: Buffer): Promise<void> {
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
    const [row] = await this.query(this.statements.transactionChangePosition(this.#appended))
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
    return this.#write(this.statements.putState(namespace, key, value))
  }

  deleteState(namespace: string, key: string): Promise<void> {
    return this.#write(this.statements.deleteState(namespace, key))
  }

  /** Travels with the next statement like a write; the same expectation is sent once (a batch's 25 items of one table). */
  expectState(namespace: string, key: string, value: string | undefined): Promise<void> {
    const expectation = JSON.stringify([namespace, key, value ?? null])
    if (this.#expectations.has(expectation)) return Promise.resolve()
    this.#expectations.add(expectation)
    return this.#write(this.statements.expectState(namespace, key, value))
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
