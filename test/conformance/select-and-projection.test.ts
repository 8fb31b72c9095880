/**
 * Select and projections on Query and Scan, and repeated items in transactions: request checks
 * whose messages were recorded against AWS (Query wraps them in "1 validation error detected: ",
 * Scan does not).
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html#DDB-Query-request-Select
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { ExecuteStatementCommand, ExecuteTransactionCommand, PutItemCommand, QueryCommand, ScanCommand, TransactGetItemsCommand } from '@aws-sdk/client-dynamodb'
import { startTestServer, uniqueTableName, localDiffers, type TestServer } from '../helpers/server.js'
import { createTable } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
let table: string
before(async () => {
  server = await startTestServer()
  table = uniqueTableName('select')
  await createTable(server.client, {
    TableName: table,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'g', AttributeType: 'S' }, { AttributeName: 'rank', AttributeType: 'N' },
    ],
    GlobalSecondaryIndexes: [{
      IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['kept'] },
    }],
    LocalSecondaryIndexes: [{
      IndexName: 'byRank', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'rank', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    }],
  })
  for (const [sk, rank, color] of [['a', '1', 'red'], ['b', '2', 'blue'], ['c', '3', 'red']] as const) {
    await server.client.send(new PutItemCommand({
      TableName: table,
      Item: { pk: { S: 'p' }, sk: { S: sk }, g: { S: 'x' }, rank: { N: rank }, color: { S: color }, kept: { S: sk } },
    }))
  }
})
after(async () => { await server?.close() })

const query = { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } }

// A PartiQL SELECT of named attributes from an index that does not project them: an LSI reads
// the items from the table, a GSI refuses them, naming them (an AWS-validated suite's PartiQL
// index-read cases).
test('PartiQL SELECT of unprojected attributes from an index', async () => {
  const statement = (Statement: string) => server.client.send(new ExecuteStatementCommand({ Statement }))
  const local = await statement(`SELECT sk, color FROM "${table}"."byRank" WHERE pk = 'p' AND rank = 2`)
  assert.deepEqual(local.Items, [{ sk: { S: 'b' }, color: { S: 'blue' } }])
  await expectError(statement(`SELECT color, rank FROM "${table}"."byG" WHERE g = 'x'`), 'ValidationException',
    'One or more parameter values were invalid: Global secondary index byG does not project [color, rank]')
  const projected = await statement(`SELECT kept FROM "${table}"."byG" WHERE g = 'x'`)
  assert.deepEqual(projected.Items!.map((item) => item.kept!.S).sort(), ['a', 'b', 'c'])
})

// A PartiQL read keyed on an index's partition key (an equality, IN or OR of them beside the filter) may not
// test an attribute the index does not project: "Secondary index" for GSI and LSI alike. Unkeyed,
// or inside an OR branch, the read scans the index and such a test matches nothing. A qualifier is
// refused in other places in DynamoDB's words: INSERT as it is parsed, UPDATE and DELETE when run
// (before the table is looked up), inside a transaction, with a third or an empty path component.
// An AWS-validated suite's PartiQL index-qualifier cases.
test('PartiQL index qualifier: keyed reads may not filter on unprojected attributes; where else it is refused', localDiffers('it filters on attributes the index does not project'), async () => {
  const statement = (Statement: string) => server.client.send(new ExecuteStatementCommand({ Statement }))
  const refusal = (index: string) => `One or more parameter values were invalid: Secondary index ${index} does not project one or more filter attributes: [color]`
  await expectError(statement(`SELECT pk FROM "${table}"."byG" WHERE g = 'x' AND color = 'red'`), 'ValidationException', refusal('byG'))
  await expectError(statement(`SELECT pk FROM "${table}"."byG" WHERE g IN ['x', 'y'] AND NOT color = 'red'`), 'ValidationException', refusal('byG'))
  await expectError(statement(`SELECT pk FROM "${table}"."byRank" WHERE pk = 'p' AND color IS MISSING`), 'ValidationException', refusal('byRank'))
  assert.deepEqual((await statement(`SELECT pk FROM "${table}"."byG" WHERE color = 'red'`)).Items, [])
  assert.deepEqual((await statement(`SELECT sk FROM "${table}"."byG" WHERE (g = 'x' AND color = 'red') OR kept = 'b'`)).Items, [{ sk: { S: 'b' } }])
  assert.equal((await statement(`SELECT pk FROM "${table}"."byG" WHERE g = 'x' AND kept = 'a'`)).Items?.length, 1)
  // Keyed by an OR of partition keys, or as an OR of keyed branches: each read's filter is checked,
  // the attributes in statement order, only the branch on the last partition key checked; a test that
  // names a key is no filter beside it (floci's PartiQL edge cases, recorded against DynamoDB).
  const unprojected = (names: string) => `One or more parameter values were invalid: Secondary index byG does not project one or more filter attributes: [${names}]`
  await expectError(statement(`SELECT pk FROM "${table}"."byG" WHERE (g = 'x' OR g = 'y') AND color = 'red'`), 'ValidationException', refusal('byG'))
  await expectError(statement(`SELECT pk FROM "${table}"."byG" WHERE (g = 'b' AND u1 = 1) OR (g = 'q' AND u2 = 1)`), 'ValidationException', unprojected('u2'))
  await expectError(statement(`SELECT pk FROM "${table}"."byG" WHERE (g = 'q' AND u1 = 1) OR (g = 'b' AND u2 = 1)`), 'ValidationException', unprojected('u1'))
  await expectError(statement(`SELECT pk FROM "${table}"."byG" WHERE g = 'x' AND (zz = 1 OR aa = 2 OR mm = 3)`), 'ValidationException', unprojected('zz, aa, mm'))
  // Only that last read is checked: the first branch's filter goes unrefused (and matches nothing).
  assert.deepEqual((await statement(`SELECT pk FROM "${table}"."byG" WHERE (g = 'x' AND color = 'red') OR g = 'zz'`)).Items, [])
  assert.deepEqual((await statement(`SELECT pk FROM "${table}"."byG" WHERE g = 'x' AND (g = 'z' OR color = 'red')`)).Items, [])
  await expectError(statement(`INSERT INTO "${table}"."nope" VALUE {'pk': 'w', 'sk': 'w'}`), 'ValidationException',
    'FROM clause may only contain a single table name in data manipulation statements at 1:13:' + (table.length + 2))
  await expectError(statement(`UPDATE "absent-table"."byG" SET kept = 'z' WHERE pk = 'p' AND sk = 'a'`), 'ValidationException', 'This operation is not supported on an index')
  await expectError(statement(`DELETE FROM "${table}"."byG" WHERE pk = 'p' AND sk = 'a'`), 'ValidationException', 'This operation is not supported on an index')
  await expectError(statement(`SELECT * FROM "${table}"."byG"."extra" WHERE pk = 'p'`), 'ValidationException', 'A path may contain at most 2 components in the FROM clause')
  await expectError(statement(`SELECT * FROM "" WHERE pk = 'p'`), 'ValidationException', 'Path component cannot be an empty string')
  await expectError(server.client.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `SELECT * FROM "${table}"."byG" WHERE g = 'x'` }] })),
    'ValidationException', 'Validation failed in TransactStatements[0]: Reads on indices are not supported within transactions.')
  // An operand of the wrong type is the statement's own problem, told before the table is looked up.
  await expectError(server.client.send(new ExecuteStatementCommand({ Statement: `SELECT pk FROM "absent-table" WHERE pk = ? AND v < ?`, Parameters: [{ S: 'x' }, { BOOL: true }] })),
    'ValidationException', 'Incorrect operand type for operator or function; operator or function: <, operand type: BOOL')
})

// SPECIFIC_ATTRIBUTES needs something to select.
// Scan's message went into the envelope too when DynamoDB's September 2026 rollout reached
// eu-west-2 (the AWS-validated dynamodb-conformance suite).
test('SPECIFIC_ATTRIBUTES without a projection is rejected, in the one-error envelope', localDiffers('no "1 validation error detected" envelope'), async () => {
  const message = 'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES'
  await expectError(server.client.send(new QueryCommand({ TableName: table, ...query, Select: 'SPECIFIC_ATTRIBUTES' })),
    'ValidationException', `1 validation error detected: ${message}`)
  await expectError(server.client.send(new ScanCommand({ TableName: table, Select: 'SPECIFIC_ATTRIBUTES' })),
    'ValidationException', `1 validation error detected: ${message}`)
})

// A projection only goes with SPECIFIC_ATTRIBUTES. Scan's Select checks are taken to have moved
// into the envelope together with its SPECIFIC_ATTRIBUTES one (the only one the suite pins), as
// Query's all sit there.
test('a projection with COUNT or ALL_ATTRIBUTES is rejected', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(server.client.send(new ScanCommand({ TableName: table, Select: 'COUNT', ProjectionExpression: 'color' })),
    'ValidationException', '1 validation error detected: Cannot specify the ProjectionExpression when choosing to get only the Count')
  await expectError(server.client.send(new QueryCommand({ TableName: table, ...query, Select: 'ALL_ATTRIBUTES', AttributesToGet: ['color'], KeyConditionExpression: undefined, ExpressionAttributeValues: undefined, KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] } } })),
    'ValidationException', '1 validation error detected: Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES')
})

// DynamoDB says "Querying" for Scan too.
test('ALL_PROJECTED_ATTRIBUTES needs an index', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(server.client.send(new ScanCommand({ TableName: table, Select: 'ALL_PROJECTED_ATTRIBUTES' })),
    'ValidationException', '1 validation error detected: ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName')
})

// An index holds only its projection: a Query on it whose filter reads anything else is refused,
// for local indexes too, while a Scan of the index just filters the projected items.
test('a Query filter on attributes an index does not project is rejected; a Scan filters the projection', localDiffers('a Scan of a global index filters on attributes it does not project'), async () => {
  await expectError(server.client.send(new QueryCommand({
    TableName: table, IndexName: 'byG', KeyConditionExpression: 'g = :g', FilterExpression: 'color = :c AND kept = :k',
    ExpressionAttributeValues: { ':g': { S: 'x' }, ':c': { S: 'red' }, ':k': { S: 'a' } },
  })), 'ValidationException', 'One or more parameter values were invalid: Secondary index byG does not project one or more filter attributes: [color]')
  await expectError(server.client.send(new QueryCommand({
    TableName: table, IndexName: 'byRank', ...query, FilterExpression: 'color = :c',
    ExpressionAttributeValues: { ':p': { S: 'p' }, ':c': { S: 'red' } },
  })), 'ValidationException', 'One or more parameter values were invalid: Secondary index byRank does not project one or more filter attributes: [color]')
  const projected = await server.client.send(new ScanCommand({
    TableName: table, IndexName: 'byG', FilterExpression: 'kept = :k', ExpressionAttributeValues: { ':k': { S: 'a' } },
  }))
  assert.equal(projected.Count, 1)
  const unprojected = await server.client.send(new ScanCommand({
    TableName: table, IndexName: 'byG', FilterExpression: 'color = :c', ExpressionAttributeValues: { ':c': { S: 'red' } },
  }))
  assert.equal(unprojected.Count, 0)
  assert.equal(unprojected.ScannedCount, 3)
})

// A global index cannot fetch from the table, so a projection naming what it lacks is refused;
// a local index reads such attributes from the table.
test('a projection of attributes a GSI does not project is rejected; an LSI reads them from the table', async () => {
  await expectError(server.client.send(new QueryCommand({
    TableName: table, IndexName: 'byG', KeyConditionExpression: 'g = :g', ProjectionExpression: 'color, kept',
    ExpressionAttributeValues: { ':g': { S: 'x' } },
  })), 'ValidationException', 'One or more parameter values were invalid: Global secondary index byG does not project [color]')
  const local = await server.client.send(new QueryCommand({
    TableName: table, IndexName: 'byRank', ...query, ProjectionExpression: 'color',
  }))
  assert.deepEqual(local.Items?.map((item) => item.color?.S), ['red', 'blue', 'red'])
})

// Two reads of one item in a transaction are refused like two writes.
test('TransactGetItems naming one item twice is rejected', async () => {
  const get = { Get: { TableName: table, Key: { pk: { S: 'p' }, sk: { S: 'a' } } } }
  await expectError(server.client.send(new TransactGetItemsCommand({ TransactItems: [get, get] })),
    'ValidationException', 'Transaction request cannot include multiple operations on one item')
})
