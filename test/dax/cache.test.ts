/**
 * DAX cache semantics (docs/dax.md, spec Part A2-A5) through the caching executor, against a real
 * in-memory EddyDB as the upstream. The upstream is wrapped to record which calls reached it, so
 * each test can tell a hit (no upstream call) from a miss, and a hand-moved clock drives the TTLs.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { CachingExecutor } from '../../src/dax/cache/caching-executor.js'
import type { DaxCacheSettings, DynamoDbExecutor } from '../../src/dax/node-api.js'
import type { RunningServer } from '../../src/server.js'
import { createTable, ManualClock, recording, startUpstreamServer, type RecordingUpstream } from './cache-helpers.js'

let server: RunningServer
let direct: DynamoDbExecutor

before(async () => {
  ({ server, direct } = await startUpstreamServer())
})
after(() => server.close())

interface Fixture { dax: CachingExecutor; upstream: RecordingUpstream; clock: ManualClock; table: string }

async function fixture(settings: Partial<DaxCacheSettings> = {}, withSortKey = false): Promise<Fixture> {
  const table = await createTable(direct, withSortKey)
  const upstream = recording(direct)
  const clock = new ManualClock()
  return { dax: new CachingExecutor({ upstream, settings, clock }), upstream, clock, table }
}

const item = (pk: string, extra: Record<string, unknown> = {}) => ({ pk: { S: pk }, ...extra })

test('GetItem: a miss reads upstream once, the repeat is a hit served without the upstream', async () => {
  const { dax, upstream, table } = await fixture()
  await direct.execute('PutItem', { TableName: table, Item: item('a', { v: { N: '1' } }) })
  const first = await dax.execute('GetItem', { TableName: table, Key: item('a') })
  const second = await dax.execute('GetItem', { TableName: table, Key: item('a') })
  assert.deepEqual(first.Item, item('a', { v: { N: '1' } }))
  assert.deepEqual(second, { Item: item('a', { v: { N: '1' } }) })
  assert.equal(upstream.callsOf('GetItem'), 1)
  const stats = dax.stats()
  assert.equal(stats.ItemCacheMisses, 1)
  assert.equal(stats.ItemCacheHits, 1)
  assert.equal(stats.GetItemRequestCount, 2)
  assert.equal(stats.TotalRequestCount, 2)
})

test('GetItem: a hit carries no ConsumedCapacity; a miss passes the upstream value on', async () => {
  const { dax, table } = await fixture()
  const miss = await dax.execute('GetItem', { TableName: table, Key: item('a'), ReturnConsumedCapacity: 'TOTAL' })
  const hit = await dax.execute('GetItem', { TableName: table, Key: item('a'), ReturnConsumedCapacity: 'TOTAL' })
  assert.equal(miss.ConsumedCapacity.TableName, table)
  assert.equal(hit.ConsumedCapacity, undefined)
})

test('negative caching: an absent item stays absent until record-ttl-millis passes', async () => {
  const { dax, upstream, clock, table } = await fixture({ recordTtlMillis: 1000 })
  assert.deepEqual(await dax.execute('GetItem', { TableName: table, Key: item('ghost') }), {})
  // A write that bypasses DAX is not seen (spec A9.1) ...
  await direct.execute('PutItem', { TableName: table, Item: item('ghost') })
  clock.advance(999)
  assert.deepEqual(await dax.execute('GetItem', { TableName: table, Key: item('ghost') }), {})
  assert.equal(upstream.callsOf('GetItem'), 1)
  // ... until the negative entry expires; reads do not extend it.
  clock.advance(1)
  assert.deepEqual(await dax.execute('GetItem', { TableName: table, Key: item('ghost') }), { Item: item('ghost') })
  assert.equal(upstream.callsOf('GetItem'), 2)
})

test('record-ttl-millis = 0: item entries never expire by time', async () => {
  const { dax, upstream, clock, table } = await fixture({ recordTtlMillis: 0 })
  await dax.execute('GetItem', { TableName: table, Key: item('a') })
  clock.advance(365 * 24 * 3600 * 1000)
  await dax.execute('GetItem', { TableName: table, Key: item('a') })
  assert.equal(upstream.callsOf('GetItem'), 1)
})

test('projections are applied at read time to the cached full item', async () => {
  const { dax, upstream, table } = await fixture()
  await direct.execute('PutItem', { TableName: table, Item: item('a', { x: { S: 'x' }, y: { M: { z: { N: '5' }, w: { N: '6' } } } }) })
  const miss = await dax.execute('GetItem', { TableName: table, Key: item('a'), ProjectionExpression: 'x' })
  const hit = await dax.execute('GetItem', {
    TableName: table, Key: item('a'), ProjectionExpression: '#y.z', ExpressionAttributeNames: { '#y': 'y' },
  })
  const legacy = await dax.execute('GetItem', { TableName: table, Key: item('a'), AttributesToGet: ['pk'] })
  assert.deepEqual(miss, { Item: { x: { S: 'x' } } })
  assert.deepEqual(hit, { Item: { y: { M: { z: { N: '5' } } } } })
  assert.deepEqual(legacy, { Item: item('a') })
  assert.equal(upstream.callsOf('GetItem'), 1)
})

test('a bad projection is rejected on a hit as on a miss', async () => {
  const { dax, table } = await fixture()
  await dax.execute('GetItem', { TableName: table, Key: item('a') })
  await assert.rejects(
    dax.execute('GetItem', { TableName: table, Key: item('a'), ExpressionAttributeNames: { '#a': 'a' } }),
    { type: 'ValidationException', message: 'ExpressionAttributeNames can only be specified when using expressions' },
  )
  assert.equal(dax.stats().ErrorRequestCount, 1)
})

test('strongly consistent reads pass through and leave the cache alone', async () => {
  const { dax, upstream, table } = await fixture()
  await dax.execute('GetItem', { TableName: table, Key: item('a') })
  await direct.execute('PutItem', { TableName: table, Item: item('a') })
  assert.deepEqual(await dax.execute('GetItem', { TableName: table, Key: item('a'), ConsistentRead: true }), { Item: item('a') })
  assert.deepEqual(await dax.execute('GetItem', { TableName: table, Key: item('a'), ConsistentRead: true }), { Item: item('a') })
  // The eventually consistent entry is still the negative one cached first.
  assert.deepEqual(await dax.execute('GetItem', { TableName: table, Key: item('a') }), {})
  assert.equal(upstream.callsOf('GetItem'), 3)
  const stats = dax.stats()
  assert.equal(stats.ItemCacheHits, 1)
  assert.equal(stats.ItemCacheMisses, 1)
})

test('TransactGetItems passes through, never cached', async () => {
  const { dax, upstream, table } = await fixture()
  await direct.execute('PutItem', { TableName: table, Item: item('a') })
  const request = { TransactItems: [{ Get: { TableName: table, Key: item('a') } }] }
  assert.deepEqual((await dax.execute('TransactGetItems', request)).Responses, [{ Item: item('a') }])
  await dax.execute('TransactGetItems', request)
  assert.equal(upstream.callsOf('TransactGetItems'), 2)
  assert.equal(dax.stats().TransactGetItemsCount, 2)
})

test('write-through: PutItem refreshes the item cache with a fresh TTL', async () => {
  const { dax, upstream, clock, table } = await fixture({ recordTtlMillis: 1000 })
  await dax.execute('GetItem', { TableName: table, Key: item('a') })
  clock.advance(900)
  await dax.execute('PutItem', { TableName: table, Item: item('a', { n: { N: '01.50' } }) })
  clock.advance(900)
  // Served from the cache: the put reset the TTL, and the number is in DynamoDB's canonical form.
  assert.deepEqual(await dax.execute('GetItem', { TableName: table, Key: item('a') }), { Item: item('a', { n: { N: '1.5' } }) })
  assert.equal(upstream.callsOf('GetItem'), 1)
})

// A table deleted and created again with another key on the upstream, unseen by the node: the
// key learnt for write-through is relearnt after 60 s (as the wire layer's and the clients'), so
// puts then refresh the new key's entry instead of caching the item under the old key's name.
test('write-through follows a table recreated with another key once its key schema is relearnt', async () => {
  const { dax, upstream, clock, table } = await fixture({ recordTtlMillis: 0 })
  await dax.execute('PutItem', { TableName: table, Item: item('p1', { v: { S: 'before' } }) })
  await direct.execute('DeleteTable', { TableName: table })
  await direct.execute('CreateTable', {
    TableName: table, BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  })
  for (let attempt = 0; (await direct.execute('DescribeTable', { TableName: table })).Table.TableStatus !== 'ACTIVE'; attempt++) {
    assert.ok(attempt < 3000, 'the recreated table became ACTIVE') // a hang guard: 30 s of looks
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  const key = { id: { S: 'k1' } }
  await dax.execute('PutItem', { TableName: table, Item: { ...key, pk: { S: 'p1' }, v: { S: 'v1' } } })
  assert.equal((await dax.execute('GetItem', { TableName: table, Key: key })).Item.v.S, 'v1')
  clock.advance(61_000)
  await dax.execute('PutItem', { TableName: table, Item: { ...key, pk: { S: 'p1' }, v: { S: 'v2' } } })
  assert.equal((await dax.execute('GetItem', { TableName: table, Key: key })).Item.v.S, 'v2')
  assert.ok(upstream.callsOf('DescribeTable') >= 2, 'the key schema was asked for again')
})

test('write-through: UpdateItem caches the new image and answers with what the client asked', async () => {
  const { dax, upstream, table } = await fixture()
  await dax.execute('PutItem', { TableName: table, Item: item('a', { n: { N: '1' } }) })
  const none = await dax.execute('UpdateItem', {
    TableName: table, Key: item('a'), UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': { N: '1' } },
  })
  assert.equal(none.Attributes, undefined)
  assert.deepEqual(await dax.execute('GetItem', { TableName: table, Key: item('a') }), { Item: item('a', { n: { N: '2' } }) })
  const allNew = await dax.execute('UpdateItem', {
    TableName: table, Key: item('a'), UpdateExpression: 'SET m = :m', ExpressionAttributeValues: { ':m': { S: 'm' } },
    ReturnValues: 'ALL_NEW',
  })
  assert.deepEqual(allNew.Attributes, item('a', { n: { N: '2' }, m: { S: 'm' } }))
  assert.equal(upstream.callsOf('GetItem'), 0)
  // UPDATED_OLD cannot be cut from the new image: the entry is dropped and read again.
  const old = await dax.execute('UpdateItem', {
    TableName: table, Key: item('a'), UpdateExpression: 'REMOVE m', ReturnValues: 'UPDATED_OLD',
  })
  assert.deepEqual(old.Attributes, { m: { S: 'm' } })
  assert.deepEqual(await dax.execute('GetItem', { TableName: table, Key: item('a') }), { Item: item('a', { n: { N: '2' } }) })
  assert.equal(upstream.callsOf('GetItem'), 1)
})

test('write-through: DeleteItem leaves a negative entry', async () => {
  const { dax, upstream, table } = await fixture()
  await dax.execute('PutItem', { TableName: table, Item: item('a') })
  await dax.execute('DeleteItem', { TableName: table, Key: item('a') })
  assert.deepEqual(await dax.execute('GetItem', { TableName: table, Key: item('a') }), {})
  assert.equal(upstream.callsOf('GetItem'), 0)
})

test('a failed write leaves the cache untouched', async () => {
  const { dax, upstream, table } = await fixture()
  await dax.execute('PutItem', { TableName: table, Item: item('a', { v: { S: 'old' } }) })
  await assert.rejects(dax.execute('PutItem', {
    TableName: table, Item: item('a', { v: { S: 'new' } }), ConditionExpression: 'attribute_not_exists(pk)',
  }), { type: 'ConditionalCheckFailedException' })
  await assert.rejects(dax.execute('UpdateItem', {
    TableName: table, Key: item('a'), UpdateExpression: 'SET v = :v', ConditionExpression: 'v = :x',
    ExpressionAttributeValues: { ':v': { S: 'new' }, ':x': { S: 'nope' } },
  }), { type: 'ConditionalCheckFailedException' })
  assert.deepEqual(await dax.execute('GetItem', { TableName: table, Key: item('a') }), { Item: item('a', { v: { S: 'old' } }) })
  assert.equal(upstream.callsOf('GetItem'), 0)
  assert.equal(dax.stats().ErrorRequestCount, 2)
})

test('BatchGetItem: hits from the cache, one upstream call for the misses, negative entries for absent keys', async () => {
  const { dax, upstream, table } = await fixture()
  await direct.execute('PutItem', { TableName: table, Item: item('a', { v: { N: '1' } }) })
  await direct.execute('PutItem', { TableName: table, Item: item('b', { v: { N: '2' } }) })
  await dax.execute('GetItem', { TableName: table, Key: item('a') })
  const output = await dax.execute('BatchGetItem', {
    RequestItems: { [table]: { Keys: [item('a'), item('b'), item('c')], ProjectionExpression: 'v' } },
  })
  assert.deepEqual(output.Responses[table].map((each: { v: { N: string } }) => each.v.N).sort(), ['1', '2'])
  assert.deepEqual(output.UnprocessedKeys, {})
  assert.equal(upstream.callsOf('BatchGetItem'), 1)
  const again = await dax.execute('BatchGetItem', { RequestItems: { [table]: { Keys: [item('a'), item('b'), item('c')] } } })
  assert.equal(again.Responses[table].length, 2)
  assert.equal(upstream.callsOf('BatchGetItem'), 1)
  assert.deepEqual(await dax.execute('GetItem', { TableName: table, Key: item('c') }), {})
  assert.equal(upstream.callsOf('GetItem'), 1)
  await assert.rejects(dax.execute('BatchGetItem', { RequestItems: { [table]: { Keys: [item('a'), item('a')] } } }),
    { message: 'Provided list of item keys contains duplicates' })
})

test('BatchWriteItem writes through per item', async () => {
  const { dax, upstream, table } = await fixture()
  await dax.execute('GetItem', { TableName: table, Key: item('a') })
  await dax.execute('PutItem', { TableName: table, Item: item('b') })
  await dax.execute('BatchWriteItem', {
    RequestItems: { [table]: [{ PutRequest: { Item: item('a', { v: { S: 'v' } }) } }, { DeleteRequest: { Key: item('b') } }] },
  })
  assert.deepEqual(await dax.execute('GetItem', { TableName: table, Key: item('a') }), { Item: item('a', { v: { S: 'v' } }) })
  assert.deepEqual(await dax.execute('GetItem', { TableName: table, Key: item('b') }), {})
  assert.equal(upstream.callsOf('GetItem'), 1)
})

test('TransactWriteItems refreshes every named item before it answers', async () => {
  const { dax, upstream, table } = await fixture()
  await direct.execute('PutItem', { TableName: table, Item: item('u', { n: { N: '1' } }) })
  await direct.execute('PutItem', { TableName: table, Item: item('d') })
  for (const pk of ['p', 'u', 'd']) await dax.execute('GetItem', { TableName: table, Key: item(pk) })
  await dax.execute('TransactWriteItems', {
    TransactItems: [
      { Put: { TableName: table, Item: item('p', { v: { S: 'new' } }) } },
      { Update: { TableName: table, Key: item('u'), UpdateExpression: 'SET n = :two', ExpressionAttributeValues: { ':two': { N: '2' } } } },
      { Delete: { TableName: table, Key: item('d') } },
    ],
  })
  assert.deepEqual(await dax.execute('GetItem', { TableName: table, Key: item('p') }), { Item: item('p', { v: { S: 'new' } }) })
  assert.deepEqual(await dax.execute('GetItem', { TableName: table, Key: item('u') }), { Item: item('u', { n: { N: '2' } }) })
  assert.deepEqual(await dax.execute('GetItem', { TableName: table, Key: item('d') }), {})
  assert.equal(upstream.callsOf('GetItem'), 3)
  assert.equal(upstream.callsOf('TransactGetItems'), 1)
})

test('the query cache stays stale after a write until query-ttl-millis passes', async () => {
  const { dax, upstream, clock, table } = await fixture({ queryTtlMillis: 1000 }, true)
  const query = { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'a' } } }
  assert.equal((await dax.execute('Query', query)).Count, 0)
  await dax.execute('PutItem', { TableName: table, Item: item('a', { sk: { N: '1' } }) })
  // DAX's documented behaviour (spec A9.2): writes never invalidate the query cache.
  assert.equal((await dax.execute('Query', query)).Count, 0)
  // ... while the item cache already has the new item (spec A9.3).
  assert.ok((await dax.execute('GetItem', { TableName: table, Key: item('a', { sk: { N: '1' } }) })).Item)
  clock.advance(1000)
  assert.equal((await dax.execute('Query', query)).Count, 1)
  assert.equal(upstream.callsOf('Query'), 2)
  const stats = dax.stats()
  assert.equal(stats.QueryCacheHits, 1)
  assert.equal(stats.QueryCacheMisses, 2)
})

test('Scan pages are cached per request; ReturnConsumedCapacity does not split the entry', async () => {
  const { dax, upstream, table } = await fixture()
  await direct.execute('PutItem', { TableName: table, Item: item('a') })
  await dax.execute('Scan', { TableName: table })
  const hit = await dax.execute('Scan', { TableName: table, ReturnConsumedCapacity: 'TOTAL' })
  await dax.execute('Scan', { TableName: table, Limit: 1 })
  assert.equal(hit.Count, 1)
  assert.equal(hit.ConsumedCapacity, undefined)
  assert.equal(upstream.callsOf('Scan'), 2)
  assert.equal(dax.stats().ScanCacheHits, 1)
  assert.equal(dax.stats().ScanCacheMisses, 2)
})

test('query-ttl-millis = 0 turns the query cache off; consistent queries always pass through', async () => {
  const { dax, upstream, table } = await fixture({ queryTtlMillis: 0 })
  await dax.execute('Scan', { TableName: table })
  await dax.execute('Scan', { TableName: table })
  dax.updateSettings({ queryTtlMillis: 1000 })
  await dax.execute('Scan', { TableName: table, ConsistentRead: true })
  await dax.execute('Scan', { TableName: table, ConsistentRead: true })
  assert.equal(upstream.callsOf('Scan'), 4)
})

test('coherent mode: a write through the node drops the table\'s cached queries', async () => {
  const { dax, upstream, table } = await fixture({ coherent: true })
  assert.equal((await dax.execute('Scan', { TableName: table })).Count, 0)
  await dax.execute('PutItem', { TableName: table, Item: item('a') })
  assert.equal((await dax.execute('Scan', { TableName: table })).Count, 1)
  assert.equal((await dax.execute('Scan', { TableName: table })).Count, 1)
  assert.equal(upstream.callsOf('Scan'), 2)
})

test('LRU eviction by bytes: the least recently used entries go first and EvictedSize counts them', async () => {
  // Each entry is estimated at about 1,900 bytes (an 800-character string as object and text): two fit.
  const { dax, upstream, table } = await fixture({ cacheSizeBytes: 4500 })
  const big = 'x'.repeat(800)
  for (const pk of ['a', 'b', 'c']) await direct.execute('PutItem', { TableName: table, Item: item(pk, { big: { S: big } }) })
  await dax.execute('GetItem', { TableName: table, Key: item('a') })
  await dax.execute('GetItem', { TableName: table, Key: item('b') })
  await dax.execute('GetItem', { TableName: table, Key: item('a') }) // a is now more recent than b
  await dax.execute('GetItem', { TableName: table, Key: item('c') }) // over budget: b goes
  assert.equal(upstream.callsOf('GetItem'), 3)
  await dax.execute('GetItem', { TableName: table, Key: item('a') })
  assert.equal(upstream.callsOf('GetItem'), 3)
  await dax.execute('GetItem', { TableName: table, Key: item('b') })
  assert.equal(upstream.callsOf('GetItem'), 4)
  const stats = dax.stats()
  assert.ok(stats.EvictedSize! > 800, `EvictedSize ${stats.EvictedSize}`)
  assert.ok(stats.EstimatedDbSize! <= 4500)
})

test('clear() empties both caches (a replica that fell behind)', async () => {
  const { dax, upstream, table } = await fixture()
  await dax.execute('GetItem', { TableName: table, Key: item('a') })
  await dax.execute('Scan', { TableName: table })
  dax.clear()
  await dax.execute('GetItem', { TableName: table, Key: item('a') })
  await dax.execute('Scan', { TableName: table })
  assert.equal(upstream.callsOf('GetItem'), 2)
  assert.equal(upstream.callsOf('Scan'), 2)
})

test('upstream errors pass through with their type and count as errors', async () => {
  const { dax } = await fixture()
  await assert.rejects(dax.execute('GetItem', { TableName: 'no-such-table', Key: item('a') }), {
    type: 'ResourceNotFoundException', message: 'Requested resource not found',
  })
  assert.equal(dax.stats().ErrorRequestCount, 1)
  assert.equal(dax.stats().FailedRequestCount, 1)
})
