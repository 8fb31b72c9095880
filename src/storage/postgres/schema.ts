/**
 * The PostgreSQL schema of one region and its versioned migrations. Each region lives in its own
 * PostgreSQL schema (eddydb_<region>), the way each region has its own file on SQLite: the SQL
 * needs no region column that a query could forget, a region's data can be dropped or moved as a
 * unit, and nodes opening different regions never touch each other's tables or migrations.
 *
 * `schema_version` holds one row. Every node runs migrate() when it opens the region; the
 * version row is locked (SELECT ... FOR UPDATE) while migrations run, so when several nodes start
 * together one migrates and the others find the work done. A database migrated by a newer EddyDB
 * is refused rather than misread, and a migration is refused while nodes of the version it
 * migrates from still run on the schema (version-locks.ts).
 *
 * Only portable SQL: bytea, text, bigint and double precision columns, composite primary keys,
 * a partial index, INSERT ... ON CONFLICT. CockroachDB and YugabyteDB accept all of it.
 */
import type pg from 'pg'
import { StorageConflict, StorageCorrupt, StorageUnavailable } from '../errors.js'
import { retryOnConflict } from '../retry.js'
import { withCheckedOutClient } from './checkout.js'
import { mapPostgresError } from './errors.js'
import { identifier, sql, type Sql } from './sql.js'
import { schemaVersionLockId } from './statements.js'

/** The name of a region's schema. Region names are [a-z0-9-], so replacing '-' is unambiguous. */
export function schemaNameOf(region: string): string {
  return `eddydb_${region.replaceAll('-', '_')}`
}

/**
 * Migration N (0-based) upgrades a schema from version N to N + 1; `s` is the quoted schema
 * name. Append new migrations; never edit one that has shipped.
 */
const migrations: ReadonlyArray<(s: string) => string[]> = [
  (s) => [
    // Items keyed by their order-preserving encoded key; bytea compares as unsigned bytes
    // (memcmp, then length), with no collation involved.
    `CREATE TABLE ${s}.items (
      table_id   TEXT NOT NULL,
      key        BYTEA NOT NULL,
      json_text  TEXT NOT NULL,
      size       BIGINT NOT NULL,
      expires_at DOUBLE PRECISION,
      PRIMARY KEY (table_id, key)
    )`,
    // TTL: the sweeper finds expired items through this index without scanning the table.
    `CREATE INDEX items_by_expiry ON ${s}.items (table_id, expires_at) WHERE expires_at IS NOT NULL`,
    `CREATE TABLE ${s}.index_entries (
      table_id   TEXT NOT NULL,
      index_name TEXT NOT NULL,
      key        BYTEA NOT NULL,
      json_text  TEXT NOT NULL,
      size       BIGINT NOT NULL,
      PRIMARY KEY (table_id, index_name, key)
    )`,
    `CREATE TABLE ${s}.changes (
      table_id      TEXT NOT NULL,
      sequence      BIGINT NOT NULL,
      key           BYTEA NOT NULL,
      event         TEXT NOT NULL,
      time_us       BIGINT NOT NULL,
      origin_region TEXT NOT NULL,
      identity_json TEXT,
      keys_json     TEXT NOT NULL,
      old_json      TEXT,
      new_json      TEXT,
      PRIMARY KEY (table_id, sequence)
    )`,
    // The last sequence given out per table, apart from the log so that trimming the whole log
    // never lets a sequence be handed out twice. (One row per table: see docs/scale-out.md.)
    `CREATE TABLE ${s}.change_sequences (
      table_id      TEXT PRIMARY KEY,
      last_sequence BIGINT NOT NULL
    )`,
    `CREATE TABLE ${s}.catalog (
      name      TEXT PRIMARY KEY,
      table_id  TEXT NOT NULL,
      json_text TEXT NOT NULL
    )`,
    // Small state of the change-log readers: trigger mappings and checkpoints, stream history.
    `CREATE TABLE ${s}.state (
      namespace TEXT NOT NULL,
      key       TEXT NOT NULL,
      value     TEXT NOT NULL,
      PRIMARY KEY (namespace, key)
    )`,
  ],
  (s) => [
    // Kinesis data stream records (src/kinesis/).
    `CREATE TABLE ${s}.kinesis_records (
      stream        TEXT NOT NULL,
      shard         BIGINT NOT NULL,
      ordinal       BIGINT NOT NULL,
      arrival_ms    BIGINT NOT NULL,
      partition_key TEXT NOT NULL,
      data          BYTEA NOT NULL,
      PRIMARY KEY (stream, shard, ordinal)
    )`,
  ],
  (s) => [
    // Item collection sizes (src/items/item-collection-bytes.ts) start over, each summed again at
    // its collection's next write: they came without a version of their own, so an older EddyDB
    // could open a schema that kept them and write without changing them. From this version on
    // an older EddyDB refuses the schema.
    `DELETE FROM ${s}.state WHERE namespace LIKE 'item-collection-bytes/%'`,
  ],
]

export const schemaVersionLatest = migrations.length

/** Creates or upgrades the region's schema. Safe to run from several nodes at once. */
export async function migrateSchema(pool: pg.Pool, schemaName: string): Promise<void> {
  const s = identifier(schemaName)
  await retryOnConflict(() => withCheckedOutClient(pool, async (client, discard) => {
    try {
      await createVersionTable(client, s)
      await client.query('BEGIN')
      try {
        await migrateLocked(client, schemaName)
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK').catch(discard)
        throw error
      }
    } catch (error) {
      throw migrationError(error)
    }
  }))
}

/**
 * The schema and its version row. Two nodes creating them at the same moment may collide on
 * PostgreSQL's own catalogs (a unique violation despite IF NOT EXISTS); that is retried.
 */
async function createVersionTable(client: pg.PoolClient, s: Sql): Promise<void> {
  await client.query(sql`CREATE SCHEMA IF NOT EXISTS ${s}`.text)
  await client.query(sql`CREATE TABLE IF NOT EXISTS ${s}.schema_version (
    singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    version   BIGINT NOT NULL
  )`.text)
  await client.query(sql`INSERT INTO ${s}.schema_version (singleton, version) VALUES (TRUE, 0)
    ON CONFLICT (singleton) DO NOTHING`.text)
}

/** Inside a transaction: locks the version row, then applies what is missing. */
async function migrateLocked(client: pg.PoolClient, schemaName: string): Promise<void> {
  const s = identifier(schemaName)
  const result = await client.query(sql`SELECT version FROM ${s}.schema_version FOR UPDATE`.text)
  const version = Number(result.rows[0]?.version)
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new StorageCorrupt(`The database has an unreadable schema version: ${String(result.rows[0]?.version)}`)
  }
  if (version > schemaVersionLatest) {
    throw new StorageCorrupt(
      `The database schema ${s.text} has schema version ${version}; ` +
        `this EddyDB understands up to ${schemaVersionLatest}. Upgrade EddyDB to use it.`,
    )
  }
  if (version > 0 && version < schemaVersionLatest) await refuseWhileOlderNodesRun(client, schemaName, version)
  for (let next = version; next < schemaVersionLatest; next++) {
    // One migration's statements travel as one multi-statement query: one round trip.
    await client.query(migrations[next]!(s.text).join(';\n'))
  }
  if (version !== schemaVersionLatest) {
    await client.query(sql`UPDATE ${s}.schema_version SET version = ${schemaVersionLatest}`.text)
  }
}

/**
 * Before migrating from `version`: takes that version's lock alone for the rest of the
 * transaction, which fails while any node of that version holds it shared (version-locks.ts).
 * Refused as StorageUnavailable, so each later request tries again, and once the older nodes
 * have stopped the migration runs without a restart.
 */
async function refuseWhileOlderNodesRun(client: pg.PoolClient, schemaName: string, version: number): Promise<void> {
  const id = schemaVersionLockId(schemaName, version)
  const { rows } = await client.query('SELECT pg_try_advisory_xact_lock($1) AS alone', [id.toString()])
  if (rows[0]?.alone === true) return
  // A bigint advisory lock shows in pg_locks as its high and low 32 bits (classid, objid).
  const high = (BigInt.asUintN(64, id) >> 32n).toString()
  const low = (BigInt.asUintN(64, id) & 0xffffffffn).toString()
  const holders = await client.query(
    `SELECT count(DISTINCT pid)::int AS nodes FROM pg_locks
     WHERE locktype = 'advisory' AND objsubid = 1 AND classid = $1::oid AND objid = $2::oid AND granted`,
    [high, low],
  )
  const nodes = Number(holders.rows[0]?.nodes ?? 0)
  throw new StorageUnavailable(
    `The database schema ${schemaName} is at schema version ${version}, and ${nodes || 'an'} EddyDB ` +
      `${nodes === 1 || nodes === 0 ? 'node' : 'nodes'} of that version still ${nodes > 1 ? 'run' : 'runs'} on it. ` +
      `Stop every node of the older version before starting this one, which migrates the schema to version ${schemaVersionLatest}.`,
  )
}

/**
 * Collisions on PostgreSQL's catalogs while nodes create the schema together count as conflicts:
 * unique_violation, duplicate_object (the table's row type), duplicate_schema, duplicate_table.
 */
const creationRaceCodes = new Set(['23505', '42710', '42P06', '42P07'])

function migrationError(error: unknown): unknown {
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && creationRaceCodes.has(code)) {
    return new StorageConflict((error as Error).message, { cause: error })
  }
  return mapPostgresError(error)
}
