/**
 * The bulk sibling of write-item.ts: what applyWrite would write for an item new to its table
 * (the item row, its index rows, its TTL expiry), as Transaction.loadItems takes it. Used where
 * nobody else can write the table yet (restores, imports), so there is no current item to read,
 * no condition and no change record. Pure, so it runs before the transaction that loads it.
 */
import type { LoadedItem } from '../storage/engine.js'
import { indexEntriesFor } from '../tables/index-entries.js'
import type { TableSchema } from '../tables/schema.js'
import { itemSizeBytes } from '../values/size.js'
import type { Item } from '../values/types.js'
import { expiryOf } from './write-item.js'

/** A stored row to load: its encoded key, its wire JSON text, and its size when known. */
export interface RowToLoad {
  key: Buffer
  json: string
  size?: number
}

/**
 * The row as loaded into `table`. A stored row's text is already normalized wire JSON, so a
 * table without indexes or TTL takes it as it is, sized or not parsed at all.
 */
export function loadedItemOf(table: TableSchema, row: RowToLoad): LoadedItem {
  if (takesPlainRows(table)) return itemRowOnly(row)
  return loadedItem(table, row.key, row.json, JSON.parse(row.json) as Item, row.size)
}

/** Whether a stored row loads into `table` as it is: no index rows to derive, no expiry to read. */
export function takesPlainRows(table: TableSchema): boolean {
  return table.indexes.length === 0 && table.ttlAttribute === undefined
}

/** The item row alone, as a backup keeps it (no index rows, no expiry); parsed only to size it. */
export function itemRowOnly(row: RowToLoad): LoadedItem {
  return { key: row.key, json: row.json, sizeBytes: row.size ?? itemSizeBytes(JSON.parse(row.json) as Item), indexEntries: [] }
}

/** A checked, normalized item (an imported line) as loaded into `table` under its encoded key. */
export function loadedNewItem(table: TableSchema, key: Buffer, item: Item): LoadedItem {
  return loadedItem(table, key, JSON.stringify(item), item)
}

function loadedItem(table: TableSchema, key: Buffer, json: string, item: Item, size?: number): LoadedItem {
  const sizeBytes = size ?? itemSizeBytes(item)
  return {
    key,
    json,
    sizeBytes,
    expiresAtSeconds: expiryOf(table, item),
    indexEntries: indexEntriesFor(table, item, { json, sizeBytes }),
  }
}
