/**
 * The shape of a Query's KeyConditionExpression: conditions joined by AND, one per key attribute,
 * each `key <comparator> :value`, `key BETWEEN :a AND :b` or `begins_with(key, :prefix)`. A
 * condition of another shape is refused with a message of its own, which DynamoDB sends bare,
 * without the "Invalid KeyConditionExpression: " that starts its syntax and operand-type errors
 * (dynalite's tests recorded against DynamoDB; DynamoDB Local 2026-05-28 answers the same).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html
 */
import { test, before, after } from 'node:test'
import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { localDiffers, type TestServer } from '../helpers/server.js'
import { startKeyTableServer } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
let client: DynamoDBClient
let table: string

before(async () => { ({ server, client, table } = await startKeyTableServer('key-conditions', 'N')) })
after(async () => { await server?.close() })

const values = { ':p': { S: 'p' }, ':s': { N: '1' }, ':t': { N: '2' } }

function query(expression: string) {
  const used = Object.fromEntries(Object.entries(values).filter(([name]) => expression.includes(name)))
  return client.send(new QueryCommand({
    TableName: table, KeyConditionExpression: expression, ExpressionAttributeValues: Object.keys(used).length > 0 ? used : undefined,
  }))
}

// Each shape problem, with DynamoDB's message as it is sent.
test('a key condition of the wrong shape is refused with a bare message', localDiffers('its message is "KeyConditionExpressions must only contain one condition per key"'), async () => {
  const cases: Array<[string, string]> = [
    ['pk = :p OR sk = :s', 'Invalid operator used in KeyConditionExpression: OR'],
    ['NOT pk = :p', 'Invalid operator used in KeyConditionExpression: NOT'],
    ['pk IN (:p)', 'Invalid operator used in KeyConditionExpression: IN'],
    ['pk = :p AND sk <> :s', 'Invalid operator used in KeyConditionExpression: <>'],
    ['pk = :p AND attribute_exists(sk)', 'Invalid operator used in KeyConditionExpression: attribute_exists'],
    // With the prefix, unlike the rest (an AWS-validated suite, eu-west-2, October 2026).
    ['pk = :p AND sk > :s AND sk < :t', 'Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key'],
    ['pk = :p AND sk > :s AND extra = :t', 'The number of query conditions (3) exceeds the number of key attributes defined in the schema (2)'],
    ['pk = :p AND size(sk) = :s', 'KeyConditionExpressions cannot contain nested operations'],
    ['pk = :p AND sk = pk', 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition'],
    [':p = :s AND pk = :p', 'Invalid condition in KeyConditionExpression: No key attribute specified'],
    ['pk = :p AND :s BETWEEN sk AND :t', 'Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand'],
  ]
  for (const [expression, message] of cases) await expectError(query(expression), 'ValidationException', message)
})

// A name or value the request leaves unused is reported before the condition's shape (moto's
// test_query_unused_attribute_name, verified against AWS); without it, the shape is.
test('an unused name is reported before a key condition of the wrong shape', async () => {
  const withNames = (names: Record<string, string>) => client.send(new QueryCommand({
    TableName: table, KeyConditionExpression: '(#0 = x) AND (begins_with(#1, a))', ExpressionAttributeNames: names,
  }))
  await expectError(withNames({ '#0': 'pk', '#1': 'sk', '#count': 'count' }), 'ValidationException',
    'Value provided in ExpressionAttributeNames unused in expressions: keys: {#count}')
  await expectError(withNames({ '#0': 'pk', '#1': 'sk' }), 'ValidationException',
    'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition')
})

// Syntax errors and operand types keep the parameter name in front.
test('syntax and operand errors in a key condition name the parameter', async () => {
  await expectError(query('pk = '), 'ValidationException', 'Invalid KeyConditionExpression: Syntax error; token: "<EOF>", near: "= "')
  await expectError(query('pk = :p AND sk BETWEEN :t AND :s'), 'ValidationException',
    'Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ' +
    'lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}')
})

// An empty string cannot be a key value in a Query, as in a Key (moto issue 7062 quotes
// DynamoDB's answer for the partition key).
test('an empty string as a key condition value is refused', async () => {
  await expectError(client.send(new QueryCommand({
    TableName: table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: '' } },
  })), 'ValidationException', 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk')
  await expectError(client.send(new QueryCommand({
    TableName: table, KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: '' }] } },
  })), 'ValidationException', 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk')
})
