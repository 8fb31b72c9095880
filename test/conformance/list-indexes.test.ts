/**
 * List indexes in document paths (`a[3]`): how DynamoDB reads them in every kind of expression.
 * An index is a plain decimal integer without leading zeros, and at most 2147483647 (a Java int);
 * a larger one is refused before the expression is evaluated, in the pass that also finds reserved
 * words, so the first of the two in the text is the one reported. Recorded against DynamoDB Local
 * 2026-05-28, whose expression messages are the service's.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.Attributes.html#Expressions.Attributes.NestedElements.DocumentPathExamples
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  GetItemCommand, PutItemCommand, ScanCommand, UpdateItemCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
let client: DynamoDBClient
let table: string
const key = { pk: { S: 'lists' } }
const list = { L: [{ S: 'zero' }, { S: 'one' }] }

before(async () => {
  server = await startTestServer()
  client = server.client
  table = await createKeyTable(client, 'list-indexes')
  await client.send(new PutItemCommand({ TableName: table, Item: { ...key, l: list } }))
})
after(async () => { await server?.close() })

const project = (expression: string) =>
  client.send(new GetItemCommand({ TableName: table, Key: key, ProjectionExpression: expression }))
const filter = (expression: string) => client.send(new ScanCommand({ TableName: table, FilterExpression: expression }))

// 2147483647 is the largest index; one more is "not within the allowable range", quoted as written,
// in projections, filters and conditions alike, however long the number is.
test('an index past 2147483647 is refused in every expression', async () => {
  assert.deepEqual((await project('l[2147483647]')).Item, {})
  await expectError(project('l[2147483648]'), 'ValidationException',
    'Invalid ProjectionExpression: List index is not within the allowable range; index: [2147483648]')
  await expectError(project('l[1][99999999999999999999]'), 'ValidationException',
    'Invalid ProjectionExpression: List index is not within the allowable range; index: [99999999999999999999]')
  await expectError(filter('size(l[4294967296]) > l[0]'), 'ValidationException',
    'Invalid FilterExpression: List index is not within the allowable range; index: [4294967296]')
  await expectError(client.send(new PutItemCommand({
    TableName: table, Item: { pk: { S: 'other' } }, ConditionExpression: 'attribute_not_exists(l[2147483648])',
  })), 'ValidationException', /Invalid ConditionExpression: List index is not within the allowable range; index: \[2147483648\]$/)
})

// In an update it is refused before the item is looked at: not "invalid for update" (a SET), not
// ignored (a REMOVE), and ahead of clashing paths and key attributes, which are checked later.
test('an update naming an index past 2147483647 is refused whatever the item holds', async () => {
  for (const expression of ['SET l[2147483648] = :v', 'SET a = l[2147483648]', 'REMOVE l[2147483648], l[2147483648]', 'SET l[2147483648] = :v, pk = :v']) {
    await expectError(client.send(new UpdateItemCommand({
      TableName: table, Key: key, UpdateExpression: expression,
      ExpressionAttributeValues: expression.includes(':v') ? { ':v': { S: 'x' } } : undefined,
    })), 'ValidationException', /Invalid UpdateExpression: List index is not within the allowable range; index: \[2147483648\]$/)
  }
  assert.deepEqual((await client.send(new GetItemCommand({ TableName: table, Key: key }))).Item, { ...key, l: list })
})

// Reserved words are found in the same pass, in text order: whichever comes first is reported.
test('a reserved word before the index is reported first, one after it is not', async () => {
  await expectError(project('name, l[2147483648]'), 'ValidationException',
    'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name')
  await expectError(project('l[2147483648], name'), 'ValidationException',
    'Invalid ProjectionExpression: List index is not within the allowable range; index: [2147483648]')
})

// "0" is a whole token: `l[00]` is 0 followed by a stray 0, a syntax error, not index 0.
test('an index with a leading zero is a syntax error', async () => {
  await expectError(project('l[00]'), 'ValidationException', 'Invalid ProjectionExpression: Syntax error; token: "0", near: "00]"')
  await expectError(filter('attribute_exists(l[01])'), 'ValidationException', 'Invalid FilterExpression: Syntax error; token: "1", near: "01]"')
  await expectError(filter('attribute_exists(l[02147483648])'), 'ValidationException',
    'Invalid FilterExpression: Syntax error; token: "2147483648", near: "02147483648]"')
  assert.deepEqual((await project('l[0], l[10]')).Item, { l: { L: [{ S: 'zero' }] } })
})
