/**
 * The shape of a Query's KeyConditionExpression: conditions joined by AND, one per key attribute,
 * each `key <comparator> :value`, `key BETWEEN :a AND :b` or `begins_with(key, :prefix)`. A
 * condition of another shape is refused with a message of its own, which DynamoDB sends bare,
 * without the "Invalid KeyConditionExpression: " that starts its syntax and operand-type errors
 * (dynalite's tests recorded against DynamoDB; DynamoDB Local 2026-05-28 answers the same).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { QueryCommand, type AttributeValue, type DynamoDBClient, type QueryCommandInput } from '@aws-sdk/client-dynamodb'
import { localDiffers, uniqueTableName, type TestServer } from '../helpers/server.js'
import { createTable, startKeyTableServer } from '../helpers/tables.js'
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

// A sort key value can hold at most 1,024 bytes, so a key condition on a longer one is refused
// as a Key holding it is, whatever the operator, on the table and on its indexes; a partition
// key value of any length finds nothing. DynamoDB Local 2026-05-28 answers each case so (the
// AWS documentation gives the limits, not a Query's answer).
test('a sort key value over 1,024 bytes in a key condition is refused; a long partition key value finds nothing', async () => {
  const name = uniqueTableName('key-sizes')
  await createTable(client, {
    TableName: name,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'gp', AttributeType: 'S' }, { AttributeName: 'gs', AttributeType: 'B' },
    ],
    GlobalSecondaryIndexes: [{
      IndexName: 'by-g', KeySchema: [{ AttributeName: 'gp', KeyType: 'HASH' }, { AttributeName: 'gs', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'ALL' },
    }],
    LocalSecondaryIndexes: [{
      IndexName: 'by-gs', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'gs', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'ALL' },
    }],
  })
  const tooLong = 'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes'
  const longest = 's'.repeat(1024)
  const run = (expression: string, values: Record<string, AttributeValue>, extra: Partial<QueryCommandInput> = {}) =>
    client.send(new QueryCommand({ TableName: name, KeyConditionExpression: expression, ExpressionAttributeValues: values, ...extra }))
  const p = { ':p': { S: 'p' } }
  for (const [expression, value] of [
    ['pk = :p AND sk = :s', { S: `${longest}s` }],
    ['pk = :p AND sk < :s', { S: `${longest}s` }],
    ['pk = :p AND sk >= :s', { S: 'é'.repeat(513) }], // 1,026 bytes in 513 characters
    ['pk = :p AND begins_with(sk, :s)', { S: `${longest}s` }],
  ] as const) await expectError(run(expression, { ...p, ':s': value }), 'ValidationException', tooLong)
  await expectError(run('pk = :p AND sk BETWEEN :a AND :s', { ...p, ':a': { S: 'a' }, ':s': { S: `${longest}s` } }), 'ValidationException', tooLong)
  await expectError(run('pk = :p AND sk BETWEEN :s AND :z', { ...p, ':s': { S: `${longest}s` }, ':z': { S: 'z'.repeat(2000) } }), 'ValidationException', tooLong)
  // Before the ExclusiveStartKey's own checks.
  await expectError(run('pk = :p AND sk > :s', { ...p, ':s': { S: `${longest}s` } }, { ExclusiveStartKey: { pk: { S: 'p' }, sk: { S: 'a' } } }),
    'ValidationException', tooLong)
  await expectError(client.send(new QueryCommand({
    TableName: name, KeyConditions: {
      pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] },
      sk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: `${longest}s` }] },
    },
  })), 'ValidationException', tooLong)
  // On the indexes: binary values count their bytes, not their base64.
  const bytes = (count: number) => new Uint8Array(count).fill(7)
  await expectError(run('gp = :p AND gs = :s', { ...p, ':s': { B: bytes(1025) } }, { IndexName: 'by-g' }), 'ValidationException', tooLong)
  await expectError(run('pk = :p AND gs = :s', { ...p, ':s': { B: bytes(1025) } }, { IndexName: 'by-gs' }), 'ValidationException', tooLong)
  // At the limit, and a long partition key value: nothing found, nothing refused.
  assert.equal((await run('pk = :p AND sk = :s', { ...p, ':s': { S: longest } })).Count, 0)
  assert.equal((await run('gp = :p AND gs = :s', { ...p, ':s': { B: bytes(1024) } }, { IndexName: 'by-g' })).Count, 0)
  assert.equal((await run('pk = :p', { ':p': { S: 'p'.repeat(2049) } })).Count, 0)
  assert.equal((await run('gp = :p', { ':p': { S: 'p'.repeat(2049) } }, { IndexName: 'by-g' })).Count, 0)
})
