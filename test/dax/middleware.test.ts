/**
 * The in-process SDK v3 middleware: a DynamoDBClient with withDaxCache answers repeated reads
 * from its own process and writes through. The client talks to a real EddyDB; the server's own
 * request count (seen through a second, uncached client's reads) is not needed: the cache's stats
 * say which calls were hits, and a write that bypasses the cache shows the staleness DAX has.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  BatchGetItemCommand, CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand,
  UpdateItemCommand, waitUntilTableExists,
} from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { withDaxCache, type DaxCacheHandle } from '../../src/dax/middleware.js'
import { startServer, type RunningServer } from '../../src/server.js'
import { ManualClock } from './cache-helpers.js'

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }
const table = `dax-middleware-${process.pid}`
let server: RunningServer
let cached: DynamoDBClient
let direct: DynamoDBClient
let cache: DaxCacheHandle
const clock = new ManualClock()

before(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true, logLevel: 'silent' })
  const config = { endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 }
  cached = new DynamoDBClient(config)
  direct = new DynamoDBClient(config)
  cache = withDaxCache(cached, { settings: { recordTtlMillis: 1000 }, clock })
  await direct.send(new CreateTableCommand({
    TableName: table, BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'B' }],
  }))
  await waitUntilTableExists({ client: direct, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { TableName: table })
})
after(async () => {
  cached.destroy()
  direct.destroy()
  await server.close()
})

const key = (pk: string) => ({ pk: { S: pk }, sk: { B: new Uint8Array([1, 2, 3]) } })

test('GetItem: the repeat is answered in process; writes through the client refresh it', async () => {
  await cached.send(new PutItemCommand({ TableName: table, Item: { ...key('a'), v: { S: 'one' } } }))
  const first = await cached.send(new GetItemCommand({ TableName: table, Key: key('a') }))
  assert.deepEqual(first.Item, { ...key('a'), v: { S: 'one' } })
  assert.equal(cache.stats().ItemCacheHits, 1)
  await cached.send(new UpdateItemCommand({
    TableName: table, Key: key('a'), UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: 'two' } },
  }))
  const second = await cached.send(new GetItemCommand({ TableName: table, Key: key('a'), ProjectionExpression: 'v' }))
  assert.deepEqual(second.Item, { v: { S: 'two' } })
  assert.equal(cache.stats().ItemCacheHits, 2)
  assert.equal(cache.stats().ItemCacheMisses, 0)
})

test('a write around the cache is seen only after record-ttl-millis, as with DAX', async () => {
  await cached.send(new GetItemCommand({ TableName: table, Key: key('b') }))
  await direct.send(new PutItemCommand({ TableName: table, Item: key('b') }))
  assert.equal((await cached.send(new GetItemCommand({ TableName: table, Key: key('b') }))).Item, undefined)
  clock.advance(1000)
  assert.ok((await cached.send(new GetItemCommand({ TableName: table, Key: key('b') }))).Item)
})

test('Query and BatchGetItem hits', async () => {
  const query = new QueryCommand({
    TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'a' } },
  })
  assert.equal((await cached.send(query)).Count, 1)
  assert.equal((await cached.send(query)).Count, 1)
  assert.equal(cache.stats().QueryCacheHits, 1)
  const batch = await cached.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: [key('a'), key('zz')] } } }))
  assert.equal(batch.Responses?.[table]?.length, 1)
  await cached.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: [key('a'), key('zz')] } } }))
  assert.ok(cache.stats().ItemCacheHits >= 4)
})

test('DocumentClient commands on the same client pass through uncached and still work', async () => {
  const doc = DynamoDBDocumentClient.from(cached)
  const hitsBefore = cache.stats().ItemCacheHits
  const docKey = { pk: 'doc', sk: new Uint8Array([9]) }
  await doc.send(new PutCommand({ TableName: table, Item: { ...docKey, v: 1 } }))
  const { Item } = await doc.send(new GetCommand({ TableName: table, Key: docKey }))
  assert.equal(Item?.v, 1)
  assert.equal(cache.stats().ItemCacheHits, hitsBefore)
})

test('detach() removes the cache', async () => {
  const client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 })
  const handle = withDaxCache(client)
  await client.send(new GetItemCommand({ TableName: table, Key: key('a') }))
  handle.detach()
  await client.send(new GetItemCommand({ TableName: table, Key: key('a') }))
  assert.equal(handle.stats().GetItemRequestCount, 1)
  client.destroy()
})

test('a hit takes microseconds, not a round trip', async () => {
  const command = new GetItemCommand({ TableName: table, Key: key('a') })
  await cached.send(command)
  const rounds = 200
  const perCallMicros = async (client: DynamoDBClient) => {
    const started = process.hrtime.bigint()
    for (let round = 0; round < rounds; round++) await client.send(command)
    return Number(process.hrtime.bigint() - started) / 1000 / rounds
  }
  // Compared with a round trip measured in the same run, so a loaded machine slows both alike:
  // the point is no network and no serialization, not a number of microseconds.
  const perHitMicros = await perCallMicros(cached)
  const perRoundTripMicros = await perCallMicros(direct)
  assert.ok(perHitMicros * 10 < perRoundTripMicros, `per hit ${perHitMicros} µs, per round trip ${perRoundTripMicros} µs`)
})
