/**
 * The table as it was at an instant T, read from the current table and its change log
 * (ARCHITECTURE.md decision 2): the current items, except that every key changed after T takes
 * the old image of its FIRST change after T (no old image: the key did not exist at T).
 *
 * It is read in pages while writes go on, and stays exact without holding a snapshot:
 *  - each page of current items is read first (one statement, so one consistent state), then
 *    the log is read from where it was left up to its end. An item write and its change record
 *    commit together, and the log read takes every change committed by the time it runs (on
 *    PostgreSQL, also those whose sequences lie past one still in flight: ChangedKeys.catchUp),
 *    so it covers every change the page saw;
 *  - for a key whose first change after T is in the log read so far, the old image is used
 *    whatever the page says; for any other key the page's row is unchanged since T;
 *  - keys changed after T are remembered with their first old image (the memory this reader
 *    needs is in proportion to the keys changed since T, not to the table), and those deleted
 *    since T are put back in key order between the pages' rows.
 * Rows come out in storage key order (partition hash order, as Scan walks).
 *
 * The caller makes sure the log still holds every change after T: T within a PITR table's
 * recovery window (history/pitr.ts), or a change cursor (changes/cursors.ts) held at T's
 * sequence while a backup is taken.
 *
 * T is a time, or a sequence of the log (every change through it): a backup, and a restore to the
 * latest restorable time, take the log's last sequence when they are asked for, so that they hold
 * every write acknowledged before, whatever the clock did. A time is found in the log by its
 * changes' times, which are assumed to grow with sequences: a clock stepped back, or nodes whose
 * clocks disagree, make a restore or export to a given time inexact (docs/backups.md).
 */
import type { RegionContext } from '../api/context.js'
import type { ReadView, Row, TableId } from '../storage/engine.js'
import type { TableSchema } from '../tables/schema.js'
import type { Item } from '../values/types.js'
import { trimmedThrough } from '../changes/trim-point.js'

export interface AsOfOptions {
  /** Item rows read per storage round trip (default 500). */
  pageItems?: number
  /** Start after this encoded key (the last key of an earlier call at the same instant). */
  after?: Buffer
}

/**
 * One row of the table as of T: its encoded key and item JSON text, and its size when it comes
 * from an item row (an old image from the log has none).
 */
export interface RowAsOf {
  key: Buffer
  json: string
  size?: number
}

/** An instant of a table's history: a time (microseconds since the epoch), or a sequence of its log. */
export type HistoryPoint = { micros: number } | { sequence: number }

/** The last sequence of the log at or before a point. */
export function sequenceAt(view: ReadView, tableId: TableId, point: HistoryPoint): Promise<number> {
  return 'sequence' in point ? Promise.resolve(point.sequence) : lastSequenceAtOrBefore(view, tableId, point.micros)
}

const changesPerRead = 1000
const pageItemsDefault = 500

/** The items of `table` as they were at `point`, in key order. */
export async function* itemsAsOf(
  ctx: RegionContext, table: TableSchema, point: HistoryPoint, options: AsOfOptions = {},
): AsyncIterable<Item> {
  for await (const row of rowsAsOf(ctx, table.tableId, point, options)) yield JSON.parse(row.json) as Item
}

/** The same as itemsAsOf, as stored rows (for copies that need not parse each item). */
export async function* rowsAsOf(
  ctx: RegionContext, tableId: TableId, point: HistoryPoint, options: AsOfOptions = {},
): AsyncIterable<RowAsOf> {
  for await (const page of pagesAsOf(ctx, tableId, point, options)) yield* page
}

/**
 * The same rows a page at a time (about `pageItems` each, in key order): copies take them so,
 * and save an async iteration per row.
 */
export async function* pagesAsOf(
  ctx: RegionContext, tableId: TableId, point: HistoryPoint, options: AsOfOptions = {},
): AsyncIterable<RowAsOf[]> {
  const pageItems = options.pageItems ?? pageItemsDefault
  const changedSinceT = new ChangedKeys(await ctx.storage.read((view) => sequenceAt(view, tableId, point)))
  let after = options.after
  for (;;) {
    const rows = await ctx.storage.read(async (view) => {
      const page = await view.rangeItems(tableId, after ? { start: after, startInclusive: false } : {}, pageItems)
      await changedSinceT.catchUp(view, tableId)
      return page
    })
    const full = rows.length === pageItems
    const through = full ? rows.at(-1)!.key : undefined
    const merged = [...merge(rows, changedSinceT.takeThrough(after, through), changedSinceT)]
    if (merged.length > 0) yield merged
    if (!full) return
    after = through
  }
}

/** The page's rows not changed since T, and the old images of changed keys in its key range. */
function* merge(rows: Row[], restored: RowAsOf[], changed: ChangedKeys): Iterable<RowAsOf> {
  let next = 0
  for (const row of rows) {
    while (next < restored.length && Buffer.compare(restored[next]!.key, row.key) < 0) yield restored[next++]!
    if (!changed.has(row.key)) yield row
  }
  while (next < restored.length) yield restored[next++]!
}

/**
 * The keys changed after T, each with the old image of its first change after T, filled by
 * reading the log forward from T's sequence.
 */
export class ChangedKeys {
  /** Old image JSON by hex key; null when the key did not exist at T. */
  readonly #firstOldImage = new Map<string, string | null>()
  /** The keys of #firstOldImage in key order, rebuilt when keys have been added. */
  #changedSorted: Buffer[] = []
  /** Keys with an old image not yet handed out, sorted lazily. */
  #pending: RowAsOf[] = []
  #pendingSorted = true
  #readThrough: number

  constructor(sequenceAtT: number) {
    this.#readThrough = sequenceAtT
  }

  has(key: Buffer): boolean {
    // Nothing changed since T is the common case of a copy (a restore to now): no key to encode.
    return this.#firstOldImage.size > 0 && this.#firstOldImage.has(key.toString('hex'))
  }

  /**
   * Reads the log from where it was left to its current end: every change committed by now, so
   * every one that a read of the items made before saw (readVisibleChanges). On PostgreSQL a
   * change can be committed while one below its sequence is still in flight; it is taken now,
   * and the reading goes on from before the one in flight next time. Taking it early is safe:
   * of one item's changes, the ones committed at any moment are the first ones in sequence order
   * (its writers hold its lock, or see each other's commits, and get their sequences in that
   * order), so no earlier change of a key taken now can turn up later.
   */
  async catchUp(view: ReadView, tableId: TableId): Promise<void> {
    let after = this.#readThrough
    let provisionalSeen = false
    for (;;) {
      const changes = await view.readVisibleChanges(tableId, after, changesPerRead)
      for (const change of changes) {
        // Only through the changes before the first provisional one: below it one may still commit.
        provisionalSeen ||= change.provisional === true
        if (!provisionalSeen) this.#readThrough = change.sequence
        const hex = change.key.toString('hex')
        if (this.#firstOldImage.has(hex)) continue
        this.#firstOldImage.set(hex, change.oldImageJson ?? null)
        if (change.oldImageJson !== undefined) {
          this.#pending.push({ key: change.key, json: change.oldImageJson })
          this.#pendingSorted = false
        }
      }
      if (changes.length > 0) after = changes.at(-1)!.sequence
      if (changes.length < changesPerRead) return
    }
  }

  /**
   * The old images with keys in (after, through] (through undefined: no upper bound), removed
   * from the pending list. Those at or before `after` belong to pages already handed out, whose
   * rows were read before the key changed, so they were right as they were and are dropped.
   */
  takeThrough(after: Buffer | undefined, through: Buffer | undefined): RowAsOf[] {
    const taken = this.oldImagesIn(after, through)
    this.forgetThrough(through)
    return taken
  }

  /** The old images with keys in (after, through], left pending (a transaction may run again). */
  oldImagesIn(after: Buffer | undefined, through: Buffer | undefined): RowAsOf[] {
    if (!this.#pendingSorted) {
      this.#pending.sort((a, b) => Buffer.compare(a.key, b.key))
      this.#pendingSorted = true
    }
    return this.#pending.slice(...rangeOf(this.#pending, (row) => row.key, after, through))
  }

  /** Drops the pending old images with keys up to `through` (all when undefined): handed out, or behind the copy. */
  forgetThrough(through: Buffer | undefined): void {
    this.#pending = through ? this.#pending.slice(rangeOf(this.#pending, (row) => row.key, through, undefined)[0]) : []
  }

  /** Every key changed since T (read so far) in (after, through], with or without an old image. */
  changedIn(after: Buffer | undefined, through: Buffer | undefined): Buffer[] {
    if (this.#changedSorted.length !== this.#firstOldImage.size) {
      this.#changedSorted = [...this.#firstOldImage.keys()].map((hex) => Buffer.from(hex, 'hex')).sort(Buffer.compare)
    }
    return this.#changedSorted.slice(...rangeOf(this.#changedSorted, (key) => key, after, through))
  }
}

/** The positions [start, end) of the keys in (after, through] of a list sorted by key (binary searches). */
function rangeOf<T>(sorted: readonly T[], keyOf: (entry: T) => Buffer, after: Buffer | undefined, through: Buffer | undefined): [number, number] {
  const firstAbove = (bound: Buffer): number => {
    let low = 0
    let high = sorted.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (Buffer.compare(keyOf(sorted[middle]!), bound) <= 0) low = middle + 1
      else high = middle
    }
    return low
  }
  const start = after ? firstAbove(after) : 0
  return [start, through ? Math.max(start, firstAbove(through)) : sorted.length]
}

/**
 * The highest sequence whose change happened at or before T (the trim point when none is left),
 * by binary search over the retained log: O(log n) reads of one change each.
 */
export async function lastSequenceAtOrBefore(view: ReadView, tableId: TableId, asOfMicros: number): Promise<number> {
  let low = await trimmedThrough(view, tableId)
  let high = await view.lastChangeSequence(tableId)
  // Invariant: every retained change with sequence <= low is at or before T; every one > high is after T.
  while (low < high) {
    const middle = Math.floor((low + high + 1) / 2)
    const [change] = await view.readChanges(tableId, middle - 1, 1)
    if (!change || change.sequence > high) high = middle - 1
    else if (change.timeMicros <= asOfMicros) low = change.sequence
    else high = middle - 1
  }
  return low
}
