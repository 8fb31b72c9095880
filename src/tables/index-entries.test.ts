/**
 * Index entries: sparse membership (an item is in an index only with every index key
 * attribute, of the defined type), projections, and keys that match encodeIndexKey.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { indexEntriesFor, indexKeysFor } from './index-entries.js'
import type { IndexSchema, TableSchema } from './schema.js'
import { encodeIndexKey } from '../values/key.js'
import { itemSizeBytes } from '../values/size.js'
import type { Item } from '../values/types.js'

function gsi(name: string, partitionKey: string, projectionType: IndexSchema['projectionType'], extra: Partial<IndexSchema> = {}): IndexSchema {
  return { name, kind: 'global', key: { partitionKey }, projectionType, nonKeyAttributes: [], status: 'ACTIVE', ...extra }
}

const table: TableSchema = {
  name: 'things', tableId: 't1', arn: 'arn:aws:dynamodb:us-east-1:000000000000:table/things',
  key: { partitionKey: 'pk', sortKey: 'sk' },
  attributeTypes: { pk: 'S', sk: 'N', color: 'S', size: 'N' },
  indexes: [
    gsi('byColor', 'color', 'KEYS_ONLY'),
    gsi('bySize', 'size', 'INCLUDE', { key: { partitionKey: 'size', sortKey: 'color' }, nonKeyAttributes: ['weight', 'absent'] }),
    gsi('all', 'color', 'ALL'),
    { name: 'local', kind: 'local', key: { partitionKey: 'pk', sortKey: 'size' }, projectionType: 'ALL', nonKeyAttributes: [], status: 'ACTIVE' },
  ],
  streamEnabled: false, billingMode: 'PAY_PER_REQUEST', status: 'ACTIVE',
}

const item: Item = { pk: { S: 'a' }, sk: { N: '1' }, color: { S: 'red' }, size: { N: '3' }, weight: { N: '10' }, note: { S: 'x' } }

test('every index whose keys are present gets an entry with the encoded key', () => {
  const entries = indexEntriesFor(table, item)
  assert.deepEqual(entries.map((entry) => entry.index), ['byColor', 'bySize', 'all', 'local'])
  assert.deepEqual(entries[0]!.key, encodeIndexKey({ S: 'red' }, undefined, { S: 'a' }, { N: '1' }))
  assert.deepEqual(entries[1]!.key, encodeIndexKey({ N: '3' }, { S: 'red' }, { S: 'a' }, { N: '1' }))
})

test('KEYS_ONLY projects table and index keys; INCLUDE adds the named attributes present', () => {
  const [keysOnly, include] = indexEntriesFor(table, item)
  assert.deepEqual(JSON.parse(keysOnly!.json), { pk: { S: 'a' }, sk: { N: '1' }, color: { S: 'red' } })
  const included = JSON.parse(include!.json) as Item
  assert.deepEqual(included, { pk: { S: 'a' }, sk: { N: '1' }, size: { N: '3' }, color: { S: 'red' }, weight: { N: '10' } })
  assert.equal(include!.sizeBytes, itemSizeBytes(included))
})

test('ALL stores the whole item', () => {
  const all = indexEntriesFor(table, item).find((entry) => entry.index === 'all')!
  assert.deepEqual(JSON.parse(all.json), item)
  assert.equal(all.sizeBytes, itemSizeBytes(item))
})

test('indexes are sparse: missing or wrongly typed key attributes leave the item out', () => {
  const noColor: Item = { pk: { S: 'a' }, sk: { N: '1' }, size: { N: '3' } }
  assert.deepEqual(indexEntriesFor(table, noColor).map((entry) => entry.index), ['local'])
  const numericColor: Item = { ...item, color: { N: '5' } }
  assert.deepEqual(indexEntriesFor(table, numericColor).map((entry) => entry.index), ['local'])
})

test('indexes being deleted are not maintained; indexes being created are', () => {
  const changing: TableSchema = {
    ...table,
    indexes: [gsi('gone', 'color', 'ALL', { status: 'DELETING' }), gsi('new', 'color', 'ALL', { status: 'CREATING' })],
  }
  assert.deepEqual(indexEntriesFor(changing, item).map((entry) => entry.index), ['new'])
  assert.deepEqual(indexKeysFor(changing, item).map((entry) => entry.index), ['new'])
})

test('indexKeysFor gives the same keys as indexEntriesFor', () => {
  assert.deepEqual(indexKeysFor(table, item), indexEntriesFor(table, item).map(({ index, key }) => ({ index, key })))
})
