/**
 * Every statement the PostgreSQL engine runs, as SQL with literal values (see sql.ts), for the
 * tables of one region's schema. The same statements serve reads outside transactions and the
 * batches a transaction sends.
 */
import { createHash } from 'node:crypto'
import type { CatalogEntry, CommitTopic, IndexName, KeyRange, LoadedItem, NewChangeRecord, StreamRecordRow, TableId } from '../engine.js'
import { prefixEnd } from '../bytes.js'
import { identifier, joinSql, sql, Sql } from './sql.js'

/**
 * Change sequences: transaction id × this + the change's ordinal within its transaction. 2^12
 * changes per transaction (TransactWriteItems writes at most 100 items); sequences stay exact
 * JavaScript numbers (below 2^53) for the first 2^41 transaction ids of a database.
 */
export const changeOrdinalsPerTransaction = 4096

/**
 * Rows per INSERT of a bulk load: one statement's parse and plan serve them all, and the text of
 * a statement of 400-byte items stays around half a megabyte.
 */
const loadRowsPerStatement = 500

/** The base of this transaction's sequences (assigns it a transaction id if it had none). */
const transactionSequenceBase = new Sql(`pg_current_xact_id()::text::bigint * ${changeOrdinalsPerTransaction}`)

/**
 * The watermark: every transaction with an id below the snapshot's xmin has ended, so every change
 * below this sequence that will ever be visible is visible now. Taken from the statement's (or the
 * transaction's) own snapshot.
 */
const watermark = new Sql(`pg_snapshot_xmin(pg_current_snapshot())::text::bigint * ${changeOrdinalsPerTransaction}`)

/** The text whose failed cast to an integer reports an unmet expectState (errors.ts). */
export const stateMismatchMarker = 'eddydb: state entry is not the one expected'

/** An advisory lock a transaction holds until it ends: many may share one, or one holds it alone. */
export type KeyLockMode = 'shared' | 'exclusive'

/** Where a range scan looks: a table's item rows, or one of its secondary indexes. */
export interface RangeTarget {
  table: TableId
  index?: IndexName
}

/** The first 64 bits of a SHA-1 of the parts, as PostgreSQL's advisory locks take them (signed). */
function lockIdOf(schemaName: string, kind: string, name: string, key: Buffer): bigint {
  // Schema, kind and name hold no NUL, so the NULs keep the parts apart; the key comes last.
  return createHash('sha1').update(`${schemaName}\0${kind}\0${name}\0`).update(key).digest().readBigInt64BE(0)
}

/**
 * The advisory lock that says a node of schema version `version` has the schema open
 * (version-locks.ts): held shared by each such node, asked for alone by a newer node that would
 * migrate the schema from that version (schema.ts).
 */
export function schemaVersionLockId(schemaName: string, version: number): bigint {
  return lockIdOf(schemaName, 'schema-version', String(version), Buffer.alloc(0))
}

export class Statements {
  readonly #items: Sql
  readonly #indexEntries: Sql
  readonly #changes: Sql
  readonly #catalog: Sql
  readonly #state: Sql
  /** The LISTEN/NOTIFY channel of the region: its schema's name (listener.ts). */
  readonly #channel: Sql
  readonly #kinesisRecords: Sql

  readonly #schemaName: string

  constructor(schemaName: string) {
    this.#schemaName = schemaName
    const schema = identifier(schemaName)
    this.#channel = schema
    this.#items = sql`${schema}.items`
    this.#indexEntries = sql`${schema}.index_entries`
    this.#changes = sql`${schema}.changes`
    this.#catalog = sql`${schema}.catalog`
    this.#state = sql`${schema}.state`
    this.#kinesisRecords = sql`${schema}.kinesis_records`
  }

  /**
   * The advisory lock that stands for an item (transaction.ts): a 64-bit number from the
   * schema, table and key, so that nodes agree on it and other regions' keys rarely share it
   * (two keys sharing one only wait for each other, which is safe).
   */
  itemLockId(table: TableId, key: Buffer): bigint {
    return lockIdOf(this.#schemaName, 'item', table, key)
  }

  /** The advisory lock that stands for a state entry. */
  stateLockId(namespace: string, key: string): bigint {
    return lockIdOf(this.#schemaName, 'state', namespace, Buffer.from(key, 'utf8'))
  }

  /** Takes an advisory lock until the transaction ends, waiting for it if another transaction holds it. */
  keyLock(id: bigint, mode: KeyLockMode): Sql {
    return new Sql(`SELECT pg_advisory_xact_lock${mode === 'shared' ? '_shared' : ''}(${id})`)
  }

  /** Tells the region's listeners on every node of `topic`, when (and only if) the transaction commits. */
  notify(topic: CommitTopic): Sql {
    return sql`NOTIFY ${this.#channel}, ${topic}`
  }

  getItem(table: TableId, key: Buffer): Sql {
    return sql`SELECT json_text FROM ${this.#items} WHERE table_id = ${table} AND key = ${key}`
  }

  /**
   * One lookup of the whole primary key per key, in one statement. `key IN (...)` let the planner
   * match the index on table_id alone and filter the keys (it does when the table is new to its
   * statistics): that reads every row of the table, and in a SERIALIZABLE transaction it
   * predicate-locks every index page of the table (past 32 pages, the whole index), so every
   * write of any other key became a read/write conflict with the batch that read. Each exact
   * lookup locks only the index page where its key is or would be. `keys` must not be empty.
   */
  getStoredItems(table: TableId, keys: readonly Buffer[]): Sql {
    const lookups = keys.map((key) => sql`SELECT key, json_text, size FROM ${this.#items} WHERE table_id = ${table} AND key = ${key}`)
    return lookups.length === 1 ? lookups[0]! : joinSql(lookups.map((lookup) => sql`(${lookup})`), ' UNION ALL ')
  }

  getIndexEntry(table: TableId, index: IndexName, key: Buffer): Sql {
    return sql`SELECT json_text FROM ${this.#indexEntries}
      WHERE table_id = ${table} AND index_name = ${index} AND key = ${key}`
  }

  /** Rows (key, json_text, size) of items or index entries within `range`, in key order. */
  range(target: RangeTarget, range: KeyRange, limit: number): Sql {
    const conditions = [sql`table_id = ${target.table}`]
    if (target.index !== undefined) conditions.push(sql`index_name = ${target.index}`)
    if (range.start !== undefined) {
      conditions.push(range.startInclusive ? sql`key >= ${range.start}` : sql`key > ${range.start}`)
    }
    if (range.end !== undefined) {
      conditions.push(range.endInclusive ? sql`key <= ${range.end}` : sql`key < ${range.end}`)
    }
    const from = target.index === undefined ? this.#items : this.#indexEntries
    const direction = new Sql(range.reverse ? 'DESC' : 'ASC')
    return sql`SELECT key, json_text, size FROM ${from} WHERE ${joinSql(conditions, ' AND ')}
      ORDER BY key ${direction} LIMIT ${limit}`
  }

  /** The summed sizes of the item rows, or one index's rows, whose key starts with `prefix`. */
  bytesWithKeyPrefix(table: TableId, index: IndexName | undefined, prefix: Buffer): Sql {
    const conditions = [sql`table_id = ${table}`, sql`key >= ${prefix}`]
    if (index !== undefined) conditions.push(sql`index_name = ${index}`)
    const end = prefixEnd(prefix)
    if (end !== undefined) conditions.push(sql`key < ${end}`)
    const from = index === undefined ? this.#items : this.#indexEntries
    return sql`SELECT coalesce(sum(size), 0) AS bytes FROM ${from} WHERE ${joinSql(conditions, ' AND ')}`
  }

  itemStats(table: TableId): Sql {
    return sql`SELECT count(*) AS count, coalesce(sum(size), 0) AS bytes FROM ${this.#items} WHERE table_id = ${table}`
  }

  indexStats(table: TableId, index: IndexName): Sql {
    return sql`SELECT count(*) AS count, coalesce(sum(size), 0) AS bytes FROM ${this.#indexEntries}
      WHERE table_id = ${table} AND index_name = ${index}`
  }

  expiredItems(table: TableId, atOrBeforeSeconds: number, limit: number): Sql {
    return sql`SELECT key, json_text, size FROM ${this.#items}
      WHERE table_id = ${table} AND expires_at IS NOT NULL AND expires_at <= ${atOrBeforeSeconds}
      ORDER BY expires_at LIMIT ${limit}`
  }

  /**
   * The next changes after `afterSequence` in sequence order, each with `final`: whether its
   * sequence is below the watermark, so that no change below it can still commit.
   */
  readChanges(table: TableId, afterSequence: number, limit: number): Sql {
    return sql`SELECT sequence, key, event, time_us, origin_region, identity_json, keys_json, old_json, new_json,
        sequence < ${watermark} AS final
      FROM ${this.#changes} WHERE table_id = ${table} AND sequence > ${afterSequence}
      ORDER BY sequence LIMIT ${limit}`
  }

  /**
   * The highest sequence appended (0 when the log is empty). A change still uncommitted may
   * commit below it later; readers never pass it before it is final (readChanges), and a shard
   * closed at this sequence holds it.
   */
  lastChangeSequence(table: TableId): Sql {
    return sql`SELECT coalesce(max(sequence), 0) AS last_sequence FROM ${this.#changes} WHERE table_id = ${table}`
  }

  /**
   * Inside a transaction, its position in every table's log without reading the log: just below
   * its own sequences, plus the `appended` changes it made itself. Every change committed before
   * the transaction began has a smaller transaction id, so lies at or below it; every transaction
   * that begins after this one commits gets a larger id, so lies above it. Reading max(sequence)
   * instead would make each concurrent append to the table a read/write conflict with this
   * transaction (a stream enabled or disabled, a trigger's LATEST, a shard rolled over).
   */
  transactionChangePosition(appended: number): Sql {
    return sql`SELECT ${transactionSequenceBase} + ${appended - 1} AS last_sequence`
  }

  /** The watermark of the statement's snapshot (ReadView.changesFinalBelow). */
  changesFinalBelow(): Sql {
    return sql`SELECT ${watermark} AS watermark`
  }

  listCatalog(): Sql {
    return sql`SELECT name, table_id, json_text FROM ${this.#catalog}`
  }

  getState(namespace: string, key: string): Sql {
    return sql`SELECT value FROM ${this.#state} WHERE namespace = ${namespace} AND key = ${key}`
  }

  listState(namespace: string): Sql {
    return sql`SELECT key, value FROM ${this.#state} WHERE namespace = ${namespace}`
  }

  putItem(table: TableId, key: Buffer, json: string, sizeBytes: number, expiresAtSeconds: number | undefined): Sql {
    return sql`INSERT INTO ${this.#items} (table_id, key, json_text, size, expires_at)
      VALUES (${table}, ${key}, ${json}, ${sizeBytes}, ${expiresAtSeconds})
      ON CONFLICT (table_id, key) DO UPDATE
      SET json_text = excluded.json_text, size = excluded.size, expires_at = excluded.expires_at`
  }

  /**
   * A bulk load (Transaction.loadItems) as multi-row INSERTs: plain inserts, since none of the
   * keys is stored yet. Empty when there is nothing to insert.
   */
  loadItems(table: TableId, items: readonly LoadedItem[]): Sql[] {
    const itemRows = items.map((item) => sql`(${table}, ${item.key}, ${item.json}, ${item.sizeBytes}, ${item.expiresAtSeconds})`)
    const indexRows = items.flatMap((item) => item.indexEntries.map((entry) =>
      sql`(${table}, ${entry.index}, ${entry.key}, ${entry.json}, ${entry.sizeBytes})`))
    const statements: Sql[] = []
    for (let start = 0; start < itemRows.length; start += loadRowsPerStatement) {
      statements.push(sql`INSERT INTO ${this.#items} (table_id, key, json_text, size, expires_at)
        VALUES ${joinSql(itemRows.slice(start, start + loadRowsPerStatement), ', ')}`)
    }
    for (let start = 0; start < indexRows.length; start += loadRowsPerStatement) {
      statements.push(sql`INSERT INTO ${this.#indexEntries} (table_id, index_name, key, json_text, size)
        VALUES ${joinSql(indexRows.slice(start, start + loadRowsPerStatement), ', ')}`)
    }
    return statements
  }

  /**
   * Transaction.copyItemRows in one statement: the page of rows is copied by a data-modifying
   * CTE and measured (count, bytes, last key) by the same statement (PostgreSQL has no max() of
   * bytea). An empty bytea sorts before every key, so it stands for "from the first key".
   */
  copyItemRows(from: TableId, to: TableId, after: Buffer | undefined, limit: number): Sql {
    return sql`WITH page AS (
        SELECT key, json_text, size FROM ${this.#items}
        WHERE table_id = ${from} AND key > ${after ?? Buffer.alloc(0)} ORDER BY key LIMIT ${limit}
      ), copied AS (
        INSERT INTO ${this.#items} (table_id, key, json_text, size, expires_at)
        SELECT ${to}, key, json_text, size, NULL FROM page
      )
      SELECT count(*) AS count, coalesce(sum(size), 0) AS bytes,
        (SELECT key FROM page ORDER BY key DESC LIMIT 1) AS last_key
      FROM page`
  }

  setExpiry(table: TableId, key: Buffer, expiresAtSeconds: number | undefined): Sql {
    return sql`UPDATE ${this.#items} SET expires_at = ${expiresAtSeconds} WHERE table_id = ${table} AND key = ${key}`
  }

  deleteItem(table: TableId, key: Buffer): Sql {
    return sql`DELETE FROM ${this.#items} WHERE table_id = ${table} AND key = ${key}`
  }

  putIndexEntry(table: TableId, index: IndexName, key: Buffer, json: string, sizeBytes: number): Sql {
    return sql`INSERT INTO ${this.#indexEntries} (table_id, index_name, key, json_text, size)
      VALUES (${table}, ${index}, ${key}, ${json}, ${sizeBytes})
      ON CONFLICT (table_id, index_name, key) DO UPDATE SET json_text = excluded.json_text, size = excluded.size`
  }

  deleteIndexEntry(table: TableId, index: IndexName, key: Buffer): Sql {
    return sql`DELETE FROM ${this.#indexEntries} WHERE table_id = ${table} AND index_name = ${index} AND key = ${key}`
  }

  /**
   * Appends the change under its sequence: the transaction's id times changeOrdinalsPerTransaction
   * plus `ordinal`, its place among the transaction's appends (see the change-log section of
   * docs/architecture.md for why this orders every item's changes exactly and why readers stop
   * at the watermark). No shared row is touched, so writers to one table never conflict here.
   * One statement, sent with the transaction's next batch.
   */
  appendChange(change: NewChangeRecord, ordinal: number): Sql {
    const identityJson = change.identity === undefined ? undefined : JSON.stringify(change.identity)
    return sql`INSERT INTO ${this.#changes} (table_id, sequence, key, event, time_us, origin_region,
        identity_json, keys_json, old_json, new_json)
      VALUES (${change.tableId}, ${transactionSequenceBase} + ${ordinal}, ${change.key}, ${change.eventName}, ${change.timeMicros},
        ${change.originRegion}, ${identityJson}, ${change.keysJson}, ${change.oldImageJson}, ${change.newImageJson})`
  }

  trimChanges(table: TableId, throughSequence: number): Sql {
    return sql`DELETE FROM ${this.#changes} WHERE table_id = ${table} AND sequence <= ${throughSequence}`
  }

  putCatalogEntry(entry: CatalogEntry): Sql {
    return sql`INSERT INTO ${this.#catalog} (name, table_id, json_text) VALUES (${entry.name}, ${entry.tableId}, ${entry.json})
      ON CONFLICT (name) DO UPDATE SET table_id = excluded.table_id, json_text = excluded.json_text`
  }

  deleteCatalogEntry(name: string): Sql {
    return sql`DELETE FROM ${this.#catalog} WHERE name = ${name}`
  }

  dropItems(table: TableId): Sql {
    return sql`DELETE FROM ${this.#items} WHERE table_id = ${table}`
  }

  dropIndexEntries(table: TableId, index?: IndexName): Sql {
    return index === undefined
      ? sql`DELETE FROM ${this.#indexEntries} WHERE table_id = ${table}`
      : sql`DELETE FROM ${this.#indexEntries} WHERE table_id = ${table} AND index_name = ${index}`
  }

  putState(namespace: string, key: string, value: string): Sql {
    return sql`INSERT INTO ${this.#state} (namespace, key, value) VALUES (${namespace}, ${key}, ${value})
      ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value`
  }

  deleteState(namespace: string, key: string): Sql {
    return sql`DELETE FROM ${this.#state} WHERE namespace = ${namespace} AND key = ${key}`
  }

  /**
   * Fails (and so aborts its transaction and every statement after it in the batch) unless the
   * state entry holds `value` (undefined: no entry). Portable SQL has no RAISE outside a function,
   * so the failure is a cast of stateMismatchMarker to an integer; the cast applies to the CASE,
   * which holds a subquery, so the planner cannot fold it into an error of its own.
   */
  expectState(namespace: string, key: string, value: string | undefined): Sql {
    const holds = value === undefined
      ? sql`NOT EXISTS (SELECT 1 FROM ${this.#state} WHERE namespace = ${namespace} AND key = ${key})`
      : sql`EXISTS (SELECT 1 FROM ${this.#state} WHERE namespace = ${namespace} AND key = ${key} AND value = ${value})`
    return sql`SELECT CAST(CASE WHEN ${holds} THEN '0' ELSE ${stateMismatchMarker} END AS INTEGER)`
  }

  readStreamRecords(stream: string, shard: number, afterOrdinal: number, limit: number): Sql {
    return sql`SELECT ordinal, arrival_ms, partition_key, data FROM ${this.#kinesisRecords}
      WHERE stream = ${stream} AND shard = ${shard} AND ordinal > ${afterOrdinal} ORDER BY ordinal LIMIT ${limit}`
  }

  lastStreamRecord(stream: string, shard: number): Sql {
    return sql`SELECT ordinal, arrival_ms FROM ${this.#kinesisRecords}
      WHERE stream = ${stream} AND shard = ${shard} ORDER BY ordinal DESC LIMIT 1`
  }

  /** One multi-row INSERT: PostgreSQL parses and plans it once for the whole PutRecords. `records` must not be empty. */
  appendStreamRecords(records: readonly StreamRecordRow[]): Sql {
    const rows = records.map((record) =>
      sql`(${record.stream}, ${record.shard}, ${record.ordinal}, ${record.arrivalMs}, ${record.partitionKey}, ${record.data})`)
    return sql`INSERT INTO ${this.#kinesisRecords} (stream, shard, ordinal, arrival_ms, partition_key, data) VALUES ${joinSql(rows, ', ')}`
  }

  /** Each shard's newest ordinal by its own index lookup, in one statement. `shards` must not be empty. */
  lastStreamOrdinals(stream: string, shards: readonly number[]): Sql {
    const lookups = shards.map((shard) => sql`(SELECT shard, ordinal FROM ${this.#kinesisRecords}
      WHERE stream = ${stream} AND shard = ${shard} ORDER BY ordinal DESC LIMIT 1)`)
    return joinSql(lookups, ' UNION ALL ')
  }

  trimStreamRecords(stream: string, beforeOrdinal: number): Sql {
    return sql`DELETE FROM ${this.#kinesisRecords} WHERE stream = ${stream} AND ordinal < ${beforeOrdinal}`
  }

  dropStreamRecords(stream: string): Sql {
    return sql`DELETE FROM ${this.#kinesisRecords} WHERE stream = ${stream}`
  }
}
