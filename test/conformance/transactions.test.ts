/**
 * Transactions. TransactWriteItems applies up to 100 Put / Update / Delete / ConditionCheck actions
 * atomically: if any condition fails, none applies and the error carries one CancellationReason per
 * action, in order ("None" for the ones that were fine). An item may appear only once per
 * transaction. A ClientRequestToken makes the call idempotent for 10 minutes. TransactGetItems reads
 * several items as one consistent snapshot.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  GetItemCommand, PutItemCommand, TransactGetItemsCommand, TransactWriteItemsCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { localDiffers, type TestServer } from '../helpers/server.js'
import { startKeyTableServer } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
let client: DynamoDBClient
let table: string
before(async () => { ({ server, client, table } = await startKeyTableServer('transactions')) })
after(async () => { await server?.close() })

let itemCounter = 0
const freshKey = () => ({ pk: { S: `t${++itemCounter}` } })
const read = async (key: object) => (await client.send(new GetItemCommand({ TableName: table, Key: key as never, ConsistentRead: true }))).Item

// All four action kinds succeed together.
test('TransactWriteItems applies Put, Update, Delete and ConditionCheck', async () => {
  const [putKey, updateKey, deleteKey, checkKey] = [freshKey(), freshKey(), freshKey(), freshKey()]
  await client.send(new PutItemCommand({ TableName: table, Item: { ...updateKey, n: { N: '1' } } }))
  await client.send(new PutItemCommand({ TableName: table, Item: { ...deleteKey } }))
  await client.send(new PutItemCommand({ TableName: table, Item: { ...checkKey, ok: { BOOL: true } } }))
  await client.send(new TransactWriteItemsCommand({ TransactItems: [
    { Put: { TableName: table, Item: { ...putKey, v: { S: 'new' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
    { Update: { TableName: table, Key: updateKey, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
    { Delete: { TableName: table, Key: deleteKey } },
    { ConditionCheck: { TableName: table, Key: checkKey, ConditionExpression: 'ok = :t', ExpressionAttributeValues: { ':t': { BOOL: true } } } },
  ] }))
  assert.deepEqual(await read(putKey), { ...putKey, v: { S: 'new' } })
  assert.deepEqual(await read(updateKey), { ...updateKey, n: { N: '2' } })
  assert.equal(await read(deleteKey), undefined)
})

// All or nothing: the second action's condition fails, so the first put is not applied either. The
// error lists a reason per action, in order, and the message summarizes the codes.
test('one failed condition cancels the whole transaction', async () => {
  const [goodKey, badKey] = [freshKey(), freshKey()]
  await client.send(new PutItemCommand({ TableName: table, Item: { ...badKey, n: { N: '1' } } }))
  const error = await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: [
    { Put: { TableName: table, Item: { ...goodKey, v: { S: 'x' } } } },
    { Update: { TableName: table, Key: badKey, UpdateExpression: 'SET n = :two', ConditionExpression: 'n = :zero',
      ExpressionAttributeValues: { ':zero': { N: '0' }, ':two': { N: '2' } } } },
  ] })), 'TransactionCanceledException',
  'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]')
  const reasons = error.CancellationReasons as Array<{ Code?: string; Message?: string }>
  assert.deepEqual(reasons.map((reason) => reason.Code), ['None', 'ConditionalCheckFailed'])
  assert.equal(reasons[1]!.Message, 'The conditional request failed')
  assert.equal(await read(goodKey), undefined)
  assert.deepEqual(await read(badKey), { ...badKey, n: { N: '1' } })
})

// ReturnValuesOnConditionCheckFailure ALL_OLD puts the current item into that action's reason.
test('ReturnValuesOnConditionCheckFailure returns the item in the cancellation reason', async () => {
  const key = freshKey()
  await client.send(new PutItemCommand({ TableName: table, Item: { ...key, n: { N: '1' } } }))
  const error = await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: [
    { ConditionCheck: { TableName: table, Key: key, ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
  ] })), 'TransactionCanceledException')
  const reasons = error.CancellationReasons as Array<{ Code?: string; Item?: object }>
  assert.equal(reasons[0]!.Code, 'ConditionalCheckFailed')
  assert.deepEqual(reasons[0]!.Item, { ...key, n: { N: '1' } })
})

// An item can be the target of only one action per transaction.
test('two actions on the same item are rejected', localDiffers('it cancels the transaction (TransactionCanceledException) instead'), async () => {
  const key = freshKey()
  await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: [
    { Put: { TableName: table, Item: { ...key } } },
    { ConditionCheck: { TableName: table, Key: key, ConditionExpression: 'attribute_not_exists(pk)' } },
  ] })), 'ValidationException', 'Transaction request cannot include multiple operations on one item')
})

// The same ClientRequestToken with the same request is applied once: the retry succeeds but the
// counter only moves once.
test('ClientRequestToken makes a retried transaction idempotent', async () => {
  const key = freshKey()
  const request = { ClientRequestToken: `token-${key.pk.S}-${Date.now()}`, TransactItems: [
    { Update: { TableName: table, Key: key, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
  ] }
  await client.send(new TransactWriteItemsCommand(request))
  await client.send(new TransactWriteItemsCommand(request))
  assert.deepEqual(await read(key), { ...key, n: { N: '1' } })
})

// The same request with its members in another order is a retry, not another request
// (LocalStack's test_dynamodb_idempotent_writing, recorded against DynamoDB).
test('a retry that lists the item\'s attributes in another order is still the same request', async () => {
  const key = freshKey()
  const token = `token-${key.pk.S}-${Date.now()}`
  await client.send(new TransactWriteItemsCommand({ ClientRequestToken: token, TransactItems: [
    { Put: { TableName: table, Item: { ...key, a: { S: 'x' }, b: { N: '1' } } } },
  ] }))
  await client.send(new TransactWriteItemsCommand({ ClientRequestToken: token, TransactItems: [
    { Put: { Item: { b: { N: '1' }, a: { S: 'x' }, ...key }, TableName: table } },
  ] }))
  assert.deepEqual(await read(key), { ...key, a: { S: 'x' }, b: { N: '1' } })
})

// Reusing a token for a different request is an error.
test('ClientRequestToken reused with a different request is rejected', async () => {
  const key = freshKey()
  const token = `token-${key.pk.S}-${Date.now()}`
  await client.send(new TransactWriteItemsCommand({ ClientRequestToken: token, TransactItems: [{ Put: { TableName: table, Item: { ...key, v: { N: '1' } } } }] }))
  await expectError(client.send(new TransactWriteItemsCommand({ ClientRequestToken: token, TransactItems: [
    { Put: { TableName: table, Item: { ...key, v: { N: '2' } } } },
  ] })), 'IdempotentParameterMismatchException')
})

// A validation problem inside an action is reported as a ValidationException for the whole call.
test('an invalid update expression inside a transaction is a ValidationException', async () => {
  await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: [
    { Update: { TableName: table, Key: freshKey(), UpdateExpression: 'SET' } },
  ] })), 'ValidationException')
})

// A transaction on a missing table.
test('a transaction on a missing table is ResourceNotFoundException', async () => {
  await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: [
    { Put: { TableName: `${table}-nope`, Item: freshKey() } },
  ] })), 'ResourceNotFoundException')
})

// TransactGetItems returns one response per Get, in order; a missing item is an empty response.
test('TransactGetItems returns responses in request order', async () => {
  const [firstKey, missingKey, lastKey] = [freshKey(), freshKey(), freshKey()]
  await client.send(new PutItemCommand({ TableName: table, Item: { ...firstKey, v: { S: 'first' }, w: { S: 'w' } } }))
  await client.send(new PutItemCommand({ TableName: table, Item: { ...lastKey, v: { S: 'last' } } }))
  const { Responses } = await client.send(new TransactGetItemsCommand({ TransactItems: [
    { Get: { TableName: table, Key: firstKey, ProjectionExpression: 'v' } },
    { Get: { TableName: table, Key: missingKey } },
    { Get: { TableName: table, Key: lastKey } },
  ] }))
  assert.equal(Responses!.length, 3)
  assert.deepEqual(Responses![0]!.Item, { v: { S: 'first' } })
  assert.equal(Responses![1]!.Item, undefined)
  assert.deepEqual(Responses![2]!.Item, { ...lastKey, v: { S: 'last' } })
})

// More than 100 actions is rejected.
test('more than 100 actions is rejected', async () => {
  const items = Array.from({ length: 101 }, () => ({ Put: { TableName: table, Item: freshKey() } }))
  await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: items })), 'ValidationException')
})

// As in UpdateItem, REMOVE through a missing parent is ignored when the item does not exist yet
// (and, removing only, does not create it), but fails on an existing item.
test('a transactional REMOVE through a missing parent follows UpdateItem', localDiffers('it rejects the REMOVE on a missing item'), async () => {
  const key = freshKey()
  await client.send(new TransactWriteItemsCommand({ TransactItems: [{ Update: { TableName: table, Key: key, UpdateExpression: 'REMOVE a.b' } }] }))
  assert.equal(await read(key), undefined)
  await client.send(new PutItemCommand({ TableName: table, Item: key }))
  const error = await expectError(client.send(new TransactWriteItemsCommand({
    TransactItems: [{ Update: { TableName: table, Key: key, UpdateExpression: 'REMOVE a.b' } }],
  })), 'TransactionCanceledException')
  assert.equal((error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons?.[0]?.Code, 'ValidationError')
})

// An action invalid whatever its item holds cancels the transaction before any condition is
// evaluated: the first gets a ValidationError, every other action None (Alternator's
// test_transact_write_cancellation_reasons_validationerror, run against DynamoDB). An Update
// that sets a key attribute is one (DynamoDB Local 2026-05-28; a lone UpdateItem fails whole).
test('the first invalid action cancels the transaction; the others get None', localDiffers('it checks every action and gives each its own reason'), async () => {
  const fresh = freshKey()
  const error = await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: [
    { Put: { TableName: table, Item: { pk: { N: '7' } } } },
    { Put: { TableName: table, Item: { pk: { N: '8' } } } },
    { Put: { TableName: table, Item: fresh, ConditionExpression: 'attribute_exists(pk)' } },
  ] })), 'TransactionCanceledException',
  'Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError, None, None]')
  assert.deepEqual((error as { CancellationReasons?: unknown }).CancellationReasons, [
    { Code: 'ValidationError', Message: 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N' },
    { Code: 'None' }, { Code: 'None' },
  ])
  assert.equal(await read(fresh), undefined)
})

test('an Update of a key attribute cancels the transaction with a ValidationError', localDiffers('it evaluates the other actions\' conditions too'), async () => {
  const [updated, conditioned] = [freshKey(), freshKey()]
  const error = await expectError(client.send(new TransactWriteItemsCommand({ TransactItems: [
    { Update: { TableName: table, Key: updated, UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': updated.pk! } } },
    { ConditionCheck: { TableName: table, Key: conditioned, ConditionExpression: 'attribute_exists(pk)' } },
  ] })), 'TransactionCanceledException')
  assert.deepEqual((error as { CancellationReasons?: unknown }).CancellationReasons, [
    { Code: 'ValidationError', Message: 'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key' },
    { Code: 'None' },
  ])
  assert.equal(await read(updated), undefined)
})
