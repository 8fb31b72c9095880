/**
 * Scan reads a whole table or index, a page at a time (Limit items or 1 MB), in no particular
 * order. A parallel scan splits the table into TotalSegments disjoint segments; scanning each
 * segment to its end and taking the union gives every item exactly once. FilterExpression drops
 * items after reading, so Count can be below ScannedCount.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { PutItemCommand, ScanCommand, type AttributeValue, type DynamoDBClient, type ScanCommandInput } from '@aws-sdk/client-dynamodb'
import { startTestServer, uniqueTableName, localDiffers, type TestServer } from '../helpers/server.js'
import { createTable } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
let client: DynamoDBClient
let table: string
const itemCount = 40

before(async () => {
  server = await startTestServer()
  client = server.client
  table = uniqueTableName('scan')
  await createTable(client, {
    TableName: table, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'tag', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byTag', KeySchema: [{ AttributeName: 'tag', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
  })
  for (let index = 0; index < itemCount; index++) {
    // Every fifth item has a tag, so the index holds 8 items.
    const tag: Record<string, AttributeValue> = index % 5 === 0 ? { tag: { S: 't' } } : {}
    await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `k${index}` }, n: { N: String(index) }, ...tag } }))
  }
})
after(async () => { await server?.close() })

const pagesMax = 200

/** Scans to the end, page by page, returning every pk seen (duplicates kept) and the page count. */
async function scanAll(input: Omit<ScanCommandInput, 'TableName'>): Promise<{ keys: string[]; pages: number }> {
  const keys: string[] = []
  let start: Record<string, AttributeValue> | undefined
  for (let page = 1; page <= pagesMax; page++) {
    const reply = await client.send(new ScanCommand({ TableName: table, ...input, ExclusiveStartKey: start }))
    keys.push(...reply.Items!.map((item) => item.pk!.S!))
    start = reply.LastEvaluatedKey
    if (!start) return { keys, pages: page }
  }
  throw new Error('scan did not finish')
}

const allKeys = () => Array.from({ length: itemCount }, (_, index) => `k${index}`).sort()

// Paging with Limit visits every item exactly once.
test('Limit pages through every item exactly once', async () => {
  const { keys, pages } = await scanAll({ Limit: 7 })
  assert.deepEqual(keys.slice().sort(), allKeys())
  assert.ok(pages >= Math.ceil(itemCount / 7), `only ${pages} pages`)
})

// Parallel scan: the segments partition the table (their union is every item, with no item twice).
test('parallel scan segments partition the table', async () => {
  const totalSegments = 4
  const union: string[] = []
  for (let segment = 0; segment < totalSegments; segment++) {
    const { keys } = await scanAll({ Segment: segment, TotalSegments: totalSegments, Limit: 5 })
    union.push(...keys)
  }
  assert.equal(new Set(union).size, union.length, 'an item appeared in two segments')
  assert.deepEqual(union.sort(), allKeys())
})

// A single segment of one is the whole table.
test('TotalSegments 1 is the whole table', async () => {
  const { keys } = await scanAll({ Segment: 0, TotalSegments: 1 })
  assert.deepEqual(keys.sort(), allKeys())
})

// The filter runs after reading: ScannedCount is what was read, Count what passed.
test('FilterExpression: Count versus ScannedCount', async () => {
  const reply = await client.send(new ScanCommand({
    TableName: table, FilterExpression: 'n < :ten', ExpressionAttributeValues: { ':ten': { N: '10' } },
  }))
  assert.equal(reply.ScannedCount, itemCount)
  assert.equal(reply.Count, 10)
  assert.deepEqual(reply.Items!.map((item) => Number(item.n!.N)).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
})

// Select COUNT returns counts only.
test('Select COUNT', async () => {
  const reply = await client.send(new ScanCommand({ TableName: table, Select: 'COUNT' }))
  assert.equal(reply.Count, itemCount)
  assert.equal(reply.Items, undefined)
})

// Scanning a sparse KEYS_ONLY index returns only indexed items, with only key attributes.
test('scan a GSI', async () => {
  const { Items } = await client.send(new ScanCommand({ TableName: table, IndexName: 'byTag' }))
  assert.equal(Items!.length, itemCount / 5)
  for (const item of Items!) assert.deepEqual(Object.keys(item).sort(), ['pk', 'tag'])
})

// ProjectionExpression on a scan.
test('ProjectionExpression', async () => {
  const { Items } = await client.send(new ScanCommand({ TableName: table, ProjectionExpression: 'n', Limit: 3 }))
  assert.equal(Items!.length, 3)
  for (const item of Items!) assert.deepEqual(Object.keys(item), ['n'])
})

// Segment needs TotalSegments.
test('Segment without TotalSegments is rejected', localDiffers('message is "If segment is specified, total segment must also be specified"'), async () => {
  await expectError(client.send(new ScanCommand({ TableName: table, Segment: 1 })), 'ValidationException',
    'The TotalSegments parameter is required but was not present in the request when Segment parameter is present')
})

// TotalSegments needs Segment.
test('TotalSegments without Segment is rejected', localDiffers('message is "If total segments is specified, a particular segment must also be specified for this request"'), async () => {
  await expectError(client.send(new ScanCommand({ TableName: table, TotalSegments: 2 })), 'ValidationException',
    'The Segment parameter is required but was not present in the request when parameter TotalSegments is present')
})

// Segment is zero-based and below TotalSegments.
test('Segment equal to TotalSegments is rejected', localDiffers('it reports a generic constraint violation on segment'), async () => {
  await expectError(client.send(new ScanCommand({ TableName: table, Segment: 4, TotalSegments: 4 })), 'ValidationException',
    'The Segment parameter is zero-based and must be less than parameter TotalSegments')
})

// Limit must be positive, and Segment not negative: in the newer validation's words since DynamoDB's
// September 2026 rollout reached eu-west-2 (the AWS-validated dynamodb-conformance suite), the
// member capitalized and the value not echoed.
test('Limit 0 and a negative Segment are rejected', async () => {
  await expectError(client.send(new ScanCommand({ TableName: table, Limit: 0 })), 'ValidationException',
    "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
  await expectError(client.send(new ScanCommand({ TableName: table, Segment: -1, TotalSegments: 4 })), 'ValidationException',
    "1 validation error detected: Value at 'Segment' failed to satisfy constraint: Member must have value greater than or equal to 0")
})

// Scanning a missing table.
test('scan of a missing table is ResourceNotFoundException', async () => {
  await expectError(client.send(new ScanCommand({ TableName: uniqueTableName('nope') })), 'ResourceNotFoundException')
})

// Consistent reads are not available on GSIs, for Scan either.
test('ConsistentRead scan of a GSI is rejected', async () => {
  await expectError(client.send(new ScanCommand({ TableName: table, IndexName: 'byTag', ConsistentRead: true })), 'ValidationException')
})
