/**
 * Details of the legacy conditions (Expected, ConditionalOperator, QueryFilter, ScanFilter) and of
 * a few expression features that AWS-validated suites pin: NOT_CONTAINS on a missing attribute,
 * ConditionalOperator's element count, filter counts with Limit, projections through list
 * indexes, ReturnValues on nested updates and Scan's consumed capacity.
 * Sources: ScyllaDB Alternator's test_expected.py, test_returnvalues.py and
 * test_projection_expression.py (run against DynamoDB), AWS's DAX client request validator.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.html
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, UpdateItemCommand,
  type AttributeValue, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { startTestServer, localDiffers, type TestServer } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
let client: DynamoDBClient
let table: string
let sortedTable: string
before(async () => {
  server = await startTestServer()
  client = server.client
  table = await createKeyTable(client, 'legacy-details')
  sortedTable = await createKeyTable(client, 'legacy-details-sorted', 'N')
})
after(async () => { await server?.close() })

type Attributes = Record<string, AttributeValue>
let keyCounter = 0
const freshKey = () => ({ pk: { S: `l${++keyCounter}` } })

async function read(key: Attributes): Promise<Attributes | undefined> {
  return (await client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item
}

// NOT_CONTAINS is true when the attribute lacks the operand, but false when the attribute is
// missing altogether, like CONTAINS (Alternator's test_update_expected_1_not_contains).
test('Expected NOT_CONTAINS fails on a missing attribute', async () => {
  const key = freshKey()
  await client.send(new PutItemCommand({ TableName: table, Item: { ...key, s: { SS: ['a', 'b'] }, t: { S: 'hello' } } }))
  const put = (expected: Record<string, { ComparisonOperator: 'NOT_CONTAINS'; AttributeValueList: AttributeValue[] }>) =>
    client.send(new PutItemCommand({ TableName: table, Item: { ...key, s: { SS: ['a', 'b'] }, t: { S: 'hello' } }, Expected: expected }))
  await put({ s: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [{ S: 'z' }] } })
  await put({ t: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [{ S: 'xyz' }] } })
  await expectError(put({ s: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [{ S: 'a' }] } }), 'ConditionalCheckFailedException')
  await expectError(put({ t: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [{ S: 'ell' }] } }), 'ConditionalCheckFailedException')
  await expectError(put({ missing: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [{ S: 'a' }] } }), 'ConditionalCheckFailedException')
})

// An empty Expected checks nothing; ConditionalOperator needs two or more conditions, so it is
// rejected without Expected, with an empty one and with a single condition.
test('ConditionalOperator needs two or more conditions', localDiffers('no "1 validation error detected" envelope, and an empty Expected reads as none'), async () => {
  const key = freshKey()
  await client.send(new UpdateItemCommand({ TableName: table, Key: key, AttributeUpdates: { z: { Action: 'PUT', Value: { N: '3' } } }, Expected: {} }))
  assert.deepEqual(await read(key), { ...key, z: { N: '3' } })
  const update = (extra: object) => client.send(new UpdateItemCommand({
    TableName: table, Key: key, AttributeUpdates: { z: { Action: 'PUT', Value: { N: '4' } } }, ...extra,
  }))
  await expectError(update({ ConditionalOperator: 'OR' }), 'ValidationException', '1 validation error detected: ConditionalOperator cannot be used without Filter or Expected')
  for (const expected of [{}, { z: { Exists: true, Value: { N: '3' } } }]) {
    await expectError(update({ Expected: expected, ConditionalOperator: 'AND' }), 'ValidationException',
      '1 validation error detected: ConditionalOperator can only be used when Filter or Expected has two or more elements')
  }
  await expectError(client.send(new ScanCommand({
    TableName: table, ScanFilter: { z: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '3' }] } }, ConditionalOperator: 'AND',
  })), 'ValidationException', 'ConditionalOperator can only be used when Filter or Expected has two or more elements')
  // With two conditions, OR needs only one of them.
  await update({ Expected: { z: { Exists: true, Value: { N: '99' } }, y: { Exists: false } }, ConditionalOperator: 'OR' })
  assert.deepEqual(await read(key), { ...key, z: { N: '4' } })
})

// QueryFilter and ScanFilter apply after Limit: Count counts the items that passed the filter,
// ScannedCount the items read, and paging through LastEvaluatedKey visits every item once.
test('QueryFilter and ScanFilter count and page like FilterExpression', async () => {
  const pk = { S: 'filtered' }
  for (let sk = 1; sk <= 10; sk++) {
    await client.send(new PutItemCommand({ TableName: sortedTable, Item: { pk, sk: { N: String(sk) }, parity: { S: sk % 2 === 0 ? 'even' : 'odd' } } }))
  }
  const evenFilter = { parity: { ComparisonOperator: 'EQ' as const, AttributeValueList: [{ S: 'even' }] } }
  const first = await client.send(new QueryCommand({
    TableName: sortedTable, Limit: 3, KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [pk] } }, QueryFilter: evenFilter,
  }))
  assert.equal(first.ScannedCount, 3)
  assert.equal(first.Count, 1)
  assert.deepEqual(first.Items!.map((item) => item.sk!.N), ['2'])
  assert.deepEqual(first.LastEvaluatedKey, { pk, sk: { N: '3' } })
  const seen: string[] = []
  let startKey: Attributes | undefined
  for (let pages = 0; pages < 10; pages++) {
    const page = await client.send(new ScanCommand({
      TableName: sortedTable, Limit: 4, ScanFilter: { ...evenFilter, pk: { ComparisonOperator: 'EQ', AttributeValueList: [pk] } },
      ConditionalOperator: 'AND', ExclusiveStartKey: startKey,
    }))
    assert.equal(page.Count, page.Items!.length)
    seen.push(...page.Items!.map((item) => item.sk!.N!))
    startKey = page.LastEvaluatedKey
    if (!startKey) break
  }
  assert.deepEqual(seen.sort((a, b) => Number(a) - Number(b)), ['2', '4', '6', '8', '10'])
})

// EQ and NE compare values of every type, lists, maps and booleans included ("EQ is supported
// for all data types", the Condition reference; Alternator's test_query_filter_eq). A value of
// another type is simply not equal.
test('QueryFilter and ScanFilter EQ and NE take lists, maps and booleans', async () => {
  const pk = { S: 'typed' }
  const values: Attributes = { l: { L: [{ N: '1' }, { S: 'x' }] }, m: { M: { a: { N: '1' } } }, b: { BOOL: true } }
  await client.send(new PutItemCommand({ TableName: sortedTable, Item: { pk, sk: { N: '1' }, ...values } }))
  await client.send(new PutItemCommand({ TableName: sortedTable, Item: { pk, sk: { N: '2' }, l: { L: [] }, m: { M: {} }, b: { BOOL: false } } }))
  const keyConditions = { pk: { ComparisonOperator: 'EQ' as const, AttributeValueList: [pk] } }
  for (const [name, value] of Object.entries(values)) {
    const eq = await client.send(new QueryCommand({
      TableName: sortedTable, KeyConditions: keyConditions, QueryFilter: { [name]: { ComparisonOperator: 'EQ', AttributeValueList: [value] } },
    }))
    assert.deepEqual(eq.Items!.map((item) => item.sk!.N), ['1'], name)
    const ne = await client.send(new ScanCommand({
      TableName: sortedTable, ScanFilter: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [pk] }, [name]: { ComparisonOperator: 'NE', AttributeValueList: [value] } },
      ConditionalOperator: 'AND',
    }))
    assert.deepEqual(ne.Items!.map((item) => item.sk!.N), ['2'], name)
  }
})

// A projection through list indexes returns the selected elements, nested as in the item and
// compacted into a list; paths that lead nowhere are left out (Alternator's
// test_projection_expression_path_deep and _toplevel_list).
test('projections through list indexes', async () => {
  const key = freshKey()
  await client.send(new PutItemCommand({ TableName: table, Item: {
    ...key,
    a: { L: [{ M: { b: { N: '1' }, c: { N: '2' } } }, { M: { b: { N: '3' }, c: { N: '4' } } }] },
    m: { M: { x: { L: [{ S: 'q' }, { S: 'r' }] } } },
  } }))
  const { Item } = await client.send(new GetItemCommand({
    TableName: table, Key: key, ProjectionExpression: 'a[1].b, m.x[1], a[5], nope.x',
  }))
  assert.deepEqual(Item, { a: { L: [{ M: { b: { N: '3' } } }] }, m: { M: { x: { L: [{ S: 'r' }] } } } })
  await expectError(client.send(new GetItemCommand({ TableName: table, Key: key, ProjectionExpression: 'a[1].b, a[1]' })),
    'ValidationException',
    'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; ' +
    'path one: [a, [1], b], path two: [a, [1]]')
})

// UPDATED_OLD and UPDATED_NEW return only the nested values an update touched, inside their
// hierarchy; appends past a list's end are not returned, and after a REMOVE of a list element
// the element that moved into its place is (Alternator's test_update_item_returnvalues_nested).
test('ReturnValues on updates of nested paths', localDiffers('UPDATED_OLD and UPDATED_NEW return whole top-level attributes'), async () => {
  const key = freshKey()
  const numbers = (...list: number[]) => ({ L: list.map((n) => ({ N: String(n) })) })
  await client.send(new PutItemCommand({ TableName: table, Item: { ...key, a: { M: { b: { S: 'dog' }, c: numbers(1, 2, 3) } }, d: { S: 'cat' } } }))
  const update = async (returnValues: 'UPDATED_OLD' | 'UPDATED_NEW' | 'ALL_NEW', expression: string, values?: Attributes) =>
    (await client.send(new UpdateItemCommand({
      TableName: table, Key: key, ReturnValues: returnValues, UpdateExpression: expression, ExpressionAttributeValues: values,
    }))).Attributes
  assert.deepEqual(await update('UPDATED_OLD', 'SET a.b = :v', { ':v': { S: 'hi' } }), { a: { M: { b: { S: 'dog' } } } })
  assert.deepEqual(await update('UPDATED_OLD', 'SET a.c[1] = :v', { ':v': { N: '7' } }), { a: { M: { c: numbers(2) } } })
  assert.deepEqual(await update('UPDATED_NEW', 'SET a.c[1] = :v, a.b = :w', { ':v': { N: '3' }, ':w': { S: 'yo' } }),
    { a: { M: { b: { S: 'yo' }, c: numbers(3) } } })
  assert.deepEqual(await update('ALL_NEW', 'SET a.c[0] = :v', { ':v': { N: '0' } }),
    { ...key, a: { M: { b: { S: 'yo' }, c: numbers(0, 3, 3) } }, d: { S: 'cat' } })
  assert.deepEqual(await update('UPDATED_OLD', 'REMOVE a.c[1], a.c[3]'), { a: { M: { c: numbers(3) } } })
  assert.equal(await update('UPDATED_OLD', 'SET a.x1 = :v', { ':v': { N: '8' } }), undefined)
  assert.equal(await update('UPDATED_NEW', 'SET a.c[100] = :v', { ':v': { N: '70' } }), undefined)
  assert.deepEqual(await update('UPDATED_NEW', 'REMOVE a.c[1]'), { a: { M: { c: numbers(70) } } })
})

// Scan is charged on the bytes it reads, in 4 KB units, halved for an eventually consistent read;
// INDEXES adds the per-table breakdown.
test('Scan consumed capacity', async () => {
  const scanned = await createKeyTable(client, 'legacy-details-scan')
  for (let index = 0; index < 5; index++) {
    await client.send(new PutItemCommand({ TableName: scanned, Item: { pk: { S: `s${index}` }, blob: { S: 'x'.repeat(2000) } } }))
  }
  const eventual = await client.send(new ScanCommand({ TableName: scanned, ReturnConsumedCapacity: 'TOTAL' }))
  // 5 items of about 2 KB: 10 KB read is 3 units of 4 KB, halved.
  assert.deepEqual(eventual.ConsumedCapacity, { TableName: scanned, CapacityUnits: 1.5 })
  const strong = await client.send(new ScanCommand({ TableName: scanned, ReturnConsumedCapacity: 'INDEXES', ConsistentRead: true }))
  assert.deepEqual(strong.ConsumedCapacity, { TableName: scanned, CapacityUnits: 3, Table: { CapacityUnits: 3 } })
  // A read is sized before the filter and the projection: neither saves anything.
  const filtered = await client.send(new ScanCommand({
    TableName: scanned, ReturnConsumedCapacity: 'TOTAL', FilterExpression: 'pk = :none', ProjectionExpression: 'pk',
    ExpressionAttributeValues: { ':none': { S: 'none' } },
  }))
  assert.equal(filtered.Count, 0)
  assert.deepEqual(filtered.ConsumedCapacity, eventual.ConsumedCapacity)
})

// Key attributes are scalars: a path into one in a projection, a filter or a condition is
// rejected, naming the key (dynalite's getItem/query/scan tests against DynamoDB).
test('nested paths into key attributes are rejected in every expression', async () => {
  const message = "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk"
  const key = freshKey()
  await expectError(client.send(new GetItemCommand({ TableName: table, Key: key, ProjectionExpression: 'pk.x' })), 'ValidationException', message)
  await expectError(client.send(new PutItemCommand({ TableName: table, Item: key, ConditionExpression: 'attribute_exists(pk[0])' })),
    'ValidationException', message)
  await expectError(client.send(new ScanCommand({
    TableName: table, FilterExpression: '#k.x = :v', ExpressionAttributeNames: { '#k': 'pk' }, ExpressionAttributeValues: { ':v': { S: 'x' } },
  })), 'ValidationException', message)
  await expectError(client.send(new UpdateItemCommand({ TableName: table, Key: key, UpdateExpression: 'SET a = pk.x' })), 'ValidationException', message)
})

// Segment without TotalSegments is rejected even when it is 0 (an AWS-validated suite's
// "Scan — validation ordering", 2026).
test('Scan Segment 0 without TotalSegments is rejected', localDiffers('message is "If segment is specified, total segment must also be specified"'), async () => {
  await expectError(client.send(new ScanCommand({ TableName: table, Segment: 0 })), 'ValidationException',
    'The TotalSegments parameter is required but was not present in the request when Segment parameter is present')
})

// A KeyConditions operator no key can be searched by (NULL, CONTAINS, IN...) is refused only
// once the table, the index and the key attributes check out: a missing table still answers
// ResourceNotFoundException (dynalite's recordings of DynamoDB, DynamoDB Local 2026-05-28).
test('an unindexable KeyConditions operator is reported after the table, index and key checks', async () => {
  const notNull = { ComparisonOperator: 'NOT_NULL' as const }
  const pkEquals = { ComparisonOperator: 'EQ' as const, AttributeValueList: [{ S: 'p' }] }
  await expectError(client.send(new QueryCommand({ TableName: 'no-such-table-legacy', KeyConditions: { pk: notNull } })),
    'ResourceNotFoundException')
  await expectError(client.send(new QueryCommand({ TableName: sortedTable, IndexName: 'nope', KeyConditions: { pk: notNull } })),
    'ValidationException', 'The table does not have the specified index: nope')
  await expectError(client.send(new QueryCommand({ TableName: sortedTable, KeyConditions: { other: notNull } })),
    'ValidationException', 'Query condition missed key schema element: pk')
  await expectError(client.send(new QueryCommand({ TableName: sortedTable, KeyConditions: { pk: pkEquals, other: notNull } })),
    'ValidationException', 'Query condition missed key schema element: sk')
  for (const condition of [notNull, { ComparisonOperator: 'CONTAINS' as const, AttributeValueList: [{ S: 'p' }] }]) {
    await expectError(client.send(new QueryCommand({ TableName: sortedTable, KeyConditions: { pk: condition } })),
      'ValidationException', 'Attempted conditional constraint is not an indexable operation')
    await expectError(client.send(new QueryCommand({ TableName: sortedTable, KeyConditions: { pk: pkEquals, sk: condition } })),
      'ValidationException', 'Attempted conditional constraint is not an indexable operation')
  }
})
