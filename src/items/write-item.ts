/**
 * The one read-modify-write path every item mutation takes (put, update, delete, batch and
 * transaction items, later TTL and replication): read the current item, let the operation decide
 * the next state, then write the item row, its index rows and ONE change record in the same
 * storage transaction. A write that changes nothing appends no change, and writes nothing
 * unless telling would cost more than writing (unchangedWriteIsSeen).
 */
import type { RegionContext } from '../api/context.js'
import { ValidationException } from '../errors.js'
import { byKeyTransaction, type ChangeIdentity, type StoredItem, type Transaction } from '../storage/engine.js'
import { indexEntriesFor, type IndexEntry } from '../tables/index-entries.js'
import type { TableSchema } from '../tables/schema.js'
import { itemTooLargeMessage } from '../validate/attribute-checks.js'
import { attributeValuesEqual } from '../values/attribute-value.js'
import { itemSizeBytes, itemSizeBytesMax } from '../values/size.js'
import type { Item } from '../values/types.js'
import { CapacityMeter, writeUnits } from './capacity.js'
import type { PrimaryKey } from './keys.js'
import { versionOfWrite, saveVersion, type ItemVersion } from '../replication/versions.js'
import { changeLogWanted } from '../changes/log-wanted.js'
import { claimStrongWrite } from '../replication/strong-writes.js'
import { expectDefinition } from '../tables/definition-version.js'
import { vectorRequestBytes } from '../vectors/capacity.js'
import { sameVector, vectorHeldBy } from '../vectors/vector-values.js'
import { ownMember } from '../values/members.js'
import { changeItemCollectionBytes, hasItemCollections, itemCollectionShare, lockItemCollections } from './item-collection-bytes.js'

/** What the operation wants: the next item, or null to delete it. */
export type NextItem = Item | null

/**
 * Decides the next state from the current one. It must be pure: storage may run the
 * transaction again after a conflict. (Assigning to a variable the caller reads after the write,
 * as UpdateItem does with its updated paths, is fine: the last run is the one that committed.)
 */
export type Decide = (current: Item | undefined) => NextItem

/**
 * The next state whatever the current one is (a put without a condition, a batch put, a
 * replicated image), or decided already against the row read in the same transaction (a
 * transaction's actions). The current item is still read, for its size and to find an unchanged
 * write, but parsed only when something needs it: an index to update, or a caller asking for it.
 */
export interface Replace {
  replaceWith: NextItem
}

export interface WriteOptions {
  identity?: ChangeIdentity
  /** The ValidationException message when the next item exceeds 400 KB. */
  oversizeMessage?: string
  /** Transactions consume twice the write units. */
  unitMultiplier?: number
  /**
   * The item's current row when the caller has already read it in this transaction (batches
   * read all their items in one statement); null when it read that there is none.
   */
  current?: StoredItem | null
  /** That row's item, when the caller has parsed it already (a transaction checks its actions first). */
  currentItem?: Item
  /**
   * The caller reads nothing of the result but its success: not the previous item, not the
   * consumed capacity (a PutItem without ReturnValues or ReturnConsumedCapacity). A put may then
   * skip reading the row it replaces (mayWriteUnread).
   */
  blind?: boolean
  /**
   * A write replicated from another region of a global table, with its origin's version: applied
   * only if newer than the item's (last writer wins), and logged with the origin's time and region.
   */
  replicated?: ItemVersion
  /**
   * False for the items a restore copies into its new table: they are the table's starting
   * state, not changes to it (a restored table has no stream, and PITR starts after the restore).
   */
  recordChange?: boolean
}

export interface WriteResult {
  /** Parsed when first read: callers read it only when they answer with it. */
  readonly previous: Item | undefined
  readonly next: Item | undefined
  changed: boolean
  /**
   * What this write consumed. A new meter per run, returned rather than added to the caller's:
   * a transaction that runs again after a conflict must not count its first run's units too.
   * Callers add it to what they report once the transaction has committed.
   */
  consumed: CapacityMeter
}

/** Applies one item write inside an open transaction. */
export async function applyWrite(
  tx: Transaction, ctx: RegionContext, requestTable: TableSchema, key: PrimaryKey, decide: Decide | Replace,
  options: WriteOptions = {},
): Promise<WriteResult> {
  const table = schemaAtCommit(ctx, requestTable)
  // The write commits only under the definition it follows (indexes, stream, TTL), or not at all.
  await expectDefinition(tx, ctx.storage, table.name, table.definitionVersion)
  const consumed = new CapacityMeter(requestTable)
  let stored: StoredItem | undefined
  if (options.current !== undefined) {
    stored = options.current ?? undefined
  } else if (!mayWriteUnread(table, decide, options) || await changeLogWanted(tx, ctx, table)) {
    stored = (await tx.getStoredItems(table.tableId, [key.encoded]))[0]
  }
  let parsed: Item | undefined = options.currentItem
  const previous = (): Item | undefined => stored && (parsed ??= JSON.parse(stored.json) as Item)
  // A global table's write carries a version; a replicated one older than the item's loses.
  const version = table.replicated || options.replicated
    ? await versionOfWrite(tx, table.tableId, key.encoded, ctx.region, ctx.clock.now() * 1000, options.replicated)
    : undefined
  const unchanged = async (): Promise<WriteResult> => {
    // A replicated write keeps its version even when the item already matches, so every replica holds the same one.
    if (version && options.replicated) await saveVersion(tx, table.tableId, key.encoded, version)
    return new AppliedWrite(previous, undefined, false, consumed)
  }
  if (version === null) return unchanged()
  const next = typeof decide === 'function' ? decide(previous()) : decide.replaceWith
  // Another Region writing this item of a strongly consistent table refuses the write.
  if (table.strongConsistency && options.replicated === undefined) claimStrongWrite(ctx, table, key)
  const multiplier = options.unitMultiplier ?? 1
  const previousSize = stored?.sizeBytes ?? 0
  if (next === null) {
    consumed.addTable(writeUnits(previousSize) * multiplier)
    if (!stored) {
      if (!version || options.replicated || options.recordChange === false) return unchanged()
      // A replica's delete of an item another region wrote moments ago, whose write has not
      // arrived here yet, is still the later write: it leaves its version as a tombstone (the
      // delayed write, older, then loses here) and travels to the other replicas as a REMOVE,
      // which deletes the item there. Otherwise the acknowledged delete would be undone.
      await appendChange(tx, ctx, table, key, undefined, undefined, options.identity, version)
      return new AppliedWrite(previous, undefined, false, consumed)
    }
    const before = storedIndexEntries(table, stored, previous)
    if (hasItemCollections(table)) {
      await changeItemCollectionBytes(tx, ctx, table, key.attributes[table.key.partitionKey]!, itemCollectionShare(table, previousSize, before), 0, options)
    }
    await tx.deleteItem(table.tableId, key.encoded)
    await updateIndexes(tx, table, before, [], multiplier, consumed)
    meterVectorWrites(table, previous, undefined, consumed)
    if (options.recordChange !== false) await appendChange(tx, ctx, table, key, stored.json, undefined, options.identity, version)
    return new AppliedWrite(previous, undefined, true, consumed)
  }
  const nextSize = itemSizeBytes(next)
  if (nextSize > itemSizeBytesMax) throw new ValidationException(options.oversizeMessage ?? itemTooLargeMessage)
  consumed.addTable(writeUnits(Math.max(previousSize, nextSize)) * multiplier)
  const nextJson = JSON.stringify(next)
  // Equal items have equal sizes, so a size that differs proves a change without parsing anything.
  if (stored && (next === parsed || nextJson === stored.json || (stored.sizeBytes === nextSize
    && await unchangedWriteIsSeen(tx, ctx, table, options) && attributeValuesEqual({ M: previous()! }, { M: next })))) {
    return unchanged()
  }
  const before = storedIndexEntries(table, stored, previous)
  const after = indexEntriesFor(table, next, { json: nextJson, sizeBytes: nextSize })
  if (hasItemCollections(table)) {
    const share = stored ? itemCollectionShare(table, previousSize, before) : 0
    await changeItemCollectionBytes(tx, ctx, table, key.attributes[table.key.partitionKey]!, share, itemCollectionShare(table, nextSize, after), options)
  }
  await tx.putItem(table.tableId, key.encoded, nextJson, nextSize, expiryOf(table, next))
  await updateIndexes(tx, table, before, after, multiplier, consumed)
  meterVectorWrites(table, previous, next, consumed)
  if (options.recordChange !== false) await appendChange(tx, ctx, table, key, stored?.json, nextJson, options.identity, version)
  return new AppliedWrite(previous, next, true, consumed)
}

/**
 * A WriteResult whose `previous` is parsed from the stored row when first read, and so is
 * `next` when the write changed nothing (it is the previous item then). (A class: a getter in
 * an object literal made every write measurably slower than parsing eagerly.)
 */
class AppliedWrite implements WriteResult {
  readonly #previous: () => Item | undefined
  readonly #next: Item | undefined

  constructor(previous: () => Item | undefined, next: Item | undefined, readonly changed: boolean, readonly consumed: CapacityMeter) {
    this.#previous = previous
    this.#next = next
  }

  get previous(): Item | undefined {
    return this.#previous()
  }

  get next(): Item | undefined {
    return this.changed ? this.#next : this.#previous()
  }
}

/**
 * Whether the write may skip reading the item's current row, if the table's log is not read
 * either (the old image, and telling a write that changes nothing; applyWrite asks that after
 * this, as only it needs storage). Only a blind put may, and only where nothing else needs the
 * row: no secondary index (the entries it replaces), no replication (versions). The row is then
 * overwritten unseen, identical or not: reading it was 6% of such a PutItem's CPU. Synchronous,
 * so the writes that must read (updates, deletes, conditions) wait no extra turn for it.
 */
export function mayWriteUnread(table: TableSchema, decide: Decide | Replace, options: WriteOptions): boolean {
  return options.blind === true && typeof decide !== 'function' && decide.replaceWith !== null
    && table.indexes.length === 0 && table.vectorIndexes.length === 0 && !table.replicated && options.replicated === undefined
}

/**
 * Whether writing an item equal to the stored one, but not the same text (other attribute order
 * or number spelling), would be seen: in the table's change log, which must get no record for a
 * write that changes nothing, as DynamoDB Streams get none. Elsewhere the equal item is simply
 * written again, which is cheaper than telling: that needs the stored item parsed, 5% of a
 * PutItem's CPU when an item is overwritten by a different one of the same size.
 */
async function unchangedWriteIsSeen(tx: Transaction, ctx: RegionContext, table: TableSchema, options: WriteOptions): Promise<boolean> {
  return options.recordChange !== false && await changeLogWanted(tx, ctx, table)
}

/** A stored item's index entries; the item is parsed only when its table has indexes. */
function storedIndexEntries(table: TableSchema, stored: StoredItem | undefined, item: () => Item | undefined): IndexEntry[] {
  return stored === undefined || table.indexes.length === 0 ? [] : indexEntriesFor(table, item()!, stored)
}

/**
 * The current row of each item, in order, with one read per table: what applyWrite's
 * `current` takes (null for none). The keys must be distinct, as batches and transactions
 * make sure, or a write would not see the one before it.
 */
export async function readCurrentItems(
  tx: Transaction, writes: ReadonlyArray<{ table: TableSchema; key: PrimaryKey }>,
): Promise<Array<StoredItem | null>> {
  const current: Array<StoredItem | null> = new Array(writes.length).fill(null)
  const byTable = new Map<string, number[]>()
  writes.forEach((write, index) => {
    const positions = byTable.get(write.table.tableId) ?? []
    positions.push(index)
    byTable.set(write.table.tableId, positions)
  })
  for (const [tableId, positions] of byTable) {
    const table = writes[positions[0]!]!.table
    // A member refused before it writes (a transaction's index key problem) may name no partition.
    const partitions = positions.flatMap((index) => writes[index]!.key.attributes?.[table.key.partitionKey] ?? [])
    lockItemCollections(tx, table, partitions)
    const found = await tx.getStoredItems(tableId, positions.map((index) => writes[index]!.key.encoded))
    positions.forEach((index, position) => { current[index] = found[position] ?? null })
  }
  return current
}

/** Runs one item write in its own transaction. */
export function writeItem(
  ctx: RegionContext, table: TableSchema, key: PrimaryKey, decide: Decide | Replace, options: WriteOptions = {},
): Promise<WriteResult> {
  return ctx.storage.transact((tx) => applyWrite(tx, ctx, table, key, decide, options), byKeyTransaction)
}

/**
 * The table's schema as of this transaction. A request looks its table up before its
 * transaction runs; if UpdateTable added an index in between (and its backfill already passed
 * this item), the write must still maintain the new index, so indexes come from the latest
 * schema of the same table incarnation.
 */
function schemaAtCommit(ctx: RegionContext, requestTable: TableSchema): TableSchema {
  const latest = ctx.catalog.get(requestTable.name)
  return latest && latest.tableId === requestTable.tableId ? latest : requestTable
}

/**
 * The item's TTL expiry in epoch seconds, when its table has TTL on and the TTL attribute is a
 * Number. Whether an expiry is too old to honour is the sweeper's call, made against its clock.
 */
export function expiryOf(table: TableSchema, item: Item): number | undefined {
  if (table.ttlAttribute === undefined) return undefined
  const value = ownMember(item, table.ttlAttribute)
  if (!value || !('N' in value)) return undefined
  const seconds = Number(value.N)
  return Number.isFinite(seconds) ? seconds : undefined
}

async function updateIndexes(
  tx: Transaction, table: TableSchema, before: IndexEntry[], after: IndexEntry[], multiplier: number, consumed: CapacityMeter,
): Promise<void> {
  for (const old of before) {
    const replacement = after.find((entry) => entry.index === old.index)
    if (!replacement || !replacement.key.equals(old.key)) {
      await tx.deleteIndexEntry(table.tableId, old.index, old.key)
      consumed.addIndex(old.index, writeUnits(old.sizeBytes) * multiplier)
    }
  }
  for (const entry of after) {
    const old = before.find((candidate) => candidate.index === entry.index)
    const inPlace = old !== undefined && old.key.equals(entry.key)
    if (inPlace && old.json === entry.json) continue
    await tx.putIndexEntry(table.tableId, entry.index, entry.key, entry.json, entry.sizeBytes)
    // An entry rewritten in place costs the larger of its two sizes, as the table's item does
    // (DynamoDB Local 2026-05-28 charges an index so; AWS documents only the table's rule).
    consumed.addIndex(entry.index, writeUnits(inPlace ? Math.max(old.sizeBytes, entry.sizeBytes) : entry.sizeBytes) * multiplier)
  }
}

/**
 * A vector index is written to only where the write changes the vector it holds for the item
 * (DynamoDB's replication to the index is delta-based: an identical overwrite reports nothing).
 * Its vectors were checked before the write; a stored one that does not fit counts as none.
 */
function meterVectorWrites(table: TableSchema, previous: () => Item | undefined, after: Item | undefined, consumed: CapacityMeter): void {
  if (table.vectorIndexes.length === 0) return
  const before = previous()
  for (const index of table.vectorIndexes) {
    if (!sameVector(vectorHeldBy(index, before), vectorHeldBy(index, after))) consumed.addVectorIndex(index.name, vectorRequestBytes(index.dimensions))
  }
}

async function appendChange(
  tx: Transaction, ctx: RegionContext, table: TableSchema, key: PrimaryKey,
  oldImageJson: string | undefined, newImageJson: string | undefined, identity: ChangeIdentity | undefined,
  version: ItemVersion | undefined,
): Promise<void> {
  if (version) await saveVersion(tx, table.tableId, key.encoded, version)
  if (!await changeLogWanted(tx, ctx, table)) return
  await tx.appendChange({
    tableId: table.tableId,
    eventName: newImageJson === undefined ? 'REMOVE' : oldImageJson === undefined ? 'INSERT' : 'MODIFY',
    key: key.encoded,
    keysJson: JSON.stringify(key.attributes),
    oldImageJson,
    newImageJson,
    timeMicros: version?.timeMicros ?? ctx.clock.now() * 1000,
    originRegion: version?.region ?? ctx.region,
    identity,
  })
}
