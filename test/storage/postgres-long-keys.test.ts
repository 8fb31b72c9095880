/**
 * Keys DynamoDB takes (a 2,048-byte partition key and a 1,024-byte sort key) can be longer than
 * a PostgreSQL btree index row holds (2,704 bytes after compression; random text does not
 * compress). Such a write is refused with a ValidationException and writes nothing, not failed
 * with a 500; and a GSI backfill that meets such an item leaves it out and still finishes,
 * where it used to fail its page again and again, leaving the index CREATING for good.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import {
  BatchWriteItemCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand, UpdateTableCommand,
} from '@aws-sdk/client-dynamodb'
import { startServer, type RunningServer } from '../../src/server.js'
import { testCredentials } from '../helpers/server.js'
import { createTable } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'
import { postgresSkipReason, startPostgres, type PostgresCluster } from '../helpers/postgres.js'

const skip = postgresSkipReason()
let cluster: PostgresCluster | undefined
let server: RunningServer | undefined
let client: DynamoDBClient

/** `bytes` of UTF-8 that no compressor shrinks: random base64 text. */
const incompressible = (bytes: number) => randomBytes(bytes).toString('base64').slice(0, bytes)

before(async () => {
  if (skip) return
  cluster = await startPostgres()
  server = await startServer({ port: 0, logLevel: 'silent', storageUrl: await cluster.createDatabase('long_keys') })
  client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 })
})
after(async () => {
  client?.destroy()
  await server?.close()
  await cluster?.stop()
})

test('a key too long for a PostgreSQL index row is refused whole, and shorter ones still work', { skip }, async () => {
  const TableName = 'long-keys'
  await createTable(client, {
    TableName, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  })
  const longKey = { pk: { S: incompressible(2048) }, sk: { S: incompressible(1024) } }
  await expectError(client.send(new PutItemCommand({ TableName, Item: longKey })), 'ValidationException', /too long for this server's PostgreSQL storage/)
  // A batch with the long key writes none of its items.
  const shortKey = { pk: { S: 'short' }, sk: { S: '1' } }
  await expectError(client.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: [{ PutRequest: { Item: shortKey } }, { PutRequest: { Item: longKey } }] } })),
    'ValidationException', /too long for this server's PostgreSQL storage/)
  assert.equal((await client.send(new GetItemCommand({ TableName, Key: shortKey }))).Item, undefined)
  // Long keys that fit work: the limit is PostgreSQL's, not a bound of EddyDB's own.
  const fitting = { pk: { S: incompressible(1500) }, sk: { S: incompressible(1000) } }
  await client.send(new PutItemCommand({ TableName, Item: fitting }))
  assert.deepEqual((await client.send(new GetItemCommand({ TableName, Key: fitting }))).Item, fitting)
})

test('a GSI backfill leaves out an item whose entry is too long, and the index becomes ACTIVE', { skip }, async () => {
  const TableName = 'long-index-keys'
  await createTable(client, {
    TableName, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  })
  const itemCount = 30
  for (let n = 0; n < itemCount; n++) {
    // One item's index key values, with its table key, exceed an index row.
    const tooLong = n === 17
    const item = { pk: { S: tooLong ? incompressible(2000) : `k${n}` }, g: { S: tooLong ? incompressible(2048) : `g${n % 3}` }, s: { S: tooLong ? incompressible(1024) : 'x' } }
    await client.send(new PutItemCommand({ TableName, Item: item }))
  }
  await client.send(new UpdateTableCommand({
    TableName,
    AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }, { AttributeName: 's', AttributeType: 'S' }],
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }, { AttributeName: 's', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
  }))
  // Bounded: a broken build must not hang the suite (about 60 s at most).
  let status: string | undefined
  for (let look = 0; look < 600; look++) {
    status = (await client.send(new DescribeTableCommand({ TableName }))).Table!.GlobalSecondaryIndexes![0]!.IndexStatus
    if (status === 'ACTIVE') break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  assert.equal(status, 'ACTIVE')
  const indexed = await client.send(new ScanCommand({ TableName, IndexName: 'byG' }))
  assert.equal(indexed.Count, itemCount - 1)
})
