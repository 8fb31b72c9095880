/**
 * Bringing existing items' expiry in line with a new TTL setting. The write path records the
 * expiry of every item it writes while TTL is on, but the items already in a table when TTL is
 * enabled have none, and those left when it is disabled keep theirs. So UpdateTimeToLive records
 * a pending scan in the state store, in the same transaction as the new setting, and the sweeper
 * works through it in bounded pages (one transaction each): setting every item's expiry after an
 * enable, clearing every expiry (found through the expiry index, not a scan) after a disable.
 *
 * The pending scan is the only cursor: a second UpdateTimeToLive replaces it, and because each
 * page re-reads it inside its own transaction, a page never applies a setting that is no longer
 * current. Being in storage, it survives a restart.
 */
import type { RegionContext } from '../api/context.js'
import { expiryOf } from '../items/write-item.js'
import type { TableId, Transaction } from '../storage/engine.js'
import type { TableCatalog } from '../tables/catalog.js'
import type { TimeToLiveSetting } from '../tables/record.js'
import type { TableSchema } from '../tables/schema.js'
import type { Item } from '../values/types.js'

/** The state-store namespace of pending scans, keyed by TableId. */
export const expiryScanNamespace = 'ttl-expiry-scan'

/** Items per scan transaction: short enough not to hold up user writes for long. */
export const expiryScanPageItems = 250

interface PendingScan {
  /** The TTL attribute to index by; absent when TTL was disabled (clear every expiry). */
  attributeName?: string
  /** The last item key handled (base64), when enabling. */
  afterKey?: string
}

/** Records, inside UpdateTimeToLive's transaction, that the table's items need the new setting. */
export async function scheduleExpiryScan(tx: Transaction, tableId: TableId, setting: TimeToLiveSetting): Promise<void> {
  const scan: PendingScan = setting.Enabled ? { attributeName: setting.AttributeName } : {}
  await tx.putState(expiryScanNamespace, tableId, JSON.stringify(scan))
}

/**
 * Advances the pending scans of the region by at most `pagesMax` pages in all; scans of tables
 * that no longer exist are dropped. Returns the number of pages done.
 */
export async function runExpiryScans(ctx: RegionContext, pagesMax: number): Promise<number> {
  const pending = await ctx.storage.read((view) => view.listState(expiryScanNamespace))
  let pages = 0
  for (const entry of pending) {
    const table = tableById(ctx.catalog, entry.key)
    if (!table) {
      await ctx.storage.transact((tx) => tx.deleteState(expiryScanNamespace, entry.key))
      continue
    }
    let finished = false
    while (!finished && pages < pagesMax) {
      finished = await ctx.storage.transact((tx) => scanPage(tx, table))
      pages++
    }
    if (pages >= pagesMax) break
  }
  return pages
}

/** Handles one page of the table's pending scan; true once there is nothing left to do. */
async function scanPage(tx: Transaction, table: TableSchema): Promise<boolean> {
  const json = await tx.getState(expiryScanNamespace, table.tableId)
  if (json === undefined) return true
  const scan = JSON.parse(json) as PendingScan
  const next = scan.attributeName === undefined
    ? await clearExpiryPage(tx, table.tableId)
    : await setExpiryPage(tx, table, scan.attributeName, scan.afterKey)
  if (next === 'finished') {
    await tx.deleteState(expiryScanNamespace, table.tableId)
    return true
  }
  await tx.putState(expiryScanNamespace, table.tableId, JSON.stringify({ ...scan, afterKey: next }))
  return false
}

/** Sets the expiry of the next page of items in key order; returns where to go on from. */
async function setExpiryPage(
  tx: Transaction, table: TableSchema, attributeName: string, afterKey: string | undefined,
): Promise<string | 'finished'> {
  const range = afterKey === undefined ? {} : { start: Buffer.from(afterKey, 'base64'), startInclusive: false }
  const rows = await tx.rangeItems(table.tableId, range, expiryScanPageItems)
  const indexedBy: TableSchema = { ...table, ttlAttribute: attributeName }
  for (const row of rows) {
    await tx.setExpiry(table.tableId, row.key, expiryOf(indexedBy, JSON.parse(row.json) as Item))
  }
  return rows.length < expiryScanPageItems ? 'finished' : rows[rows.length - 1]!.key.toString('base64')
}

/** Clears the next page of recorded expiries (the expiry index finds them without a scan). */
async function clearExpiryPage(tx: Transaction, tableId: TableId): Promise<undefined | 'finished'> {
  const rows = await tx.expiredItems(tableId, Number.MAX_VALUE, expiryScanPageItems)
  for (const row of rows) await tx.setExpiry(tableId, row.key, undefined)
  return rows.length < expiryScanPageItems ? 'finished' : undefined
}

/** The live table with this TableId (a table re-created under the same name has a new one). */
export function tableById(catalog: TableCatalog, tableId: TableId): TableSchema | undefined {
  for (const name of catalog.names()) {
    const table = catalog.get(name)
    if (table?.tableId === tableId) return table
  }
  return undefined
}
