/**
 * Round trips to PostgreSQL per DynamoDB operation, counted by the engine (postgresStatistics)
 * around single operations, called directly on a context over a PostgreSQL engine (no HTTP and
 * no background work, whose queries would mix into the counts). Each round trip is a network
 * wait on a real deployment, so the write path is held to the budget: a PutItem,
 * UpdateItem or DeleteItem costs at most three in the common case, and a 25-item BatchWriteItem
 * no more than one PutItem. The counts are printed too, for docs/scale-out.md.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { RequestContext } from '../../src/api/context.js'
import { putRecords } from '../../src/kinesis/put-records.js'
import { createStream } from '../../src/kinesis/stream-operations.js'
import { batchWriteItem } from '../../src/operations/batch-write-item.js'
import { createTable } from '../../src/operations/create-table.js'
import { deleteItem } from '../../src/operations/delete-item.js'
import { getItem } from '../../src/operations/get-item.js'
import { putItem } from '../../src/operations/put-item.js'
import { query } from '../../src/operations/query.js'
import { transactWriteItems } from '../../src/operations/transact-write-items.js'
import { updateItem } from '../../src/operations/update-item.js'
import type { StorageEngine } from '../../src/storage/engine.js'
import { openPostgresEngine } from '../../src/storage/postgres/engine.js'
import { postgresStatistics } from '../../src/storage/postgres/views.js'
import { operationContext } from '../helpers/operation-context.js'
import { postgresSkipReason, startPostgres, type PostgresCluster } from '../helpers/postgres.js'

const skip = postgresSkipReason()
let cluster: PostgresCluster | undefined
let storage: StorageEngine | undefined
let ctx: RequestContext

before(async () => {
  if (skip) return
  cluster = await startPostgres()
  storage = openPostgresEngine({ url: cluster.url(), region: 'us-east-1' })
  ctx = await operationContext(storage)
  await createTable(ctx, {
    TableName: 'trips',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'color', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byColor', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    BillingMode: 'PAY_PER_REQUEST',
  })
})
after(async () => {
  await storage?.close()
  await cluster?.stop()
})

async function roundTripsOf(run: () => Promise<unknown>): Promise<number> {
  const before = postgresStatistics.roundTrips
  await run()
  return postgresStatistics.roundTrips - before
}

const item = (pk: string) => ({ pk: { S: pk }, color: { S: 'red' }, n: { N: '1' } })

test('single-item writes take at most three round trips, reads one', { skip }, async () => {
  const counts = {
    PutItem: await roundTripsOf(() => putItem(ctx, { TableName: 'trips', Item: item('a') })),
    conditionalPutItem: await roundTripsOf(() => putItem(ctx, {
      TableName: 'trips', Item: item('b'), ConditionExpression: 'attribute_not_exists(pk)',
    })),
    UpdateItem: await roundTripsOf(() => updateItem(ctx, {
      TableName: 'trips', Key: { pk: { S: 'a' } }, UpdateExpression: 'ADD n :one SET color = :blue',
      ExpressionAttributeValues: { ':one': { N: '1' }, ':blue': { S: 'blue' } },
    })),
    DeleteItem: await roundTripsOf(() => deleteItem(ctx, { TableName: 'trips', Key: { pk: { S: 'b' } } })),
    GetItem: await roundTripsOf(() => getItem(ctx, { TableName: 'trips', Key: { pk: { S: 'a' } } })),
    Query: await roundTripsOf(() => query(ctx, {
      TableName: 'trips', KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': { S: 'a' } },
    })),
  }
  console.log('round trips per operation', counts)
  for (const name of ['PutItem', 'conditionalPutItem', 'UpdateItem', 'DeleteItem'] as const) {
    assert.ok(counts[name] <= 3, `${name} took ${counts[name]} round trips`)
  }
  assert.equal(counts.GetItem, 1)
  assert.equal(counts.Query, 1)
})

// All items are read in one statement and written with the COMMIT: as cheap as one PutItem.
test('a 25-item BatchWriteItem or TransactWriteItems takes as many round trips as one PutItem', { skip }, async () => {
  const putItemTrips = await roundTripsOf(() => putItem(ctx, { TableName: 'trips', Item: item('single') }))
  const batchTrips = await roundTripsOf(() => batchWriteItem(ctx, { RequestItems: {
    trips: Array.from({ length: 25 }, (_, index) => ({ PutRequest: { Item: item(`batch-${index}`) } })),
  } }))
  const transactionTrips = await roundTripsOf(() => transactWriteItems(ctx, {
    TransactItems: Array.from({ length: 25 }, (_, index) => ({ Put: { TableName: 'trips', Item: item(`transaction-${index}`) } })),
  }))
  console.log('round trips for 25 items', { BatchWriteItem: batchTrips, TransactWriteItems: transactionTrips, PutItem: putItemTrips })
  assert.ok(batchTrips <= putItemTrips, `BatchWriteItem took ${batchTrips} round trips`)
  assert.ok(transactionTrips <= putItemTrips, `TransactWriteItems took ${transactionTrips} round trips`)
  const stored = await storage!.read((view) => view.itemStats(ctx.catalog.require('trips').tableId))
  // 'a' and 'single' (the first test deleted 'b'), then both batches.
  assert.equal(stored.count, 2 + 25 + 25, 'every item was written')
})

// Issue 14: a PutRecords writes its records in one statement after one lookup of the shards'
// newest ordinals, so 500 records over 4 shards cost the round trips of one record.
test('PutRecords takes as many round trips for 500 records over 4 shards as for one', { skip }, async () => {
  await createStream(ctx, { StreamName: 'trips', ShardCount: 4 })
  const records = (count: number) => Array.from({ length: count }, (_, index) => ({ PartitionKey: `key-${index}`, Data: Buffer.from('x').toString('base64') }))
  const one = await roundTripsOf(() => putRecords(ctx, { StreamName: 'trips', Records: records(1) }))
  const many = await roundTripsOf(() => putRecords(ctx, { StreamName: 'trips', Records: records(500) }))
  console.log('round trips per PutRecords', { one, many })
  assert.ok(one <= 3, `one record took ${one} round trips`)
  assert.equal(many, one)
})
