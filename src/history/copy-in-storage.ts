/**
 * Copying a table, as it was at an instant T or as it is, into another table of the same
 * storage, for targets that take plain item rows (a backup's rows; a restored table without
 * indexes): the rows never leave storage (Transaction.copyItemRows), a page per transaction, so
 * a copy costs a fraction of reading the rows out and loading them back.
 *
 * As of T, each transaction copies the page's current rows, then reads the change log on to its
 * end in the same transaction (so of the same state), takes out the copied rows of keys changed
 * since T and puts back the old images of those in the page's key range: table-as-of.ts's rule,
 * applied after the copy instead of before handing rows out.
 *
 * Every transaction here is safe to run again: what it learns from the log is kept (changes
 * are facts), and the copy's position moves only after its commit.
 */
import type { RegionContext } from '../api/context.js'
import type { CopiedRows, TableId, Transaction } from '../storage/engine.js'
import { itemRowOnly } from '../items/loaded-items.js'
import { ChangedKeys, sequenceAt, type HistoryPoint } from './table-as-of.js'

export interface CopyInStorage {
  from: TableId
  to: TableId
  /** Copy the table as it was then. Absent: as it is (a backup's rows, which nobody changes). */
  asOf?: HistoryPoint
  /** Go on after this key (a resumed copy); from the first key when absent. */
  after?: Buffer
  pageRows: number
  /** Asked before each page: true stops the copy early (the region is shutting down). */
  stopping: () => boolean
  /** What an earlier run of this copy (resumed after `after`) added to `to`. */
  copiedBefore?: { count: number; bytes: number }
  /**
   * Runs in each page's transaction with the copy's progress through that page (rows and bytes
   * added to `to` since the copy began, and the last key copied), to store with it.
   */
  savePage?: (tx: Transaction, progress: CopiedRows) => Promise<void>
  /** Runs first in each page's transaction: throws to write nothing (a job's lease fence). */
  beforePage?: (tx: Transaction) => Promise<void>
}

/** Copies every page; false when `stopping` ended the copy early (it may be resumed after the last page saved). */
export async function copyInStorage(ctx: RegionContext, copy: CopyInStorage): Promise<boolean> {
  const asOf = copy.asOf
  const changed = asOf === undefined ? undefined : new ChangedKeys(await ctx.storage.read((view) => sequenceAt(view, copy.from, asOf)))
  let after = copy.after
  let total = copy.copiedBefore ?? noChange
  for (;;) {
    if (copy.stopping()) return false
    const page = await ctx.storage.transact(async (tx) => {
      await copy.beforePage?.(tx)
      const copied = await tx.copyItemRows(copy.from, copy.to, after, copy.pageRows)
      const full = copied.count === copy.pageRows
      const fixed = changed ? await restoreChangedKeys(tx, copy, changed, after, full ? copied.lastKey : undefined) : noChange
      const progress = {
        count: total.count + copied.count + fixed.count,
        bytes: total.bytes + copied.bytes + fixed.bytes,
        lastKey: copied.lastKey ?? after,
      }
      await copy.savePage?.(tx, progress)
      return { full, progress }
    })
    if (!page.full) return true
    changed?.forgetThrough(page.progress.lastKey)
    after = page.progress.lastKey
    total = page.progress
  }
}

const noChange = { count: 0, bytes: 0 }

/**
 * In the copy's transaction, after a page with keys in (after, through] (through undefined: the
 * last page) was copied: each key changed since T goes back to its state at T. Returns the rows
 * and bytes this added to the page (negative when more were taken out than put back).
 */
async function restoreChangedKeys(
  tx: Transaction, copy: CopyInStorage, changed: ChangedKeys, after: Buffer | undefined, through: Buffer | undefined,
): Promise<{ count: number; bytes: number }> {
  await changed.catchUp(tx, copy.from)
  const keys = changed.changedIn(after, through)
  if (keys.length === 0) return noChange
  let count = 0
  let bytes = 0
  const copiedNow = await tx.getStoredItems(copy.to, keys)
  for (const [index, stored] of copiedNow.entries()) {
    if (stored === undefined) continue
    count--
    bytes -= stored.sizeBytes
    await tx.deleteItem(copy.to, keys[index]!)
  }
  const oldImages = changed.oldImagesIn(after, through).map(itemRowOnly)
  await tx.loadItems(copy.to, oldImages)
  for (const image of oldImages) {
    count++
    bytes += image.sizeBytes
  }
  return { count, bytes }
}
