/**
 * Consumed capacity. With ReturnConsumedCapacity TOTAL, every data-plane call reports the capacity
 * units it used; INDEXES also splits them by table and index. A read unit covers 4 KB strongly
 * consistent (half that for eventual consistency), a write unit covers 1 KB, sizes round up per
 * item (per page for Query and Scan, per fetched item for the table reads of an LSI query), and
 * transactions cost double. ReturnItemCollectionMetrics SIZE
 * reports the item collection size estimate on tables with an LSI.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html#LSI.ItemCollections
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  BatchGetItemCommand, BatchWriteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, TransactGetItemsCommand,
  TransactWriteItemsCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { startTestServer, uniqueTableName, localDiffers, type TestServer } from '../helpers/server.js'
import { createKeyTable, createTable } from '../helpers/tables.js'
import { sendRaw } from '../helpers/raw.js'

let server: TestServer
let client: DynamoDBClient
let table: string
let indexed: string
const kilobyte = 1024

before(async () => {
  server = await startTestServer()
  client = server.client
  table = await createKeyTable(client, 'capacity')
  indexed = uniqueTableName('capacity-indexed')
  await createTable(client, {
    TableName: indexed,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'g', AttributeType: 'S' }, { AttributeName: 'l', AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: [{ IndexName: 'gsi', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    LocalSecondaryIndexes: [{
      IndexName: 'lsi', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    }],
  })
  // Items of known size: 'small' is well under 1 KB; 'five' is about 5 KB.
  await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'small' }, v: { S: 'x' } } }))
  await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'five' }, v: { S: 'x'.repeat(5 * kilobyte) } } }))
})
after(async () => { await server?.close() })

// GetItem: an item up to 4 KB costs 1 unit strongly consistent, 0.5 eventually consistent; a 5 KB
// item rounds up to 8 KB, 2 units; a missing item still costs the minimum.
test('GetItem read units: 4 KB units, eventual consistency halves', async () => {
  const cost = async (id: string, consistent: boolean) => (await client.send(new GetItemCommand({
    TableName: table, Key: { pk: { S: id } }, ConsistentRead: consistent, ReturnConsumedCapacity: 'TOTAL',
  }))).ConsumedCapacity!
  const small = await cost('small', true)
  assert.equal(small.TableName, table)
  assert.equal(small.CapacityUnits, 1)
  assert.equal((await cost('small', false)).CapacityUnits, 0.5)
  assert.equal((await cost('five', true)).CapacityUnits, 2)
  assert.equal((await cost('five', false)).CapacityUnits, 1)
  assert.equal((await cost('absent', true)).CapacityUnits, 1)
})

// PutItem: 1 unit per started KB of the larger of the old and new item.
test('PutItem write units: 1 KB units of the larger of old and new item', async () => {
  const put = async (id: string, size: number) => (await client.send(new PutItemCommand({
    TableName: table, Item: { pk: { S: id }, v: { S: 'x'.repeat(size) } }, ReturnConsumedCapacity: 'TOTAL',
  }))).ConsumedCapacity!.CapacityUnits
  assert.equal(await put('w1', 10), 1)
  assert.equal(await put('w2', 1500), 2)
  assert.equal(await put('w2', 10), 2, 'replacing a 1.5 KB item costs its size')
})

// Without ReturnConsumedCapacity nothing is reported.
test('no ConsumedCapacity unless asked', async () => {
  const reply = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'small' } } }))
  assert.equal(reply.ConsumedCapacity, undefined)
})

// INDEXES splits a write between the table and each index it touches: a put that writes the GSI
// and the LSI costs 1 unit each.
test('ReturnConsumedCapacity INDEXES reports table and index units', async () => {
  const { ConsumedCapacity } = await client.send(new PutItemCommand({
    TableName: indexed, Item: { pk: { S: 'p' }, sk: { S: 'a' }, g: { S: 'g' }, l: { S: 'l' } }, ReturnConsumedCapacity: 'INDEXES',
  }))
  assert.equal(ConsumedCapacity!.CapacityUnits, 3)
  assert.deepEqual(ConsumedCapacity!.Table, { CapacityUnits: 1 })
  assert.deepEqual(ConsumedCapacity!.GlobalSecondaryIndexes, { gsi: { CapacityUnits: 1 } })
  assert.deepEqual(ConsumedCapacity!.LocalSecondaryIndexes, { lsi: { CapacityUnits: 1 } })
})

// An index entry rewritten in place (its key unchanged) costs the larger of its old and new
// sizes, as the table's item does: an update shrinking a 5 KB item charges the GSI that projects
// it 5 units, not the 1 of its new entry (DynamoDB Local 2026-05-28 charges so; AWS documents the
// table's rule only). The KEYS_ONLY LSI entry is not rewritten: nothing it holds changed.
test('an index entry rewritten in place costs the larger of its old and new sizes', async () => {
  const key = { pk: { S: 'shrink' }, sk: { S: 'a' } }
  await client.send(new PutItemCommand({ TableName: indexed, Item: { ...key, g: { S: 'g' }, l: { S: 'l' }, d: { S: 'x'.repeat(5 * kilobyte) } } }))
  const update = (value: string) => client.send(new UpdateItemCommand({
    TableName: indexed, Key: key, UpdateExpression: 'SET d = :d', ExpressionAttributeValues: { ':d': { S: value } }, ReturnConsumedCapacity: 'INDEXES',
  }))
  const shrunk = (await update('y')).ConsumedCapacity!
  assert.deepEqual(shrunk.Table, { CapacityUnits: 6 })
  assert.deepEqual(shrunk.GlobalSecondaryIndexes, { gsi: { CapacityUnits: 6 } })
  assert.equal(shrunk.LocalSecondaryIndexes, undefined)
  assert.equal(shrunk.CapacityUnits, 12)
  const grown = (await update('z'.repeat(2 * kilobyte))).ConsumedCapacity!
  assert.deepEqual(grown.GlobalSecondaryIndexes, { gsi: { CapacityUnits: 3 } })
})

// A transaction names its units' kind in every arm, the index arms too (a TransactWriteItems reply
// recorded from AWS: "gsi1":{"CapacityUnits":2.0,"WriteCapacityUnits":2.0}).
test('ReturnConsumedCapacity INDEXES on a transaction names WriteCapacityUnits in the index arms', localDiffers('it reports no capacity for transactions'), async () => {
  const { ConsumedCapacity } = await client.send(new TransactWriteItemsCommand({
    TransactItems: [{ Put: { TableName: indexed, Item: { pk: { S: 'tx-indexes' }, sk: { S: 'a' }, g: { S: 'g' }, l: { S: 'l' } } } }],
    ReturnConsumedCapacity: 'INDEXES',
  }))
  const [consumed] = ConsumedCapacity!
  for (const arm of [consumed!.Table!, consumed!.GlobalSecondaryIndexes!.gsi!, consumed!.LocalSecondaryIndexes!.lsi!]) {
    assert.ok(arm.CapacityUnits! > 0)
    assert.equal(arm.WriteCapacityUnits, arm.CapacityUnits)
  }
})

// Reads with INDEXES: a GetItem is charged to the table; a Query on a GSI is charged to the index.
test('ReturnConsumedCapacity INDEXES on GetItem and on a GSI query', async () => {
  await client.send(new PutItemCommand({ TableName: indexed, Item: { pk: { S: 'r' }, sk: { S: 'a' }, g: { S: 'reads' } } }))
  const get = await client.send(new GetItemCommand({
    TableName: indexed, Key: { pk: { S: 'r' }, sk: { S: 'a' } }, ConsistentRead: true, ReturnConsumedCapacity: 'INDEXES',
  }))
  assert.equal(get.ConsumedCapacity!.CapacityUnits, 1)
  assert.deepEqual(get.ConsumedCapacity!.Table, { CapacityUnits: 1 })
  const query = await client.send(new QueryCommand({
    TableName: indexed, IndexName: 'gsi', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'reads' } },
    ReturnConsumedCapacity: 'INDEXES',
  }))
  assert.equal(query.ConsumedCapacity!.CapacityUnits, 0.5)
  assert.deepEqual(query.ConsumedCapacity!.GlobalSecondaryIndexes, { gsi: { CapacityUnits: 0.5 } })
})

// Query rounds the total size of the page up to 4 KB, not each item: ten tiny items cost 0.5.
test('Query read units are per page, not per item', async () => {
  const partition = uniqueTableName('p')
  for (let index = 0; index < 10; index++) {
    await client.send(new PutItemCommand({ TableName: indexed, Item: { pk: { S: partition }, sk: { S: `s${index}` } } }))
  }
  const reply = await client.send(new QueryCommand({
    TableName: indexed, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: partition } },
    ReturnConsumedCapacity: 'TOTAL',
  }))
  assert.equal(reply.Count, 10)
  assert.equal(reply.ConsumedCapacity!.CapacityUnits, 0.5)
})

// A Query of an LSI that wants attributes the index does not project fetches each item from the
// table, and each fetch is charged on its own: three tiny items cost 0.5 each on the table, while
// the index rows cost 0.5 for the page. ("You are charged for read capacity units for every base
// table item fetched", Developer Guide, LSI; DynamoDB Local charges the same.)
test('an LSI query that fetches table items is charged per fetched item', async () => {
  const partition = uniqueTableName('fetch')
  for (const sortKey of ['a', 'b', 'c']) {
    await client.send(new PutItemCommand({ TableName: indexed, Item: { pk: { S: partition }, sk: { S: sortKey }, l: { S: sortKey }, v: { S: 'x' } } }))
  }
  const query = (select: 'ALL_ATTRIBUTES' | 'ALL_PROJECTED_ATTRIBUTES') => client.send(new QueryCommand({
    TableName: indexed, IndexName: 'lsi', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: partition } },
    Select: select, ReturnConsumedCapacity: 'INDEXES',
  }))
  const fetching = await query('ALL_ATTRIBUTES')
  assert.equal(fetching.Count, 3)
  assert.equal(fetching.Items![0]!.v!.S, 'x')
  assert.deepEqual(fetching.ConsumedCapacity!.Table, { CapacityUnits: 1.5 })
  assert.deepEqual(fetching.ConsumedCapacity!.LocalSecondaryIndexes, { lsi: { CapacityUnits: 0.5 } })
  assert.equal(fetching.ConsumedCapacity!.CapacityUnits, 2)
  // Reading only what the index holds fetches nothing from the table.
  const projected = await query('ALL_PROJECTED_ATTRIBUTES')
  assert.equal(projected.ConsumedCapacity!.CapacityUnits, 0.5)
  assert.equal(projected.ConsumedCapacity!.Table?.CapacityUnits ?? 0, 0)
  // So does a ProjectionExpression of projected attributes only; one that names another attribute fetches it.
  const byProjection = async (ProjectionExpression: string) => (await client.send(new QueryCommand({
    TableName: indexed, IndexName: 'lsi', KeyConditionExpression: 'pk = :p', ProjectionExpression,
    ExpressionAttributeValues: { ':p': { S: partition } }, ReturnConsumedCapacity: 'INDEXES',
  })))
  const keysOnly = await byProjection('sk, l')
  assert.deepEqual(keysOnly.Items!.map((item) => item.sk!.S), ['a', 'b', 'c'])
  assert.equal(keysOnly.ConsumedCapacity!.Table?.CapacityUnits ?? 0, 0)
  const named = await byProjection('sk, v')
  assert.equal(named.Items![0]!.v!.S, 'x')
  assert.equal(named.ConsumedCapacity!.Table!.CapacityUnits, 1.5)
})

// The index is charged for its own entries only, however large the table items fetched behind
// them: "the sum of all projected attribute sizes across all of the items returned" (Developer
// Guide, LSI read considerations). A 9 KB item costs the table 1.5 and its key-only entry 0.5.
test('an LSI query that fetches a large table item charges the index for its entry only', async () => {
  const partition = uniqueTableName('fetch-wide')
  await client.send(new PutItemCommand({ TableName: indexed, Item: { pk: { S: partition }, sk: { S: 'a' }, l: { S: 'a' }, w: { S: 'x'.repeat(9000) } } }))
  const { ConsumedCapacity } = await client.send(new QueryCommand({
    TableName: indexed, IndexName: 'lsi', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: partition } },
    Select: 'ALL_ATTRIBUTES', ReturnConsumedCapacity: 'INDEXES',
  }))
  assert.deepEqual(ConsumedCapacity!.Table, { CapacityUnits: 1.5 })
  assert.deepEqual(ConsumedCapacity!.LocalSecondaryIndexes, { lsi: { CapacityUnits: 0.5 } })
  assert.equal(ConsumedCapacity!.CapacityUnits, 2)
})

// The table items an LSI query fetches are read too, and count toward the page's 1 MB: a
// KEYS_ONLY index over items of 300 KB gives pages of about three, not the whole partition at
// once (DynamoDB Local pages it the same way).
test('an LSI query that fetches large table items stops its pages at 1 MB of what it read', async () => {
  const partition = uniqueTableName('fetch-large')
  for (const sortKey of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) {
    await client.send(new PutItemCommand({ TableName: indexed, Item: { pk: { S: partition }, sk: { S: sortKey }, l: { S: sortKey }, v: { S: 'x'.repeat(300_000) } } }))
  }
  const pages: number[] = []
  let start: Record<string, AttributeValue> | undefined
  do {
    const page = await client.send(new QueryCommand({
      TableName: indexed, IndexName: 'lsi', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: partition } },
      Select: 'ALL_ATTRIBUTES', ExclusiveStartKey: start,
    }))
    assert.ok(page.Items!.every((item) => item.v!.S!.length === 300_000))
    pages.push(page.Count!)
    start = page.LastEvaluatedKey
  } while (start && pages.length < 10)
  // Four items pass 1 MB; a page that stops there leaves a LastEvaluatedKey, so an empty page may follow.
  assert.deepEqual(pages.filter((count) => count > 0), [4, 4])
})

// BatchGetItem reports one ConsumedCapacity per table, items rounded individually.
test('BatchGetItem capacity per table', async () => {
  const reply = await client.send(new BatchGetItemCommand({
    RequestItems: { [table]: { Keys: [{ pk: { S: 'small' } }, { pk: { S: 'five' } }], ConsistentRead: true } },
    ReturnConsumedCapacity: 'TOTAL',
  }))
  assert.deepEqual(reply.ConsumedCapacity!.map((each) => [each.TableName, each.CapacityUnits]), [[table, 3]])
})

// BatchWriteItem: one unit per small item.
test('BatchWriteItem capacity per table', async () => {
  const reply = await client.send(new BatchWriteItemCommand({
    RequestItems: { [table]: [{ PutRequest: { Item: { pk: { S: 'b1' } } } }, { PutRequest: { Item: { pk: { S: 'b2' } } } }] },
    ReturnConsumedCapacity: 'TOTAL',
  }))
  assert.deepEqual(reply.ConsumedCapacity!.map((each) => [each.TableName, each.CapacityUnits]), [[table, 2]])
})

// Transactions cost twice the normal units: 2 write units per small item, 2 read units per small item.
test('transactions cost double', localDiffers('it does not double transactional writes'), async () => {
  const write = await client.send(new TransactWriteItemsCommand({
    TransactItems: [{ Put: { TableName: table, Item: { pk: { S: 'tx1' } } } }, { Put: { TableName: table, Item: { pk: { S: 'tx2' } } } }],
    ReturnConsumedCapacity: 'TOTAL',
  }))
  assert.deepEqual(write.ConsumedCapacity!.map((each) => [each.TableName, each.CapacityUnits]), [[table, 4]])
  const read = await client.send(new TransactGetItemsCommand({
    TransactItems: [{ Get: { TableName: table, Key: { pk: { S: 'small' } } } }], ReturnConsumedCapacity: 'TOTAL',
  }))
  assert.deepEqual(read.ConsumedCapacity!.map((each) => [each.TableName, each.CapacityUnits]), [[table, 2]])
})

// UpdateItem is charged like a write of the larger of the old and new item.
test('UpdateItem write units', async () => {
  const reply = await client.send(new UpdateItemCommand({
    TableName: table, Key: { pk: { S: 'five' } }, UpdateExpression: 'SET w = :w', ExpressionAttributeValues: { ':w': { S: 'y' } },
    ReturnConsumedCapacity: 'TOTAL',
  }))
  assert.equal(reply.ConsumedCapacity!.CapacityUnits, 6)
})

// On a table with an LSI, ReturnItemCollectionMetrics SIZE returns the partition key of the
// collection and a size estimate range in GB.
test('ReturnItemCollectionMetrics SIZE on a table with an LSI', localDiffers('it returns no ItemCollectionMetrics'), async () => {
  const reply = await client.send(new PutItemCommand({
    TableName: indexed, Item: { pk: { S: 'collection' }, sk: { S: 'a' }, l: { S: 'x' } }, ReturnItemCollectionMetrics: 'SIZE',
  }))
  assert.deepEqual(reply.ItemCollectionMetrics!.ItemCollectionKey, { pk: { S: 'collection' } })
  assert.deepEqual(reply.ItemCollectionMetrics!.SizeEstimateRangeGB, [0, 1])
})

// TransactWriteItems reports the collections its Puts, Updates and Deletes wrote, per table
// (TransactWriteItems API reference), and only for tables with an LSI; a ConditionCheck writes none.
test('ReturnItemCollectionMetrics SIZE on TransactWriteItems', localDiffers('it returns no ItemCollectionMetrics'), async () => {
  const reply = await client.send(new TransactWriteItemsCommand({
    TransactItems: [
      { Put: { TableName: indexed, Item: { pk: { S: 'transacted' }, sk: { S: 'a' }, l: { S: 'x' } } } },
      { Update: { TableName: indexed, Key: { pk: { S: 'transacted-2' }, sk: { S: 'b' } }, UpdateExpression: 'SET l = :l', ExpressionAttributeValues: { ':l': { S: 'y' } } } },
      { ConditionCheck: { TableName: indexed, Key: { pk: { S: 'unchecked' }, sk: { S: 'c' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: table, Item: { pk: { S: 'no-collection' } } } },
    ],
    ReturnItemCollectionMetrics: 'SIZE',
  }))
  assert.deepEqual(Object.keys(reply.ItemCollectionMetrics!), [indexed])
  assert.deepEqual(reply.ItemCollectionMetrics![indexed]!.map((metrics) => metrics.ItemCollectionKey),
    [{ pk: { S: 'transacted' } }, { pk: { S: 'transacted-2' } }])
  const none = await client.send(new TransactWriteItemsCommand({
    TransactItems: [{ Put: { TableName: indexed, Item: { pk: { S: 'transacted' }, sk: { S: 'd' } } } }],
  }))
  assert.equal(none.ItemCollectionMetrics, undefined)
})

// One entry per item collection written, in the order first named, however many of its items the
// batch writes (the AWS CLI's batch-write-item example: three puts to two collections, two entries).
test('BatchWriteItem reports each item collection it wrote once', localDiffers('it returns no ItemCollectionMetrics'), async () => {
  const put = (pk: string, sk: string) => ({ PutRequest: { Item: { pk: { S: pk }, sk: { S: sk }, l: { S: 'x' } } } })
  const reply = await client.send(new BatchWriteItemCommand({
    RequestItems: { [indexed]: [put('artist-1', 'a'), put('artist-2', 'a'), put('artist-1', 'b')] }, ReturnItemCollectionMetrics: 'SIZE',
  }))
  assert.deepEqual(reply.ItemCollectionMetrics![indexed]!.map((metrics) => metrics.ItemCollectionKey),
    [{ pk: { S: 'artist-1' } }, { pk: { S: 'artist-2' } }])
})

// Tables without an LSI have no item collections to report.
test('ReturnItemCollectionMetrics on a table without an LSI returns nothing', async () => {
  const reply = await client.send(new PutItemCommand({
    TableName: table, Item: { pk: { S: 'nocollection' } }, ReturnItemCollectionMetrics: 'SIZE',
  }))
  assert.equal(reply.ItemCollectionMetrics, undefined)
})

// DynamoDB's model types capacity units and size estimates as doubles, and the service writes a
// whole one as 1.0 (the AWS CLI prints "CapacityUnits": 1.0 and boto3 reads a float). SDKs that
// parse numbers alike cannot tell, so this reads the body as sent.
test('capacity units and size estimates are written as doubles: 1.0, not 1', async () => {
  const sent = async (target: string, body: unknown) => {
    const reply = await sendRaw(server.endpoint, { target, body: JSON.stringify(body) })
    assert.equal(reply.status, 200, reply.body.toString())
    return reply.body.toString()
  }
  const put = await sent('PutItem', { TableName: table, Item: { pk: { S: 'doubles' } }, ReturnConsumedCapacity: 'TOTAL' })
  assert.match(put, /"CapacityUnits":1\.0[,}]/)
  const get = await sent('GetItem', { TableName: table, Key: { pk: { S: 'doubles' } }, ReturnConsumedCapacity: 'INDEXES' })
  assert.match(get, /"CapacityUnits":0\.5[,}]/)
  assert.match(get, /"Table":\{"CapacityUnits":0\.5\}/)
  const batch = await sent('BatchWriteItem', { RequestItems: { [table]: [{ PutRequest: { Item: { pk: { S: 'doubles-2' } } } }] }, ReturnConsumedCapacity: 'TOTAL' })
  assert.match(batch, /"CapacityUnits":1\.0[,}]/)
  const query = await sent('Query', {
    TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'doubles' } }, ReturnConsumedCapacity: 'TOTAL',
  })
  assert.match(query, /"CapacityUnits":0\.5[,}]/)
  assert.match(query, /"Count":1[,}]/)
})

test('item collection size estimates are written as doubles', localDiffers('it returns no ItemCollectionMetrics'), async () => {
  const reply = await sendRaw(server.endpoint, {
    target: 'PutItem',
    body: JSON.stringify({ TableName: indexed, Item: { pk: { S: 'doubles' }, sk: { S: 'a' }, l: { S: 'x' } }, ReturnItemCollectionMetrics: 'SIZE' }),
  })
  assert.match(reply.body.toString(), /"SizeEstimateRangeGB":\[0\.0,1\.0\]/)
})
