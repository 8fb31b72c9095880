/**
 * The catalog and the control-plane operations over a real SQLite engine: CREATING → ACTIVE,
 * live statistics, GSI backfill, restart durability, deletion, tags and ListTables paging.
 */
import { CommitSignal } from '../changes/commit-signal.js'
import { defaultConfig } from '../config.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Clock, RequestContext } from '../api/context.js'
import { createLogger } from '../log.js'
import { openSqliteEngine } from '../storage/sqlite/engine.js'
import type { StorageEngine } from '../storage/engine.js'
import { TableCatalog } from './catalog.js'
import { indexEntriesFor } from './index-entries.js'
import { encodePrimaryKey } from '../values/key.js'
import { itemSizeBytes } from '../values/size.js'
import type { Item } from '../values/types.js'
import { createTable } from '../operations/create-table.js'
import type { CreateTableInput } from './new-table.js'
import { describeTable } from '../operations/describe-table.js'
import { deleteTable } from '../operations/delete-table.js'
import { listTables } from '../operations/list-tables.js'
import { updateTable } from '../operations/update-table.js'
import { tagResource } from '../operations/tag-resource.js'
import { untagResource } from '../operations/untag-resource.js'
import { listTagsOfResource } from '../operations/list-tags-of-resource.js'

type Described = Record<string, any>

function manualClock(startMs: number): Clock & { advance(ms: number): void } {
  let now = startMs
  return { now: () => now, advance: (ms) => { now += ms } }
}

async function contextFor(storage: StorageEngine, clock: Clock, tableCreateDelayMs = 0): Promise<RequestContext> {
  const catalog = new TableCatalog(storage, 'us-east-1', '123456789012', clock, { tableCreateDelayMs, backfillPageItems: 2 })
  await catalog.load()
  return { region: 'us-east-1', accountId: '123456789012', storage, catalog, clock, log: createLogger('silent'), config: defaultConfig, commits: new CommitSignal(), requestId: 'r' }
}

const things: CreateTableInput = {
  TableName: 'things',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
}

/** Writes items the way the data plane does: item row plus index rows. */
async function putItems(ctx: RequestContext, tableName: string, items: Item[]): Promise<void> {
  const table = ctx.catalog.require(tableName)
  await ctx.storage.transact(async (tx) => {
    for (const item of items) {
      await tx.putItem(table.tableId, encodePrimaryKey(item.pk!), JSON.stringify(item), itemSizeBytes(item))
      for (const entry of indexEntriesFor(table, item)) {
        await tx.putIndexEntry(table.tableId, entry.index, entry.key, entry.json, entry.sizeBytes)
      }
    }
  })
}

async function rejectsWith(promise: Promise<unknown>, type: string, message: string): Promise<void> {
  await assert.rejects(promise, (error: any) => {
    assert.equal(error.type, type)
    assert.equal(error.message, message)
    return true
  })
}

test('a created table is CREATING in the response and ACTIVE from the next request', async () => {
  const ctx = await contextFor(openSqliteEngine({ inMemory: true }), manualClock(1_700_000_000_000))
  const created = (await createTable(ctx, things)) as Described
  const description = created.TableDescription
  assert.equal(description.TableStatus, 'CREATING')
  assert.equal(description.TableArn, 'arn:aws:dynamodb:us-east-1:123456789012:table/things')
  assert.match(description.TableId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/)
  assert.equal(description.CreationDateTime, 1_700_000_000)
  // The answer shows only the mode (DDB-TABLE-033); DescribeTable shows its time too.
  assert.deepEqual(description.BillingModeSummary, { BillingMode: 'PAY_PER_REQUEST' })
  assert.deepEqual(description.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 })
  assert.equal(description.DeletionProtectionEnabled, false)
  const described = ((await describeTable(ctx, { TableName: 'things' })) as Described).Table
  assert.equal(described.TableStatus, 'ACTIVE')
  assert.deepEqual(described.BillingModeSummary, { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: 1_700_000_000 })
  assert.equal(ctx.catalog.get('things')?.status, 'ACTIVE')
  await rejectsWith(createTable(ctx, things), 'ResourceInUseException', 'Table already exists: things')
})

test('tableCreateDelayMs keeps a new table CREATING until the clock passes it', async () => {
  const clock = manualClock(1_000_000)
  const ctx = await contextFor(openSqliteEngine({ inMemory: true }), clock, 500)
  await createTable(ctx, things)
  assert.equal(ctx.catalog.get('things')?.status, 'CREATING')
  await rejectsWith(deleteTable(ctx, { TableName: 'things' }), 'ResourceInUseException',
    'Attempt to change a resource which is still in use: Table is being created: things')
  clock.advance(500)
  assert.equal(ctx.catalog.get('things')?.status, 'ACTIVE')
})

test('DescribeTable reports live item counts and unknown tables with DynamoDB message', async () => {
  const ctx = await contextFor(openSqliteEngine({ inMemory: true }), manualClock(0))
  await createTable(ctx, things)
  await putItems(ctx, 'things', [{ pk: { S: 'a' } }, { pk: { S: 'b' }, note: { S: 'hello' } }])
  const described = ((await describeTable(ctx, { TableName: 'things' })) as Described).Table
  assert.equal(described.ItemCount, 2)
  assert.equal(described.TableSizeBytes, itemSizeBytes({ pk: { S: 'a' } }) + itemSizeBytes({ pk: { S: 'b' }, note: { S: 'hello' } }))
  await rejectsWith(describeTable(ctx, { TableName: 'nope' }), 'ResourceNotFoundException',
    'Requested resource not found: Table: nope not found')
})

test('a large table shows the figures of its last count for a minute; a small one stays live', async () => {
  const clock = manualClock(0)
  const engine = openSqliteEngine({ inMemory: true })
  let reads = 0
  const storage: StorageEngine = {
    read: (fn) => { reads++; return engine.read(fn) },
    transact: (fn) => engine.transact(fn),
    close: () => engine.close(),
  }
  const catalog = new TableCatalog(storage, 'us-east-1', '123456789012', clock, { describedStatsCachedFromItems: 3 })
  await catalog.load()
  const ctx: RequestContext = { ...(await contextFor(storage, clock)), catalog }
  const itemCount = async () => (((await describeTable(ctx, { TableName: 'things' })) as Described).Table).ItemCount
  await createTable(ctx, things)
  await putItems(ctx, 'things', [{ pk: { S: 'a' } }, { pk: { S: 'b' } }])
  assert.equal(await itemCount(), 2)
  await putItems(ctx, 'things', [{ pk: { S: 'c' } }])
  assert.equal(await itemCount(), 3, 'below the threshold every DescribeTable counts')
  // Now large: the count of 3 is shown until it is a minute old.
  await putItems(ctx, 'things', [{ pk: { S: 'd' } }])
  assert.equal(await itemCount(), 3)
  clock.advance(59_999)
  assert.equal(await itemCount(), 3)
  clock.advance(1)
  assert.equal(await itemCount(), 4)
  assert.equal(await itemCount(), 4)
  // Calls that arrive while a count runs share it: two calls read storage as often as one.
  clock.advance(60_000)
  await putItems(ctx, 'things', [{ pk: { S: 'e' } }])
  let before = reads
  assert.equal(await itemCount(), 5)
  const readsOfOneCall = reads - before
  assert.ok(readsOfOneCall > 0)
  clock.advance(60_000)
  before = reads
  assert.deepEqual(await Promise.all([itemCount(), itemCount()]), [5, 5])
  assert.equal(reads - before, readsOfOneCall)
  // Emptied below the threshold: live again at the next count.
  clock.advance(60_000)
  await ctx.storage.transact((tx) => tx.dropTableData(catalog.require('things').tableId))
  assert.equal(await itemCount(), 0)
  await putItems(ctx, 'things', [{ pk: { S: 'f' } }])
  assert.equal(await itemCount(), 1)
})

test('a GSI added by UpdateTable is backfilled from existing items, then ACTIVE', async () => {
  const ctx = await contextFor(openSqliteEngine({ inMemory: true }), manualClock(0))
  await createTable(ctx, things)
  const items: Item[] = [1, 2, 3, 4, 5].map((n) => ({ pk: { S: `k${n}` }, color: { S: n % 2 ? 'red' : 'blue' } }))
  await putItems(ctx, 'things', [...items, { pk: { S: 'colorless' } }, { pk: { S: 'numeric' }, color: { N: '1' } }])
  const response = (await updateTable(ctx, {
    TableName: 'things',
    AttributeDefinitions: [{ AttributeName: 'color', AttributeType: 'S' }],
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byColor', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
  })) as Described
  assert.equal(response.TableDescription.TableStatus, 'UPDATING')
  const creating = response.TableDescription.GlobalSecondaryIndexes[0]
  assert.equal(creating.IndexStatus, 'CREATING')
  assert.equal(creating.Backfilling, true)
  assert.equal(creating.IndexArn, 'arn:aws:dynamodb:us-east-1:123456789012:table/things/index/byColor')
  await ctx.catalog.whenIdle()
  const described = ((await describeTable(ctx, { TableName: 'things' })) as Described).Table
  assert.equal(described.TableStatus, 'ACTIVE')
  const index = described.GlobalSecondaryIndexes[0]
  assert.equal(index.IndexStatus, 'ACTIVE')
  assert.equal(index.Backfilling, undefined)
  assert.equal(index.ItemCount, 5)
  assert.deepEqual(described.AttributeDefinitions.map((definition: Described) => definition.AttributeName), ['color', 'pk'])
  await rejectsWith(updateTable(ctx, {
    TableName: 'things',
    AttributeDefinitions: [{ AttributeName: 'color', AttributeType: 'S' }],
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byColor', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
  }), 'ValidationException', 'Attempting to create an index which already exists')
  const deleted = (await updateTable(ctx, { TableName: 'things', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byColor' } }] })) as Described
  assert.equal(deleted.TableDescription.GlobalSecondaryIndexes[0].IndexStatus, 'DELETING')
  const after = ((await describeTable(ctx, { TableName: 'things' })) as Described).Table
  assert.equal(after.GlobalSecondaryIndexes, undefined)
  assert.deepEqual(after.AttributeDefinitions, [{ AttributeName: 'pk', AttributeType: 'S' }])
  const left = await ctx.storage.read((view) => view.indexStats(after.TableId, 'byColor'))
  assert.equal(left.count, 0)
})

test('the catalog survives a restart, and DeleteTable honours deletion protection', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'eddydb-catalog-'))
  try {
    const path = join(directory, 'us-east-1.sqlite3')
    const first = await contextFor(openSqliteEngine({ path }), manualClock(5_000))
    await createTable(first, { ...things, DeletionProtectionEnabled: true, Tags: [{ Key: 'team', Value: 'core' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } })
    const before = ((await describeTable(first, { TableName: 'things' })) as Described).Table
    assert.equal(before.LatestStreamLabel, '1970-01-01T00:00:05.000')
    assert.equal(before.LatestStreamArn, `${before.TableArn}/stream/1970-01-01T00:00:05.000`)
    await first.storage.close()

    const second = await contextFor(openSqliteEngine({ path }), manualClock(9_000))
    const after = ((await describeTable(second, { TableName: 'things' })) as Described).Table
    assert.deepEqual(after, before)
    assert.equal(second.catalog.get('things')?.streamViewType, 'NEW_IMAGE')
    await rejectsWith(deleteTable(second, { TableName: 'things' }), 'ValidationException',
      'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.')
    await updateTable(second, { TableName: 'things', DeletionProtectionEnabled: false })
    const deleted = ((await deleteTable(second, { TableName: 'things' })) as Described).TableDescription
    assert.equal(deleted.TableStatus, 'DELETING')
    await rejectsWith(describeTable(second, { TableName: 'things' }), 'ResourceNotFoundException',
      'Requested resource not found: Table: things not found')
    await second.storage.close()

    const third = await contextFor(openSqliteEngine({ path }), manualClock(9_000))
    assert.deepEqual(third.catalog.names(), [])
    await third.storage.close()
  } finally {
    rmSync(directory, { recursive: true, force: true })
  }
})

test('ListTables pages by name', async () => {
  const ctx = await contextFor(openSqliteEngine({ inMemory: true }), manualClock(0))
  for (const name of ['ccc', 'aaa', 'bbb', 'ddd']) await createTable(ctx, { ...things, TableName: name })
  assert.deepEqual(await listTables(ctx, {}), { TableNames: ['aaa', 'bbb', 'ccc', 'ddd'] })
  assert.deepEqual(await listTables(ctx, { Limit: 2 }), { TableNames: ['aaa', 'bbb'], LastEvaluatedTableName: 'bbb' })
  assert.deepEqual(await listTables(ctx, { Limit: 2, ExclusiveStartTableName: 'bbb' }), { TableNames: ['ccc', 'ddd'] })
  assert.deepEqual(await listTables(ctx, { ExclusiveStartTableName: 'b' }), { TableNames: ['bbb', 'ccc', 'ddd'] })
  assert.deepEqual(await listTables(ctx, { ExclusiveStartTableName: 'zzz' }), { TableNames: [] })
})

test('tags are added, replaced, listed and removed by table ARN', async () => {
  const ctx = await contextFor(openSqliteEngine({ inMemory: true }), manualClock(0))
  await createTable(ctx, { ...things, Tags: [{ Key: 'a', Value: '1' }] })
  const arn = 'arn:aws:dynamodb:us-east-1:123456789012:table/things'
  await tagResource(ctx, { ResourceArn: arn, Tags: [{ Key: 'a', Value: '2' }, { Key: 'b', Value: '3' }] })
  assert.deepEqual(await listTagsOfResource(ctx, { ResourceArn: arn }), { Tags: [{ Key: 'a', Value: '2' }, { Key: 'b', Value: '3' }] })
  await untagResource(ctx, { ResourceArn: arn, TagKeys: ['a', 'zzz'] })
  assert.deepEqual(await listTagsOfResource(ctx, { ResourceArn: arn }), { Tags: [{ Key: 'b', Value: '3' }] })
  const missing = 'arn:aws:dynamodb:us-east-1:123456789012:table/missing'
  await rejectsWith(listTagsOfResource(ctx, { ResourceArn: missing }), 'ResourceNotFoundException',
    `Requested resource not found: ResourceArn: ${missing} not found`)
  await rejectsWith(tagResource(ctx, { ResourceArn: arn, Tags: [] }), 'ValidationException', 'Atleast one Tag needs to be provided as Input.')
  const tooMany = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }))
  await rejectsWith(tagResource(ctx, { ResourceArn: arn, Tags: tooMany }), 'ValidationException',
    'Number of Tags exceed the current limit for the provided ResourceArn')
  await rejectsWith(tagResource(ctx, { ResourceArn: 'table/things', Tags: [{ Key: 'a', Value: 'b' }] }), 'ValidationException',
    "One or more parameter values were invalid: ARNs must start with 'arn:': table/things")
})
