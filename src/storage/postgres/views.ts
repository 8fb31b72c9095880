/**
 * The ReadView methods over the statements of statements.ts, for any way of running a query:
 * on the pool (reads of committed state) or inside a transaction (transaction.ts). Rows come
 * in PostgreSQL's text format; node-postgres turns bytea into Buffers, bigint and sums stay
 * strings, converted here.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type pg from 'pg'
import type {
  CatalogEntry, ChangeRecord, IndexName, JoinedRows, KeyRange, ReadView, Row, StateEntry, StoredItem, StreamRecordRow,
  TableId,
} from '../engine.js'
import { joinRows } from '../joined-rows.js'
import { mapPostgresError } from './errors.js'
import type { Sql } from './sql.js'
import type { Statements } from './statements.js'

type ResultRow = Record<string, unknown>

/** How often, and how far apart, a read asks again for changes held back by the watermark. */
const watermarkWaitAttempts = 20
const watermarkWaitMs = 2

/** Round trips to the database, counted where queries are sent (reported by tests and benchmarks). */
export const postgresStatistics = { roundTrips: 0 }

export abstract class PostgresQueries implements ReadView {
  protected readonly statements: Statements

  constructor(statements: Statements) {
    this.statements = statements
  }

  /** Runs one statement (with whatever else must travel with it) and returns its rows. */
  protected abstract query(statement: Sql): Promise<ResultRow[]>

  async getItem(table: TableId, key: Buffer): Promise<string | undefined> {
    return (await this.query(this.statements.getItem(table, key)))[0]?.json_text as string | undefined
  }

  async getStoredItems(table: TableId, keys: readonly Buffer[]): Promise<Array<StoredItem | undefined>> {
    if (keys.length === 0) return []
    const found = new Map<string, StoredItem>()
    for (const row of await this.query(this.statements.getStoredItems(table, keys))) {
      found.set((row.key as Buffer).toString('hex'), { json: row.json_text as string, sizeBytes: Number(row.size) })
    }
    return keys.map((key) => found.get(key.toString('hex')))
  }

  rangeItems(table: TableId, range: KeyRange, limit: number): Promise<Row[]> {
    return this.#range(table, undefined, range, limit)
  }

  rangeIndex(table: TableId, index: IndexName, range: KeyRange, limit: number): Promise<Row[]> {
    return this.#range(table, index, range, limit)
  }

  async rangeJoined(table: TableId, index: IndexName | undefined, range: KeyRange, limit: number): Promise<JoinedRows> {
    return joinRows(await this.#range(table, index, range, limit))
  }

  async getIndexEntry(table: TableId, index: IndexName, key: Buffer): Promise<string | undefined> {
    return (await this.query(this.statements.getIndexEntry(table, index, key)))[0]?.json_text as string | undefined
  }

  /**
   * Only final changes (below the watermark, statements.ts): a reader never passes a sequence
   * whose transaction may still commit. When a committed change is held back by an older
   * transaction still running, a read outside a transaction asks again a few times (such
   * transactions last a round trip or two), so a reader sees a commit as soon as it can.
   */
  async readChanges(table: TableId, afterSequence: number, limit: number): Promise<ChangeRecord[]> {
    if (limit <= 0) return []
    for (let attempt = 1; ; attempt++) {
      const rows = await this.query(this.statements.readChanges(table, afterSequence, limit))
      const finalRows = rows.findIndex((row) => row.final !== true)
      if (finalRows === -1) return rows.map((row) => toChangeRecord(table, row))
      if (!this.waitsForWatermark || attempt >= watermarkWaitAttempts) {
        return rows.slice(0, finalRows).map((row) => toChangeRecord(table, row))
      }
      await sleep(watermarkWaitMs)
    }
  }

  /** Every committed change, the ones not yet final marked provisional (ReadView.readVisibleChanges). */
  async readVisibleChanges(table: TableId, afterSequence: number, limit: number): Promise<ChangeRecord[]> {
    if (limit <= 0) return []
    const rows = await this.query(this.statements.readChanges(table, afterSequence, limit))
    return rows.map((row) => {
      const change = toChangeRecord(table, row)
      if (row.final !== true) change.provisional = true
      return change
    })
  }

  /** Whether a new statement can see a later watermark (false inside a transaction: its snapshot is fixed). */
  protected abstract readonly waitsForWatermark: boolean

  async lastChangeSequence(table: TableId): Promise<number> {
    const rows = await this.query(this.statements.lastChangeSequence(table))
    return rows.length === 0 ? 0 : Number(rows[0]!.last_sequence)
  }

  async changesFinalBelow(): Promise<number> {
    return Number((await this.query(this.statements.changesFinalBelow()))[0]!.watermark)
  }

  async itemStats(table: TableId): Promise<{ count: number; bytes: number }> {
    return toStats((await this.query(this.statements.itemStats(table)))[0]!)
  }

  async indexStats(table: TableId, index: IndexName): Promise<{ count: number; bytes: number }> {
    return toStats((await this.query(this.statements.indexStats(table, index)))[0]!)
  }

  async listCatalog(): Promise<CatalogEntry[]> {
    const rows = await this.query(this.statements.listCatalog())
    const entries = rows.map((row) => ({ name: row.name as string, tableId: row.table_id as string, json: row.json_text as string }))
    return entries.sort((a, b) => compareUtf8(a.name, b.name))
  }

  async expiredItems(table: TableId, atOrBeforeSeconds: number, limit: number): Promise<Row[]> {
    if (limit <= 0) return []
    return toRows(await this.query(this.statements.expiredItems(table, atOrBeforeSeconds, limit)))
  }

  async getState(namespace: string, key: string): Promise<string | undefined> {
    return (await this.query(this.statements.getState(namespace, key)))[0]?.value as string | undefined
  }

  async bytesWithKeyPrefix(table: TableId, index: IndexName | undefined, prefix: Buffer): Promise<number> {
    return Number((await this.query(this.statements.bytesWithKeyPrefix(table, index, prefix)))[0]!.bytes)
  }

  async listState(namespace: string): Promise<StateEntry[]> {
    const rows = await this.query(this.statements.listState(namespace))
    const entries = rows.map((row) => ({ key: row.key as string, value: row.value as string }))
    return entries.sort((a, b) => compareUtf8(a.key, b.key))
  }

  async readStreamRecords(stream: string, shard: number, afterOrdinal: number, limit: number): Promise<StreamRecordRow[]> {
    if (limit <= 0) return []
    const rows = await this.query(this.statements.readStreamRecords(stream, shard, afterOrdinal, limit))
    return rows.map((row) => ({
      stream, shard, ordinal: Number(row.ordinal), arrivalMs: Number(row.arrival_ms),
      partitionKey: row.partition_key as string, data: row.data as Buffer,
    }))
  }

  async lastStreamRecord(stream: string, shard: number): Promise<{ ordinal: number; arrivalMs: number } | undefined> {
    const row = (await this.query(this.statements.lastStreamRecord(stream, shard)))[0]
    return row === undefined ? undefined : { ordinal: Number(row.ordinal), arrivalMs: Number(row.arrival_ms) }
  }

  async lastStreamOrdinals(stream: string, shards: readonly number[]): Promise<Map<number, number>> {
    if (shards.length === 0) return new Map()
    const rows = await this.query(this.statements.lastStreamOrdinals(stream, shards))
    return new Map(rows.map((row) => [Number(row.shard), Number(row.ordinal)]))
  }

  async #range(table: TableId, index: IndexName | undefined, range: KeyRange, limit: number): Promise<Row[]> {
    if (limit <= 0) return []
    return toRows(await this.query(this.statements.range({ table, index }, range, limit)))
  }
}

/** Reads of committed state: each statement on whichever pooled connection is free. */
export class PoolReadView extends PostgresQueries {
  protected readonly waitsForWatermark = true
  readonly #pool: pg.Pool

  constructor(pool: pg.Pool, statements: Statements) {
    super(statements)
    this.#pool = pool
  }

  protected async query(statement: Sql): Promise<ResultRow[]> {
    postgresStatistics.roundTrips++
    try {
      return (await this.#pool.query(statement.text)).rows
    } catch (error) {
      throw mapPostgresError(error)
    }
  }
}

/**
 * Text keys (catalog names, state keys) in the order SQLite's BINARY collation gives them, UTF-8
 * bytes, whatever collation the PostgreSQL database was created with. Sorted here rather than
 * with COLLATE "C", which not every PostgreSQL-wire database spells the same way.
 */
function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

function toRows(rows: ResultRow[]): Row[] {
  return rows.map((row) => ({ key: row.key as Buffer, json: row.json_text as string, size: Number(row.size) }))
}

function toStats(row: ResultRow): { count: number; bytes: number } {
  return { count: Number(row.count), bytes: Number(row.bytes) }
}

function toChangeRecord(tableId: TableId, row: ResultRow): ChangeRecord {
  const record: ChangeRecord = {
    tableId,
    sequence: Number(row.sequence),
    eventName: row.event as ChangeRecord['eventName'],
    key: row.key as Buffer,
    keysJson: row.keys_json as string,
    timeMicros: Number(row.time_us),
    originRegion: row.origin_region as string,
  }
  if (row.old_json !== null) record.oldImageJson = row.old_json as string
  if (row.new_json !== null) record.newImageJson = row.new_json as string
  if (row.identity_json !== null) record.identity = JSON.parse(row.identity_json as string)
  return record
}
