/**
 * Filling a global secondary index that UpdateTable added to a table that already has items.
 * The index is CREATING with Backfilling=true meanwhile: writes already maintain it (they see
 * it in the table schema), and this walks the existing items in key order, a page per storage
 * transaction, writing their entries. Each page reads the items it indexes in the same
 * transaction, so a concurrent write either lands before the page (and the page indexes the
 * new version) or after it (and maintains the entry itself).
 * When the walk ends the index becomes ACTIVE. Items that have every index key attribute but
 * an invalid value among them (wrong type, empty, over the key size limit) are left out, as
 * DynamoDB does; it calls them index key violations, and the backfill logs how many it met.
 * So is an item whose entry the storage backend cannot hold (StorageRowTooLarge: on PostgreSQL,
 * index and table key values together past 2,704 bytes), which a write of it would be refused for:
 * its page fails whole, so the backfill walks that page again an item at a time, leaving out
 * the item that fails.
 */
import type { Logger } from '../log.js'
import type { Item } from '../values/types.js'
import type { TableCatalog } from './catalog.js'
import { indexEntryFor } from './index-entries.js'
import { findIndex, indexKeyAttributeNames, type IndexSchema } from './schema.js'
import { expectDefinition } from './definition-version.js'
import { StateMismatch, StorageRowTooLarge } from '../storage/errors.js'
import { byKeyTransaction } from '../storage/engine.js'

/** Consecutive runs of one page that find the table's definition changed before the backfill gives up. */
const staleRunsMax = 4

/**
 * Runs a backfill as a job named `id`: on storage shared by nodes, under the job's lease
 * (backups/jobs.ts), so that one node fills an index and another takes it up if that node dies.
 */
export type BackfillRunner = (id: string, work: () => Promise<void>) => Promise<void>

/** How far a backfill has got: the last key of the last page it committed, and what it left out. */
interface FillProgress {
  after: Buffer | undefined
  violations: number
}

export class GlobalIndexBackfill {
  readonly #catalog: TableCatalog
  readonly #pageItems: number
  readonly #log: Logger | undefined
  readonly #running = new Map<string, Promise<void>>()
  /** Without one (unit tests), a backfill runs here, unleased. */
  runner: BackfillRunner | undefined
  /** Items walked so far by each running backfill, for progress reports. */
  readonly #itemsWalked = new Map<string, number>()

  constructor(catalog: TableCatalog, pageItems: number, log?: Logger) {
    this.#catalog = catalog
    this.#pageItems = pageItems
    this.#log = log
  }

  start(tableName: string, indexName: string): void {
    const id = `${tableName}/${indexName}`
    if (this.#running.has(id)) return
    // Start on a later turn of the event loop, after UpdateTable has answered, so that
    // requests already holding the old schema finish first.
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => {
        const tableId = this.#catalog.get(tableName)?.tableId
        if (tableId === undefined) return
        // Kept across runs: a run that storage stopped (jobs.ts runs it again) goes on after the
        // last page it committed.
        const progress: FillProgress = { after: undefined, violations: 0 }
        const fill = () => this.#fill(tableName, indexName, tableId, progress)
        return this.runner ? this.runner(`backfill/${tableId}/${indexName}`, fill) : fill()
      })
      .catch((error: unknown) => {
        this.#log?.error('GSI backfill failed', { table: tableName, index: indexName, error: String(error) })
      })
      .finally(() => {
        this.#running.delete(id)
        this.#itemsWalked.delete(id)
      })
    this.#running.set(id, run)
  }

  /** How many of the table's items a running backfill has walked; undefined when none runs. */
  itemsWalked(tableName: string, indexName: string): number | undefined {
    return this.#itemsWalked.get(`${tableName}/${indexName}`)
  }

  async whenIdle(): Promise<void> {
    // A bound on rounds: each round waits for every backfill running at its start.
    for (let round = 0; round < 1000 && this.#running.size > 0; round++) {
      await Promise.all(this.#running.values())
    }
  }

  /** The table's schema while the index is still the one being created; undefined otherwise. */
  #current(tableName: string, indexName: string, tableId: string) {
    const table = this.#catalog.get(tableName)
    if (!table || table.tableId !== tableId) return undefined
    const index = findIndex(table, indexName)
    return index?.status === 'CREATING' ? { table, index } : undefined
  }

  async #fill(tableName: string, indexName: string, tableId: string, progress: FillProgress): Promise<void> {
    const id = `${tableName}/${indexName}`
    if (!this.#itemsWalked.has(id)) this.#itemsWalked.set(id, 0)
    // Each page starts strictly after the last key of the one before, so the walk ends.
    // After a page too large to store, the items it held are walked one per page.
    for (let staleRuns = 0, singleItemPages = 0; ;) {
      const current = this.#current(tableName, indexName, tableId)
      if (!current) return
      const pageItems = singleItemPages > 0 ? 1 : this.#pageItems
      let pageKey: Buffer | undefined
      const page = await this.#catalog.storage.transact(async (tx) => {
        // Fenced like every write: a node writing under a definition without the index is then
        // ordered before this page (which indexes its item) or fails and runs again with it.
        await expectDefinition(tx, this.#catalog.storage, tableName, current.table.definitionVersion)
        const after = progress.after
        const rows = await tx.rangeItems(tableId, after ? { start: after, startInclusive: false } : {}, pageItems)
        pageKey = rows.at(-1)?.key
        // The page's items read again by key: by key (PostgreSQL), that locks them, so a write
        // of one either committed before this read or waits for this page; an item deleted
        // since the range read is left out.
        const items = await tx.getStoredItems(tableId, rows.map((row) => row.key))
        let pageViolations = 0
        for (const stored of items) {
          if (stored === undefined) continue
          const item = JSON.parse(stored.json) as Item
          const entry = indexEntryFor(current.table, current.index, item)
          if (entry) await tx.putIndexEntry(tableId, indexName, entry.key, entry.json, entry.sizeBytes)
          else if (hasEveryKeyAttribute(current.index, item)) pageViolations++
        }
        return { last: rows.at(-1)?.key, full: rows.length === pageItems, count: rows.length, violations: pageViolations }
      }, byKeyTransaction).catch(async (error: unknown) => {
        if (error instanceof StorageRowTooLarge) {
          if (pageItems > 1) {
            singleItemPages = this.#pageItems
            return undefined
          }
          // The one item of this page cannot be indexed here: left out, as a key violation.
          return { last: pageKey, full: true, count: 1, violations: 1 }
        }
        // Another node changed the table (a TTL setting, another index): the same page again,
        // on the reloaded definition.
        if (!(error instanceof StateMismatch) || ++staleRuns >= staleRunsMax) throw error
        await this.#catalog.refresh()
        return undefined
      })
      if (page === undefined) continue
      staleRuns = 0
      if (pageItems === 1 && singleItemPages > 0) singleItemPages--
      progress.violations += page.violations
      this.#itemsWalked.set(id, (this.#itemsWalked.get(id) ?? 0) + page.count)
      if (!page.full || page.last === undefined) break
      progress.after = page.last
    }
    if (!this.#current(tableName, indexName, tableId)) return
    if (progress.violations > 0) {
      this.#log?.warn('GSI backfill left out items with invalid index key values', { table: tableName, index: indexName, items: progress.violations })
    }
    await this.#catalog.update(tableName, (draft) => {
      const index = draft.description.GlobalSecondaryIndexes?.find((each) => each.IndexName === indexName)
      if (index?.IndexStatus !== 'CREATING') return
      index.IndexStatus = 'ACTIVE'
      delete index.Backfilling
    })
  }
}

/** An item left out of an index despite having every key attribute violates its key rules. */
function hasEveryKeyAttribute(index: IndexSchema, item: Item): boolean {
  return indexKeyAttributeNames(index).every((name) => item[name] !== undefined)
}
