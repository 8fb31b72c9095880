/**
 * Round trips to PostgreSQL per DynamoDB operation, counted by the engine (postgresStatistics)
 * around single requests to a server on a throwaway cluster. Each round trip is a network wait
 * on a real deployment, so the write path is held to the budget: a PutItem, UpdateItem or
 * DeleteItem costs at most three in the common case, and a 25-item BatchWriteItem no more than one
 * PutItem. The counts are printed too, for docs/scale-out.md.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand,
  QueryCommand, TransactWriteItemsCommand, UpdateItemCommand,
} from '@aws-sdk/client-dynamodb'
import { startServer, type RunningServer } from '../../src/server.js'
import { postgresStatistics } from '../../src/storage/postgres/views.js'
import { testCredentials } from '../helpers/server.js'
import { postgresSkipReason, startPostgres, type PostgresCluster } from '../helpers/postgres.js'

const skip = postgresSkipReason()
let cluster: PostgresCluster | undefined
let server: RunningServer | undefined
let client: DynamoDBClient

before(async () => {
  if (skip) return
  cluster = await startPostgres()
  // Background work would add its own queries to the counts: the sweeper runs hourly here.
  server = await startServer({ port: 0, logLevel: 'silent', storageUrl: await cluster.createDatabase('round_trips'), ttlSweepIntervalMs: 3_600_000 })
  client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 })
  await client.send(new CreateTableCommand({
    TableName: 'trips',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'color', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byColor', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    BillingMode: 'PAY_PER_REQUEST',
  }))
})
after(async () => {
  client?.destroy()
  await server?.close()
  await cluster?.stop()
})

async function roundTripsOf(send: () => Promise<unknown>): Promise<number> {
  const before = postgresStatistics.roundTrips
  await send()
  return postgresStatistics.roundTrips - before
}

const item = (pk: string) => ({ pk: { S: pk }, color: { S: 'red' }, n: { N: '1' } })

test('single-item writes take at most three round trips, reads one', { skip }, async () => {
  const counts = {
    PutItem: await roundTripsOf(() => client.send(new PutItemCommand({ TableName: 'trips', Item: item('a') }))),
    conditionalPutItem: await roundTripsOf(() => client.send(new PutItemCommand({
      TableName: 'trips', Item: item('b'), ConditionExpression: 'attribute_not_exists(pk)',
    }))),
    UpdateItem: await roundTripsOf(() => client.send(new UpdateItemCommand({
      TableName: 'trips', Key: { pk: { S: 'a' } }, UpdateExpression: 'ADD n :one SET color = :blue',
      ExpressionAttributeValues: { ':one': { N: '1' }, ':blue': { S: 'blue' } },
    }))),
    DeleteItem: await roundTripsOf(() => client.send(new DeleteItemCommand({ TableName: 'trips', Key: { pk: { S: 'b' } } }))),
    GetItem: await roundTripsOf(() => client.send(new GetItemCommand({ TableName: 'trips', Key: { pk: { S: 'a' } } }))),
    Query: await roundTripsOf(() => client.send(new QueryCommand({
      TableName: 'trips', KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': { S: 'a' } },
    }))),
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
  const putItemTrips = await roundTripsOf(() => client.send(new PutItemCommand({ TableName: 'trips', Item: item('single') })))
  const batchTrips = await roundTripsOf(() => client.send(new BatchWriteItemCommand({ RequestItems: {
    trips: Array.from({ length: 25 }, (_, index) => ({ PutRequest: { Item: item(`batch-${index}`) } })),
  } })))
  const transactionTrips = await roundTripsOf(() => client.send(new TransactWriteItemsCommand({
    TransactItems: Array.from({ length: 25 }, (_, index) => ({ Put: { TableName: 'trips', Item: item(`transaction-${index}`) } })),
  })))
  console.log('round trips for 25 items', { BatchWriteItem: batchTrips, TransactWriteItems: transactionTrips, PutItem: putItemTrips })
  assert.ok(batchTrips <= putItemTrips, `BatchWriteItem took ${batchTrips} round trips`)
  assert.ok(transactionTrips <= putItemTrips, `TransactWriteItems took ${transactionTrips} round trips`)
})
