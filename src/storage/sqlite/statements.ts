/**
 * Every SQL statement the engine runs, prepared once per connection. Reads are the hot path
 * (GetItem should cost a few microseconds), so nothing here is parsed per call.
 *
 * Range scans need a different statement per shape of bounds (each side absent, inclusive or
 * exclusive; forwards or backwards) so that SQLite can seek on both bounds of the primary key.
 * Those are prepared on first use and cached: at most 18 shapes per target and kind (rows, joined).
 */
import type Database from 'better-sqlite3'
import type { KeyRange } from '../engine.js'
import { BulkLoadStatements } from './bulk-load.js'

type Statement = Database.Statement<unknown[]>

/**
 * A LIMIT bound at run time. Written as a plain `LIMIT ?`, SQLite's planner uses the bound value,
 * so every new binding makes it prepare the statement again: that more than doubled the cost of
 * a ten-row range read (measured: 4.5 µs against 1.9 µs). Behind a CAST the planner does not see
 * the value, and the statement is prepared once.
 */
const boundLimit = 'CAST(? AS INTEGER)'

/** The columns of one change-log row as SELECTed. */
export interface ChangeRow {
  sequence: number
  key: Buffer
  event: string
  time_us: number
  origin_region: string
  identity_json: string | null
  keys_json: string
  old_json: string | null
  new_json: string | null
}

/**
 * One row of a range scan as SQLite returns it. The key comes as hex text and row arrays rather
 * than objects: better-sqlite3 gives every BLOB its own freshly allocated Buffer and builds row
 * objects slowly, which cost more than the B-tree walk on a Query of a few items, while
 * Buffer.from(hex) takes its bytes from Node's pooled slab.
 */
export type RangeRow = [hexKey: string, json: string, size: number]

/** A joined range read as SQLite returns it (ReadStatements.rangeJoined); all but count are null when no row matched. */
export type JoinedRangeRow = [count: number, bytes: number | null, jsonList: string | null, lastHexKey: string | null, lastJson: string | null, lastSize: number | null]

/** Where a range scan looks: the item rows, or one secondary index's rows. */
export type RangeTarget = 'items' | 'index'

export class ReadStatements {
  readonly getItem: Statement
  /** One item row as a StoredItem. */
  readonly getStoredItem: Statement
  readonly getIndexEntry: Statement
  readonly readChanges: Statement
  readonly lastChangeSequence: Statement
  /** Count and size of up to `limit` rows after a key: one chunk of itemStats (views.ts). */
  readonly itemStats: Statement
  /** The same for one index's entries. */
  readonly indexStats: Statement
  readonly listCatalog: Statement
  readonly expiredItems: Statement
  readonly getState: Statement
  readonly listState: Statement
  readonly readStreamRecords: Statement
  readonly lastStreamRecord: Statement
  readonly itemBytesInRange: Statement
  readonly itemBytesFrom: Statement
  readonly indexBytesInRange: Statement
  readonly indexBytesFrom: Statement
  readonly #connection: Database.Database
  readonly #rangeStatements = new Map<string, Statement>()

  constructor(connection: Database.Database) {
    this.#connection = connection
    this.getItem = connection
      .prepare('SELECT json FROM items WHERE table_id = ? AND key = ?')
      .pluck()
    this.getStoredItem = connection.prepare('SELECT json, size AS sizeBytes FROM items WHERE table_id = ? AND key = ?')
    this.getIndexEntry = connection
      .prepare('SELECT json FROM index_entries WHERE table_id = ? AND index_name = ? AND key = ?')
      .pluck()
    this.readChanges = connection.prepare(
      `SELECT sequence, key, event, time_us, origin_region, identity_json, keys_json,
         old_json, new_json
       FROM changes WHERE table_id = ? AND sequence > ? ORDER BY sequence LIMIT ${boundLimit}`,
    )
    this.lastChangeSequence = connection
      .prepare('SELECT last_sequence FROM change_sequences WHERE table_id = ?')
      .pluck()
    // One chunk of a count (views.ts): the next `limit` rows after a key, and the last key seen.
    this.itemStats = connection.prepare(
      `SELECT count(*) AS count, coalesce(sum(size), 0) AS bytes, max(key) AS lastKey FROM
       (SELECT key, size FROM items WHERE table_id = ? AND key > ? ORDER BY key LIMIT ?)`,
    )
    this.indexStats = connection.prepare(
      `SELECT count(*) AS count, coalesce(sum(size), 0) AS bytes, max(key) AS lastKey FROM
       (SELECT key, size FROM index_entries WHERE table_id = ? AND index_name = ? AND key > ? ORDER BY key LIMIT ?)`,
    )
    this.listCatalog = connection.prepare(
      'SELECT name, table_id AS tableId, json FROM catalog ORDER BY name',
    )
    this.expiredItems = connection.prepare(
      `SELECT key, json, size FROM items INDEXED BY items_by_expiry
       WHERE table_id = ? AND expires_at IS NOT NULL AND expires_at <= ?
       ORDER BY expires_at LIMIT ${boundLimit}`,
    )
    this.itemBytesInRange = connection
      .prepare('SELECT coalesce(sum(size), 0) FROM items WHERE table_id = ? AND key >= ? AND key < ?')
      .pluck()
    this.itemBytesFrom = connection
      .prepare('SELECT coalesce(sum(size), 0) FROM items WHERE table_id = ? AND key >= ?')
      .pluck()
    this.indexBytesInRange = connection
      .prepare(
        `SELECT coalesce(sum(size), 0) FROM index_entries
         WHERE table_id = ? AND index_name = ? AND key >= ? AND key < ?`,
      )
      .pluck()
    this.indexBytesFrom = connection
      .prepare(
        `SELECT coalesce(sum(size), 0) FROM index_entries
         WHERE table_id = ? AND index_name = ? AND key >= ?`,
      )
      .pluck()
    this.getState = connection
      .prepare('SELECT value FROM state WHERE namespace = ? AND key = ?')
      .pluck()
    this.listState = connection.prepare(
      'SELECT key, value FROM state WHERE namespace = ? ORDER BY key',
    )
    this.readStreamRecords = connection.prepare(
      `SELECT ordinal, arrival_ms, partition_key, data FROM kinesis_records
       WHERE stream = ? AND shard = ? AND ordinal > ? ORDER BY ordinal LIMIT ${boundLimit}`,
    )
    this.lastStreamRecord = connection.prepare(
      `SELECT ordinal, arrival_ms FROM kinesis_records
       WHERE stream = ? AND shard = ? ORDER BY ordinal DESC LIMIT 1`,
    )
  }

  /**
   * The statement for one shape of range. Its parameters are, in order: table_id,
   * [index_name], [start], [end], limit. Rows come raw, as [hex(key), json, size] (RangeRow).
   */
  range(target: RangeTarget, range: KeyRange): Statement {
    return this.#rangeStatement('rows', target, range)
  }

  /**
   * The same rows joined (ReadView.rangeJoined), with the same parameters: one raw row,
   * [count, sum of sizes, the JSON texts joined with commas, hex(last key), last json, last size]
   * (JoinedRangeRow). The last row's json and size are bare columns beside the one max() (min()
   * walking backwards), so SQLite takes them from that row. group_concat joins the rows in the
   * order the ordered subquery yields them; the storage contract checks it both ways.
   */
  rangeJoined(target: RangeTarget, range: KeyRange): Statement {
    return this.#rangeStatement('joined', target, range)
  }

  #rangeStatement(kind: 'rows' | 'joined', target: RangeTarget, range: KeyRange): Statement {
    const startOperator = range.start === undefined ? '' : range.startInclusive ? '>=' : '>'
    const endOperator = range.end === undefined ? '' : range.endInclusive ? '<=' : '<'
    const direction = range.reverse ? 'DESC' : 'ASC'
    const shape = `${kind} ${target} ${startOperator} ${endOperator} ${direction}`
    let statement = this.#rangeStatements.get(shape)
    if (statement === undefined) {
      const from =
        target === 'items'
          ? 'items WHERE table_id = ?'
          : 'index_entries WHERE table_id = ? AND index_name = ?'
      const startClause = startOperator ? ` AND key ${startOperator} ?` : ''
      const endClause = endOperator ? ` AND key ${endOperator} ?` : ''
      const where = `${from}${startClause}${endClause} ORDER BY key ${direction} LIMIT ${boundLimit}`
      const sql = kind === 'rows'
        ? `SELECT hex(key), json, size FROM ${where}`
        : `SELECT count(*), sum(size), group_concat(json, ','), hex(${range.reverse ? 'min' : 'max'}(key)), json, size
           FROM (SELECT key, json, size FROM ${where})`
      statement = this.#connection.prepare(sql).raw()
      this.#rangeStatements.set(shape, statement)
    }
    return statement
  }
}

/** Statements that change data; prepared only on the writable connection. */
export class WriteStatements {
  readonly begin: Statement
  readonly commit: Statement
  readonly rollback: Statement
  readonly savepoint: Statement
  readonly releaseSavepoint: Statement
  readonly rollbackToSavepoint: Statement
  readonly putItem: Statement
  readonly setExpiry: Statement
  readonly putState: Statement
  readonly deleteState: Statement
  readonly deleteItem: Statement
  readonly putIndexEntry: Statement
  readonly deleteIndexEntry: Statement
  readonly nextChangeSequence: Statement
  readonly insertChange: Statement
  readonly trimChanges: Statement
  readonly putCatalogEntry: Statement
  readonly deleteCatalogEntry: Statement
  readonly dropItems: Statement
  readonly dropIndexEntriesOfTable: Statement
  readonly dropIndexEntriesOfIndex: Statement
  readonly appendStreamRecord: Statement
  readonly trimStreamRecords: Statement
  readonly dropStreamRecords: Statement
  readonly bulkLoad: BulkLoadStatements

  constructor(connection: Database.Database) {
    // IMMEDIATE takes the write lock up front, so a conflict shows at BEGIN, not mid-way.
    this.begin = connection.prepare('BEGIN IMMEDIATE')
    this.commit = connection.prepare('COMMIT')
    this.rollback = connection.prepare('ROLLBACK')
    // One member of a commit group at a time (group-commit.ts), so one savepoint name serves.
    this.savepoint = connection.prepare('SAVEPOINT group_member')
    this.releaseSavepoint = connection.prepare('RELEASE group_member')
    this.rollbackToSavepoint = connection.prepare('ROLLBACK TO group_member')
    this.putItem = connection.prepare(
      `INSERT INTO items (table_id, key, json, size, expires_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (table_id, key) DO UPDATE
       SET json = excluded.json, size = excluded.size, expires_at = excluded.expires_at`,
    )
    this.setExpiry = connection.prepare(
      'UPDATE items SET expires_at = ? WHERE table_id = ? AND key = ?',
    )
    this.putState = connection.prepare(
      `INSERT INTO state (namespace, key, value) VALUES (?, ?, ?)
       ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value`,
    )
    this.deleteState = connection.prepare('DELETE FROM state WHERE namespace = ? AND key = ?')
    this.deleteItem = connection.prepare('DELETE FROM items WHERE table_id = ? AND key = ?')
    this.putIndexEntry = connection.prepare(
      `INSERT INTO index_entries (table_id, index_name, key, json, size) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (table_id, index_name, key)
       DO UPDATE SET json = excluded.json, size = excluded.size`,
    )
    this.deleteIndexEntry = connection.prepare(
      'DELETE FROM index_entries WHERE table_id = ? AND index_name = ? AND key = ?',
    )
    this.nextChangeSequence = connection
      .prepare(
        `INSERT INTO change_sequences (table_id, last_sequence) VALUES (?, 1)
         ON CONFLICT (table_id) DO UPDATE SET last_sequence = last_sequence + 1
         RETURNING last_sequence`,
      )
      .pluck()
    this.insertChange = connection.prepare(
      `INSERT INTO changes (table_id, sequence, key, event, time_us, origin_region,
         identity_json, keys_json, old_json, new_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    this.trimChanges = connection.prepare(
      'DELETE FROM changes WHERE table_id = ? AND sequence <= ?',
    )
    this.putCatalogEntry = connection.prepare(
      `INSERT INTO catalog (name, table_id, json) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET table_id = excluded.table_id, json = excluded.json`,
    )
    this.deleteCatalogEntry = connection.prepare('DELETE FROM catalog WHERE name = ?')
    this.dropItems = connection.prepare('DELETE FROM items WHERE table_id = ?')
    this.dropIndexEntriesOfTable = connection.prepare(
      'DELETE FROM index_entries WHERE table_id = ?',
    )
    this.dropIndexEntriesOfIndex = connection.prepare(
      'DELETE FROM index_entries WHERE table_id = ? AND index_name = ?',
    )
    this.appendStreamRecord = connection.prepare(
      `INSERT INTO kinesis_records (stream, shard, ordinal, arrival_ms, partition_key, data)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    this.trimStreamRecords = connection.prepare('DELETE FROM kinesis_records WHERE stream = ? AND ordinal < ?')
    this.dropStreamRecords = connection.prepare('DELETE FROM kinesis_records WHERE stream = ?')
    this.bulkLoad = new BulkLoadStatements(connection)
  }
}
