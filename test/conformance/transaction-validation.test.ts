/**
 * Which problems inside a transaction cancel it (TransactionCanceledException with a
 * ValidationError reason for the action) and which fail the whole request (ValidationException),
 * and the transaction's size limit. Sources: ExtendDB's dual-target tests, recorded against
 * DynamoDB (test_transaction_operations.py, test_transaction_key_size_validation.py,
 * test_transact_expression_validation.py), and the TransactWriteItems API reference.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  BatchWriteItemCommand, GetItemCommand, PutItemCommand, TransactGetItemsCommand, TransactWriteItemsCommand, UpdateItemCommand,
  type AttributeValue, type DynamoDBClient, type TransactWriteItem,
} from '@aws-sdk/client-dynamodb'
import { localDiffers, uniqueTableName, type TestServer } from '../helpers/server.js'
import { createTable, startKeyTableServer } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
let client: DynamoDBClient
let table: string
before(async () => { ({ server, client, table } = await startKeyTableServer('transaction-validation')) })
after(async () => { await server?.close() })

type Attributes = Record<string, AttributeValue>
let keyCounter = 0
const freshKey = () => ({ pk: { S: `t${++keyCounter}` } })

async function cancellationCodes(items: TransactWriteItem[]): Promise<Array<{ Code?: string; Message?: string }>> {
  const error = await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: items })), 'TransactionCanceledException')
  return error.CancellationReasons as Array<{ Code?: string; Message?: string }>
}

async function read(key: Attributes): Promise<Attributes | undefined> {
  return (await client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item
}

// A key of the wrong type cancels the transaction with a ValidationError reason for that action
// and None for the others, for every kind of action; nothing is written.
test('a key of the wrong type cancels the transaction', localDiffers('its cancellation reasons differ'), async () => {
  const written = freshKey()
  const reasons = await cancellationCodes([
    { Put: { TableName: table, Item: written } },
    { Put: { TableName: table, Item: { pk: { N: '123' } } } },
  ])
  assert.deepEqual(reasons, [
    { Code: 'None' },
    { Code: 'ValidationError', Message: 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N' },
  ])
  assert.equal(await read(written), undefined)
  for (const action of [
    { Delete: { TableName: table, Key: { pk: { N: '123' } } } },
    { Update: { TableName: table, Key: { pk: { N: '123' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } } },
    { ConditionCheck: { TableName: table, Key: { pk: { N: '123' } }, ConditionExpression: 'attribute_exists(pk)' } },
  ]) {
    assert.deepEqual((await cancellationCodes([action])).map((reason) => reason.Code), ['ValidationError'])
  }
})

// So does a key past the 2048-byte partition key limit.
test('an oversized key cancels the transaction', async () => {
  const oversized = { pk: { S: 'a'.repeat(2049) } }
  for (const action of [
    { Put: { TableName: table, Item: oversized } },
    { Delete: { TableName: table, Key: oversized } },
    { ConditionCheck: { TableName: table, Key: oversized, ConditionExpression: 'attribute_exists(pk)' } },
  ]) {
    assert.deepEqual((await cancellationCodes([action])).map((reason) => reason.Code), ['ValidationError'])
  }
})

// TransactGetItems cancels the same way.
test('TransactGetItems with a key of the wrong type is cancelled', localDiffers('it does not cancel the transaction'), async () => {
  const error = await expectError(client.send(new TransactGetItemsCommand({ TransactItems: [
    { Get: { TableName: table, Key: freshKey() } },
    { Get: { TableName: table, Key: { pk: { N: '123' } } } },
  ] })), 'TransactionCanceledException')
  assert.deepEqual((error.CancellationReasons as Array<{ Code: string }>).map((reason) => reason.Code), ['None', 'ValidationError'])
})

// So does a Key that names the wrong attributes, or none: DynamoDB reports it as the action's
// ValidationError (the AWS-validated dynamodb-conformance suite's TransactGetItems case for an
// empty Key), while GetItem answers it as a ValidationException.
test('a Key that does not match the schema cancels the transaction', localDiffers('it does not cancel the transaction'), async () => {
  const schemaMismatch = 'The provided key element does not match the schema'
  const keys: Attributes[] = [{}, { other: { S: 'x' } }, { ...freshKey(), other: { S: 'x' } }]
  for (const key of keys) {
    const error = await expectError(client.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: table, Key: key } }] })),
      'TransactionCanceledException', 'Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError]')
    assert.deepEqual(error.CancellationReasons, [{ Code: 'ValidationError', Message: schemaMismatch }])
    const written = freshKey()
    assert.deepEqual(await cancellationCodes([
      { Put: { TableName: table, Item: written } },
      { Delete: { TableName: table, Key: key } },
    ]), [{ Code: 'None' }, { Code: 'ValidationError', Message: schemaMismatch }])
    assert.equal(await read(written), undefined)
    await expectError(client.send(new GetItemCommand({ TableName: table, Key: key })), 'ValidationException', schemaMismatch)
  }
})

// An empty key value, by contrast, fails the whole request.
test('an empty key value is a ValidationException for the whole request', async () => {
  await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: table, Item: { pk: { S: '' } } } }] })),
    'ValidationException',
    'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk')
})

// An empty index key value fails the whole request too, and an UpdateExpression that leaves one
// empty gets DynamoDB's update wording, without the index and attribute names (in UpdateItem as in
// a transaction's Update; an AWS-validated suite's TransactWriteItems cases, and DynamoDB Local
// 2026-05-28). An item that was sent (a Put, AttributeUpdates) keeps the wording that names them.
test('an empty index key value fails the whole request, worded by what wrote it', async () => {
  const indexed = await createTable(client, {
    TableName: uniqueTableName('empty-index-key'),
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
  })
  const TableName = indexed.TableName!
  const updated = 'One or more parameter values are not valid. The update expression attempted to update a secondary index ' +
    'key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty string value.'
  const sent = 'One or more parameter values are not valid. A value specified for a secondary index key is not supported. ' +
    'The AttributeValue for a key attribute cannot contain an empty string value. IndexName: byG, IndexKey: g'
  const update = { TableName, Key: freshKey(), UpdateExpression: 'SET g = :empty', ExpressionAttributeValues: { ':empty': { S: '' } } }
  await expectError(client.send(new UpdateItemCommand(update)), 'ValidationException', updated)
  await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: [{ Update: update }] })), 'ValidationException', updated)
  await expectError(client.send(new UpdateItemCommand({ TableName, Key: freshKey(), AttributeUpdates: { g: { Action: 'PUT', Value: { S: '' } } } })),
    'ValidationException', sent)
  await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName, Item: { ...freshKey(), g: { S: '' } } } }] })),
    'ValidationException', sent)
})

// An update that would grow an item past 400 KB cancels the transaction ("An item size becomes
// too large (bigger than 400 KB)", in the API reference's list of cancellation causes).
test('an update growing an item past 400 KB cancels the transaction', async () => {
  const key = freshKey()
  await client.send(new PutItemCommand({ TableName: table, Item: { ...key, a: { S: 'x'.repeat(300_000) } } }))
  const reasons = await cancellationCodes([{ Update: {
    TableName: table, Key: key, UpdateExpression: 'SET b = :big', ExpressionAttributeValues: { ':big': { S: 'y'.repeat(200_000) } },
  } }])
  assert.deepEqual(reasons, [{ Code: 'ValidationError', Message: 'Item size to update has exceeded the maximum allowed size' }])
})

// Unlike the single-item operations, a transaction accepts ExpressionAttributeNames/Values on an
// action without any expression; with an expression, unused ones are still rejected.
test('names and values without an expression are accepted in a transaction', localDiffers('it rejects them as in single-item operations'), async () => {
  const [put, deleted] = [freshKey(), freshKey()]
  await client.send(new PutItemCommand({ TableName: table, Item: deleted }))
  await client.send(new TransactWriteItemsCommand({ TransactItems: [
    { Put: { TableName: table, Item: put, ExpressionAttributeNames: { '#n': 'foo' }, ExpressionAttributeValues: { ':v': { N: '1' } } } },
    { Delete: { TableName: table, Key: deleted, ExpressionAttributeNames: { '#n': 'foo' } } },
  ] }))
  assert.deepEqual(await read(put), put)
  assert.equal(await read(deleted), undefined)
  const { Responses } = await client.send(new TransactGetItemsCommand({ TransactItems: [
    { Get: { TableName: table, Key: put, ExpressionAttributeNames: { '#n': 'foo' } } },
  ] }))
  assert.deepEqual(Responses![0]!.Item, put)
  await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: [
    { Put: { TableName: table, Item: freshKey(), ConditionExpression: 'attribute_not_exists(pk)', ExpressionAttributeNames: { '#n': 'foo' } } },
  ] })), 'ValidationException', 'Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}')
})

// Expression errors keep their parameter's prefix inside a transaction.
test('an expression error in a transaction names its parameter', async () => {
  await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: [{ ConditionCheck: {
    TableName: table, Key: freshKey(), ConditionExpression: 'status > :v', ExpressionAttributeValues: { ':v': { N: '0' } },
  } }] })), 'ValidationException', 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status')
})

// "The aggregate size of the items in the transaction cannot exceed 4 MB": ten 390 KB items
// (3.8 MiB) are accepted, eleven (4.2 MiB) rejected before anything is written.
test('the items of a transaction may add up to 4 MB', async () => {
  const bigItems = (count: number) => Array.from({ length: count }, () => ({
    Put: { TableName: table, Item: { ...freshKey(), blob: { S: 'x'.repeat(390 * 1024 - 10) } } },
  }))
  await client.send(new TransactWriteItemsCommand({ TransactItems: bigItems(10) }))
  const tooBig = bigItems(11)
  await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: tooBig })), 'ValidationException')
  assert.equal(await read({ pk: tooBig[0]!.Put.Item.pk! }), undefined)
})

// The 4 MB is the transaction's payload (Alternator's tests, checked against DynamoDB: 5 MB of
// Puts refused with "size cannot exceed", a small transaction deleting 5 MB of items allowed); what
// counts and the message are DynamoDB Local's: an Update's values count, and the size named is the
// sum when it first passed 4 MB. Each 100 KB action below costs its key (2 + 5 bytes), its
// expression and its value, so the 42nd passes 4 MiB.
test('the payload of a transaction, not the items it touches, may add up to 4 MB', async () => {
  const hundredKb = 'x'.repeat(100_000)
  const keyOf = (prefix: string, index: number) => ({ pk: { S: `${prefix}${String(index).padStart(2, '0')}` } })
  const puts = Array.from({ length: 50 }, (_, index) => ({ Put: { TableName: table, Item: { ...keyOf('put', index), blob: { S: hundredKb } } } }))
  // 7 + 4 ('blob') + 100,000 bytes an action: 42 of them are 4,200,462.
  await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: puts })), 'ValidationException',
    'Transaction payload size cannot exceed 4MB. Payload Size: 4200462')
  const updates = Array.from({ length: 50 }, (_, index) => ({ Update: {
    TableName: table, Key: keyOf('upd', index), UpdateExpression: 'SET #b = :v',
    ExpressionAttributeNames: { '#b': 'blob' }, ExpressionAttributeValues: { ':v': { S: hundredKb } },
  } }))
  // 7 + 11 ('SET #b = :v') + 4 ('blob') + 100,000 bytes an action: 42 of them are 4,200,924.
  await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: updates })), 'ValidationException',
    'Transaction payload size cannot exceed 4MB. Payload Size: 4200924')
  assert.equal(await read(keyOf('upd', 0)), undefined)
  for (let first = 0; first < 50; first += 25) {
    await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: Array.from({ length: 25 }, (_, offset) => ({
      PutRequest: { Item: { ...keyOf('del', first + offset), blob: { S: hundredKb } } },
    })) } }))
  }
  await client.send(new TransactWriteItemsCommand({ TransactItems: Array.from({ length: 50 }, (_, index) => ({
    Delete: { TableName: table, Key: keyOf('del', index) },
  })) }))
  assert.equal(await read(keyOf('del', 0)), undefined)
  assert.equal(await read(keyOf('del', 49)), undefined)
})

// TransactGetItems has the same 4 MB ("DynamoDB rejects the entire TransactGetItems request if
// … the aggregate size of the items in the transaction exceeded 4 MB"), counted as DynamoDB Local
// 2026-05-28 counts it, on the response: each Get's projected item (nothing when missing) plus 4
// bytes, the running sum refused once past 4 MiB, with Local's words and figures (every size
// below was answered so by it). A projection keeps large items under the limit.
test('the items a transaction returns may add up to 4 MB, projected', async () => {
  const keys = Array.from({ length: 11 }, (_, index) => ({ pk: { S: `tgi-${index}-${freshKey().pk.S}` } }))
  // As returned, with its 4, each item is 381,300 bytes and the first one more: eleven make
  // 4,194,301, three under 4 MiB.
  const returnedBytes = (index: number) => 381_300 + (index === 0 ? 1 : 0)
  for (const [index, key] of keys.entries()) {
    const big = 'x'.repeat(returnedBytes(index) - 4 - 'pk'.length - key.pk.S.length - 'big'.length)
    await client.send(new PutItemCommand({ TableName: table, Item: { ...key, big: { S: big } } }))
  }
  const small = { pk: { S: `tgi-small-${freshKey().pk.S}` } }
  await client.send(new PutItemCommand({ TableName: table, Item: { ...small, z: { S: 'abc' } } }))
  const get = (Key: Attributes, ProjectionExpression?: string) => ({ Get: { TableName: table, Key, ProjectionExpression } })
  const transact = (gets: Array<ReturnType<typeof get>>) => client.send(new TransactGetItemsCommand({ TransactItems: gets }))
  const eleven = keys.map((key) => get(key))
  assert.equal((await transact(eleven)).Responses?.filter((response) => response.Item).length, 11)
  // A missing item, or one whose projection selects nothing, still counts its 4.
  const missing = get({ pk: { S: 'tgi-missing' } })
  await expectError(transact([...eleven, missing]), 'ValidationException', 'Payload in response is too large.4194305')
  await expectError(transact([missing, ...eleven]), 'ValidationException', 'Payload in response is too large.4194305')
  await expectError(transact([...eleven, get(small, 'nothing')]), 'ValidationException', 'Payload in response is too large.4194305')
  // The running sum when it first passed the limit, whatever follows.
  const smallReturned = 4 + 'pk'.length + small.pk.S.length + 'z'.length + 'abc'.length
  await expectError(transact([...eleven, get(small), missing, get({ pk: { S: 'tgi-missing-too' } })]), 'ValidationException',
    `Payload in response is too large.${4_194_301 + smallReturned}`)
  // Projected to `big` alone, each of the eleven is smaller by its key: all twelve fit.
  const projected = await transact([...keys.map((key) => get(key, 'big')), get(small)])
  assert.equal(projected.Responses?.length, 12)
  assert.equal(projected.Responses?.[11]?.Item?.z?.S, 'abc')
})

// A malformed or unused expression on any action is reported before any table is looked up or
// any item is checked, and between two failing actions the first in request order wins (an
// AWS-validated suite's "TransactWriteItems — validation ordering", us-east-1 and eu-west-2).
test('expression problems come before missing tables, in request order', async () => {
  const missing = `${table}-missing`
  const malformed = { ConditionCheck: { TableName: table, Key: freshKey(), ConditionExpression: 'attribute_not_exists(' } }
  await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: [
    { Put: { TableName: missing, Item: freshKey() } }, malformed,
  ] })), 'ValidationException', 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("')
  await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: [
    { Put: { TableName: missing, Item: freshKey() } },
    { ConditionCheck: { TableName: table, Key: freshKey(), ConditionExpression: 'attribute_not_exists(pk)', ExpressionAttributeValues: { ':v': { S: 'x' } } } },
  ] })), 'ValidationException', 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}')
  let deep: AttributeValue = { S: 'leaf' }
  for (let level = 0; level < 32; level++) deep = { M: { n: deep } }
  await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: [
    malformed, { Put: { TableName: table, Item: { ...freshKey(), data: deep } } },
  ] })), 'ValidationException', 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("')
  await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: [
    { Put: { TableName: table, Item: { ...freshKey(), data: deep } } }, malformed,
  ] })), 'ValidationException',
  'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit')
  // A key nested too deep yields to its own action's expression problems, not to a later action's
  // (the same suite's deep-request cases).
  const deepKey = { pk: deep }
  await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: [
    { Delete: { TableName: table, Key: deepKey, ConditionExpression: 'a = = b' } },
  ] })), 'ValidationException', 'Invalid ConditionExpression: Syntax error; token: "=", near: "= = b"')
  await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: [
    { ConditionCheck: { TableName: table, Key: deepKey, ConditionExpression: 'attribute_exists(a)' } }, malformed,
  ] })), 'ValidationException',
  'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit')
})

// GetItem answers an empty Item when its projection selects nothing; TransactGetItems leaves
// the Item out (an AWS-validated suite's "GetItem — projection matching nothing").
test('TransactGetItems omits Item when the projection selects nothing', localDiffers('it answers an empty Item'), async () => {
  const key = freshKey()
  await client.send(new PutItemCommand({ TableName: table, Item: { ...key, name: { S: 'Alice' } } }))
  const { Responses } = await client.send(new TransactGetItemsCommand({ TransactItems: [
    { Get: { TableName: table, Key: key, ProjectionExpression: 'nonexistent' } },
  ] }))
  assert.deepEqual(Responses, [{}])
  assert.deepEqual((await client.send(new GetItemCommand({ TableName: table, Key: key, ProjectionExpression: 'nonexistent' }))).Item, {})
})

// Transactions report their units' kind beside CapacityUnits: writes as WriteCapacityUnits
// (a ConditionCheck too: 2 write units, though it writes nothing), reads as ReadCapacityUnits,
// 2 per item even when missing. A repeated ClientRequestToken is reported as the read capacity of
// reading its items, in the replay's own mode; a cancelled transaction reports nothing (paritysuite/dynamodb-conformance
// transaction capacity cases, measured in eu-west-2).
test('transaction capacity names its units and bills ConditionCheck as a write', localDiffers('it does not double transactional capacity nor name its units'), async () => {
  const [put, checked] = [freshKey(), freshKey()]
  const written = await client.send(new TransactWriteItemsCommand({ ReturnConsumedCapacity: 'TOTAL', TransactItems: [
    { Put: { TableName: table, Item: put } },
    { ConditionCheck: { TableName: table, Key: checked, ConditionExpression: 'attribute_not_exists(pk)' } },
  ] }))
  assert.deepEqual(written.ConsumedCapacity, [{ TableName: table, CapacityUnits: 4, WriteCapacityUnits: 4 }])
  const read = await client.send(new TransactGetItemsCommand({ ReturnConsumedCapacity: 'INDEXES', TransactItems: [
    { Get: { TableName: table, Key: put } }, { Get: { TableName: table, Key: freshKey() } },
  ] }))
  assert.deepEqual(read.ConsumedCapacity, [{ TableName: table, CapacityUnits: 4, ReadCapacityUnits: 4, Table: { CapacityUnits: 4, ReadCapacityUnits: 4 } }])
  const token = `token-${keyCounter}`
  const request = { ClientRequestToken: token, TransactItems: [{ Put: { TableName: table, Item: freshKey() } }] }
  const first = await client.send(new TransactWriteItemsCommand({ ...request, ReturnConsumedCapacity: 'TOTAL' }))
  assert.deepEqual(first.ConsumedCapacity, [{ TableName: table, CapacityUnits: 2, WriteCapacityUnits: 2 }])
  const replay = await client.send(new TransactWriteItemsCommand({ ...request, ReturnConsumedCapacity: 'INDEXES' }))
  assert.deepEqual(replay.ConsumedCapacity, [{ TableName: table, CapacityUnits: 2, ReadCapacityUnits: 2, Table: { CapacityUnits: 2, ReadCapacityUnits: 2 } }])
  // The replay's units are those of reading the items (2 per 4 KB), not the first call's write
  // units: a 1.5 KB item costs 4 write units, its replay 2 read units (the suite's case #68).
  const large = { ClientRequestToken: `${token}-large`, ReturnConsumedCapacity: 'TOTAL' as const, TransactItems: [
    { Put: { TableName: table, Item: { ...freshKey(), big: { S: 'x'.repeat(1536) } } } },
  ] }
  assert.deepEqual((await client.send(new TransactWriteItemsCommand(large))).ConsumedCapacity, [{ TableName: table, CapacityUnits: 4, WriteCapacityUnits: 4 }])
  assert.deepEqual((await client.send(new TransactWriteItemsCommand(large))).ConsumedCapacity, [{ TableName: table, CapacityUnits: 2, ReadCapacityUnits: 2 }])
  const cancelled = await expectError(client.send(new TransactWriteItemsCommand({ ReturnConsumedCapacity: 'TOTAL', TransactItems: [
    { Put: { TableName: table, Item: put, ConditionExpression: 'attribute_not_exists(pk)' } },
  ] })), 'TransactionCanceledException')
  assert.equal(cancelled.ConsumedCapacity, undefined)
})

// A :value may nest 32 levels on its own, but an item may not: the write it would make is what
// fails, cancelling a transaction with a ValidationError reason (paritysuite/dynamodb-conformance
// nestingDepth cases); UpdateItem answers a ValidationException, also for a path that deepens an
// existing map past the limit.
test('an update nesting the item too deeply fails at the write', localDiffers('it fails the whole request, without the envelope'), async () => {
  const deep = (levels: number): AttributeValue => {
    let value: AttributeValue = { S: 'leaf' }
    for (let level = 0; level < levels; level++) value = { M: { n: value } }
    return value
  }
  const nesting = 'Nesting Levels have exceeded supported limits'
  const reasons = await cancellationCodes([{ Update: {
    TableName: table, Key: freshKey(), UpdateExpression: 'SET d = :v', ExpressionAttributeValues: { ':v': deep(32) },
  } }])
  assert.deepEqual(reasons, [{ Code: 'ValidationError', Message: nesting }])
  const key = freshKey()
  await client.send(new PutItemCommand({ TableName: table, Item: { ...key, d: deep(30) } }))
  await expectError(client.send(new UpdateItemCommand({
    TableName: table, Key: key, UpdateExpression: `SET d${'.n'.repeat(30)} = :v`, ExpressionAttributeValues: { ':v': deep(2) },
  })), 'ValidationException', nesting)
  // UpdateItem itself refuses the 32-level :value up front, as a constraint failure, and
  // PutItem a 32-level item; BatchWriteItem answers bare.
  const full = `1 validation error detected: ${nesting}: Attributes in the item have nested levels beyond supported limit`
  await expectError(client.send(new UpdateItemCommand({
    TableName: table, Key: freshKey(), UpdateExpression: 'SET d = :v', ExpressionAttributeValues: { ':v': deep(32) },
  })), 'ValidationException', full)
  await expectError(client.send(new PutItemCommand({ TableName: table, Item: { ...freshKey(), d: deep(32) } })), 'ValidationException', full)
  // The nesting is found before a bad scalar that comes first, and inside a list too.
  await expectError(client.send(new PutItemCommand({ TableName: table, Item: { ...freshKey(), a: { N: 'x' }, d: deep(32) } })), 'ValidationException', full)
  await expectError(client.send(new PutItemCommand({ TableName: table, Item: { ...freshKey(), a: { N: 'x' }, d: { L: [deep(31)] } } })), 'ValidationException', full)
  await expectError(client.send(new BatchWriteItemCommand({ RequestItems: { [table]: [{ PutRequest: { Item: { ...freshKey(), d: deep(32) } } }] } })),
    'ValidationException', full.replace('1 validation error detected: ', ''))
  // A transaction's condition may use a 32-level :value: the condition is evaluated.
  await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: [{ ConditionCheck: {
    TableName: table, Key: freshKey(), ConditionExpression: 'd = :v', ExpressionAttributeValues: { ':v': deep(32) },
  } }] })), 'TransactionCanceledException')
})
