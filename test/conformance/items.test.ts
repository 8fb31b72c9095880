/**
 * Single-item operations: PutItem, GetItem, UpdateItem and DeleteItem. Each addresses one item by its
 * full primary key, may carry a ConditionExpression (failing with ConditionalCheckFailedException),
 * and may return the item's old or new attributes (ReturnValues). Items are at most 400 KB; key
 * attributes must match the table's key schema exactly; non-key strings may be empty, key strings not.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  PutItemCommand, GetItemCommand, DeleteItemCommand, UpdateItemCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { startTestServer, uniqueTableName, localDiffers, type TestServer } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
let client: DynamoDBClient
let table: string
let rangeTable: string
before(async () => {
  server = await startTestServer()
  client = server.client
  table = await createKeyTable(client, 'items')
  rangeTable = await createKeyTable(client, 'items-range', 'N')
})
after(async () => { await server?.close() })

const keyOf = (id: string) => ({ pk: { S: id } })
let itemCounter = 0
const freshId = () => `item-${++itemCounter}`

// The basic round trip: what is put is what is read, attribute for attribute.
test('PutItem then GetItem returns the item', async () => {
  const id = freshId()
  const item = { ...keyOf(id), name: { S: 'alice' }, age: { N: '30' }, tags: { SS: ['a', 'b'] } }
  const put = await client.send(new PutItemCommand({ TableName: table, Item: item }))
  assert.equal(put.Attributes, undefined)
  const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: keyOf(id) }))
  assert.deepEqual(Item, item)
})

// GetItem of a key that is not there returns no Item member at all (not an empty map).
test('GetItem of a missing item returns no Item', async () => {
  const reply = await client.send(new GetItemCommand({ TableName: table, Key: keyOf('never-written') }))
  assert.equal(reply.Item, undefined)
  assert.ok(!('Item' in reply) || reply.Item === undefined)
})

// PutItem replaces the whole item; ReturnValues ALL_OLD returns the replaced one.
test('PutItem ReturnValues ALL_OLD returns the replaced item', async () => {
  const id = freshId()
  await client.send(new PutItemCommand({ TableName: table, Item: { ...keyOf(id), v: { N: '1' }, gone: { S: 'x' } } }))
  const put = await client.send(new PutItemCommand({
    TableName: table, Item: { ...keyOf(id), v: { N: '2' } }, ReturnValues: 'ALL_OLD',
  }))
  assert.deepEqual(put.Attributes, { ...keyOf(id), v: { N: '1' }, gone: { S: 'x' } })
  const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: keyOf(id) }))
  assert.deepEqual(Item, { ...keyOf(id), v: { N: '2' } })
})

// PutItem only supports NONE and ALL_OLD; the UPDATED_* / ALL_NEW kinds are UpdateItem's.
test('PutItem ReturnValues ALL_NEW is rejected', localDiffers('message is "Return values set to invalid value"'), async () => {
  await expectError(client.send(new PutItemCommand({
    TableName: table, Item: keyOf(freshId()), ReturnValues: 'ALL_NEW',
  })), 'ValidationException', '1 validation error detected: ReturnValues can only be ALL_OLD or NONE')
})

// DeleteItem with ALL_OLD returns the deleted item; deleting a missing item succeeds silently.
test('DeleteItem ReturnValues ALL_OLD, and deleting a missing item', async () => {
  const id = freshId()
  await client.send(new PutItemCommand({ TableName: table, Item: { ...keyOf(id), v: { S: 'x' } } }))
  const deleted = await client.send(new DeleteItemCommand({ TableName: table, Key: keyOf(id), ReturnValues: 'ALL_OLD' }))
  assert.deepEqual(deleted.Attributes, { ...keyOf(id), v: { S: 'x' } })
  const again = await client.send(new DeleteItemCommand({ TableName: table, Key: keyOf(id), ReturnValues: 'ALL_OLD' }))
  assert.equal(again.Attributes, undefined)
  const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: keyOf(id) }))
  assert.equal(Item, undefined)
})

// UpdateItem's five ReturnValues kinds, on the same starting item {a:1, b:'x', c:'keep'} with
// "SET a = :two, d = :new REMOVE b": NONE returns nothing; ALL_OLD the whole old item; UPDATED_OLD
// only the old values of changed attributes (a, b); ALL_NEW the whole new item; UPDATED_NEW only
// the new values of changed attributes (a, d; b was removed so it has no new value).
test('UpdateItem supports every ReturnValues kind', async () => {
  const oldItem = { a: { N: '1' }, b: { S: 'x' }, c: { S: 'keep' } }
  const expected: Record<string, object | undefined> = {
    NONE: undefined,
    ALL_OLD: { pk: { S: 'rv' }, ...oldItem },
    UPDATED_OLD: { a: { N: '1' }, b: { S: 'x' } },
    ALL_NEW: { pk: { S: 'rv' }, a: { N: '2' }, c: { S: 'keep' }, d: { S: 'new' } },
    UPDATED_NEW: { a: { N: '2' }, d: { S: 'new' } },
  }
  for (const [kind, attributes] of Object.entries(expected)) {
    await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'rv' }, ...oldItem } }))
    const reply = await client.send(new UpdateItemCommand({
      TableName: table, Key: { pk: { S: 'rv' } }, UpdateExpression: 'SET a = :two, d = :new REMOVE b',
      ExpressionAttributeValues: { ':two': { N: '2' }, ':new': { S: 'new' } },
      ReturnValues: kind as 'NONE',
    }))
    assert.deepEqual(reply.Attributes, attributes, `ReturnValues ${kind}`)
  }
})

// UpdateItem on a missing key creates the item (an upsert) with the key plus the SET attributes.
test('UpdateItem creates a missing item', async () => {
  const id = freshId()
  const reply = await client.send(new UpdateItemCommand({
    TableName: table, Key: keyOf(id), UpdateExpression: 'SET v = :v',
    ExpressionAttributeValues: { ':v': { S: 'hello' } }, ReturnValues: 'ALL_NEW',
  }))
  assert.deepEqual(reply.Attributes, { ...keyOf(id), v: { S: 'hello' } })
})

// A false ConditionExpression fails the write with a fixed message, and nothing changes.
test('ConditionExpression false is ConditionalCheckFailedException', async () => {
  const id = freshId()
  await client.send(new PutItemCommand({ TableName: table, Item: { ...keyOf(id), v: { N: '1' } } }))
  const error = await expectError(client.send(new PutItemCommand({
    TableName: table, Item: { ...keyOf(id), v: { N: '2' } }, ConditionExpression: 'attribute_not_exists(pk)',
  })), 'ConditionalCheckFailedException', 'The conditional request failed')
  assert.equal(error.Item, undefined)
  assert.equal(error.$metadata?.httpStatusCode, 400)
  const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: keyOf(id) }))
  assert.deepEqual(Item!.v, { N: '1' })
})

// A true ConditionExpression lets the write through (for put, update and delete alike).
test('ConditionExpression true lets put, update and delete proceed', async () => {
  const id = freshId()
  await client.send(new PutItemCommand({
    TableName: table, Item: { ...keyOf(id), v: { N: '1' } }, ConditionExpression: 'attribute_not_exists(pk)',
  }))
  await client.send(new UpdateItemCommand({
    TableName: table, Key: keyOf(id), UpdateExpression: 'SET v = :two', ConditionExpression: 'v = :one',
    ExpressionAttributeValues: { ':one': { N: '1' }, ':two': { N: '2' } },
  }))
  await client.send(new DeleteItemCommand({
    TableName: table, Key: keyOf(id), ConditionExpression: 'v = :two', ExpressionAttributeValues: { ':two': { N: '2' } },
  }))
  const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: keyOf(id) }))
  assert.equal(Item, undefined)
})

// ReturnValuesOnConditionCheckFailure ALL_OLD puts the current item into the error, so a client
// can see why its condition failed without another read.
test('ReturnValuesOnConditionCheckFailure ALL_OLD returns the item in the error', async () => {
  const id = freshId()
  await client.send(new PutItemCommand({ TableName: table, Item: { ...keyOf(id), v: { N: '1' } } }))
  const error = await expectError(client.send(new UpdateItemCommand({
    TableName: table, Key: keyOf(id), UpdateExpression: 'SET v = :two', ConditionExpression: 'v = :zero',
    ExpressionAttributeValues: { ':zero': { N: '0' }, ':two': { N: '2' } },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  })), 'ConditionalCheckFailedException')
  assert.deepEqual(error.Item, { ...keyOf(id), v: { N: '1' } })
})

// A key with an attribute that is not part of the key schema does not match the schema.
test('GetItem with an extra key attribute: "The provided key element does not match the schema"', localDiffers('message is "The number of conditions on the keys is invalid"'), async () => {
  await expectError(client.send(new GetItemCommand({
    TableName: table, Key: { ...keyOf('x'), other: { S: 'y' } },
  })), 'ValidationException', 'The provided key element does not match the schema')
})

// Every key attribute is required: a hash+range table's key needs the sort key too.
test('GetItem without the sort key is rejected', async () => {
  await expectError(client.send(new GetItemCommand({ TableName: rangeTable, Key: keyOf('x') })), 'ValidationException')
})

// The key attribute's type must match its AttributeDefinition.
test('GetItem with a wrongly typed key is rejected', async () => {
  await expectError(client.send(new GetItemCommand({ TableName: table, Key: { pk: { N: '1' } } })), 'ValidationException')
})

// PutItem names the missing key attribute.
test('PutItem without the partition key is rejected', localDiffers('message is "One of the required keys was not given a value"'), async () => {
  await expectError(client.send(new PutItemCommand({ TableName: table, Item: { v: { S: 'x' } } })),
    'ValidationException', 'One or more parameter values were invalid: Missing the key pk in the item')
})

// PutItem names the key whose type does not match.
test('PutItem with a wrongly typed key is rejected', localDiffers('its message stops after "Type mismatch for key"'), async () => {
  await expectError(client.send(new PutItemCommand({ TableName: table, Item: { pk: { N: '1' } } })),
    'ValidationException', 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N')
})

// Operations on a table that does not exist.
test('GetItem on a missing table is ResourceNotFoundException', async () => {
  await expectError(client.send(new GetItemCommand({ TableName: uniqueTableName('nope'), Key: keyOf('x') })),
    'ResourceNotFoundException')
})

// An item may be at most 400 KB, counting attribute names and values (UTF-8 bytes). This item is
// pk(2)+'k'(1)+'v'(1)+value: exactly 409,600 bytes fits, one byte more does not.
test('the 400 KB item size limit is exact', localDiffers('no "1 validation error detected" envelope'), async () => {
  const limitBytes = 400 * 1024
  const fits = 'x'.repeat(limitBytes - 4)
  await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'k' }, v: { S: fits } } }))
  await expectError(client.send(new PutItemCommand({
    TableName: table, Item: { pk: { S: 'k' }, v: { S: fits + 'x' } },
  })), 'ValidationException', '1 validation error detected: Item size has exceeded the maximum allowed size')
})

// UpdateItem that would grow the item past 400 KB is rejected too.
test('UpdateItem growing an item past 400 KB is rejected', async () => {
  const id = freshId()
  const big = 'y'.repeat(300 * 1024)
  await client.send(new PutItemCommand({ TableName: table, Item: { ...keyOf(id), a: { S: big } } }))
  await expectError(client.send(new UpdateItemCommand({
    TableName: table, Key: keyOf(id), UpdateExpression: 'SET b = :b', ExpressionAttributeValues: { ':b': { S: big } },
  })), 'ValidationException')
})

// Since 2020, non-key attributes may hold empty strings and empty binaries.
test('empty strings and binaries are allowed in non-key attributes', async () => {
  const id = freshId()
  const item = { ...keyOf(id), empty: { S: '' }, emptyBinary: { B: new Uint8Array() }, nested: { M: { e: { S: '' } } } }
  await client.send(new PutItemCommand({ TableName: table, Item: item }))
  const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: keyOf(id) }))
  assert.deepEqual(Item!.empty, { S: '' })
  assert.equal(Item!.emptyBinary!.B!.length, 0)
  assert.deepEqual(Item!.nested, { M: { e: { S: '' } } })
})

// Key attributes can never be empty strings.
test('an empty string key is rejected', async () => {
  await expectError(client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: '' } } })),
    'ValidationException',
    'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk')
})

// ProjectionExpression returns only the named paths, including nested ones and list elements,
// with #name substitution.
test('GetItem ProjectionExpression selects top-level and nested paths', async () => {
  const id = freshId()
  await client.send(new PutItemCommand({ TableName: table, Item: {
    ...keyOf(id), a: { S: 'A' }, b: { S: 'B' },
    m: { M: { x: { N: '1' }, y: { N: '2' } } }, l: { L: [{ S: 'l0' }, { S: 'l1' }, { S: 'l2' }] },
  } }))
  const { Item } = await client.send(new GetItemCommand({
    TableName: table, Key: keyOf(id), ProjectionExpression: '#a, m.y, l[1], absent',
    ExpressionAttributeNames: { '#a': 'a' },
  }))
  assert.deepEqual(Item, { a: { S: 'A' }, m: { M: { y: { N: '2' } } }, l: { L: [{ S: 'l1' }] } })
})

// ConsistentRead is accepted on tables, and a strongly consistent read sees the last write.
test('GetItem ConsistentRead sees the latest write', async () => {
  const id = freshId()
  await client.send(new PutItemCommand({ TableName: table, Item: { ...keyOf(id), v: { N: '7' } } }))
  const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: keyOf(id), ConsistentRead: true }))
  assert.deepEqual(Item!.v, { N: '7' })
})

// Items in a hash+range table are addressed by both keys; same partition, different sort keys are
// different items.
test('items with the same partition key and different sort keys are distinct', async () => {
  await client.send(new PutItemCommand({ TableName: rangeTable, Item: { pk: { S: 'p' }, sk: { N: '1' }, v: { S: 'one' } } }))
  await client.send(new PutItemCommand({ TableName: rangeTable, Item: { pk: { S: 'p' }, sk: { N: '2' }, v: { S: 'two' } } }))
  const one = await client.send(new GetItemCommand({ TableName: rangeTable, Key: { pk: { S: 'p' }, sk: { N: '1' } } }))
  const two = await client.send(new GetItemCommand({ TableName: rangeTable, Key: { pk: { S: 'p' }, sk: { N: '2.0' } } }))
  assert.equal(one.Item!.v!.S, 'one')
  assert.equal(two.Item!.v!.S, 'two')
})
