/**
 * The SQLite schema and its migrations. A `meta` row records the schema version, so a later
 * EddyDB can upgrade a data file written by an earlier one (and an older EddyDB refuses a newer
 * file instead of misreading it).
 */
import type Database from 'better-sqlite3'
import { StorageCorrupt } from '../errors.js'

/**
 * Migration N (0-based) upgrades a file from schema version N to N + 1. Append new migrations;
 * never edit one that has shipped.
 */
const migrations: readonly string[] = [
  `
  CREATE TABLE IF NOT EXISTS meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;

  -- Items keyed by their order-preserving encoded key; BLOBs compare with memcmp.
  CREATE TABLE items (
    table_id TEXT    NOT NULL,
    key      BLOB    NOT NULL,
    json     TEXT    NOT NULL,
    size     INTEGER NOT NULL,
    PRIMARY KEY (table_id, key)
  ) WITHOUT ROWID;

  CREATE TABLE index_entries (
    table_id   TEXT    NOT NULL,
    index_name TEXT    NOT NULL,
    key        BLOB    NOT NULL,
    json       TEXT    NOT NULL,
    size       INTEGER NOT NULL,
    PRIMARY KEY (table_id, index_name, key)
  ) WITHOUT ROWID;

  -- The change log. A rowid table: images can be large, and rows are appended in order.
  CREATE TABLE changes (
    table_id      TEXT    NOT NULL,
    sequence      INTEGER NOT NULL,
    key           BLOB    NOT NULL,
    event         TEXT    NOT NULL,
    time_us       INTEGER NOT NULL,
    origin_region TEXT    NOT NULL,
    identity_json TEXT,
    keys_json     TEXT    NOT NULL,
    old_json      TEXT,
    new_json      TEXT,
    PRIMARY KEY (table_id, sequence)
  );

  -- The last sequence given out per table. Kept apart from the log so that trimming the whole
  -- log never lets a sequence number be handed out twice.
  CREATE TABLE change_sequences (
    table_id      TEXT    PRIMARY KEY,
    last_sequence INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE catalog (
    name     TEXT PRIMARY KEY,
    table_id TEXT NOT NULL,
    json     TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  `
  -- TTL: an item's expiry (epoch seconds) when its table has TTL on; the partial index lets the
  -- sweeper find expired items without scanning the table.
  ALTER TABLE items ADD COLUMN expires_at INTEGER;
  CREATE INDEX items_by_expiry ON items (table_id, expires_at) WHERE expires_at IS NOT NULL;

  -- Small state of the change-log readers: trigger mappings and checkpoints, stream history.
  CREATE TABLE state (
    namespace TEXT NOT NULL,
    key       TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (namespace, key)
  ) WITHOUT ROWID;
  `,
  `
  -- Kinesis data stream records (src/kinesis/). A rowid table: a record's data may be 1 MiB.
  CREATE TABLE kinesis_records (
    stream        TEXT    NOT NULL,
    shard         INTEGER NOT NULL,
    ordinal       INTEGER NOT NULL,
    arrival_ms    INTEGER NOT NULL,
    partition_key TEXT    NOT NULL,
    data          BLOB    NOT NULL,
    PRIMARY KEY (stream, shard, ordinal)
  );
  `,
  `
  -- Item collection sizes (src/items/item-collection-bytes.ts) start over, each summed again at
  -- its collection's next write: they came without a version of their own, so an older EddyDB
  -- could open a file that kept them and write without changing them. From this version on an
  -- older EddyDB refuses the file.
  DELETE FROM state WHERE namespace LIKE 'item-collection-bytes/%';
  `,
]

export const schemaVersionLatest = migrations.length

/** Creates or upgrades the schema, in one transaction, on a writable connection. */
export function migrateSchema(connection: Database.Database): void {
  connection.exec('BEGIN IMMEDIATE')
  try {
    const version = readSchemaVersion(connection)
    if (version > schemaVersionLatest) {
      throw new StorageCorrupt(
        `The data file has schema version ${version}; ` +
          `this EddyDB understands up to ${schemaVersionLatest}`,
      )
    }
    for (let next = version; next < schemaVersionLatest; next++) {
      connection.exec(migrations[next]!)
    }
    if (version !== schemaVersionLatest) {
      connection
        .prepare("INSERT OR REPLACE INTO meta (name, value) VALUES ('schema_version', ?)")
        .run(String(schemaVersionLatest))
    }
    connection.exec('COMMIT')
  } catch (error) {
    if (connection.inTransaction) connection.exec('ROLLBACK')
    throw error
  }
}

function readSchemaVersion(connection: Database.Database): number {
  const metaExists = connection
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'")
    .pluck()
    .get()
  if (metaExists === undefined) return 0
  const value = connection
    .prepare("SELECT value FROM meta WHERE name = 'schema_version'")
    .pluck()
    .get()
  const version = Number(value ?? 0)
  if (!Number.isInteger(version) || version < 0) {
    throw new StorageCorrupt(`The data file has an unreadable schema version: ${String(value)}`)
  }
  return version
}
