/**
 * UpdateItem edge cases that AWS-validated suites record: which updates of a missing item create
 * it, list index bounds, the document-path rules, how the expression lexer reads names, and how
 * if_not_exists and list_append nest and are type-checked.
 * Sources: ScyllaDB Alternator's test_item.py and test_update_expression.py (run against
 * DynamoDB with --aws). https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  GetItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb'
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { readAll } from '../streams/helpers.js'
import { testCredentials, uniqueTableName, localDiffers, type TestServer } from '../helpers/server.js'
import { createTable, startKeyTableServer } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'
import { sendRaw } from '../helpers/raw.js'

let server: TestServer
let client: DynamoDBClient
let table: string
before(async () => { ({ server, client, table } = await startKeyTableServer('update-edge')) })
after(async () => { await server?.close() })

type Attributes = Record<string, AttributeValue>
let keyCounter = 0
const freshKey = () => ({ pk: { S: `e${++keyCounter}` } })

function update(key: Attributes, input: Omit<UpdateItemCommandInput, 'TableName' | 'Key'>) {
  return client.send(new UpdateItemCommand({ TableName: table, Key: key, ...input }))
}

async function read(key: Attributes): Promise<Attributes | undefined> {
  return (await client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item
}

/** Every update made only of removals, in both syntaxes. */
const removalOnlyUpdates: Array<Omit<UpdateItemCommandInput, 'TableName' | 'Key'>> = [
  { UpdateExpression: 'REMOVE a' },
  { UpdateExpression: 'REMOVE a, b.c, d[0]' },
  { UpdateExpression: 'DELETE s :members', ExpressionAttributeValues: { ':members': { SS: ['x'] } } },
  { UpdateExpression: 'REMOVE a DELETE s :members', ExpressionAttributeValues: { ':members': { NS: ['1'] } } },
  { AttributeUpdates: { a: { Action: 'DELETE' } } },
  { AttributeUpdates: { a: { Action: 'DELETE', Value: { SS: ['x'] } } } },
]

// DynamoDB quirk: an update that only removes attributes does not create a missing item, nor
// does a nested REMOVE through paths that cannot exist (Alternator's test_update_item_non_existent,
// test_update_item_delete and test_nested_attribute_remove_from_missing_item). ReturnValues ALL_NEW
// then has nothing to return.
test('an update made only of removals leaves a missing item missing', localDiffers('it creates the item, and rejects a nested REMOVE on it'), async () => {
  for (const input of removalOnlyUpdates) {
    const key = freshKey()
    const reply = await update(key, { ...input, ReturnValues: 'ALL_NEW' })
    assert.equal(reply.Attributes, undefined, JSON.stringify(input))
    assert.equal(await read(key), undefined, JSON.stringify(input))
  }
})

// ...while any update that writes, and even an empty one, creates the item from its key
// (Alternator's test_update_item_non_existent, test_empty_update, test_update_item_no_update_method).
test('an empty update, SET and ADD create a missing item', async () => {
  const cases: Array<[Omit<UpdateItemCommandInput, 'TableName' | 'Key'>, Attributes]> = [
    [{}, {}],
    [{ AttributeUpdates: {} }, {}],
    [{ UpdateExpression: 'REMOVE a SET b = :one', ExpressionAttributeValues: { ':one': { N: '1' } } }, { b: { N: '1' } }],
    [{ UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } }, { n: { N: '1' } }],
    [{ UpdateExpression: 'SET a = if_not_exists(a, :one)', ExpressionAttributeValues: { ':one': { N: '1' } } }, { a: { N: '1' } }],
  ]
  for (const [input, expected] of cases) {
    const key = freshKey()
    await update(key, input)
    assert.deepEqual(await read(key), { ...key, ...expected }, JSON.stringify(input))
  }
})

// A removal-only update that changes nothing writes no stream record either: DynamoDB Streams
// records only real item changes.
test('a removal-only update of a missing item adds no stream record', localDiffers('it creates the item'), async () => {
  const streamed = uniqueTableName('update-edge-stream')
  const description = await createTable(client, {
    TableName: streamed,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  })
  const key = freshKey()
  await client.send(new UpdateItemCommand({ TableName: streamed, Key: key, UpdateExpression: 'REMOVE a' }))
  await client.send(new PutItemCommand({ TableName: streamed, Item: { ...key, b: { S: 'x' } } }))
  const streams = new DynamoDBStreamsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 })
  try {
    const records = await readAll(streams, description.LatestStreamArn!, 1)
    assert.deepEqual(records.map((record) => record.eventName), ['INSERT'])
  } finally {
    streams.destroy()
  }
})

// On an existing item, removing what is not there is silently ignored: a missing attribute, a
// missing map member, a list index past the end (Alternator's test_nested_attribute_remove_missing_leaf
// and test_update_expression_nested_remove_list_item_after_end).
test('REMOVE of a missing leaf or an index past the end changes nothing', async () => {
  const key = freshKey()
  const item = { ...key, a: { M: { x: { N: '3' } } }, b: { L: [{ S: 'hi' }] } }
  await client.send(new PutItemCommand({ TableName: table, Item: item }))
  for (const expression of ['REMOVE a.y', 'REMOVE b[7]', 'REMOVE c']) await update(key, { UpdateExpression: expression })
  assert.deepEqual(await read(key), item)
})

// SET past the end of a list appends; several such SETs append in index order, whatever order
// the expression lists them in (Alternator's test_nested_attribute_update_array_out_of_bounds).
test('SETs past the end of a list append in index order', async () => {
  const key = freshKey()
  const words = (...list: string[]) => ({ L: list.map((word) => ({ S: word })) })
  await client.send(new PutItemCommand({ TableName: table, Item: { ...key, a: words('one', 'two', 'three') } }))
  await update(key, { UpdateExpression: 'SET a[7] = :v', ExpressionAttributeValues: { ':v': { S: 'hello' } } })
  assert.deepEqual((await read(key))!.a, words('one', 'two', 'three', 'hello'))
  await update(key, {
    UpdateExpression: 'SET a[84] = :v1, a[37] = :v2, a[17] = :v3, a[50] = :v4',
    ExpressionAttributeValues: { ':v1': { S: 'a1' }, ':v2': { S: 'a2' }, ':v3': { S: 'a3' }, ':v4': { S: 'a4' } },
  })
  assert.deepEqual((await read(key))!.a, words('one', 'two', 'three', 'hello', 'a3', 'a2', 'a4', 'a1'))
})

// List indexes in SET and REMOVE refer to the list as it was before the update
// (Alternator's test_update_expression_nested_remove_list_item_original_number).
test('REMOVE and SET of list elements use the original indexes', async () => {
  const key = freshKey()
  const numbers = (...list: number[]) => ({ L: list.map((n) => ({ N: String(n) })) })
  for (const expression of ['REMOVE a[1] SET a[3] = :v', 'SET a[3] = :v REMOVE a[1]']) {
    await client.send(new PutItemCommand({ TableName: table, Item: { ...key, a: numbers(2, 3, 4, 5, 6, 7) } }))
    await update(key, { UpdateExpression: expression, ExpressionAttributeValues: { ':v': { N: '17' } } })
    assert.deepEqual((await read(key))!.a, numbers(2, 4, 17, 6, 7), expression)
  }
})

// A SET through a parent that is missing (or is not a map or list) is an invalid document path,
// on an existing item and on a missing one alike (Alternator's test_nested_attribute_update_bad_path_dot
// and _array); nothing is created.
test('SET through a missing parent is an invalid document path, even on a missing item', async () => {
  for (const expression of ['SET c.c = :v', 'SET b[0] = :v']) {
    const key = freshKey()
    await expectError(update(key, { UpdateExpression: expression, ExpressionAttributeValues: { ':v': { N: '7' } } }),
      'ValidationException', 'The document path provided in the update expression is invalid for update')
    assert.equal(await read(key), undefined)
  }
})

// Only an update made only of removals ignores a bad removal path on a missing item (it is not
// applied at all); one that creates the item, with a SET or ADD beside, fails on that path as on
// an existing item, and creates nothing (DynamoDB Local answers so; a probe found EddyDB
// creating the item).
test('REMOVE or DELETE through a missing parent, beside a SET or ADD, fails on a missing item too', async () => {
  const cases: Array<[string, UpdateItemCommandInput['ExpressionAttributeValues']]> = [
    ['SET b = :v REMOVE x.y', { ':v': { N: '1' } }], ['SET b = :v REMOVE x[0]', { ':v': { N: '1' } }],
    ['ADD n :v REMOVE x.y', { ':v': { N: '1' } }], ['SET b = :v DELETE x.y :s', { ':v': { N: '1' }, ':s': { SS: ['a'] } }],
  ]
  for (const [expression, values] of cases) {
    const key = freshKey()
    await expectError(update(key, { UpdateExpression: expression, ExpressionAttributeValues: values }),
      'ValidationException', 'The document path provided in the update expression is invalid for update')
    assert.equal(await read(key), undefined, expression)
  }
})

// Bare names must start with a letter; `_123` lexes as an unknown "_" token
// (Alternator's test_update_expression_name_token quotes DynamoDB's message).
test('a bare name starting with an underscore is a syntax error', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(update(freshKey(), { UpdateExpression: 'SET _123 = :v', ExpressionAttributeValues: { ':v': { N: '3' } } }),
    'ValidationException', '1 validation error detected: Invalid UpdateExpression: Syntax error; token: "_", near: "SET _123"')
  for (const expression of ['SET _abc = :v', 'SET 123a = :v', 'SET hi-there = :v', 'SET a = _f(:v)']) {
    await expectError(update(freshKey(), { UpdateExpression: expression, ExpressionAttributeValues: { ':v': { N: '3' } } }),
      'ValidationException', /^1 validation error detected: Invalid UpdateExpression: Syntax error; token: /)
  }
})

// After # or :, a placeholder may start with a digit or an underscore (same Alternator test).
test('placeholders may start with a digit or an underscore', async () => {
  const key = freshKey()
  await update(key, {
    UpdateExpression: 'SET #123 = :123, #_ = :_',
    ExpressionAttributeNames: { '#123': '3can include any character!.#=', '#_': 'u' },
    ExpressionAttributeValues: { ':123': { N: '1' }, ':_': { N: '2' } },
  })
  assert.deepEqual(await read(key), { ...key, '3can include any character!.#=': { N: '1' }, u: { N: '2' } })
})

// Any alphanumeric name parses as a function; unknown ones fail after parsing, and function names
// are case-sensitive (Alternator's test_update_expression_unknown_function and _list_append_basic).
test('an unknown function name is reported by name', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(update(freshKey(), { UpdateExpression: 'SET a = f123_hi(b, c, d)' }),
    'ValidationException', '1 validation error detected: Invalid UpdateExpression: Invalid function name; function: f123_hi')
  await expectError(update(freshKey(), {
    UpdateExpression: 'SET a = LIST_APPEND(:v, :v)', ExpressionAttributeValues: { ':v': { L: [] } },
  }), 'ValidationException', '1 validation error detected: Invalid UpdateExpression: Invalid function name; function: LIST_APPEND')
})

// Legacy AttributeUpdates ADD appends to lists, as it unions sets (undocumented, but DynamoDB does
// it: Alternator's test_update_item_add); a missing attribute starts as the list.
test('AttributeUpdates ADD appends to a list', async () => {
  const key = freshKey()
  await client.send(new PutItemCommand({ TableName: table, Item: { ...key, a: { L: [{ N: '1' }, { N: '2' }] } } }))
  await update(key, { AttributeUpdates: { a: { Action: 'ADD', Value: { L: [{ N: '3' }, { N: '1' }] } }, b: { Action: 'ADD', Value: { L: [{ S: 'x' }] } } } })
  assert.deepEqual(await read(key), {
    ...key, a: { L: [{ N: '1' }, { N: '2' }, { N: '3' }, { N: '1' }] }, b: { L: [{ S: 'x' }] },
  })
  // ...but UpdateExpression's ADD still refuses a list operand.
  await expectError(update(key, { UpdateExpression: 'ADD a :l', ExpressionAttributeValues: { ':l': { L: [{ N: '3' }] } } }),
    'ValidationException', /operator: ADD, operand type: LIST/)
})

// Member constraint errors are listed in DynamoDB's member order, where ConditionalOperator comes
// before Key (an AWS-validated suite's "UpdateItem - member errors beside a missing Key", 2026).
test('a bad ConditionalOperator is listed before a missing Key', localDiffers('message is "Cannot have null key for GetItem, DeleteItem, or UpdateItem"'), async () => {
  await expectError(client.send(new UpdateItemCommand({
    TableName: table, AttributeUpdates: { x: { Action: 'PUT', Value: { S: '1' } } },
    Expected: { a: { Exists: false }, b: { Exists: false } }, ConditionalOperator: 'XOR',
  } as never)), 'ValidationException',
  "2 validation errors detected: Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy " +
  "enum value set: [OR, AND]; Value null at 'key' failed to satisfy constraint: Member must not be null")
})

// Set members come back in DynamoDB's order, not as written: strings and binaries bytewise,
// numbers by value, also after ADD (an AWS-validated suite's "UpdateItem — ADD", eu-west-2 2026).
test('set members are returned in DynamoDB order', async () => {
  const key = freshKey()
  await client.send(new PutItemCommand({ TableName: table, Item: {
    ...key, s: { SS: ['b', 'a'] }, n: { NS: ['10', '9', '-1'] }, b: { BS: [Uint8Array.of(2), Uint8Array.of(1)] },
  } }))
  await update(key, { UpdateExpression: 'ADD s :empty', ExpressionAttributeValues: { ':empty': { SS: [''] } } })
  const item = await read(key)
  assert.deepEqual(item!.s, { SS: ['', 'a', 'b'] })
  assert.deepEqual(item!.n, { NS: ['-1', '9', '10'] })
  assert.deepEqual(item!.b!.BS!.map((bytes) => [...bytes]), [[1], [2]])
})

// A SET value may be wrapped in parentheses (an AWS-validated suite's "UpdateItem — SET
// evaluation semantics").
test('parenthesised SET arithmetic', localDiffers('it rejects the parentheses as redundant'), async () => {
  const key = freshKey()
  await client.send(new PutItemCommand({ TableName: table, Item: { ...key, c: { N: '10' } } }))
  await update(key, { UpdateExpression: 'SET c = (c - :v), d = ((:v))', ExpressionAttributeValues: { ':v': { N: '3' } } })
  assert.deepEqual(await read(key), { ...key, c: { N: '7' }, d: { N: '3' } })
})

// if_not_exists(path, fallback) has the type of whatever it yields, which is known only on the
// item: an existing number is incremented whatever the fallback's type, and only a fallback that
// is used and has the wrong type is "an operand ... of an incorrect data type" (DynamoDB Local
// 2026-05-28; the same run-time message is what users report from DynamoDB for a bad fallback).
test('if_not_exists is type-checked on the item, not by its fallback', async () => {
  const key = freshKey()
  await client.send(new PutItemCommand({ TableName: table, Item: { ...key, n: { N: '1' }, l: { L: [] } } }))
  await update(key, {
    UpdateExpression: 'SET n = if_not_exists(n, :text) + :one, l = list_append(if_not_exists(l, :text), :list)',
    ExpressionAttributeValues: { ':text': { S: 'x' }, ':one': { N: '1' }, ':list': { L: [{ N: '2' }] } },
  })
  assert.deepEqual(await read(key), { ...key, n: { N: '2' }, l: { L: [{ N: '2' }] } })
  await expectError(update(key, {
    UpdateExpression: 'SET m = if_not_exists(m, :text) + :one', ExpressionAttributeValues: { ':text': { S: 'x' }, ':one': { N: '1' } },
  }), 'ValidationException', 'An operand in the update expression has an incorrect data type')
})

// list_append may not be an argument of another function, if_not_exists included (while
// list_append(if_not_exists(...), ...) is fine, as above).
test('list_append inside if_not_exists is rejected', localDiffers('no "1 validation error detected" envelope'), async () => {
  for (const expression of ['SET a = if_not_exists(a, list_append(:l, :l))', 'SET a = if_not_exists(list_append(:l, :l), :l)']) {
    await expectError(update(freshKey(), { UpdateExpression: expression, ExpressionAttributeValues: { ':l': { L: [] } } }),
      'ValidationException',
      '1 validation error detected: Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: list_append')
  }
})

// An attribute name is any text: `__proto__` is stored, updated, projected and tested like any
// other, at the top and inside maps, through every write syntax (JavaScript objects treat that
// name specially, so the requests and replies here are raw JSON: the SDK's own parsing drops it).
test('an attribute named __proto__ is an attribute like any other', async () => {
  const call = async (target: string, body: string) => {
    const reply = await sendRaw(server.endpoint, { target, body: body.replaceAll('TABLE', table) })
    assert.equal(reply.status, 200, reply.body.toString())
    return reply.body.toString()
  }
  const names = '"ExpressionAttributeNames":{"#p":"__proto__"}'
  assert.equal(await call('UpdateItem', `{"TableName":"TABLE","Key":{"pk":{"S":"proto-1"}},"UpdateExpression":"SET #p = :m",${names},` +
    '"ExpressionAttributeValues":{":m":{"M":{"__proto__":{"S":"inner"}}}},"ReturnValues":"ALL_NEW"}'),
  '{"Attributes":{"pk":{"S":"proto-1"},"__proto__":{"M":{"__proto__":{"S":"inner"}}}}}')
  assert.equal(await call('UpdateItem', `{"TableName":"TABLE","Key":{"pk":{"S":"proto-1"}},"UpdateExpression":"SET #p.#p = :v ADD n :one",${names},` +
    '"ExpressionAttributeValues":{":v":{"S":"changed"},":one":{"N":"1"}},"ReturnValues":"UPDATED_NEW"}'),
  '{"Attributes":{"__proto__":{"M":{"__proto__":{"S":"changed"}}},"n":{"N":"1"}}}')
  assert.equal(await call('GetItem', `{"TableName":"TABLE","Key":{"pk":{"S":"proto-1"}},"ProjectionExpression":"#p.#p",${names}}`),
    '{"Item":{"__proto__":{"M":{"__proto__":{"S":"changed"}}}}}')
  await call('PutItem', `{"TableName":"TABLE","Item":{"pk":{"S":"proto-1"},"n":{"N":"2"}},"ConditionExpression":"#p.#p = :v",${names},` +
    '"ExpressionAttributeValues":{":v":{"S":"changed"}}}')
  const absent = await sendRaw(server.endpoint, { target: 'PutItem', body: `{"TableName":"${table}","Item":{"pk":{"S":"proto-1"}},` +
    `"ConditionExpression":"attribute_exists(#p)",${names}}` })
  assert.equal(absent.json?.__type, 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException')
  assert.equal(await call('UpdateItem', '{"TableName":"TABLE","Key":{"pk":{"S":"proto-2"}},' +
    '"AttributeUpdates":{"__proto__":{"Action":"ADD","Value":{"N":"5"}}},"ReturnValues":"ALL_NEW"}'),
  '{"Attributes":{"pk":{"S":"proto-2"},"__proto__":{"N":"5"}}}')
  await call('ExecuteStatement', `{"Statement":"INSERT INTO \\"TABLE\\" VALUE {'pk': 'proto-3', '__proto__': {'__proto__': 3}}"}`)
  assert.equal(await call('GetItem', '{"TableName":"TABLE","Key":{"pk":{"S":"proto-3"}}}'),
    '{"Item":{"pk":{"S":"proto-3"},"__proto__":{"M":{"__proto__":{"N":"3"}}}}}')
})
