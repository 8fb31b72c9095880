/**
 * Expiry: which items the sweeper deletes, and how
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html).
 * Only a top-level Number of epoch seconds counts; values more than five years old are ignored;
 * an expired item stays readable until deleted, and a later write that moves its TTL is honoured.
 * A TTL delete leaves the indexes and appends a REMOVE change with the service's identity.
 *
 * These tests drive sweeper passes themselves (runTtlPass) against a hand-moved clock, so they
 * are deterministic; the last ones run the background service at a 50 ms interval.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  BatchWriteItemCommand, DeleteTableCommand, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand, UpdateTimeToLiveCommand,
  type AttributeValue, type DynamoDBClient, type WriteRequest,
} from '@aws-sdk/client-dynamodb'
import type { RegionContext } from '../../src/api/context.js'
import { ignoredExpiryAgeSeconds } from '../../src/ttl/expiry.js'
import { expiryScanNamespace, expiryScanPageItems } from '../../src/ttl/expiry-scan.js'
import { runTtlPass, TtlSweeper } from '../../src/ttl/sweeper.js'
import { expireNowPath, expireNowRoute } from '../../src/ttl/expire-now-route.js'
import {
  changesOf, createTtlTable, eventually, indexedExpiries, ManualClock, startTtlServer, tableIdOf, type TtlTestServer,
} from './fixtures.js'

const clock = new ManualClock()
let running: TtlTestServer
let client: DynamoDBClient
let ctx: RegionContext

before(async () => {
  running = await startTtlServer({ clock })
  client = running.client
  ctx = running.ctx
})
after(() => running.close())

function enable(TableName: string, Enabled = true) {
  return client.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { AttributeName: 'expiry', Enabled } }))
}

function put(TableName: string, pk: string, extra: Record<string, AttributeValue> = {}) {
  return client.send(new PutItemCommand({ TableName, Item: { pk: { S: pk }, ...extra } }))
}

function seconds(offset: number): AttributeValue {
  return { N: String(clock.nowSeconds() + offset) }
}

async function exists(TableName: string, pk: string): Promise<boolean> {
  const { Item } = await client.send(new GetItemCommand({ TableName, Key: { pk: { S: pk } }, ConsistentRead: true }))
  return Item !== undefined
}

/** Runs passes until one reports no work left (bounded: a stuck sweeper fails the test). */
async function sweepAll(): Promise<number> {
  let deleted = 0
  for (let pass = 0; pass < 20; pass++) {
    const result = await runTtlPass(ctx)
    deleted += result.expiredItems
    if (!result.workLeft) return deleted
  }
  assert.fail('the sweeper still had work after 20 passes')
}

test('expired items are deleted; missing, future, non-number and string-number TTLs are not', async () => {
  const table = await createTtlTable(client)
  await enable(table)
  await put(table, 'expired', { expiry: seconds(-60) })
  await put(table, 'fraction', { expiry: { N: `${clock.nowSeconds() - 60}.25` } })
  await put(table, 'no-ttl')
  await put(table, 'future', { expiry: seconds(3600) })
  await put(table, 'string', { expiry: { S: String(clock.nowSeconds() - 60) } })
  await put(table, 'nested', { expiry: { M: { at: seconds(-60) } } })
  // An expired item stays readable until the sweeper gets to it.
  assert.ok(await exists(table, 'expired'))
  assert.equal(await sweepAll(), 2)
  for (const pk of ['expired', 'fraction']) assert.equal(await exists(table, pk), false, pk)
  for (const pk of ['no-ttl', 'future', 'string', 'nested']) assert.equal(await exists(table, pk), true, pk)
  // The future item goes once its time comes.
  clock.advanceSeconds(3600)
  assert.equal(await sweepAll(), 1)
  assert.equal(await exists(table, 'future'), false)
})

test('a TTL delete leaves the GSI and appends a REMOVE change made by the service', async () => {
  const table = await createTtlTable(client, {
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'group', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{
      IndexName: 'by-group', KeySchema: [{ AttributeName: 'group', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' },
    }],
    // The log keeps changes for its readers: a stream here.
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  })
  await enable(table)
  await put(table, 'gone', { group: { S: 'g' }, expiry: seconds(-1), note: { S: 'old image' } })
  await put(table, 'kept', { group: { S: 'g' } })
  await sweepAll()
  const { Items } = await client.send(new QueryCommand({
    TableName: table, IndexName: 'by-group', KeyConditionExpression: '#g = :g',
    ExpressionAttributeNames: { '#g': 'group' }, ExpressionAttributeValues: { ':g': { S: 'g' } },
  }))
  assert.deepEqual(Items?.map((item) => item.pk?.S), ['kept'])
  // On PostgreSQL a reader sees a change once every older transaction has ended (a background
  // job's may still be open under load): wait for the REMOVE to be readable, then check it.
  const removesOf = async () => (await changesOf(ctx, table)).filter((change) => change.eventName === 'REMOVE')
  await eventually(async () => (await removesOf()).length > 0, 'readable REMOVE change')
  const removes = await removesOf()
  assert.equal(removes.length, 1)
  const [remove] = removes
  assert.deepEqual(remove!.identity, { type: 'Service', principalId: 'dynamodb.amazonaws.com' })
  assert.deepEqual(JSON.parse(remove!.keysJson), { pk: { S: 'gone' } })
  assert.equal(JSON.parse(remove!.oldImageJson!).note.S, 'old image')
  assert.equal(remove!.newImageJson, undefined)
  // User writes carry no service identity.
  const inserts = (await changesOf(ctx, table)).filter((change) => change.eventName === 'INSERT')
  assert.ok(inserts.every((change) => change.identity?.type !== 'Service'))
})

test('an update that extends the TTL before the sweep is honoured', async () => {
  const table = await createTtlTable(client)
  await enable(table)
  await put(table, 'extended', { expiry: seconds(10) })
  clock.advanceSeconds(20)
  // Expired now, but not yet deleted: the user moves its expiry into the future.
  await client.send(new UpdateItemCommand({
    TableName: table, Key: { pk: { S: 'extended' } }, UpdateExpression: 'SET expiry = :at',
    ExpressionAttributeValues: { ':at': seconds(100) },
  }))
  assert.equal(await sweepAll(), 0)
  assert.ok(await exists(table, 'extended'))
  clock.advanceSeconds(101)
  assert.equal(await sweepAll(), 1)
  assert.equal(await exists(table, 'extended'), false)
})

test('the delete re-checks the item itself, not the expiry index', async () => {
  const table = await createTtlTable(client)
  await enable(table)
  // Let the pass after enabling finish its expiry scan, which would re-index the item itself.
  assert.equal(await sweepAll(), 0)
  await put(table, 'raced', { expiry: seconds(-5) })
  // Simulate a write that extended the TTL after the sweeper read the index: the item row
  // now says "expires in an hour" while its index entry still says "expired".
  const tableId = tableIdOf(ctx, table)
  const row = await ctx.storage.read((view) => view.expiredItems(tableId, clock.nowSeconds(), 10))
  assert.equal(row.length, 1)
  const extended = { pk: { S: 'raced' }, expiry: seconds(3600) }
  await ctx.storage.transact((tx) => tx.putItem(tableId, row[0]!.key, JSON.stringify(extended), 30, clock.nowSeconds() - 5))
  assert.equal(await sweepAll(), 0)
  assert.ok(await exists(table, 'raced'))
  // The candidate was re-indexed under its real expiry, so it no longer blocks the index.
  assert.deepEqual(await indexedExpiries(ctx, table, clock.nowSeconds()), [])
  assert.deepEqual(await indexedExpiries(ctx, table), ['raced'])
})

test('expiry times more than five years in the past are ignored and leave the index', async () => {
  const table = await createTtlTable(client)
  await enable(table)
  await put(table, 'ancient', { expiry: seconds(-ignoredExpiryAgeSeconds - 86_400) })
  await put(table, 'four-years', { expiry: seconds(-4 * 365 * 86_400) })
  await put(table, 'milliseconds', { expiry: { N: String(clock.nowMs + 60_000) } })
  assert.equal(await sweepAll(), 1)
  assert.equal(await exists(table, 'ancient'), true)
  assert.equal(await exists(table, 'four-years'), false)
  // A millisecond timestamp lies far in the future in seconds: it never expires in practice.
  assert.equal(await exists(table, 'milliseconds'), true)
  assert.deepEqual(await indexedExpiries(ctx, table), ['milliseconds'])
})

test('enabling TTL on a table with items indexes them over several pages', async () => {
  const table = await createTtlTable(client)
  const itemCount = expiryScanPageItems + 60
  for (let start = 0; start < itemCount; start += 25) {
    const requests: WriteRequest[] = []
    for (let index = start; index < Math.min(start + 25, itemCount); index++) {
      // Every third item never expires.
      const expiry: Record<string, AttributeValue> = index % 3 === 0 ? {} : { expiry: seconds(-30) }
      requests.push({ PutRequest: { Item: { pk: { S: `item-${index}` }, ...expiry } } })
    }
    await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }))
  }
  // TTL was off when these were written: nothing is indexed yet.
  assert.deepEqual(await indexedExpiries(ctx, table), [])
  await enable(table)
  const expected = Array.from({ length: itemCount }, (_, index) => index).filter((index) => index % 3 !== 0).length
  assert.equal(await sweepAll(), expected)
  assert.equal(await exists(table, 'item-0'), true)
  assert.equal(await exists(table, 'item-1'), false)
  assert.equal(await exists(table, `item-${itemCount - 1}`), (itemCount - 1) % 3 === 0)
})

test('disabling TTL stops deletes and clears expiries; re-enabling resumes them', async () => {
  const table = await createTtlTable(client)
  await enable(table)
  await put(table, 'paused', { expiry: seconds(-30) })
  await enable(table, false)
  assert.equal(await sweepAll(), 0)
  assert.equal(await exists(table, 'paused'), true)
  assert.deepEqual(await indexedExpiries(ctx, table), [])
  // Written while TTL is off: no expiry is recorded for it.
  await put(table, 'while-off', { expiry: seconds(-30) })
  assert.deepEqual(await indexedExpiries(ctx, table), [])
  await enable(table)
  assert.equal(await sweepAll(), 2)
  assert.equal(await exists(table, 'paused'), false)
  assert.equal(await exists(table, 'while-off'), false)
})

test('the background sweeper deletes expired items within about a second', async () => {
  const live = await startTtlServer({ ttlSweepIntervalMs: 50 })
  // Started here too, in case the server under test does not register the sweeper itself;
  // two sweepers are harmless (each delete re-reads the item in its own transaction).
  const sweeper = new TtlSweeper(live.ctx)
  sweeper.start()
  try {
    const table = await createTtlTable(live.client, { StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } })
    await live.client.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { AttributeName: 'expiry', Enabled: true } }))
    const now = Math.floor(Date.now() / 1000)
    await live.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'soon' }, expiry: { N: String(now - 1) } } }))
    await live.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'later' }, expiry: { N: String(now + 3600) } } }))
    await eventually(async () => {
      const { Item } = await live.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'soon' } } }))
      return Item === undefined
    }, 'the expired item to be deleted')
    const { Item } = await live.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'later' } } }))
    assert.ok(Item)
    // Readable once every older transaction has ended (PostgreSQL), as above.
    const removesOf = async () => (await changesOf(live.ctx, table)).filter((change) => change.eventName === 'REMOVE')
    await eventually(async () => (await removesOf()).length > 0, 'readable REMOVE change')
    assert.equal((await removesOf()).length, 1)
  } finally {
    await sweeper.stop()
    await live.close()
  }
})

test('stop() waits for the pass in progress and no pass runs after it', async () => {
  const sweeper = new TtlSweeper(ctx, 1)
  sweeper.start()
  await new Promise((resolve) => setTimeout(resolve, 20))
  await sweeper.stop()
  const table = await createTtlTable(client)
  await enable(table)
  await put(table, 'untouched', { expiry: seconds(-30) })
  await new Promise((resolve) => setTimeout(resolve, 30))
  assert.equal(await exists(table, 'untouched'), true)
})

test('DELETE /_aws/dynamodb/expired deletes expired items at once and counts them', async () => {
  // Earlier tests' tables may hold expired items too: the count covers every table.
  await sweepAll()
  const table = await createTtlTable(client)
  await enable(table)
  await put(table, 'now-1', { expiry: seconds(-1) })
  await put(table, 'now-2', { expiry: seconds(-2) })
  await put(table, 'later', { expiry: seconds(60) })
  const route = expireNowRoute(running.server.regions)
  const request = {
    requestId: 'test', path: expireNowPath, query: new URLSearchParams(), headers: {}, body: '',
    signed: { method: 'DELETE', url: expireNowPath, headers: {}, body: Buffer.alloc(0) },
  }
  assert.equal((await route.handle({ ...request, method: 'GET' })).status, 405)
  const reply = await route.handle({ ...request, method: 'DELETE' })
  assert.equal(reply.status, 200)
  assert.deepEqual(JSON.parse(reply.body!), { ExpiredItems: 2 })
  assert.equal(await exists(table, 'now-1'), false)
  assert.equal(await exists(table, 'later'), true)
})

test('a pending expiry scan of a deleted table is dropped by the next pass', async () => {
  const table = await createTtlTable(client)
  const tableId = tableIdOf(ctx, table)
  await enable(table)
  const pending = () => ctx.storage.read((view) => view.getState(expiryScanNamespace, tableId))
  assert.notEqual(await pending(), undefined)
  await client.send(new DeleteTableCommand({ TableName: table }))
  await sweepAll()
  assert.equal(await pending(), undefined)
})
