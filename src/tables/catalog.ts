/**
 * The table catalog of one region: every table's stored record, kept in memory for the hot
 * path (a Map lookup per request) and persisted as catalog rows through the storage seam.
 *
 * Control-plane changes go through one queue, so two UpdateTables on a table cannot both start
 * from the same old record and lose one another's change; across nodes, each change checks that
 * the record it started from is still the stored one (definition-version.ts). Records in memory are replaced,
 * never edited in place (except by settleRecord, whose result is a pure function of the clock
 * and the stored record, so it needs no write).
 */
import type { Clock } from '../api/context.js'
import { ResourceInUseException, ResourceNotFoundException } from '../errors.js'
import type { Logger } from '../log.js'
import type { CatalogEntry, StorageEngine, Transaction } from '../storage/engine.js'
import { StateMismatch } from '../storage/errors.js'
import type { TableSchema } from './schema.js'
import type { TableRecord } from './record.js'
import { cloneRecord, isBeingFilled, schemaOf, settleRecord } from './record.js'
import type { LiveStats } from './describe.js'
import { describeRecord, tableArn } from './describe.js'
import { GlobalIndexBackfill, type BackfillRunner } from './backfill.js'
import { markCatalogChanged, readCatalogVersion } from './catalog-version.js'
import { expectDefinition, markDefinitionDeleted, markDefinitionStored } from './definition-version.js'
import { dropItemCollectionBytes } from '../items/item-collection-bytes.js'

export interface CatalogOptions {
  /** How long a new table stays CREATING; 0 makes it ACTIVE from the next request on. */
  tableCreateDelayMs?: number
  /** Items copied per storage transaction when a new GSI is backfilled. */
  backfillPageItems?: number
  log?: Logger
  /** From this many items on, DescribeTable's figures are counted at most every describedStatsMaxAgeMs (tests lower it). */
  describedStatsCachedFromItems?: number
}

/**
 * DescribeTable counts a table's items and sizes live, exactly, while the table is small. From
 * this many items on, a count takes tens of milliseconds of the server's CPU or more (290 ms at
 * 1M items on SQLite), so clients polling DescribeTable (SDK waiters, the console, CI scripts)
 * get the figures of the last count, taken at most describedStatsMaxAgeMs ago, and concurrent
 * calls share one count. DynamoDB itself refreshes these figures about every six hours.
 */
const describedStatsCachedFromItems = 100_000
const describedStatsMaxAgeMs = 60_000

interface CountedStats {
  stats: LiveStats
  atMs: number
}

/** Runs of a catalog change that found its record changed by another node, the first included. */
const staleRecordAttemptsMax = 4

interface CatalogTable {
  record: TableRecord
  schema: TableSchema
}

function parseRecord(json: string): TableRecord {
  const record = JSON.parse(json) as TableRecord
  if (record.version !== 1) throw new Error(`unknown catalog record version ${String(record.version)}`)
  return record
}

/**
 * Inside a transaction: stores a copy of `record` as its table's catalog row, after `alongside`
 * has written what goes with it and edited the copy. A copy per run, so a run that storage repeats
 * after a conflict starts from the same record.
 */
async function storeCopy(
  tx: Transaction, record: TableRecord, alongside?: (tx: Transaction, record: TableRecord) => Promise<void>,
): Promise<TableRecord> {
  const draft = cloneRecord(record)
  if (alongside) await alongside(tx, draft)
  const name = draft.description.TableName
  await markDefinitionStored(tx, draft)
  await tx.putCatalogEntry({ name, tableId: draft.description.TableId, json: JSON.stringify(draft) })
  await markCatalogChanged(tx)
  return draft
}

export class TableCatalog {
  readonly storage: StorageEngine
  readonly region: string
  readonly accountId: string
  readonly clock: Clock
  readonly tableCreateDelayMs: number
  readonly #tables = new Map<string, CatalogTable>()
  /** Names with a CreateTable in flight, so that two concurrent creates cannot both succeed. */
  /** Creates running on this node, by table name. */
  readonly #creating = new Map<string, Promise<TableRecord>>()
  #changes: Promise<unknown> = Promise.resolve()
  readonly #backfill: GlobalIndexBackfill
  /** The catalog version token as last read (catalog-version.ts); this node's own changes move it too. */
  #version: string | undefined
  /** Counts changes to #tables, so that a refresh read before one of them is not applied over it. */
  #generation = 0
  readonly #describedStatsCachedFromItems: number
  /** The last count of each large table (TableId → figures), for DescribeTable. */
  readonly #largeTableStats = new Map<string, CountedStats>()
  /** Counts of large tables running now, shared by the DescribeTable calls that arrive meanwhile. */
  readonly #largeTableCounts = new Map<string, Promise<LiveStats>>()

  constructor(storage: StorageEngine, region: string, accountId: string, clock: Clock, options: CatalogOptions = {}) {
    this.storage = storage
    this.region = region
    this.accountId = accountId
    this.clock = clock
    this.tableCreateDelayMs = options.tableCreateDelayMs ?? 0
    this.#backfill = new GlobalIndexBackfill(this, options.backfillPageItems ?? 100, options.log)
    this.#describedStatsCachedFromItems = options.describedStatsCachedFromItems ?? describedStatsCachedFromItems
  }

  /** Reads every catalog row into memory, and resumes GSI backfills a restart interrupted. */
  async load(): Promise<void> {
    const { version, entries } = await this.storage.read(async (view) => ({
      version: await readCatalogVersion(view),
      entries: await view.listCatalog(),
    }))
    this.#replaceAll(entries, version)
    this.resumeBackfills()
  }

  /** How GSI backfills run (regions.ts: as leased jobs); set before load(), which resumes them. */
  runBackfillsWith(runner: BackfillRunner): void {
    this.#backfill.runner = runner
  }

  /**
   * Starts a backfill for every index still being filled, unless it runs here already: at load,
   * and (on shared storage) again every few seconds, so that one a dead node left is taken up
   * once its lease expires.
   */
  resumeBackfills(): void {
    for (const { record } of this.#tables.values()) {
      for (const index of record.description.GlobalSecondaryIndexes ?? []) {
        if (index.IndexStatus === 'CREATING' && index.Backfilling) {
          this.#backfill.start(record.description.TableName, index.IndexName)
        }
      }
    }
  }

  /**
   * Reloads the table definitions if any node (this one included) changed the catalog since they
   * were last read (see catalog-refresh.ts). GSI backfills stay with the node that started them.
   */
  async refresh(): Promise<void> {
    const generation = this.#generation
    const changed = await this.storage.read(async (view) => {
      const version = await readCatalogVersion(view)
      return version === this.#version ? undefined : { version, entries: await view.listCatalog() }
    })
    // A change made here meanwhile may be newer than what was read; the next refresh catches up.
    if (changed && generation === this.#generation) this.#replaceAll(changed.entries, changed.version)
  }

  #replaceAll(entries: CatalogEntry[], version: string | undefined): void {
    this.#tables.clear()
    for (const entry of entries) {
      const record = parseRecord(entry.json)
      this.#tables.set(entry.name, { record, schema: schemaOf(record) })
    }
    this.#version = version
    this.#generation++
  }

  #settled(name: string): CatalogTable | undefined {
    const table = this.#tables.get(name)
    if (table && settleRecord(table.record, this.clock.now())) table.schema = schemaOf(table.record)
    return table
  }

  get(name: string): TableSchema | undefined {
    return this.#settled(name)?.schema
  }

  /** Whether any table here belongs to a strongly consistent global table, as of the catalog's generation. */
  #strongTables = { generation: -1, any: false }

  /**
   * Whether any table here belongs to a strongly consistent global table: only then do requests
   * settle their writes after the operation (api/context.ts runOperation). Recounted when the
   * catalog changes, not per request.
   */
  get holdsStrongTables(): boolean {
    if (this.#strongTables.generation !== this.#generation) {
      const any = [...this.#tables.values()].some((table) => table.schema.strongConsistency === true)
      this.#strongTables = { generation: this.#generation, any }
    }
    return this.#strongTables.any
  }

  /**
   * The data plane's lookup: DynamoDB's data-plane message names no table. A table being
   * restored or imported is not there for the data plane until its items are all in: a write
   * then would race the job's own (which stores its rows without reading them first).
   */
  require(name: string): TableSchema {
    const table = this.#settled(name)
    if (!table || isBeingFilled(table.record)) {
      throw new ResourceNotFoundException('Requested resource not found')
    }
    return table.schema
  }

  /** The stored record (read-only: change it through update()). */
  record(name: string): TableRecord | undefined {
    return this.#settled(name)?.record
  }

  /** The control plane's lookup, with the message DescribeTable/UpdateTable/DeleteTable give. */
  requireRecord(name: string): TableRecord {
    const record = this.record(name)
    if (!record) throw new ResourceNotFoundException(`Requested resource not found: Table: ${name} not found`)
    return record
  }

  /**
   * The control plane's lookup for a table's settings (UpdateTable, TTL, tags, resource policy,
   * Contributor Insights, backups): a table being restored is not there for them until its items
   * are all in, as DynamoDB answers (an API-quirks lab, against AWS, 2026-10, DDB-TABLE-217);
   * DescribeTable and DeleteTable see it.
   */
  settingsRecord(name: string): TableRecord | undefined {
    const record = this.record(name)
    return record?.description.RestoreSummary?.RestoreInProgress ? undefined : record
  }

  /** settingsRecord(), or the message requireRecord() gives. */
  requireSettingsRecord(name: string): TableRecord {
    const record = this.settingsRecord(name)
    if (!record) throw new ResourceNotFoundException(`Requested resource not found: Table: ${name} not found`)
    return record
  }

  recordByArn(arn: string): TableRecord | undefined {
    const prefix = tableArn(this.region, this.accountId, '')
    if (!arn.startsWith(prefix)) return undefined
    const record = this.record(arn.slice(prefix.length))
    return record?.description.TableArn === arn ? record : undefined
  }

  /** Table names in ListTables order. */
  names(): string[] {
    return [...this.#tables.keys()].sort()
  }

  /** Live ItemCount and sizes of a table and its indexes. */
  async stats(record: TableRecord): Promise<LiveStats> {
    const description = record.description
    const indexNames = [
      ...(description.LocalSecondaryIndexes ?? []).map((index) => index.IndexName),
      ...(description.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName),
    ]
    return this.storage.read(async (view) => {
      const table = await view.itemStats(description.TableId)
      const indexes: LiveStats['indexes'] = {}
      for (const name of indexNames) indexes[name] = await view.indexStats(description.TableId, name)
      return { table, indexes }
    })
  }

  /** The full TableDescription, with live statistics (a large table's may be a minute old). */
  async description(name: string): Promise<Record<string, unknown>> {
    const record = this.requireRecord(name)
    return describeRecord(record, await this.describedStats(record))
  }

  /** The figures DescribeTable shows: live for a small table, the last count's for a large one. */
  describedStats(record: TableRecord): Promise<LiveStats> {
    const tableId = record.description.TableId
    const last = this.#largeTableStats.get(tableId)
    if (last === undefined) return this.#count(record)
    if (this.clock.now() - last.atMs < describedStatsMaxAgeMs) return Promise.resolve(last.stats)
    let counting = this.#largeTableCounts.get(tableId)
    if (counting === undefined) {
      counting = this.#count(record).finally(() => this.#largeTableCounts.delete(tableId))
      this.#largeTableCounts.set(tableId, counting)
    }
    return counting
  }

  /** Counts live and remembers the figures when the table is large (only then: the map stays small). */
  async #count(record: TableRecord): Promise<LiveStats> {
    const tableId = record.description.TableId
    const stats = await this.stats(record)
    if (stats.table.count >= this.#describedStatsCachedFromItems) this.#largeTableStats.set(tableId, { stats, atMs: this.clock.now() })
    else this.#largeTableStats.delete(tableId)
    return stats
  }

  #enqueue<T>(change: () => Promise<T>): Promise<T> {
    const result = this.#changes.then(change)
    this.#changes = result.catch(() => undefined)
    return result
  }

  #put(record: TableRecord): void {
    this.#tables.set(record.description.TableName, { record, schema: schemaOf(record) })
    this.#generation++
  }

  /**
   * Stores a new table; ResourceInUseException if the name is taken (in any process).
   * `alongside` writes what must commit with it (the table's stream) and may still edit the
   * record it is given: a copy per run of the transaction, so a run that storage repeats after a
   * conflict leaves no edit behind. Returns the record as stored.
   */
  async create(record: TableRecord, alongside?: (tx: Transaction, record: TableRecord) => Promise<void>): Promise<TableRecord> {
    const name = record.description.TableName
    if (this.#tables.has(name) || this.#creating.has(name)) {
      throw new ResourceInUseException(`Table already exists: ${name}`)
    }
    const creating = (async () => {
      const stored = await this.storage.transact(async (tx) => {
        const existing = await tx.listCatalog()
        if (existing.some((entry) => entry.name === name)) {
          throw new ResourceInUseException(`Table already exists: ${name}`)
        }
        return storeCopy(tx, record, alongside)
      })
      this.#put(stored)
      return stored
    })()
    this.#creating.set(name, creating)
    try {
      return await creating
    } finally {
      this.#creating.delete(name)
    }
  }

  /**
   * Resolves once a create of this name that is running on this node has ended, whichever way
   * (at once when none is): a request refused because the name is being created may then look
   * at what that create stored (ImportTable's ClientToken replay).
   */
  async createEnded(name: string): Promise<void> {
    await this.#creating.get(name)?.catch(() => undefined)
  }

  /**
   * Changes a table's record: `change` edits a copy (and may throw a DynamoError to refuse),
   * `alongside` writes anything else that must commit with it (dropping an index's rows, stream
   * history) and may still edit the draft: a copy per run of the transaction, as in create().
   * Returns the record as stored.
   */
  update(
    name: string,
    change: (draft: TableRecord) => void,
    alongside?: (tx: Transaction, record: TableRecord) => Promise<void>,
  ): Promise<TableRecord> {
    return this.#enqueue(() => this.#onCurrentRecord(name, async (current) => {
      const changed = cloneRecord(current)
      change(changed)
      const stored = await this.storage.transact(async (tx) => {
        await expectDefinition(tx, this.storage, name, current.definitionVersion)
        return storeCopy(tx, changed, alongside)
      })
      this.#put(stored)
      return stored
    }))
  }

  /**
   * Deletes a table's catalog row and all its item and index rows; returns the old record.
   * `alongside` writes what must commit with it (disabling the table's stream), and returns
   * true to keep the rows (a system backup of a PITR table takes them over).
   *
   * The rows go in a second transaction, once the table is deleted: dropping them reads every row
   * of the table, which in the deleting transaction made each write still running on another node
   * a read/write conflict with it, and the delete failed under a steady write load. Once the
   * definition reads `deleted`, a write can commit only if it began before (it is ordered before
   * the delete by its definition check), and such a write either committed before the drop's
   * snapshot, whose rows the drop removes, or is a serialization failure between the two: the
   * write runs again and finds the table gone, or the drop does and removes its rows.
   */
  remove(name: string, alongside?: (tx: Transaction, record: TableRecord) => Promise<void | boolean>): Promise<TableRecord> {
    return this.#enqueue(() => this.#onCurrentRecord(name, async (record) => {
      const keepRows = await this.storage.transact(async (tx) => {
        await expectDefinition(tx, this.storage, name, record.definitionVersion)
        const kept = alongside ? await alongside(tx, record) : false
        await tx.deleteCatalogEntry(name)
        await markDefinitionDeleted(tx, name)
        await markCatalogChanged(tx)
        return kept === true
      })
      this.#tables.delete(name)
      this.#generation++
      if (!keepRows) await this.storage.transact((tx) => tx.dropTableData(record.description.TableId))
      if (record.description.LocalSecondaryIndexes?.length) await dropItemCollectionBytes(this.storage, record.description.TableId)
      return record
    }))
  }

  /**
   * Runs `change` on the table's current record. When another node changed the record since this
   * node read it (the change's transaction fails its definition check, definition-version.ts),
   * reloads the catalog and runs `change` again on the record as it now is, rather than
   * overwriting the other node's change; a table deleted meanwhile is ResourceNotFoundException.
   */
  async #onCurrentRecord<T>(name: string, change: (current: TableRecord) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await change(this.requireRecord(name))
      } catch (error) {
        if (!(error instanceof StateMismatch) || attempt >= staleRecordAttemptsMax) throw error
        await this.refresh()
      }
    }
  }

  /** Starts filling a GSI that UpdateTable just added in CREATING/Backfilling state. */
  startBackfill(tableName: string, indexName: string): void {
    this.#backfill.start(tableName, indexName)
  }

  /** How many items a running GSI backfill has walked so far; undefined when none runs. */
  backfillItemsWalked(tableName: string, indexName: string): number | undefined {
    return this.#backfill.itemsWalked(tableName, indexName)
  }

  /** Resolves once every background backfill has finished (tests, shutdown). */
  whenIdle(): Promise<void> {
    return this.#backfill.whenIdle()
  }
}
