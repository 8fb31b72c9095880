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
  return { name, kind: 'global', key: { partitionKeys: [partitionKey], sortKeys: [] }, projectionType, nonKeyAttributes: [], status: 'ACTIVE', backfilling: false, ...extra }
}

const table: TableSchema = {
  name: 'things', tableId: 't1', arn: 'arn:aws:dynamodb:us-east-1:000000000000:table/things',
  key: { partitionKey: 'pk', sortKey: 'sk' },
  attributeTypes: { pk: 'S', sk: 'N', color: 'S', size: 'N' },
  vectorIndexes: [],
  indexes: [
    gsi('byColor', 'color', 'KEYS_ONLY'),
    gsi('bySize', 'size', 'INCLUDE', { key: { partitionKeys: ['size'], sortKeys: ['color'] }, nonKeyAttributes: ['weight', 'absent'] }),
    gsi('all', 'color', 'ALL'),
    { name: 'local', kind: 'local', key: { partitionKeys: ['pk'], sortKeys: ['size'] }, projectionType: 'ALL', nonKeyAttributes: [], status: 'ACTIVE', backfilling: false },
  ],
  streamEnabled: false, billingMode: 'PAY_PER_REQUEST', status: 'ACTIVE',
}

const item: Item = { pk: { S: 'a' }, sk: { N: '1' }, color: { S: 'red' }, size: { N: '3' }, weight: { N: '10' }, note: { S: 'x' } }

test('every index whose keys are present gets an entry with the encoded key', () => {
  const entries = indexEntriesFor(table, item)
  assert.deepEqual(entries.map((entry) => entry.index), ['byColor', 'bySize', 'all', 'local'])
  assert.deepEqual(entries[0]!.key, encodeIndexKey([{ S: 'red' }], [], { S: 'a' }, { N: '1' }))
  assert.deepEqual(entries[1]!.key, encodeIndexKey([{ N: '3' }], [{ S: 'red' }], { S: 'a' }, { N: '1' }))
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

test('oversized and empty key values leave the item out (what a backfill skips)', () => {
  const longColor: Item = { ...item, color: { S: 'x'.repeat(2049) } }
  assert.deepEqual(indexEntriesFor(table, longColor).map((entry) => entry.index), ['local'])
  // 'color' is a sort key in bySize, where the limit is 1024 bytes.
  const sortSized: Item = { ...item, color: { S: 'x'.repeat(1025) } }
  assert.deepEqual(indexEntriesFor(table, sortSized).map((entry) => entry.index), ['byColor', 'all', 'local'])
  const emptyColor: Item = { ...item, color: { S: '' } }
  assert.deepEqual(indexEntriesFor(table, emptyColor).map((entry) => entry.index), ['local'])
})

test('multi-attribute keys: the item needs every key attribute; the key holds them in KeySchema order', () => {
  const composite: TableSchema = {
    ...table,
    attributeTypes: { ...table.attributeTypes, region: 'S', round: 'N' },
    indexes: [gsi('tournament', 'color', 'KEYS_ONLY', { key: { partitionKeys: ['color', 'region'], sortKeys: ['round', 'size'] } })],
  }
  const full: Item = { ...item, region: { S: 'eu' }, round: { N: '2' } }
  const [entry] = indexEntriesFor(composite, full)
  assert.deepEqual(entry!.key, encodeIndexKey([{ S: 'red' }, { S: 'eu' }], [{ N: '2' }, { N: '3' }], { S: 'a' }, { N: '1' }))
  assert.deepEqual(JSON.parse(entry!.json), {
    pk: { S: 'a' }, sk: { N: '1' }, color: { S: 'red' }, region: { S: 'eu' }, round: { N: '2' }, size: { N: '3' },
  })
  for (const name of ['region', 'round', 'size']) {
    const { [name]: _dropped, ...partial } = full
    assert.deepEqual(indexEntriesFor(composite, partial), [], `without ${name}`)
  }
})
