/**
 * Batch operations. BatchGetItem reads up to 100 items by key across tables (missing items are
 * simply absent; keys it could not process come back in UnprocessedKeys). BatchWriteItem puts or
 * deletes up to 25 items in all, across tables, without conditions. Both reject duplicate keys within one
 * request. https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  BatchGetItemCommand, BatchWriteItemCommand, GetItemCommand, PutItemCommand, ScanCommand, type AttributeValue, type DynamoDBClient, type WriteRequest,
} from '@aws-sdk/client-dynamodb'
import { startTestServer, uniqueTableName, localDiffers, type TestServer } from '../helpers/server.js'
import { createKeyTable, createTable } from '../helpers/tables.js'
import { sendRaw } from '../helpers/raw.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
let client: DynamoDBClient
let first: string
let second: string
before(async () => {
  server = await startTestServer()
  client = server.client
  first = await createKeyTable(client, 'batch-a')
  second = await createKeyTable(client, 'batch-b')
  for (let index = 0; index < 60; index++) {
    await client.send(new PutItemCommand({ TableName: first, Item: { pk: { S: `k${index}` }, v: { N: String(index) }, w: { S: 'w' } } }))
  }
  await client.send(new PutItemCommand({ TableName: second, Item: { pk: { S: 'only' }, v: { S: 'second' } } }))
})
after(async () => { await server?.close() })

const key = (id: string) => ({ pk: { S: id } })

/** A request sent as raw JSON, and its 200 reply's text (the SDK would drop members named `__proto__`). */
async function call(target: string, body: string): Promise<string> {
  const reply = await sendRaw(server.endpoint, { target, body })
  assert.equal(reply.status, 200, reply.body.toString())
  return reply.body.toString()
}

// 100 keys is the maximum; keys that do not exist are simply left out of Responses.
test('BatchGetItem with 100 keys returns the existing items', async () => {
  const keys = Array.from({ length: 100 }, (_, index) => key(`k${index}`))
  const reply = await client.send(new BatchGetItemCommand({ RequestItems: { [first]: { Keys: keys } } }))
  const found = reply.Responses![first]!.map((item) => item.pk!.S!).sort()
  assert.equal(found.length, 60)
  assert.deepEqual(reply.UnprocessedKeys, {})
})

// 101 keys for one table breaks that table's Keys length constraint (a generic constraint message).
test('BatchGetItem with 101 keys for one table is rejected', async () => {
  const keys = Array.from({ length: 101 }, (_, index) => key(`k${index}`))
  await expectError(client.send(new BatchGetItemCommand({ RequestItems: { [first]: { Keys: keys } } })), 'ValidationException')
})

// 100 keys on one table plus one on another is 101 in the request: the request-wide limit.
test('BatchGetItem with 101 keys across tables is rejected', async () => {
  const keys = Array.from({ length: 100 }, (_, index) => key(`k${index}`))
  await expectError(client.send(new BatchGetItemCommand({ RequestItems: { [first]: { Keys: keys }, [second]: { Keys: [key('only')] } } })),
    'ValidationException', 'Too many items requested for the BatchGetItem call')
})

// The same key twice in one request is rejected.
test('BatchGetItem with duplicate keys is rejected', async () => {
  await expectError(client.send(new BatchGetItemCommand({ RequestItems: { [first]: { Keys: [key('k1'), key('k1')] } } })),
    'ValidationException', 'Provided list of item keys contains duplicates')
})

// Several tables in one request, each with its own projection.
test('BatchGetItem across tables with ProjectionExpression', async () => {
  const reply = await client.send(new BatchGetItemCommand({ RequestItems: {
    [first]: { Keys: [key('k1'), key('k2'), key('absent')], ProjectionExpression: 'v' },
    [second]: { Keys: [key('only')] },
  } }))
  assert.deepEqual(reply.Responses![first]!.map((item) => item.v!.N).sort(), ['1', '2'])
  for (const item of reply.Responses![first]!) assert.deepEqual(Object.keys(item), ['v'])
  assert.deepEqual(reply.Responses![second], [{ pk: { S: 'only' }, v: { S: 'second' } }])
})

// A key that does not match the schema fails the whole batch.
test('BatchGetItem with a malformed key is rejected', async () => {
  await expectError(client.send(new BatchGetItemCommand({ RequestItems: { [first]: { Keys: [{ nope: { S: 'x' } }] } } })),
    'ValidationException')
})

// Unknown tables fail the whole request.
test('BatchGetItem on a missing table is ResourceNotFoundException', async () => {
  await expectError(client.send(new BatchGetItemCommand({ RequestItems: { [uniqueTableName('nope')]: { Keys: [key('x')] } } })),
    'ResourceNotFoundException')
})

// 25 writes mixing puts and deletes all apply.
test('BatchWriteItem puts and deletes up to 25 items', async () => {
  const table = await createKeyTable(client, 'batch-write')
  await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'doomed' } } }))
  const requests: WriteRequest[] = Array.from({ length: 24 }, (_, index) => ({ PutRequest: { Item: { pk: { S: `n${index}` }, i: { N: String(index) } } } }))
  requests.push({ DeleteRequest: { Key: key('doomed') } })
  const reply = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }))
  assert.deepEqual(reply.UnprocessedItems, {})
  const put = await client.send(new GetItemCommand({ TableName: table, Key: key('n23') }))
  assert.deepEqual(put.Item, { pk: { S: 'n23' }, i: { N: '23' } })
  const deleted = await client.send(new GetItemCommand({ TableName: table, Key: key('doomed') }))
  assert.equal(deleted.Item, undefined)
})

// 26 writes is one too many. The violation echoes RequestItems as DynamoDB's newer model classes
// print themselves, every field of each (an AWS-validated suite's cross-region capture, 2026).
test('BatchWriteItem with 26 requests is rejected', localDiffers('it echoes the requests in the older {PutRequest: …} form'), async () => {
  const requests: WriteRequest[] = Array.from({ length: 26 }, (_, index) => ({ PutRequest: { Item: { pk: { S: `x${index}` } } } }))
  const printed = requests.map((_, index) => 'WriteRequest(putRequest=PutRequest(item={pk=AttributeValue(' +
    `s=x${index}, n=null, b=null, iNT=null, dECIMAL=null, dOUBLE=null, sS=null, nS=null, bS=null, iNTSET=null, dECIMALSET=null, ` +
    'dOUBLESET=null, m=null, l=null, nULL=null, bOOL=null)}, workloadProfileName=null), deleteRequest=null)')
  await expectError(client.send(new BatchWriteItemCommand({ RequestItems: { [first]: requests } })), 'ValidationException',
    `1 validation error detected: Value '{${first}=[${printed.join(', ')}]}' at 'requestItems' failed to satisfy constraint: ` +
    'Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]')
})

// BatchWriteItem checks its enums first: an unknown ReturnConsumedCapacity is reported alone
// beside a malformed table name (the same suite's batch validation-ordering cases).
test('BatchWriteItem reports an unknown ReturnConsumedCapacity ahead of RequestItems', localDiffers('it reports the malformed table name first, in its own words'), async () => {
  await expectError(client.send(new BatchWriteItemCommand({
    RequestItems: { 'bad!name': [{ PutRequest: { Item: key('a') } }] }, ReturnConsumedCapacity: 'BOGUS' as never,
  })), 'ValidationException',
  "1 validation error detected: Value 'BOGUS' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]")
})

// The 25 is for the whole call, not per table: 13 puts on each of two tables are 26 requests,
// and nothing is written.
test('BatchWriteItem with 26 requests across tables is rejected', async () => {
  const puts = (prefix: string): WriteRequest[] =>
    Array.from({ length: 13 }, (_, index) => ({ PutRequest: { Item: { pk: { S: `${prefix}${index}` } } } }))
  await expectError(client.send(new BatchWriteItemCommand({ RequestItems: { [first]: puts('across'), [second]: puts('across') } })),
    'ValidationException', 'Too many items requested for the BatchWriteItem call')
  const written = await client.send(new GetItemCommand({ TableName: second, Key: key('across0') }))
  assert.equal(written.Item, undefined)
})

// A put and a delete of the same key in one batch are duplicates.
test('BatchWriteItem with duplicate keys is rejected', async () => {
  await expectError(client.send(new BatchWriteItemCommand({ RequestItems: { [first]: [
    { PutRequest: { Item: { pk: { S: 'dup' } } } }, { DeleteRequest: { Key: key('dup') } },
  ] } })), 'ValidationException')
  const { Item } = await client.send(new GetItemCommand({ TableName: first, Key: key('dup') }))
  assert.equal(Item, undefined)
})

// Writing to an unknown table.
test('BatchWriteItem on a missing table is ResourceNotFoundException', localDiffers('message is "Cannot do operations on a non-existent table"'), async () => {
  await expectError(client.send(new BatchWriteItemCommand({ RequestItems: { [uniqueTableName('nope')]: [
    { PutRequest: { Item: key('x') } },
  ] } })), 'ResourceNotFoundException', 'Requested resource not found')
})

// A request needs at least one table.
test('BatchWriteItem with no tables is rejected', async () => {
  await expectError(client.send(new BatchWriteItemCommand({ RequestItems: {} })), 'ValidationException')
})

// A PutRequest whose item lacks the table key, or holds it with the wrong type, gets the words of
// a Key that does not match, not PutItem's, which name the attribute (an AWS-validated suite's
// "BatchWriteItem — exact error messages", four regions).
test('BatchWriteItem with an item whose key does not match the schema is rejected', localDiffers('it names the attribute as PutItem does'), async () => {
  for (const item of <Record<string, AttributeValue>[]>[{ pk: { N: '5' } }, { pk: { L: [{ S: 'x' }] } }, { other: { S: 'x' } }]) {
    await expectError(client.send(new BatchWriteItemCommand({ RequestItems: { [first]: [{ PutRequest: { Item: item } }] } })),
      'ValidationException', 'The provided key element does not match the schema')
  }
  await expectError(client.send(new PutItemCommand({ TableName: first, Item: { other: { S: 'x' } } })),
    'ValidationException', 'One or more parameter values were invalid: Missing the key pk in the item')
})

// BatchWrite items obey the same item rules as PutItem (e.g. no empty sets).
test('BatchWriteItem with an invalid item is rejected', async () => {
  await expectError(client.send(new BatchWriteItemCommand({ RequestItems: { [first]: [
    { PutRequest: { Item: { pk: { S: 'bad' }, s: { SS: [] } } } },
  ] } })), 'ValidationException')
})

// `__proto__` is a valid table and index name; the batch replies, keyed by table name, and the
// capacity, keyed by index name, keep it (JavaScript objects treat that name specially, so the
// requests and replies here are raw JSON).
test('batches on a table and an index named __proto__', async () => {
  await createTable(client, {
    TableName: '__proto__', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: '__proto__', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
  })
  assert.equal(await call('BatchWriteItem', '{"RequestItems":{"__proto__":[{"PutRequest":{"Item":{"pk":{"S":"a"},"g":{"S":"x"}}}}]},"ReturnConsumedCapacity":"INDEXES"}'),
    '{"UnprocessedItems":{},"ConsumedCapacity":[{"TableName":"__proto__","CapacityUnits":2.0,"Table":{"CapacityUnits":1.0},' +
    '"GlobalSecondaryIndexes":{"__proto__":{"CapacityUnits":1.0}}}]}')
  assert.equal(await call('BatchGetItem', '{"RequestItems":{"__proto__":{"Keys":[{"pk":{"S":"a"}},{"pk":{"S":"b"}}]}}}'),
    '{"Responses":{"__proto__":[{"pk":{"S":"a"},"g":{"S":"x"}}]},"UnprocessedKeys":{}}')
})

// Key attributes may be named `__proto__` too, of a table and of an index; an item without the
// index key is simply not indexed.
test('a table and an index keyed on attributes named __proto__', async () => {
  await createTable(client, {
    TableName: 'keyed-proto', KeySchema: [{ AttributeName: '__proto__', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: '__proto__', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: 'by-g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
  })
  await createTable(client, {
    TableName: 'indexed-proto', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: '__proto__', AttributeType: 'N' }],
    GlobalSecondaryIndexes: [{ IndexName: 'by-proto', KeySchema: [{ AttributeName: '__proto__', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
  })
  await call('PutItem', '{"TableName":"keyed-proto","Item":{"__proto__":{"S":"a"},"g":{"S":"x"}}}')
  assert.equal(await call('GetItem', '{"TableName":"keyed-proto","Key":{"__proto__":{"S":"a"}}}'), '{"Item":{"__proto__":{"S":"a"},"g":{"S":"x"}}}')
  const missing = await sendRaw(server.endpoint, { target: 'PutItem', body: '{"TableName":"keyed-proto","Item":{"g":{"S":"x"}}}' })
  assert.equal(missing.json?.message, 'One or more parameter values were invalid: Missing the key __proto__ in the item')
  await call('PutItem', '{"TableName":"indexed-proto","Item":{"pk":{"S":"with"},"__proto__":{"N":"7"}}}')
  await call('PutItem', '{"TableName":"indexed-proto","Item":{"pk":{"S":"without"}}}')
  assert.equal(await call('Query', '{"TableName":"indexed-proto","IndexName":"by-proto","KeyConditionExpression":"#p = :seven",' +
    '"ExpressionAttributeNames":{"#p":"__proto__"},"ExpressionAttributeValues":{":seven":{"N":"7"}}}'),
  '{"Count":1,"ScannedCount":1,"Items":[{"pk":{"S":"with"},"__proto__":{"N":"7"}}]}')
})

// A batch of 25 items in 25 item collections of a table with an LSI: each collection's size is
// state the write locks. On PostgreSQL a write learning its locks one attempt at a time ran out of
// attempts past about 10 collections (ThrottlingException every time); it now learns them all in
// one attempt and takes them first in the next.
test('BatchWriteItem of 25 items in 25 item collections of a table with an LSI', async () => {
  const table = uniqueTableName('batch-lsi')
  await createTable(client, {
    TableName: table, BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'l', AttributeType: 'S' },
    ],
    LocalSecondaryIndexes: [{
      IndexName: 'byL', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'ALL' },
    }],
  })
  const writes = Array.from({ length: 25 }, (_, index) => ({ PutRequest: { Item: { pk: { S: `p${index}` }, sk: { S: 's' }, l: { S: 'x' } } } }))
  const { UnprocessedItems } = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: writes } }))
  assert.deepEqual(UnprocessedItems, {})
  const { Count } = await client.send(new ScanCommand({ TableName: table, IndexName: 'byL', Select: 'COUNT' }))
  assert.equal(Count, 25)
})
