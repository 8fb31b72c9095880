/**
 * Query reads the items of one partition, in sort-key order, from a table or a secondary index. The
 * KeyConditionExpression pins the partition key with = and may bound the sort key (= < <= > >=
 * BETWEEN begins_with). Pages stop at Limit items (evaluated before the filter) or 1 MB of data,
 * returning LastEvaluatedKey to resume from; FilterExpression drops items after they are read, so
 * Count can be less than ScannedCount. Indexes return only their projected attributes.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  BatchWriteItemCommand, PutItemCommand, QueryCommand, type AttributeValue, type DynamoDBClient, type QueryCommandInput,
} from '@aws-sdk/client-dynamodb'
import { startTestServer, uniqueTableName, localDiffers, type TestServer } from '../helpers/server.js'
import { createTable } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
let client: DynamoDBClient
let numbers: string   // pk S, sk N; partition 'p' holds sk 0..9, with a GSI and an LSI
let words: string     // pk S, sk S; partition 'w' holds words for begins_with
const itemsInPartition = 10

before(async () => {
  server = await startTestServer()
  client = server.client
  numbers = uniqueTableName('query')
  await createTable(client, {
    TableName: numbers,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' },
      { AttributeName: 'color', AttributeType: 'S' }, { AttributeName: 'rank', AttributeType: 'N' },
    ],
    GlobalSecondaryIndexes: [
      { IndexName: 'keysOnly', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
      { IndexName: 'include', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['extra'] } },
      { IndexName: 'all', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
    ],
    LocalSecondaryIndexes: [{
      IndexName: 'byRank', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'rank', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'ALL' },
    }],
  })
  for (let sk = 0; sk < itemsInPartition; sk++) {
    // Only even items have a color: the GSIs on color are sparse. rank runs opposite to sk.
    const color: Record<string, AttributeValue> = sk % 2 === 0 ? { color: { S: sk % 4 === 0 ? 'red' : 'blue' } } : {}
    await client.send(new PutItemCommand({ TableName: numbers, Item: {
      pk: { S: 'p' }, sk: { N: String(sk) }, rank: { N: String(100 - sk) }, extra: { S: `e${sk}` }, other: { S: `o${sk}` }, ...color,
    } }))
  }
  await client.send(new PutItemCommand({ TableName: numbers, Item: { pk: { S: 'elsewhere' }, sk: { N: '1' }, color: { S: 'red' } } }))
  words = uniqueTableName('query-words')
  await createTable(client, {
    TableName: words,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
  })
  for (const word of ['apple', 'apricot', 'banana', 'app', 'b', 'Apple']) {
    await client.send(new PutItemCommand({ TableName: words, Item: { pk: { S: 'w' }, sk: { S: word } } }))
  }
})
after(async () => { await server?.close() })

const N = (value: string) => ({ N: value })

async function sortKeys(input: Omit<QueryCommandInput, 'TableName'>, tableName = numbers): Promise<string[]> {
  const { Items } = await client.send(new QueryCommand({ TableName: tableName, ...input }))
  return Items!.map((item) => item.sk!.N ?? item.sk!.S!)
}

const inPartition = (condition: string, values: Record<string, AttributeValue>) => ({
  KeyConditionExpression: `pk = :p AND ${condition}`, ExpressionAttributeValues: { ':p': { S: 'p' }, ...values },
})

// Items come back in ascending numeric sort-key order (2 before 10).
test('partition key only returns the whole partition in sort order', async () => {
  assert.deepEqual(await sortKeys({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } }),
    ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
})

// Every sort key comparator.
test('sort key conditions = < <= > >= BETWEEN', async () => {
  assert.deepEqual(await sortKeys(inPartition('sk = :v', { ':v': N('3') })), ['3'])
  assert.deepEqual(await sortKeys(inPartition('sk < :v', { ':v': N('3') })), ['0', '1', '2'])
  assert.deepEqual(await sortKeys(inPartition('sk <= :v', { ':v': N('2') })), ['0', '1', '2'])
  assert.deepEqual(await sortKeys(inPartition('sk > :v', { ':v': N('7') })), ['8', '9'])
  assert.deepEqual(await sortKeys(inPartition('sk >= :v', { ':v': N('8') })), ['8', '9'])
  assert.deepEqual(await sortKeys(inPartition('sk BETWEEN :a AND :b', { ':a': N('4'), ':b': N('6') })), ['4', '5', '6'])
})

// begins_with on a string sort key; strings sort by bytes, so 'Apple' comes before 'app'.
test('begins_with on a string sort key, and byte order of strings', async () => {
  const all = await sortKeys({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'w' } } }, words)
  assert.deepEqual(all, ['Apple', 'app', 'apple', 'apricot', 'b', 'banana'])
  assert.deepEqual(await sortKeys({
    KeyConditionExpression: 'pk = :p AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':p': { S: 'w' }, ':prefix': { S: 'app' } },
  }, words), ['app', 'apple'])
})

// ScanIndexForward false reverses the order.
test('ScanIndexForward false returns descending order', async () => {
  assert.deepEqual(await sortKeys({ ...inPartition('sk < :v', { ':v': N('3') }), ScanIndexForward: false }), ['2', '1', '0'])
})

// Limit caps the items read per page; LastEvaluatedKey (the last item's key) resumes the query.
// A page that ends exactly at Limit still carries a LastEvaluatedKey.
test('Limit and LastEvaluatedKey page through a partition', async () => {
  const pages: string[][] = []
  let start: Record<string, AttributeValue> | undefined
  const pagesMax = 10
  for (let page = 0; page < pagesMax; page++) {
    const reply = await client.send(new QueryCommand({
      TableName: numbers, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } },
      Limit: 3, ExclusiveStartKey: start,
    }))
    pages.push(reply.Items!.map((item) => item.sk!.N!))
    start = reply.LastEvaluatedKey
    if (start) assert.deepEqual(start, { pk: { S: 'p' }, sk: { N: pages[pages.length - 1]!.at(-1)! } })
    if (!start) break
  }
  assert.deepEqual(pages, [['0', '1', '2'], ['3', '4', '5'], ['6', '7', '8'], ['9']])
})

// The filter runs after Limit: ScannedCount counts items read, Count those that passed.
test('FilterExpression: Count versus ScannedCount', async () => {
  const reply = await client.send(new QueryCommand({
    TableName: numbers, KeyConditionExpression: 'pk = :p', FilterExpression: '#rank < :r',
    ExpressionAttributeNames: { '#rank': 'rank' }, ExpressionAttributeValues: { ':p': { S: 'p' }, ':r': N('97') }, Limit: 5,
  }))
  assert.equal(reply.ScannedCount, 5)
  assert.equal(reply.Count, 1)
  assert.deepEqual(reply.Items!.map((item) => item.sk!.N), ['4'])
  assert.ok(reply.LastEvaluatedKey)
})

// A filter on a key attribute is rejected: key attributes belong in the key condition.
test('FilterExpression on a key attribute is rejected', async () => {
  await expectError(client.send(new QueryCommand({
    TableName: numbers, KeyConditionExpression: 'pk = :p', FilterExpression: 'pk = :p',
    ExpressionAttributeValues: { ':p': { S: 'p' } },
  })), 'ValidationException',
  'Filter Expression can only contain non-primary key attributes: Primary key attribute: pk')
})

// Select COUNT returns only the counts.
test('Select COUNT returns counts and no items', async () => {
  const reply = await client.send(new QueryCommand({
    TableName: numbers, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, Select: 'COUNT',
  }))
  assert.equal(reply.Count, itemsInPartition)
  assert.equal(reply.ScannedCount, itemsInPartition)
  assert.equal(reply.Items, undefined)
})

// SPECIFIC_ATTRIBUTES with a ProjectionExpression returns only those attributes.
test('Select SPECIFIC_ATTRIBUTES with ProjectionExpression', async () => {
  const { Items } = await client.send(new QueryCommand({
    ...inPartition('sk = :v', { ':v': N('1') }), TableName: numbers, Select: 'SPECIFIC_ATTRIBUTES', ProjectionExpression: 'extra',
  }))
  assert.deepEqual(Items, [{ extra: { S: 'e1' } }])
})

// A KEYS_ONLY GSI holds the index key plus the table key; the index is sparse (items without
// color are absent) and spans partitions of the table.
test('query a KEYS_ONLY GSI', async () => {
  const { Items } = await client.send(new QueryCommand({
    TableName: numbers, IndexName: 'keysOnly', KeyConditionExpression: 'color = :c', ExpressionAttributeValues: { ':c': { S: 'red' } },
  }))
  const sorted = Items!.map((item) => item).sort((a, b) => Number(a.sk!.N) - Number(b.sk!.N) || a.pk!.S!.localeCompare(b.pk!.S!))
  assert.deepEqual(sorted, [
    { pk: { S: 'p' }, sk: N('0'), color: { S: 'red' } }, { pk: { S: 'elsewhere' }, sk: N('1'), color: { S: 'red' } },
    { pk: { S: 'p' }, sk: N('4'), color: { S: 'red' } }, { pk: { S: 'p' }, sk: N('8'), color: { S: 'red' } },
  ])
})

// An INCLUDE GSI adds the listed attributes; ALL_PROJECTED_ATTRIBUTES returns exactly those.
test('query an INCLUDE GSI with ALL_PROJECTED_ATTRIBUTES', async () => {
  const { Items } = await client.send(new QueryCommand({
    TableName: numbers, IndexName: 'include', KeyConditionExpression: 'color = :c AND sk < :v',
    ExpressionAttributeValues: { ':c': { S: 'blue' }, ':v': N('7') }, Select: 'ALL_PROJECTED_ATTRIBUTES',
  }))
  assert.deepEqual(Items, [
    { pk: { S: 'p' }, sk: N('2'), color: { S: 'blue' }, extra: { S: 'e2' } },
    { pk: { S: 'p' }, sk: N('6'), color: { S: 'blue' }, extra: { S: 'e6' } },
  ])
})

// An ALL GSI returns whole items.
test('query an ALL GSI returns whole items', async () => {
  const { Items } = await client.send(new QueryCommand({
    TableName: numbers, IndexName: 'all', KeyConditionExpression: 'color = :c', ExpressionAttributeValues: { ':c': { S: 'blue' } },
  }))
  assert.equal(Items!.length, 2)
  for (const item of Items!) assert.deepEqual(Object.keys(item).sort(), ['color', 'extra', 'other', 'pk', 'rank', 'sk'])
})

// An LSI re-sorts one partition by another attribute: rank (100 - sk) runs opposite to sk.
test('query an LSI orders by its sort key', async () => {
  const { Items } = await client.send(new QueryCommand({
    TableName: numbers, IndexName: 'byRank', KeyConditionExpression: 'pk = :p AND #rank >= :r',
    ExpressionAttributeNames: { '#rank': 'rank' }, ExpressionAttributeValues: { ':p': { S: 'p' }, ':r': N('97') },
  }))
  assert.deepEqual(Items!.map((item) => item.sk!.N), ['3', '2', '1', '0'])
})

// A put that asks for nothing back (no ReturnValues, no ReturnConsumedCapacity) may skip reading
// the item it replaces, but not on a table with indexes: the old item's entries must go.
const blindPuts = {
  PutItem: (Item: Record<string, AttributeValue>) => client.send(new PutItemCommand({ TableName: numbers, Item })),
  BatchWriteItem: (Item: Record<string, AttributeValue>) => client.send(new BatchWriteItemCommand({
    RequestItems: { [numbers]: [{ PutRequest: { Item } }] },
  })),
}
for (const [operation, put] of Object.entries(blindPuts)) {
  test(`an overwrite by ${operation} that asks for nothing back moves the item in its indexes`, async () => {
    const pk = { S: `overwritten by ${operation}` }
    const colored = async (color: string) => (await client.send(new QueryCommand({
      TableName: numbers, IndexName: 'keysOnly', KeyConditionExpression: 'color = :c', ExpressionAttributeValues: { ':c': { S: color } },
    }))).Items!.filter((item) => item.pk!.S === pk.S)
    await put({ pk, sk: N('1'), rank: N('1'), color: { S: 'green' } })
    await put({ pk, sk: N('1'), rank: N('1'), color: { S: 'violet' } })
    assert.deepEqual(await colored('green'), [])
    assert.deepEqual(await colored('violet'), [{ pk, sk: N('1'), color: { S: 'violet' } }])
  })
}

// GSIs are eventually consistent only.
test('ConsistentRead on a GSI is rejected', async () => {
  await expectError(client.send(new QueryCommand({
    TableName: numbers, IndexName: 'all', KeyConditionExpression: 'color = :c', ExpressionAttributeValues: { ':c': { S: 'red' } },
    ConsistentRead: true,
  })), 'ValidationException', 'Consistent reads are not supported on global secondary indexes')
})

// Legacy KeyConditions and QueryFilter.
test('legacy KeyConditions and QueryFilter', async () => {
  const reply = await client.send(new QueryCommand({
    TableName: numbers,
    KeyConditions: {
      pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] },
      sk: { ComparisonOperator: 'BETWEEN', AttributeValueList: [N('2'), N('6')] },
    },
    QueryFilter: { color: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'blue' }] } },
  }))
  assert.equal(reply.ScannedCount, 5)
  assert.deepEqual(reply.Items!.map((item) => item.sk!.N), ['2', '6'])
})

/** A fresh table keyed by pk (S) and sk (N); returns its name. */
async function createStringNumberTable(prefix: string): Promise<string> {
  const name = uniqueTableName(prefix)
  await createTable(client, {
    TableName: name,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
  })
  return name
}

// A page holds at most 1 MB of data: fifteen ~100 KB items cannot come back in one page.
test('a page stops at 1 MB', async () => {
  const big = await createStringNumberTable('query-big')
  const payload = 'x'.repeat(100 * 1024)
  const itemCount = 15
  for (let sk = 0; sk < itemCount; sk++) {
    await client.send(new PutItemCommand({ TableName: big, Item: { pk: { S: 'p' }, sk: N(String(sk)), payload: { S: payload } } }))
  }
  const query = { TableName: big, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } }
  const first = await client.send(new QueryCommand(query))
  assert.ok(first.Count! >= 10 && first.Count! <= 11, `first page held ${first.Count} items`)
  assert.ok(first.LastEvaluatedKey)
  const second = await client.send(new QueryCommand({ ...query, ExclusiveStartKey: first.LastEvaluatedKey }))
  assert.equal(first.Count! + second.Count!, itemCount)
  assert.equal(second.LastEvaluatedKey, undefined)
})

// Pages whose items go out as stored are read several rows at a time; a filter makes the server
// read them one by one. A filter that keeps every item must give the very same pages, both ways,
// across the 1 MB mark that ends a page after several reads.
test('pages without a filter match pages with a filter that keeps everything', async () => {
  const many = await createStringNumberTable('query-pages')
  // 700 items of about 2 KB: a 1 MB page ends after two reads of 256 rows.
  const payload = 'y'.repeat(2000)
  for (let first = 0; first < 700; first += 25) {
    const puts = Array.from({ length: 25 }, (_, offset) => ({ PutRequest: { Item: { pk: { S: 'p' }, sk: N(String(first + offset)), payload: { S: payload } } } }))
    await client.send(new BatchWriteItemCommand({ RequestItems: { [many]: puts } }))
  }
  for (const ScanIndexForward of [true, false]) {
    const query = { TableName: many, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, ScanIndexForward }
    const filtered = { ...query, FilterExpression: 'attribute_exists(payload)' }
    let start: Record<string, any> | undefined
    let pages = 0
    let seen = 0
    do {
      const plain = await client.send(new QueryCommand({ ...query, ExclusiveStartKey: start }))
      const kept = await client.send(new QueryCommand({ ...filtered, ExclusiveStartKey: start }))
      assert.deepEqual([plain.Count, plain.ScannedCount, plain.Items, plain.LastEvaluatedKey], [kept.Count, kept.ScannedCount, kept.Items, kept.LastEvaluatedKey])
      seen += plain.Count!
      start = plain.LastEvaluatedKey
      pages++
    } while (start)
    assert.equal(seen, 700)
    assert.equal(pages, 2, 'two pages of about 1 MB and 0.4 MB')
  }
})

// The key condition must pin the partition key.
test('a key condition without the partition key is rejected', localDiffers('its message does not name the key'), async () => {
  await expectError(client.send(new QueryCommand({
    TableName: numbers, KeyConditionExpression: 'sk = :v', ExpressionAttributeValues: { ':v': N('1') },
  })), 'ValidationException', 'Query condition missed key schema element: pk')
})

// The partition key only supports equality.
test('a partition key range condition is rejected', async () => {
  await expectError(client.send(new QueryCommand({
    TableName: numbers, KeyConditionExpression: 'pk > :p', ExpressionAttributeValues: { ':p': { S: 'p' } },
  })), 'ValidationException', 'Query key condition not supported')
})

// A non-key attribute cannot appear in the key condition.
test('a non-key attribute in the key condition is rejected', async () => {
  await expectError(client.send(new QueryCommand({
    TableName: numbers, KeyConditionExpression: 'pk = :p AND other = :o',
    ExpressionAttributeValues: { ':p': { S: 'p' }, ':o': { S: 'x' } },
  })), 'ValidationException')
})

// Querying an index that does not exist.
test('an unknown IndexName is rejected', async () => {
  await expectError(client.send(new QueryCommand({
    TableName: numbers, IndexName: 'nope', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } },
  })), 'ValidationException', 'The table does not have the specified index: nope')
})

// ALL_PROJECTED_ATTRIBUTES only makes sense on an index. AWS wraps this Query message in
// "1 validation error detected: " (recorded against AWS in LocalStack's aws_verified tests).
test('ALL_PROJECTED_ATTRIBUTES without an index is rejected', localDiffers('no "1 validation error detected" envelope'), async () => {
  await expectError(client.send(new QueryCommand({
    TableName: numbers, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } },
    Select: 'ALL_PROJECTED_ATTRIBUTES',
  })), 'ValidationException', '1 validation error detected: ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName')
})

// The key value type must match the schema.
test('a wrongly typed key value is rejected', async () => {
  await expectError(client.send(new QueryCommand({
    TableName: numbers, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': N('1') },
  })), 'ValidationException')
})
