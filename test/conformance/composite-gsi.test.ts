/**
 * Global secondary indexes with multi-attribute (composite) keys, a DynamoDB feature of November
 * 2025: a GSI's partition key and sort key may each be made of up to four attributes, listed as
 * several HASH and several RANGE entries of its KeySchema. An item is in the index only when it
 * has every key attribute. A Query names every partition attribute with an equality, then may
 * name the sort attributes left to right: equalities on a prefix, and any condition on the last
 * one named. Rows sort by the sort attributes in KeySchema order, each by its type's order.
 * Also here: the key size and type limits that writes and backfills apply to every GSI key, and
 * a Query's ExclusiveStartKey checks.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.DesignPattern.MultiAttributeKeys.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.MultiAttributeKeys
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  CreateTableCommand, DescribeTableCommand, ExecuteStatementCommand, PutItemCommand, QueryCommand, ScanCommand,
  UpdateItemCommand, UpdateTableCommand,
  type AttributeValue, type CreateTableCommandInput, type DynamoDBClient, type QueryCommandInput, type TableDescription,
} from '@aws-sdk/client-dynamodb'
import { startTestServer, uniqueTableName, localDiffers, type TestServer } from '../helpers/server.js'
import { createTable } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
let client: DynamoDBClient
let matches: string

const S = (value: string): AttributeValue => ({ S: value })
const N = (value: number): AttributeValue => ({ N: String(value) })

// A tournament's matches: the 'match' GSI is keyed by (tournament, league) and sorted by
// (round N, bracket S, matchId S); 'keys' projects only keys; 'byLeague' is a plain GSI.
const matchIndexKeySchema = [
  { AttributeName: 'tournament', KeyType: 'HASH' as const },
  { AttributeName: 'league', KeyType: 'HASH' as const },
  { AttributeName: 'round', KeyType: 'RANGE' as const },
  { AttributeName: 'bracket', KeyType: 'RANGE' as const },
  { AttributeName: 'matchId', KeyType: 'RANGE' as const },
]

/** [pk, league, round, bracket, matchId]; every row is in tournament 'w24'. */
const rows: Array<[string, string, number, string, string]> = [
  ['m1', 'eu', 2, 'upper', 'b'],
  ['m2', 'eu', 10, 'lower', 'a'],
  ['m3', 'eu', 2, 'lower', 'z'],
  ['m4', 'eu', 2, 'upper', 'a'],
  ['m5', 'us', 1, 'upper', 'a'],
  ['m6', 'eu', -1, 'upper', 'a'],
]

before(async () => {
  server = await startTestServer()
  client = server.client
  matches = uniqueTableName('composite')
  await createTable(client, {
    TableName: matches,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'tournament', AttributeType: 'S' },
      { AttributeName: 'league', AttributeType: 'S' }, { AttributeName: 'round', AttributeType: 'N' },
      { AttributeName: 'bracket', AttributeType: 'S' }, { AttributeName: 'matchId', AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: [
      { IndexName: 'match', KeySchema: matchIndexKeySchema, Projection: { ProjectionType: 'ALL' } },
      { IndexName: 'keys', KeySchema: matchIndexKeySchema.slice(0, 3), Projection: { ProjectionType: 'KEYS_ONLY' } },
      { IndexName: 'byLeague', KeySchema: [{ AttributeName: 'league', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
    ],
  })
  for (const [pk, league, round, bracket, matchId] of rows) {
    await client.send(new PutItemCommand({ TableName: matches, Item: {
      pk: S(pk), tournament: S('w24'), league: S(league), round: N(round), bracket: S(bracket), matchId: S(matchId), score: N(round * 10),
    } }))
  }
  // Missing one sort attribute (matchId) and one partition attribute (league): in no composite index.
  await client.send(new PutItemCommand({ TableName: matches, Item: {
    pk: S('partial1'), tournament: S('w24'), league: S('eu'), round: N(2), bracket: S('upper'),
  } }))
  await client.send(new PutItemCommand({ TableName: matches, Item: {
    pk: S('partial2'), tournament: S('w24'), round: N(2), bracket: S('upper'), matchId: S('q'),
  } }))
})
after(async () => { await server?.close() })

/** The table keys (pk) a Query of the 'match' index returns, in order. */
async function queryMatches(KeyConditionExpression: string, values: Record<string, AttributeValue>, extra: Partial<QueryCommandInput> = {}) {
  const reply = await client.send(new QueryCommand({
    TableName: matches, IndexName: 'match', KeyConditionExpression, ExpressionAttributeValues: values, ...extra,
  }))
  return reply.Items!.map((item) => item.pk!.S)
}

const euPartition = { ':t': S('w24'), ':r': S('eu') }

// DescribeTable lists a composite GSI's KeySchema entries in the order CreateTable gave them:
// the HASH entries, then the RANGE entries.
test('DescribeTable reports the KeySchema entries in order', async () => {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: matches }))
  const match = Table!.GlobalSecondaryIndexes!.find((index) => index.IndexName === 'match')!
  assert.deepEqual(match.KeySchema, matchIndexKeySchema)
  assert.equal(match.IndexStatus, 'ACTIVE')
  // Sparse: the two partial items are in the table but not in the index.
  assert.equal(match.ItemCount, rows.length)
  assert.equal(Table!.ItemCount, rows.length + 2)
})

// Every partition attribute with an equality selects the partition; rows come back sorted by
// round (numerically: -1 before 2 before 10), then bracket, then matchId. Items lacking a key
// attribute are not there.
test('a Query on every partition attribute returns the rows in composite sort order', async () => {
  assert.deepEqual(await queryMatches('tournament = :t AND league = :r', euPartition), ['m6', 'm3', 'm4', 'm1', 'm2'])
  assert.deepEqual(await queryMatches('tournament = :t AND league = :r', euPartition, { ScanIndexForward: false }),
    ['m2', 'm1', 'm4', 'm3', 'm6'])
  assert.deepEqual(await queryMatches('league = :r AND tournament = :t', { ...euPartition, ':r': S('us') }), ['m5'])
})

// Equalities on a prefix of the sort attributes, then any one condition on the next one; the
// clauses may be written in any order.
test('sort conditions left to right: equality prefix and a last range condition', async () => {
  const values = { ...euPartition, ':two': N(2), ':upper': S('upper'), ':b': S('b'), ':one': N(1), ':five': N(5), ':l': S('lo') }
  const pick = (condition: string) => queryMatches(`tournament = :t AND league = :r AND ${condition}`,
    Object.fromEntries(Object.entries(values).filter(([name]) => `:t :r ${condition}`.includes(name))))
  assert.deepEqual(await pick('round = :two'), ['m3', 'm4', 'm1'])
  assert.deepEqual(await pick('round BETWEEN :one AND :five'), ['m3', 'm4', 'm1'])
  assert.deepEqual(await pick('round > :two'), ['m2'])
  assert.deepEqual(await pick('round = :two AND bracket = :upper'), ['m4', 'm1'])
  assert.deepEqual(await pick('bracket < :upper AND round = :two'), ['m3'])
  assert.deepEqual(await pick('round = :two AND begins_with(bracket, :l)'), ['m3'])
  assert.deepEqual(await pick('round = :two AND bracket = :upper AND matchId >= :b'), ['m1'])
})

// DynamoDB's own words for a sort attribute skipped or given a range condition before the last
// one named (recorded against AWS). A condition after a skipped attribute is reported on the
// first such attribute, naming only the skipped ones before it; partition attributes without
// an equality are named too (both as DynamoDB Local 2026-05-28 answers).
test('invalid key conditions on a composite key: exact messages', async () => {
  const gap = 'RANGE key attributes round must have equality conditions specified in the query because a condition is present on key attribute bracket'
  await expectError(queryMatches('tournament = :t AND league = :r AND bracket = :b', { ...euPartition, ':b': S('upper') }),
    'ValidationException', gap)
  await expectError(queryMatches('tournament = :t AND league = :r AND round > :n AND bracket = :b', { ...euPartition, ':n': N(1), ':b': S('upper') }),
    'ValidationException', gap)
  await expectError(queryMatches('tournament = :t AND league = :r AND bracket = :b AND matchId = :m', { ...euPartition, ':b': S('upper'), ':m': S('a') }),
    'ValidationException', gap)
  await expectError(queryMatches('tournament = :t AND league = :r AND round > :n AND matchId = :m', { ...euPartition, ':n': N(1), ':m': S('a') }),
    'ValidationException', 'RANGE key attributes bracket must have equality conditions specified in the query because a condition is present on key attribute matchId')
  await expectError(queryMatches('tournament = :t', { ':t': S('w24') }),
    'ValidationException', 'HASH key attributes league must have equality conditions specified in the query')
  await expectError(queryMatches('tournament = :t AND league > :r', euPartition),
    'ValidationException', 'HASH key attributes league must have equality conditions specified in the query')
  await expectError(queryMatches('tournament > :t AND round = :n', { ':t': S('w24'), ':n': N(1) }),
    'ValidationException', 'HASH key attributes league must have equality conditions specified in the query')
  await expectError(queryMatches('round = :n', { ':n': N(1) }),
    'ValidationException', 'HASH key attributes tournament, league must have equality conditions specified in the query')
  await expectError(queryMatches('tournament = :t AND league = :r AND round = :n', { ...euPartition, ':n': S('2') }),
    'ValidationException', 'One or more parameter values were invalid: Condition parameter type does not match schema type')
  await expectError(queryMatches('tournament = :t AND league = :r AND begins_with(round, :n)', { ...euPartition, ':n': N(2) }),
    'ValidationException', /operator or function: begins_with, operand type: N/)
  // Every attribute of the index key is a key attribute: none may be filtered on.
  await expectError(queryMatches('tournament = :t AND league = :r', { ...euPartition, ':b': S('upper') }, { FilterExpression: 'bracket = :b' }),
    'ValidationException', 'Filter Expression can only contain non-primary key attributes: Primary key attribute: bracket')
})

// The legacy KeyConditions parameter takes one condition per key attribute, so more than two
// on a composite key.
test('KeyConditions may hold a condition for every attribute of a composite key', async () => {
  const reply = await client.send(new QueryCommand({
    TableName: matches, IndexName: 'match',
    KeyConditions: {
      tournament: { ComparisonOperator: 'EQ', AttributeValueList: [S('w24')] },
      league: { ComparisonOperator: 'EQ', AttributeValueList: [S('eu')] },
      round: { ComparisonOperator: 'EQ', AttributeValueList: [N(2)] },
      bracket: { ComparisonOperator: 'GT', AttributeValueList: [S('lower')] },
    },
  }))
  assert.deepEqual(reply.Items!.map((item) => item.pk!.S), ['m4', 'm1'])
})

// LastEvaluatedKey carries the table key and every index key attribute, and resumes exactly
// after that row; a start key missing one of them, or outside the sort key condition, is refused.
test('paging through a composite index and ExclusiveStartKey checks', async () => {
  const input = { TableName: matches, IndexName: 'match', KeyConditionExpression: 'tournament = :t AND league = :r', ExpressionAttributeValues: euPartition }
  const seen: string[] = []
  let start: Record<string, AttributeValue> | undefined
  for (let page = 0; page < 10; page++) {
    const reply = await client.send(new QueryCommand({ ...input, Limit: 2, ...(start ? { ExclusiveStartKey: start } : {}) }))
    seen.push(...reply.Items!.map((item) => item.pk!.S!))
    start = reply.LastEvaluatedKey
    if (!start) break
    assert.deepEqual(Object.keys(start).sort(), ['bracket', 'league', 'matchId', 'pk', 'round', 'tournament'])
  }
  assert.deepEqual(seen, ['m6', 'm3', 'm4', 'm1', 'm2'])
  const first = await client.send(new QueryCommand({ ...input, Limit: 1 }))
  const { matchId: _matchId, ...incomplete } = first.LastEvaluatedKey!
  await expectError(client.send(new QueryCommand({ ...input, ExclusiveStartKey: incomplete })),
    'ValidationException', 'The provided starting key is invalid')
  await expectError(client.send(new QueryCommand({
    ...input, KeyConditionExpression: 'tournament = :t AND league = :r AND round > :n',
    ExpressionAttributeValues: { ...euPartition, ':n': N(5) }, ExclusiveStartKey: first.LastEvaluatedKey,
  })), 'ValidationException', 'The provided starting key does not match the range key predicate')
})

// A KEYS_ONLY composite index holds the table key and all its own key attributes; reading it
// is charged to the index.
test('projections and consumed capacity of a composite index', async () => {
  const reply = await client.send(new QueryCommand({
    TableName: matches, IndexName: 'keys', KeyConditionExpression: 'tournament = :t AND league = :r AND round = :n',
    ExpressionAttributeValues: { ...euPartition, ':n': N(10) }, ReturnConsumedCapacity: 'INDEXES',
  }))
  assert.deepEqual(reply.Items, [{ pk: S('m2'), tournament: S('w24'), league: S('eu'), round: N(10) }])
  assert.equal(reply.ConsumedCapacity!.GlobalSecondaryIndexes!.keys!.CapacityUnits, 0.5)
})

// Scan of a composite index (whole or in parallel segments) sees exactly the indexed items,
// and pages with the same LastEvaluatedKey shape as Query.
test('Scan and parallel Scan of a composite index', async () => {
  const scanned: string[] = []
  let start: Record<string, AttributeValue> | undefined
  for (let page = 0; page < 20; page++) {
    const reply = await client.send(new ScanCommand({ TableName: matches, IndexName: 'match', Limit: 2, ...(start ? { ExclusiveStartKey: start } : {}) }))
    scanned.push(...reply.Items!.map((item) => item.pk!.S!))
    start = reply.LastEvaluatedKey
    if (!start) break
  }
  const indexed = rows.map(([pk]) => pk).sort()
  assert.deepEqual(scanned.sort(), indexed)
  const segments = await Promise.all([0, 1, 2].map((Segment) =>
    client.send(new ScanCommand({ TableName: matches, IndexName: 'match', Segment, TotalSegments: 3 }))))
  assert.deepEqual(segments.flatMap((reply) => reply.Items!.map((item) => item.pk!.S!)).sort(), indexed)
})

// An UpdateItem that completes the key brings the item into the index; removing one key
// attribute takes it out again.
test('updates move an item in and out of a composite index', async () => {
  const values = { ':t': S('w24'), ':r': S('mid') }
  const inMid = () => queryMatches('tournament = :t AND league = :r', values)
  await client.send(new PutItemCommand({ TableName: matches, Item: {
    pk: S('u1'), tournament: S('w24'), league: S('mid'), round: N(3), bracket: S('upper'),
  } }))
  assert.deepEqual(await inMid(), [])
  await client.send(new UpdateItemCommand({ TableName: matches, Key: { pk: S('u1') }, UpdateExpression: 'SET matchId = :m', ExpressionAttributeValues: { ':m': S('x') } }))
  assert.deepEqual(await inMid(), ['u1'])
  await client.send(new UpdateItemCommand({ TableName: matches, Key: { pk: S('u1') }, UpdateExpression: 'REMOVE round' }))
  assert.deepEqual(await inMid(), [])
})

// Writes check every present index key attribute: its type, emptiness and size (2048 bytes for
// a partition attribute, 1024 for a sort attribute), naming the attribute and the index (the
// messages as AWS-validated suites and AWS users record them).
test('writes reject invalid index key values with DynamoDB\'s messages', localDiffers('its messages stop after "Type mismatch for Index Key" and "Size limit exceeded"'), async () => {
  const base = { pk: S('bad'), tournament: S('w24'), league: S('eu'), round: N(1), bracket: S('upper'), matchId: S('a') }
  const put = (Item: Record<string, AttributeValue>) => client.send(new PutItemCommand({ TableName: matches, Item }))
  await expectError(put({ ...base, bracket: N(1) }), 'ValidationException',
    'One or more parameter values were invalid: Type mismatch for Index Key bracket Expected: S Actual: N IndexName: match')
  // league keys both match and byLeague: the first in name order is named (write-validation.test.ts).
  await expectError(put({ ...base, league: S('r'.repeat(2049)) }), 'ValidationException',
    'One or more parameter values were invalid: Size limit exceeded for Index Key league Actual Size: 2049 bytes Max Size: 2048 bytes IndexName: byLeague')
  await expectError(put({ ...base, matchId: S('m'.repeat(1025)) }), 'ValidationException',
    'One or more parameter values were invalid: Size limit exceeded for Index Key matchId Actual Size: 1025 bytes Max Size: 1024 bytes IndexName: match')
  await expectError(put({ ...base, league: S('') }), 'ValidationException', /empty string value\. IndexName: byLeague, IndexKey: league$/)
  await expectError(client.send(new UpdateItemCommand({
    TableName: matches, Key: { pk: S('m1') }, UpdateExpression: 'SET tournament = :long', ExpressionAttributeValues: { ':long': S('t'.repeat(2049)) },
  })), 'ValidationException', /Size limit exceeded for Index Key tournament Actual Size: 2049 bytes Max Size: 2048 bytes IndexName: (match|keys)$/)
})

// The attributes of one role of a multi-attribute key, those the item has, must also fit the
// role's limit together (numbers sized as DynamoDB sizes them: 1 is 2 bytes), as DynamoDB Local
// 2026-05-28 answers; unconfirmed against AWS.
test('the attributes of a multi-attribute key role share its size limit', async () => {
  const tableName = uniqueTableName('composite-aggregate')
  await createTable(client, {
    TableName: tableName, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, ...['h1', 'h2', 's2', 's3'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
      { AttributeName: 's1', AttributeType: 'N' }],
    GlobalSecondaryIndexes: [{ IndexName: 'agg', KeySchema: [...hash('h1', 'h2'), ...range('s1', 's2', 's3')], Projection: { ProjectionType: 'KEYS_ONLY' } }],
  })
  const put = (Item: Record<string, AttributeValue>) => client.send(new PutItemCommand({ TableName: tableName, Item: { pk: S('p'), ...Item } }))
  await put({ h1: S('a'.repeat(1000)), h2: S('b'.repeat(1048)), s1: N(1), s2: S('c'.repeat(500)), s3: S('d'.repeat(520)) })
  await expectError(put({ h1: S('a'.repeat(1000)), h2: S('b'.repeat(1049)) }), 'ValidationException',
    'Aggregate size for HASH key attributes h1, h2 of index agg has exceeded limit 2048 bytes, with actual size 2049 bytes')
  await expectError(put({ h1: S('a'), h2: S('b'), s1: N(1), s2: S('c'.repeat(1000)), s3: S('d'.repeat(23)) }), 'ValidationException',
    'Aggregate size for RANGE key attributes s1, s2, s3 of index agg has exceeded limit 1024 bytes, with actual size 1025 bytes')
  // Only the attributes present count, and the item need not be in the index.
  await expectError(put({ s2: S('c'.repeat(1000)), s3: S('d'.repeat(25)) }), 'ValidationException',
    'Aggregate size for RANGE key attributes s2, s3 of index agg has exceeded limit 1024 bytes, with actual size 1025 bytes')
  // An attribute over the limit on its own is reported as such first.
  await expectError(put({ h1: S('a'.repeat(2049)), h2: S('b') }), 'ValidationException', /^One or more parameter values were invalid: Size limit exceeded/)
})

// PartiQL cannot read a GSI with multi-attribute keys (DynamoDB's wording names tables, as an
// AWS-validated suite pinned it in two regions), while the table itself and its plain GSIs stay
// readable.
test('PartiQL refuses to read a composite index', localDiffers('it says "composite" where AWS says "multi-attribute"'), async () => {
  await expectError(client.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "${matches}"."match" WHERE tournament = 'w24' AND league = 'eu'` })),
    'ValidationException', 'PartiQL statements cannot be executed on tables with multi-attribute HASH keys or multi-attribute RANGE keys.')
  // Ahead of what the statement asks for: a function call in the projection is refused after it.
  await expectError(client.send(new ExecuteStatementCommand({ Statement: `SELECT COUNT(*) FROM "${matches}"."match"` })),
    'ValidationException', 'PartiQL statements cannot be executed on tables with multi-attribute HASH keys or multi-attribute RANGE keys.')
  await expectError(client.send(new ExecuteStatementCommand({ Statement: `SELECT COUNT(*) FROM "${matches}"` })),
    'ValidationException', 'Unexpected path component at 1:8:5')
  const plain = await client.send(new ExecuteStatementCommand({ Statement: `SELECT pk FROM "${matches}"."byLeague" WHERE league = 'us'` }))
  assert.deepEqual(plain.Items, [{ pk: S('m5') }])
})

// ExecuteStatement words index problems its own way: an unknown index is not named (and comes
// before the consistency check), and a strongly consistent read of a GSI is refused in other
// words than Query's (an AWS-validated suite's PartiQL index-read cases).
test('PartiQL index-read messages', localDiffers('its messages differ'), async () => {
  const statement = (index: string) => new ExecuteStatementCommand({ Statement: `SELECT pk FROM "${matches}"."${index}" WHERE league = 'us'`, ConsistentRead: true })
  await expectError(client.send(statement('byLeague')), 'ValidationException', 'Strongly consistent read is not supported on Global Secondary Indexes')
  await expectError(client.send(statement('nope')), 'ValidationException', 'The table does not have the specified index')
})

/** CreateTable with one GSI of the given KeySchema; resolves to the error's message. */
async function createWithIndex(KeySchema: Array<{ AttributeName: string; KeyType: 'HASH' | 'RANGE' }>, extra: Partial<CreateTableCommandInput> = {}) {
  const names = [...new Set(KeySchema.map((element) => element.AttributeName))]
  const input: CreateTableCommandInput = {
    TableName: uniqueTableName('composite-bad'), BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: ['pk', ...names].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    GlobalSecondaryIndexes: [{ IndexName: 'gsi', KeySchema, Projection: { ProjectionType: 'ALL' } }],
    ...extra,
  }
  return (await expectError(client.send(new CreateTableCommand(input)), 'ValidationException')).message
}

const hash = (...names: string[]) => names.map((AttributeName) => ({ AttributeName, KeyType: 'HASH' as const }))
const range = (...names: string[]) => names.map((AttributeName) => ({ AttributeName, KeyType: 'RANGE' as const }))

// At most four HASH and four RANGE entries (as an API-quirks lab's catalogue recorded AWS's words, 2026-10).
test('a composite key has at most four HASH and four RANGE entries', localDiffers('it words the refusal "Too many partition keys..."'), async () => {
  assert.equal(await createWithIndex(hash('a', 'b', 'c', 'd', 'e')), 'One or more parameter values were invalid: The KeySchema exceeds the maximum allowed number of HASH key attributes')
  assert.equal(await createWithIndex([...hash('a'), ...range('b', 'c', 'd', 'e', 'f')]), 'One or more parameter values were invalid: The KeySchema exceeds the maximum allowed number of RANGE key attributes')
})

// HASH entries first, all different; only GSIs may have more than one of either. DynamoDB Local
// answers these with the messages it also gives two-element schemas, where AWS's differ
// (dynalite's createTable tests); AWS's words for the new refusals are an API-quirks lab's (2026-10).
test('invalid composite key schemas are refused', localDiffers('it reuses its older KeySchema messages ("Invalid key order...", "Two keys can not have the same name")'), async () => {
  assert.equal(await createWithIndex([...hash('a'), ...range('b'), ...hash('c')]), 'One or more parameter values were invalid: All HASH key attributes must precede RANGE key attributes in the KeySchema')
  assert.equal(await createWithIndex([...range('a'), ...hash('b')]), 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type')
  assert.equal(await createWithIndex([...hash('a', 'b'), ...range('a')]), 'The KeySchema contains multiple key attributes with the same name')
  assert.match(await createWithIndex(hash('a', 'b'), { AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'a', AttributeType: 'S' }] }),
    /^One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions\. Keys: \[a, b\]/)
  assert.match(await createWithIndex([...hash('a', 'b', 'c', 'd', 'e'), ...range('f', 'g', 'h', 'i')]),
    /Member must have length less than or equal to 8/)
  // Tables and LSIs keep one HASH and one RANGE element.
  const table = await expectError(client.send(new CreateTableCommand({
    TableName: uniqueTableName('composite-table'), BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [...hash('a'), ...range('b', 'c')],
    AttributeDefinitions: ['a', 'b', 'c'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
  })), 'ValidationException')
  assert.match(table.message, /Member must have length less than or equal to 2/)
  const local = await expectError(client.send(new CreateTableCommand({
    TableName: uniqueTableName('composite-lsi'), BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [...hash('p'), ...range('s')],
    AttributeDefinitions: ['p', 's', 'l', 'm'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    LocalSecondaryIndexes: [{ IndexName: 'lsi', KeySchema: [...hash('p'), ...range('l', 'm')], Projection: { ProjectionType: 'ALL' } }],
  })), 'ValidationException')
  assert.match(local.message, /Member must have length less than or equal to 2/)
})

const indexWaitPollsMax = 100

async function waitForIndexActive(tableName: string, indexName: string): Promise<TableDescription> {
  for (let poll = 0; poll < indexWaitPollsMax; poll++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }))
    const index = Table!.GlobalSecondaryIndexes?.find((each) => each.IndexName === indexName)
    if (Table!.TableStatus === 'ACTIVE' && index?.IndexStatus === 'ACTIVE') return Table!
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${indexName} never became ACTIVE`)
}

// UpdateTable can add a composite GSI to a populated table. The backfill indexes the items that
// have valid values for every key attribute and leaves out the rest: those lacking one, and
// those whose value is of the wrong type or too large for the key (index key violations).
test('UpdateTable adds a composite GSI; the backfill skips items with missing or invalid key values', localDiffers('its backfill indexes items whose key values are invalid'), async () => {
  const tableName = uniqueTableName('composite-backfill')
  await createTable(client, {
    TableName: tableName, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  })
  const items: Array<[string, Record<string, AttributeValue>]> = [
    ['ok1', { a: S('x'), b: N(7), c: S('2') }],
    ['ok2', { a: S('x'), b: N(7), c: S('1') }],
    ['noC', { a: S('x'), b: N(7) }],
    ['wrongType', { a: S('x'), b: S('7'), c: S('3') }],
    ['tooLong', { a: S('x'), b: N(7), c: S('c'.repeat(1025)) }],
    ['emptyA', { a: S(''), b: N(7), c: S('4') }],
    ['aggregate', { a: S('x'.repeat(2047)), b: N(7), c: S('5') }],
  ]
  for (const [pk, attributes] of items) {
    await client.send(new PutItemCommand({ TableName: tableName, Item: { pk: S(pk), ...attributes } }))
  }
  const updated = await client.send(new UpdateTableCommand({
    TableName: tableName,
    AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }, { AttributeName: 'b', AttributeType: 'N' }, { AttributeName: 'c', AttributeType: 'S' }],
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'abc', KeySchema: [...hash('a', 'b'), ...range('c')], Projection: { ProjectionType: 'ALL' } } }],
  }))
  assert.deepEqual(updated.TableDescription!.GlobalSecondaryIndexes![0]!.KeySchema, [...hash('a', 'b'), ...range('c')])
  const table = await waitForIndexActive(tableName, 'abc')
  assert.equal(table.GlobalSecondaryIndexes![0]!.ItemCount, 2)
  const reply = await client.send(new QueryCommand({
    TableName: tableName, IndexName: 'abc', KeyConditionExpression: 'a = :a AND b = :b', ExpressionAttributeValues: { ':a': S('x'), ':b': N(7) },
  }))
  assert.deepEqual(reply.Items!.map((item) => item.pk!.S), ['ok2', 'ok1'])
  // Once the index exists, writes apply its key rules.
  await expectError(client.send(new PutItemCommand({ TableName: tableName, Item: { pk: S('later'), a: S('x'), b: S('7') } })),
    'ValidationException', 'One or more parameter values were invalid: Type mismatch for Index Key b Expected: N Actual: S IndexName: abc')
})

// The same limits hold for single-attribute GSIs: an oversized partition value fails the write,
// and a backfill leaves such items out.
test('single-attribute GSI keys: size limit on write and on backfill', localDiffers('its backfill indexes items whose key values are invalid'), async () => {
  const tableName = uniqueTableName('gsi-limits')
  await createTable(client, {
    TableName: tableName, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  })
  await client.send(new PutItemCommand({ TableName: tableName, Item: { pk: S('long'), g: S('g'.repeat(3000)) } }))
  await client.send(new PutItemCommand({ TableName: tableName, Item: { pk: S('short'), g: S('g') } }))
  await client.send(new UpdateTableCommand({
    TableName: tableName, AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byG', KeySchema: hash('g'), Projection: { ProjectionType: 'KEYS_ONLY' } } }],
  }))
  const table = await waitForIndexActive(tableName, 'byG')
  assert.equal(table.GlobalSecondaryIndexes![0]!.ItemCount, 1)
  const scan = await client.send(new ScanCommand({ TableName: tableName, IndexName: 'byG' }))
  assert.deepEqual(scan.Items, [{ pk: S('short'), g: S('g') }])
  await expectError(client.send(new PutItemCommand({ TableName: tableName, Item: { pk: S('again'), g: S('g'.repeat(3000)) } })),
    'ValidationException', 'One or more parameter values were invalid: Size limit exceeded for Index Key g Actual Size: 3000 bytes Max Size: 2048 bytes IndexName: byG')
})

// A Query's ExclusiveStartKey must name the whole table key, in the queried partition, within
// the sort key condition (on tables as on indexes, composite ones included). "…outside query
// boundaries based on provided condition" follows a 2026 report (dynalite recorded "…conditions").
test('table Query: ExclusiveStartKey without the sort key, from another partition, or outside the condition', localDiffers('a start key from another partition "does not match the range key predicate"; one without the sort key "must have same size as table\'s key schema"'), async () => {
  const tableName = uniqueTableName('esk')
  await createTable(client, {
    TableName: tableName, KeySchema: [...hash('pk'), ...range('sk')],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
  })
  const input = { TableName: tableName, KeyConditionExpression: 'pk = :p AND sk > :n', ExpressionAttributeValues: { ':p': S('a'), ':n': N(5) } }
  await expectError(client.send(new QueryCommand({ ...input, ExclusiveStartKey: { pk: S('a') } })), 'ValidationException', 'The provided starting key is invalid')
  await expectError(client.send(new QueryCommand({ ...input, ExclusiveStartKey: { pk: S('b'), sk: N(6) } })),
    'ValidationException', 'The provided starting key is outside query boundaries based on provided condition')
  await expectError(client.send(new QueryCommand({ ...input, ExclusiveStartKey: { pk: S('a'), sk: N(5) } })),
    'ValidationException', 'The provided starting key does not match the range key predicate')
  const reply = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: { pk: S('a'), sk: N(6) } }))
  assert.deepEqual(reply.Items, [])
  const first = await client.send(new QueryCommand({
    TableName: matches, IndexName: 'match', KeyConditionExpression: 'tournament = :t AND league = :r', ExpressionAttributeValues: euPartition, Limit: 1,
  }))
  await expectError(client.send(new QueryCommand({
    TableName: matches, IndexName: 'match', KeyConditionExpression: 'tournament = :t AND league = :r', ExpressionAttributeValues: euPartition,
    ExclusiveStartKey: { ...first.LastEvaluatedKey, league: S('us') },
  })), 'ValidationException', 'The provided starting key is outside query boundaries based on provided condition')
  // A Scan no longer names the reason (DynamoDB's September 2026 rollout, eu-west-2).
  await expectError(client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: { pk: S('a') } })),
    'ValidationException', 'The provided starting key is invalid')
})
