/**
 * Secondary index rows for an item. Every write calls indexEntriesFor on the old and the new
 * item; a GSI backfill calls indexEntryFor for the one index it fills.
 *
 * Indexes are sparse: an item gets an entry only when it has every index key attribute (all
 * of them, for multi-attribute GSI keys), each a valid key value: of the type
 * AttributeDefinitions gives it, not empty and within the key size limits (each attribute, and
 * the attributes of a multi-attribute role together). (The data plane
 * rejects a write whose index key value is invalid, so an invalid one only happens for items
 * written before a GSI was added; DynamoDB leaves those out of the index too.)
 */
import type { AttributeValue, Item } from '../values/types.js'
import { encodeIndexKey } from '../values/key.js'
import { itemSizeBytes } from '../values/size.js'
import { aggregateKeySizeProblem, indexKeyValueProblem, type KeyRole } from './index-key-values.js'
import { indexKeyAttributeNames, type IndexSchema, type TableSchema } from './schema.js'
import { ownMember, setMember } from '../values/members.js'

export interface IndexEntry {
  index: string
  key: Buffer
  json: string
  sizeBytes: number
}

/** One index's key for an item, or undefined when the item is not in that index. */
export interface IndexKey {
  index: string
  key: Buffer
}

/** The item's values of one part of an index key, or undefined when one is missing or invalid. */
function keyValues(table: TableSchema, item: Item, names: string[], role: KeyRole): AttributeValue[] | undefined {
  const values: AttributeValue[] = []
  for (const name of names) {
    const value = ownMember(item, name)
    if (value === undefined || indexKeyValueProblem(value, table.attributeTypes[name]!, role)) return undefined
    values.push(value)
  }
  return aggregateKeySizeProblem(item, names, role) ? undefined : values
}

/** Whether writes maintain this index: every state except DELETING. */
function isMaintained(index: IndexSchema): boolean {
  return index.status !== 'DELETING'
}

export function indexKeyFor(table: TableSchema, index: IndexSchema, item: Item): Buffer | undefined {
  const partitionValues = keyValues(table, item, index.key.partitionKeys, 'partition')
  if (partitionValues === undefined) return undefined
  const sortValues = keyValues(table, item, index.key.sortKeys, 'sort')
  if (sortValues === undefined) return undefined
  const tablePartition = item[table.key.partitionKey]!
  const tableSort = table.key.sortKey === undefined ? undefined : item[table.key.sortKey]
  return encodeIndexKey(partitionValues, sortValues, tablePartition, tableSort)
}

/** The item as the index stores it: KEYS_ONLY, INCLUDE or ALL. */
export function projectItem(table: TableSchema, index: IndexSchema, item: Item): Item {
  if (index.projectionType === 'ALL') return item
  const projected: Item = {}
  const copy = (name: string | undefined) => {
    const value = name === undefined ? undefined : ownMember(item, name)
    if (value !== undefined) setMember(projected, name!, value)
  }
  copy(table.key.partitionKey)
  copy(table.key.sortKey)
  for (const name of indexKeyAttributeNames(index)) copy(name)
  if (index.projectionType === 'INCLUDE') {
    for (const name of index.nonKeyAttributes) copy(name)
  }
  return projected
}

export function indexEntryFor(table: TableSchema, index: IndexSchema, item: Item): IndexEntry | undefined {
  const key = indexKeyFor(table, index, item)
  if (key === undefined) return undefined
  const projected = projectItem(table, index, item)
  return { index: index.name, key, json: JSON.stringify(projected), sizeBytes: itemSizeBytes(projected) }
}

/**
 * The entries the item has in every maintained index of the table. `stored` is the item's wire
 * JSON text and size when the caller has them (a copied row), so that indexes projecting ALL
 * need not serialize and size it again.
 */
export function indexEntriesFor(table: TableSchema, item: Item, stored?: { json: string; sizeBytes: number }): IndexEntry[] {
  const entries: IndexEntry[] = []
  // Indexes projecting ALL store the same text; serialize and size the item once.
  let whole = stored
  for (const index of table.indexes) {
    if (!isMaintained(index)) continue
    const key = indexKeyFor(table, index, item)
    if (key === undefined) continue
    if (index.projectionType === 'ALL') {
      whole ??= { json: JSON.stringify(item), sizeBytes: itemSizeBytes(item) }
      entries.push({ index: index.name, key, ...whole })
    } else {
      const projected = projectItem(table, index, item)
      entries.push({ index: index.name, key, json: JSON.stringify(projected), sizeBytes: itemSizeBytes(projected) })
    }
  }
  return entries
}

/** Only the keys: enough to delete an item's old entries without serializing anything. */
export function indexKeysFor(table: TableSchema, item: Item): IndexKey[] {
  const keys: IndexKey[] = []
  for (const index of table.indexes) {
    if (!isMaintained(index)) continue
    const key = indexKeyFor(table, index, item)
    if (key !== undefined) keys.push({ index: index.name, key })
  }
  return keys
}
