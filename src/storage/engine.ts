/**
 * The storage seam. Storage knows rows and transactions, nothing of DynamoDB semantics:
 * keys arrive already encoded as order-preserving bytes (see values/key.ts) and items as
 * their wire JSON text. Every engine (SQLite, PostgreSQL) must pass
 * test/storage/contract.ts.
 *
 * Methods return promises so that an engine backed by a network database can implement the
 * same interface; the SQLite engine resolves them synchronously under the hood.
 */

/** A table's identity in storage: the TableId (a UUID) of one incarnation of a table. */
export type TableId = string

/** An index's name within its table ('' is never an index name). */
export type IndexName = string

/** One stored row: the encoded key and the item (or projected item) as JSON text. */
export interface Row {
  key: Buffer
  json: string
  /** The size given when the row was written (DynamoDB's item size), so readers need not parse. */
  size: number
}

/** Rows of a range read joined into one piece (ReadView.rangeJoined). */
export interface JoinedRows {
  count: number
  /** The rows' sizes, summed. */
  bytes: number
  /** The rows' JSON texts in the order read, joined with commas ('' when there are none). */
  jsonList: string
  /** The last row read; undefined when there are none. */
  last: Row | undefined
}

/**
 * A key range over encoded keys, compared as unsigned bytes (memcmp).
 * `start`/`end` absent means unbounded on that side; a bound is exclusive unless its
 * `...Inclusive` flag is true.
 */
export interface KeyRange {
  start?: Buffer
  startInclusive?: boolean
  end?: Buffer
  endInclusive?: boolean
  /** Walk from the end of the range towards its start. */
  reverse?: boolean
}

/** Who made a change: a user request, or the service itself (TTL deletes). */
export interface ChangeIdentity {
  type: 'Service' | 'User'
  principalId: string
}

export type ChangeEventName = 'INSERT' | 'MODIFY' | 'REMOVE'

/** One item-level change, appended in the same transaction as the write that made it. */
export interface ChangeRecord {
  tableId: TableId
  /** Per-table increasing sequence, assigned by storage on append (starts at 1). */
  sequence: number
  eventName: ChangeEventName
  /** The item's encoded primary key (the same bytes as its item row). */
  key: Buffer
  /** The key attributes as wire JSON text, e.g. {"pk":{"S":"a"}}. */
  keysJson: string
  /** The whole item before the change (absent for INSERT), wire JSON text. */
  oldImageJson?: string
  /** The whole item after the change (absent for REMOVE), wire JSON text. */
  newImageJson?: string
  /** Wall-clock time of the change, microseconds since the epoch. */
  timeMicros: number
  /** The region whose request made the change (replication keeps the origin's). */
  originRegion: string
  identity?: ChangeIdentity
  /**
   * Only from readVisibleChanges: committed, but a change below its sequence may still commit
   * (PostgreSQL: a transaction with a smaller id is still running), so no cursor may pass it.
   */
  provisional?: true
}

export type NewChangeRecord = Omit<ChangeRecord, 'sequence' | 'provisional'>

/**
 * One record of a Kinesis data stream (src/kinesis/). `ordinal` orders the records of a shard and
 * grows with arrival time (see kinesis/sequence-numbers.ts), so retention trims by ordinal.
 */
export interface StreamRecordRow {
  /** The stream incarnation's id (a stream deleted and created again gets a new one). */
  stream: string
  shard: number
  ordinal: number
  /** Milliseconds since the epoch. */
  arrivalMs: number
  partitionKey: string
  data: Buffer
}

/**
 * One item of a bulk load (Transaction.loadItems) with its secondary index rows, all computed by
 * the caller: storage writes them as given.
 */
export interface LoadedItem {
  key: Buffer
  json: string
  /** DynamoDB's item size, as putItem takes it. */
  sizeBytes: number
  /** The TTL expiry in epoch seconds, as putItem takes it. */
  expiresAtSeconds?: number
  indexEntries: ReadonlyArray<{ index: IndexName; key: Buffer; json: string; sizeBytes: number }>
}

/** What Transaction.copyItemRows copied: how many rows, their summed sizes, and the last key. */
export interface CopiedRows {
  count: number
  bytes: number
  /** The highest key copied; undefined when nothing was. */
  lastKey: Buffer | undefined
}

/** A stored table definition: the name, its current TableId and its description as JSON. */
export interface CatalogEntry {
  name: string
  tableId: TableId
  json: string
}

/** An item row as stored: its JSON and the DynamoDB size putItem was given with it. */
export interface StoredItem {
  json: string
  sizeBytes: number
}

export interface ReadView {
  getItem(table: TableId, key: Buffer): Promise<string | undefined>
  /**
   * The item rows at several keys of one table, in the order of `keys` (undefined where none):
   * one statement, so one round trip on a network engine. Writers read with it: the stored size
   * spares them parsing an item they are about to replace.
   */
  getStoredItems(table: TableId, keys: readonly Buffer[]): Promise<Array<StoredItem | undefined>>
  /** At most `limit` item rows in key order within `range`. */
  rangeItems(table: TableId, range: KeyRange, limit: number): Promise<Row[]>
  /** At most `limit` rows of one secondary index in key order within `range`. */
  rangeIndex(table: TableId, index: IndexName, range: KeyRange, limit: number): Promise<Row[]>
  /**
   * The rows rangeItems (no `index`) or rangeIndex would return, joined into one piece: for a
   * page of Query or Scan results whose items go out as stored, which needs their JSON texts
   * side by side and only the last row on its own.
   */
  rangeJoined(table: TableId, index: IndexName | undefined, range: KeyRange, limit: number): Promise<JoinedRows>
  getIndexEntry(table: TableId, index: IndexName, key: Buffer): Promise<string | undefined>
  /** Changes with sequence > afterSequence, in sequence order, at most `limit`. */
  readChanges(table: TableId, afterSequence: number, limit: number): Promise<ChangeRecord[]>
  /**
   * readChanges' changes and then, where transactions commit out of sequence order (PostgreSQL),
   * the committed ones past the first change still in flight, marked `provisional`: every change
   * committed when the read runs, so every change that an earlier read of the items saw. For a
   * reader that must undo what it saw (a table as of T); it must not move a cursor past a
   * provisional change. Where commits follow sequence order (SQLite), the same as readChanges.
   */
  readVisibleChanges(table: TableId, afterSequence: number, limit: number): Promise<ChangeRecord[]>
  /**
   * A position in the table's log at or after the highest sequence appended so far (0 when
   * none): every change committed before it was asked, and inside a transaction every change the
   * transaction appended, lies at or below it; every change of a transaction that begins after it
   * lies above it. Inside a PostgreSQL transaction it comes from the transaction's id rather than
   * the log, so concurrent appends to the table do not conflict with the transaction asking.
   */
  lastChangeSequence(table: TableId): Promise<number>
  /**
   * A sequence below which every change that will ever be visible is visible now, in every
   * table (Infinity where transactions commit in sequence order, as on SQLite). A position taken
   * inside a transaction may lie above the last change appended below it, so a reader of a shard
   * closed there knows it has seen every change up to the end only once this has passed it.
   */
  changesFinalBelow(): Promise<number>
  /** Number of item rows and the sum of their sizes in bytes. */
  itemStats(table: TableId): Promise<{ count: number; bytes: number }>
  indexStats(table: TableId, index: IndexName): Promise<{ count: number; bytes: number }>
  listCatalog(): Promise<CatalogEntry[]>
  /**
   * Item rows whose expiry time (epoch seconds, set by putItem or setExpiry) is at or before
   * `atOrBeforeSeconds`, earliest first, at most `limit`. Served by an index, never a scan.
   */
  expiredItems(table: TableId, atOrBeforeSeconds: number, limit: number): Promise<Row[]>
  /** A value of the small key-value store that change-log readers keep their state in. */
  getState(namespace: string, key: string): Promise<string | undefined>
  /**
   * The summed sizes of the rows whose key starts with `prefix`: item rows, or one index's rows
   * (DynamoDB's item collection size: a partition's items plus its local index entries).
   */
  bytesWithKeyPrefix(table: TableId, index: IndexName | undefined, prefix: Buffer): Promise<number>
  /** Every entry of a namespace, in key order. */
  listState(namespace: string): Promise<StateEntry[]>
  /** Kinesis records of one shard with ordinal > afterOrdinal, in ordinal order, at most `limit`. */
  readStreamRecords(stream: string, shard: number, afterOrdinal: number, limit: number): Promise<StreamRecordRow[]>
  /** The ordinal and arrival time of a shard's newest record still stored, if any. */
  lastStreamRecord(stream: string, shard: number): Promise<{ ordinal: number; arrivalMs: number } | undefined>
  /** The newest stored ordinal of each of `shards` that holds records (one query for a PutRecords). */
  lastStreamOrdinals(stream: string, shards: readonly number[]): Promise<Map<number, number>>
}

/** One entry of the state store (trigger mappings, checkpoints, stream history, ...). */
export interface StateEntry {
  key: string
  value: string
}

export interface Transaction extends ReadView {
  /**
   * Inserts or replaces an item row. `sizeBytes` is the item's DynamoDB size; `expiresAtSeconds`
   * is its TTL expiry (epoch seconds) when the table has TTL on and the item has a valid one.
   */
  putItem(table: TableId, key: Buffer, json: string, sizeBytes: number, expiresAtSeconds?: number): Promise<void>
  /**
   * Bulk load: inserts item rows and their index rows into a table that nobody else writes (one
   * being restored or imported, still CREATING), without reading anything and without change
   * records. None of the keys may be stored yet (a stored one fails the transaction: a
   * programmer error). Engines write a page of rows with as few statements as they can, so a
   * load costs a fraction of putItem and putIndexEntry per row.
   */
  loadItems(table: TableId, items: readonly LoadedItem[]): Promise<void>
  /**
   * A bulk load from another table of the same storage: the first `limit` item rows of `from`
   * after the key `after` (from its first key when undefined), in key order, inserted into `to`
   * as they are stored (same key, text and size; no index rows, no expiry), without bringing
   * them out of storage. For copies whose target takes plain rows (backups, restores of tables
   * without indexes); `to` follows loadItems' rules.
   */
  copyItemRows(from: TableId, to: TableId, after: Buffer | undefined, limit: number): Promise<CopiedRows>
  /** Sets or clears the expiry of an existing item row (TTL enabled or disabled on a table). */
  setExpiry(table: TableId, key: Buffer, expiresAtSeconds: number | undefined): Promise<void>
  deleteItem(table: TableId, key: Buffer): Promise<void>
  putIndexEntry(table: TableId, index: IndexName, key: Buffer, json: string, sizeBytes: number): Promise<void>
  deleteIndexEntry(table: TableId, index: IndexName, key: Buffer): Promise<void>
  /**
   * Appends one change under the table's next sequence. The sequence is not returned, so that
   * an engine reached over a network can send the append along with the transaction's other
   * writes instead of waiting for an answer; readChanges and lastChangeSequence tell it.
   */
  appendChange(change: NewChangeRecord): Promise<void>
  /** Removes changes with sequence <= throughSequence. */
  trimChanges(table: TableId, throughSequence: number): Promise<void>
  putCatalogEntry(entry: CatalogEntry): Promise<void>
  deleteCatalogEntry(name: string): Promise<void>
  /** Drops every item and index row of a table (its change log is kept for stream readers). */
  dropTableData(table: TableId): Promise<void>
  dropIndexData(table: TableId, index: IndexName): Promise<void>
  putState(namespace: string, key: string, value: string): Promise<void>
  deleteState(namespace: string, key: string): Promise<void>
  /**
   * Makes the transaction fail with StateMismatch, at the latest when it commits, unless the
   * state entry holds `value` (undefined: there is no entry). It reads the entry, so a
   * serializable engine orders the transaction against any other that changes it. An engine
   * reached over a network sends the check with the transaction's next statement rather than
   * waiting for an answer: a fence on what the transaction relied on that costs no round trip.
   */
  expectState(namespace: string, key: string, value: string | undefined): Promise<void>
  /**
   * Where a transaction isolates by locking keys (PostgreSQL by key): the locks of state entries
   * it is about to read and write, taken with the next statement together with the locks queued
   * for it, all in one order, so that transactions reading several such entries one after
   * another cannot each hold one the other waits for. Engines without such locks leave it out.
   */
  lockStates?(namespace: string, keys: readonly string[]): void
  /** Appends Kinesis records (a PutRecords' worth: one statement where the engine can). */
  appendStreamRecords(records: readonly StreamRecordRow[]): Promise<void>
  /** Removes the records of every shard of a stream with ordinal < beforeOrdinal (retention). */
  trimStreamRecords(stream: string, beforeOrdinal: number): Promise<void>
  /** Removes every record of a stream (DeleteStream). */
  dropStreamRecords(stream: string): Promise<void>
}

/**
 * What a committed transaction changed, as far as other nodes' readers care: 'changes' when it
 * appended to a change log (stream readers, trigger runners wake), 'catalog' when it changed a
 * table definition (catalog caches reload).
 */
export type CommitTopic = 'changes' | 'catalog'

/**
 * `byKey`: fn reaches items only by their keys (getStoredItems, getItem, putItem, deleteItem,
 * setExpiry, and the index entries and change records of those items) and state entries only by
 * theirs; what else it reads (ranges, sizes, the catalog) it may see as committed at the moment
 * of each read. An engine shared by nodes may then order it against every other transaction by
 * locking exactly those keys until it commits, instead of by serializable isolation, which on
 * PostgreSQL also makes writers of neighbouring keys conflict (postgres/transaction.ts). The
 * result is the same: as if the transactions ran one after another. The item writes (single,
 * batch, transaction, TTL, replication, index backfill) ask for it; the rest need not.
 */
export interface TransactOptions {
  byKey?: boolean
}

/** The options of every item write: one frozen object, not one per request. */
export const byKeyTransaction: TransactOptions = Object.freeze({ byKey: true })

export interface StorageEngine {
  /** Reads committed state; never sees another transaction's uncommitted writes. */
  read<T>(fn: (view: ReadView) => Promise<T>): Promise<T>
  /**
   * Runs fn in one serializable transaction and commits it, or rolls back if fn throws.
   * May call fn again after a StorageConflict, so fn must not change state outside tx.
   */
  transact<T>(fn: (tx: Transaction) => Promise<T>, options?: TransactOptions): Promise<T>
  close(): Promise<void>
  /**
   * Engines shared by several nodes (PostgreSQL: LISTEN/NOTIFY) call `listener` soon after any
   * node commits a transaction of the topic, and with every topic when they may have missed some
   * (a lost listening connection). Absent where one process owns the storage (SQLite), whose own
   * commits are all there is.
   */
  onCommit?(listener: (topic: CommitTopic) => void): void
  /**
   * A count that moves whenever the state namespace changes, or may have: at each putState and
   * deleteState as it runs, and again when a transaction (or a savepoint) that wrote it commits
   * or rolls back, at the latest before the next transaction starts. So a caller may keep what
   * it read of a namespace while the count stays. Only where one process owns the storage
   * (SQLite); absent on engines shared by nodes, whose other nodes write too.
   */
  stateChanges?(namespace: string): number
}
