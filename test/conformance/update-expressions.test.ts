/**
 * UpdateExpression: the SET, REMOVE, ADD and DELETE clauses of UpdateItem. SET assigns values
 * (with + and - arithmetic, if_not_exists and list_append), REMOVE deletes attributes or list
 * elements, ADD increments numbers or unions sets, DELETE subtracts from sets. Paths may go into
 * nested maps (a.b) and list elements (a[1]). Also the legacy AttributeUpdates parameter.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  PutItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient, type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb'
import { uniqueTableName, localDiffers, type TestServer } from '../helpers/server.js'
import { createTable, startKeyTableServer } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
let client: DynamoDBClient
let table: string
before(async () => { ({ server, client, table } = await startKeyTableServer('update')) })
after(async () => { await server?.close() })

let itemCounter = 0
type Attributes = Record<string, AttributeValue>

/** Puts {pk, ...start}, applies the update, returns the new item without pk. */
async function update(
  start: Attributes, expression: string, values?: Attributes, names?: Record<string, string>,
): Promise<Attributes> {
  const key = { pk: { S: `u${++itemCounter}` } }
  await client.send(new PutItemCommand({ TableName: table, Item: { ...key, ...start } }))
  const { Attributes } = await client.send(new UpdateItemCommand({
    TableName: table, Key: key, UpdateExpression: expression, ReturnValues: 'ALL_NEW',
    ExpressionAttributeValues: values, ExpressionAttributeNames: names,
  }))
  const { pk: _pk, ...rest } = Attributes!
  return rest
}

/** Sends an update that must fail, on a fresh item holding `start`. */
function failingUpdate(start: Attributes, input: Omit<UpdateItemCommandInput, 'TableName' | 'Key'>) {
  const key = { pk: { S: `f${++itemCounter}` } }
  return client.send(new PutItemCommand({ TableName: table, Item: { ...key, ...start } }))
    .then(() => client.send(new UpdateItemCommand({ TableName: table, Key: key, ...input })))
}

// SET assigns several attributes at once, creating or replacing them.
test('SET assigns and replaces attributes', async () => {
  assert.deepEqual(await update({ a: { S: 'old' } }, 'SET a = :a, b = :b', { ':a': { N: '1' }, ':b': { BOOL: true } }),
    { a: { N: '1' }, b: { BOOL: true } })
})

// SET can copy one attribute into another.
test('SET copies an attribute', async () => {
  assert.deepEqual(await update({ a: { S: 'x' } }, 'SET b = a'), { a: { S: 'x' }, b: { S: 'x' } })
})

// + and - do exact decimal arithmetic on numbers.
test('SET arithmetic is exact decimal arithmetic', async () => {
  assert.deepEqual(await update({ n: { N: '0.1' } }, 'SET n = n + :x, m = :y - n', { ':x': { N: '0.2' }, ':y': { N: '1' } }),
    { n: { N: '0.3' }, m: { N: '0.9' } })
})

// if_not_exists(path, value) is the value at path if it exists, otherwise the fallback.
test('if_not_exists keeps an existing value and fills a missing one', async () => {
  assert.deepEqual(await update({ a: { N: '5' } }, 'SET a = if_not_exists(a, :zero) + :one, b = if_not_exists(b, :zero)',
    { ':zero': { N: '0' }, ':one': { N: '1' } }), { a: { N: '6' }, b: { N: '0' } })
})

// list_append concatenates lists, in either order.
test('list_append appends and prepends', async () => {
  assert.deepEqual(await update({ l: { L: [{ N: '2' }] } }, 'SET l = list_append(:front, l), m = list_append(l, :back)',
    { ':front': { L: [{ N: '1' }] }, ':back': { L: [{ N: '3' }] } }),
  { l: { L: [{ N: '1' }, { N: '2' }] }, m: { L: [{ N: '2' }, { N: '3' }] } })
})

// Nested paths: SET into a map member and a list element; #names substitute path components.
test('SET on nested map members and list elements', async () => {
  const start = { m: { M: { x: { N: '1' }, inner: { M: {} } } }, l: { L: [{ S: 'a' }, { S: 'b' }] } }
  assert.deepEqual(await update(start, 'SET m.x = :two, m.#inner.#deep = :d, l[1] = :c', {
    ':two': { N: '2' }, ':d': { S: 'deep' }, ':c': { S: 'c' },
  }, { '#inner': 'inner', '#deep': 'deep' }), {
    m: { M: { x: { N: '2' }, inner: { M: { deep: { S: 'deep' } } } } }, l: { L: [{ S: 'a' }, { S: 'c' }] },
  })
})

// Setting a list index past the end appends at the end (no holes are created).
test('SET past the end of a list appends', async () => {
  assert.deepEqual(await update({ l: { L: [{ N: '0' }] } }, 'SET l[10] = :v', { ':v': { N: '9' } }),
    { l: { L: [{ N: '0' }, { N: '9' }] } })
})

// A #name containing a dot is one attribute name, not a path.
test('an expression attribute name with a dot names a top-level attribute', async () => {
  assert.deepEqual(await update({}, 'SET #dotted = :v', { ':v': { S: 'x' } }, { '#dotted': 'a.b' }), { 'a.b': { S: 'x' } })
})

// REMOVE deletes attributes and list elements (later elements shift down); missing ones are ignored.
test('REMOVE attributes, nested members and list elements', async () => {
  const start = { a: { S: 'a' }, m: { M: { x: { N: '1' }, y: { N: '2' } } }, l: { L: [{ N: '0' }, { N: '1' }, { N: '2' }] } }
  assert.deepEqual(await update(start, 'REMOVE a, m.x, l[0], l[2], notThere'),
    { m: { M: { y: { N: '2' } } }, l: { L: [{ N: '1' }] } })
})

// ADD increments numbers (a missing attribute counts as 0) and unions sets.
test('ADD increments numbers and unions sets', async () => {
  assert.deepEqual(await update({ n: { N: '5' }, s: { SS: ['a'] } }, 'ADD n :three, fresh :three, s :more',
    { ':three': { N: '3' }, ':more': { SS: ['a', 'b'] } }),
  { n: { N: '8' }, fresh: { N: '3' }, s: { SS: ['a', 'b'] } })
})

// DELETE removes members from a set; removing the last member removes the attribute.
test('DELETE removes set members and the attribute when the set empties', async () => {
  assert.deepEqual(await update({ s: { SS: ['a', 'b', 'c'] }, t: { NS: ['1'] } }, 'DELETE s :ab, t :one',
    { ':ab': { SS: ['a', 'b'] }, ':one': { NS: ['1'] } }), { s: { SS: ['c'] } })
})

// All four clauses in one expression.
test('SET, REMOVE, ADD and DELETE together', async () => {
  assert.deepEqual(await update({ a: { N: '1' }, b: { S: 'x' }, s: { SS: ['p', 'q'] } }, 'SET c = :c REMOVE b ADD a :one DELETE s :p',
    { ':c': { S: 'c' }, ':one': { N: '1' }, ':p': { SS: ['p'] } }), { a: { N: '2' }, c: { S: 'c' }, s: { SS: ['q'] } })
})

// Two actions on overlapping paths are ambiguous and rejected, naming both paths.
test('overlapping paths are rejected', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(failingUpdate({}, {
    UpdateExpression: 'SET a = :v, a.b = :v', ExpressionAttributeValues: { ':v': { S: 'x' } },
  }), 'ValidationException',
  '1 validation error detected: Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]')
})

// The same path twice is also an overlap.
test('the same path in two clauses is rejected', async () => {
  await expectError(failingUpdate({}, { UpdateExpression: 'SET a = :v REMOVE a', ExpressionAttributeValues: { ':v': { S: 'x' } } }),
    'ValidationException')
})

// Reserved words cannot be used as bare names; they need #name substitution.
test('a reserved word as an attribute name is rejected', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(failingUpdate({}, { UpdateExpression: 'SET name = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }),
    'ValidationException', '1 validation error detected: Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name')
})

// Every supplied :value must be used.
test('an unused expression attribute value is rejected', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(failingUpdate({}, {
    UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': { S: 'x' }, ':b': { S: 'y' } },
  }), 'ValidationException', '1 validation error detected: Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}')
})

// Every supplied #name must be used.
test('an unused expression attribute name is rejected', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(failingUpdate({}, {
    UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': { S: 'x' } }, ExpressionAttributeNames: { '#b': 'b' },
  }), 'ValidationException', '1 validation error detected: Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}')
})

// A :value used but not supplied.
test('an undefined expression attribute value is rejected', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(failingUpdate({}, { UpdateExpression: 'SET a = :nope' }), 'ValidationException',
    '1 validation error detected: Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :nope')
})

// Arithmetic on a string operand.
test('arithmetic on a non-number is rejected', async () => {
  await expectError(failingUpdate({ s: { S: 'text' } }, {
    UpdateExpression: 'SET s = s + :one', ExpressionAttributeValues: { ':one': { N: '1' } },
  }), 'ValidationException', 'An operand in the update expression has an incorrect data type')
})

// ADD works only on numbers and sets.
test('ADD of a string is rejected', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(failingUpdate({}, { UpdateExpression: 'ADD a :s', ExpressionAttributeValues: { ':s': { S: 'x' } } }),
    'ValidationException',
    '1 validation error detected: Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND')
})

// ADD of a number to an existing string attribute fails at run time.
test('ADD to an attribute of another type is rejected', async () => {
  await expectError(failingUpdate({ a: { S: 'x' } }, { UpdateExpression: 'ADD a :one', ExpressionAttributeValues: { ':one': { N: '1' } } }),
    'ValidationException')
})

// list_append needs lists on both sides.
test('list_append of a non-list is rejected', async () => {
  await expectError(failingUpdate({ l: { L: [] } }, {
    UpdateExpression: 'SET l = list_append(l, :s)', ExpressionAttributeValues: { ':s': { S: 'x' } },
  }), 'ValidationException')
})

// Setting a member of a map that does not exist is an invalid document path.
test('SET into a missing map is rejected', async () => {
  await expectError(failingUpdate({}, { UpdateExpression: 'SET nomap.x = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }),
    'ValidationException', 'The document path provided in the update expression is invalid for update')
})

// Key attributes cannot be changed by UpdateItem.
test('updating a key attribute is rejected', async () => {
  await expectError(failingUpdate({}, { UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }),
    'ValidationException', 'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key')
})

// A syntax error names the offending token and the token before it.
test('a syntax error is rejected', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(failingUpdate({}, { UpdateExpression: 'SET a' }), 'ValidationException',
    '1 validation error detected: Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "a"')
})

// The same clause keyword twice is not allowed.
test('a repeated clause is rejected', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(failingUpdate({}, {
    UpdateExpression: 'SET a = :v SET b = :v', ExpressionAttributeValues: { ':v': { S: 'x' } },
  }), 'ValidationException', '1 validation error detected: Invalid UpdateExpression: The "SET" section can only be used once in an update expression;')
})

// Legacy AttributeUpdates: PUT replaces, ADD increments or unions, DELETE without a value removes
// the attribute and DELETE with a set value subtracts members.
test('legacy AttributeUpdates PUT, ADD and DELETE', async () => {
  const key = { pk: { S: `legacy${++itemCounter}` } }
  await client.send(new PutItemCommand({ TableName: table, Item: { ...key, n: { N: '1' }, s: { SS: ['a', 'b'] }, gone: { S: 'x' } } }))
  const { Attributes } = await client.send(new UpdateItemCommand({
    TableName: table, Key: key, ReturnValues: 'ALL_NEW',
    AttributeUpdates: {
      p: { Action: 'PUT', Value: { S: 'put' } }, n: { Action: 'ADD', Value: { N: '2' } },
      s: { Action: 'DELETE', Value: { SS: ['a'] } }, gone: { Action: 'DELETE' },
    },
  }))
  assert.deepEqual(Attributes, { ...key, p: { S: 'put' }, n: { N: '3' }, s: { SS: ['b'] } })
})

// Mixing the legacy and the expression parameter is rejected.
test('AttributeUpdates together with UpdateExpression is rejected', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(failingUpdate({}, {
    UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': { S: 'x' } },
    AttributeUpdates: { b: { Action: 'PUT', Value: { S: 'y' } } },
  }), 'ValidationException',
  '1 validation error detected: Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}')
})

// DELETE subtracts sets, and its message names DELETE's own type set (unlike ADD's).
test('DELETE of a non-set is rejected', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(failingUpdate({ n: { N: '1' } }, { UpdateExpression: 'DELETE n :v', ExpressionAttributeValues: { ':v': { N: '1' } } }),
    'ValidationException',
    '1 validation error detected: Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND')
})

// On an existing item, REMOVE (like SET) through a missing or non-container parent is an invalid
// path (Alternator's test_nested_attribute_update_bad_path_dot / _array).
test('REMOVE through a missing or mistyped parent of an existing item is rejected', async () => {
  for (const expression of ['REMOVE m.z', 'REMOVE n.z', 'REMOVE n[0]', 'SET n.z = :v', 'SET n[0] = :v']) {
    const values = expression.includes(':v') ? { ':v': { S: 'x' } } : undefined
    await expectError(failingUpdate({ n: { N: '1' } }, { UpdateExpression: expression, ExpressionAttributeValues: values }),
      'ValidationException', 'The document path provided in the update expression is invalid for update')
  }
})

// DynamoDB quirk: when the item does not exist at all, REMOVE x.y is silently ignored
// (Alternator's test_nested_attribute_remove_from_missing_item), and, as the update only removes,
// the item is not created (test_update_item_non_existent).
test('REMOVE of a nested path on a missing item is ignored', localDiffers('it rejects the REMOVE'), async () => {
  const key = { pk: { S: `missing${++itemCounter}` } }
  const { Attributes } = await client.send(new UpdateItemCommand({
    TableName: table, Key: key, UpdateExpression: 'REMOVE x.y, z[0]', ReturnValues: 'ALL_NEW',
  }))
  assert.equal(Attributes, undefined)
})

// A secondary index key is a scalar, so an update naming x.y or x[0] for an index key x is
// rejected before the item is read (Alternator's test_gsi_wrong_type_attribute_update_nested).
test('nested paths into a secondary index key are rejected', async () => {
  const indexed = uniqueTableName('update-gsi')
  await createTable(client, {
    TableName: indexed,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'x', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{
      IndexName: 'byX', KeySchema: [{ AttributeName: 'x', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' },
    }],
  })
  const key = { pk: { S: 'k' } }
  await client.send(new PutItemCommand({ TableName: indexed, Item: { ...key, x: { S: 'v' } } }))
  for (const [expression, values] of [
    ['SET x.y = :v', { ':v': { S: 'a' } }], ['REMOVE x[0]', undefined], ['SET a = x.y', undefined],
  ] as const) {
    await expectError(client.send(new UpdateItemCommand({
      TableName: indexed, Key: key, UpdateExpression: expression, ExpressionAttributeValues: values,
    })), 'ValidationException',
    "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: x")
  }
})
