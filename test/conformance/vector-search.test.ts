/**
 * Vector indexes and SearchVectors, as an AWS-validated suite characterised them against DynamoDB
 * in eu-west-2 (2026-08-11): index definitions and their refusals, the three distance functions'
 * scores (32-bit floats), projections, SearchConditionExpression on a SearchSchema, the checks
 * of writes into a vector-indexed table, the vector capacity shapes, and PartiQL's refusal.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  CreateBackupCommand, CreateTableCommand, DeleteTableCommand, DescribeBackupCommand, DescribeTableCommand, ExecuteStatementCommand,
  GetItemCommand, PutItemCommand, RestoreTableFromBackupCommand, SearchVectorsCommand, UpdateItemCommand, UpdateTableCommand,
  type AttributeValue, type CreateTableCommandInput, type DynamoDBClient, type RestoreTableFromBackupCommandInput,
  type SearchVectorsCommandInput, type UpdateTableCommandInput, type VectorIndex,
} from '@aws-sdk/client-dynamodb'
import { inProcessOnly, localDiffers, startTestServer, uniqueTableName, type TestServer } from '../helpers/server.js'
import { createTable, waitForActive } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'
import { ManualClock } from '../ttl/fixtures.js'

const vector = (...values: number[]): AttributeValue[] => values.map((value) => ({ N: String(value) }))
const unsupported = localDiffers('it has no vector indexes')

function vectorIndex(name: string, extra: Partial<VectorIndex> = {}): VectorIndex {
  return {
    IndexName: name, VectorAttribute: { AttributeName: 'vec' }, Dimensions: 3, DistanceFunction: 'COSINE',
    Projection: { ProjectionType: 'ALL' }, ...extra,
  }
}

let server: TestServer
let client: DynamoDBClient
/** One table, three indexes over the same vectors, one per distance function, and a partitioned one. */
let table: string

before(async () => {
  server = await startTestServer()
  client = server.client
  table = uniqueTableName('vectors')
  await createTable(client, {
    TableName: table,
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'team', AttributeType: 'S' }, { AttributeName: 'kind', AttributeType: 'S' }],
    VectorIndexes: [
      vectorIndex('by-cosine'),
      vectorIndex('by-euclid', { DistanceFunction: 'EUCLIDEAN' }),
      vectorIndex('by-dot', { DistanceFunction: 'DOT_PRODUCT', Projection: { ProjectionType: 'KEYS_ONLY' } }),
      vectorIndex('by-team', { SearchSchema: [
        { AttributeName: 'team', SearchSchemaElementType: 'HASH' }, { AttributeName: 'kind', SearchSchemaElementType: 'INLINE_FILTER' },
      ] }),
    ],
  })
  const items: Array<[string, number[], string, string]> = [
    ['same', [1, 0, 0], 'red', 'a'], ['square', [0, 1, 0], 'red', 'b'], ['opposite', [-1, 0, 0], 'blue', 'a'], ['mixed', [0.6, 0.8, 0], 'red', 'a'],
  ]
  for (const [id, values, team, kind] of items) {
    await client.send(new PutItemCommand({ TableName: table, Item: { id: { S: id }, vec: { L: vector(...values) }, team: { S: team }, kind: { S: kind }, note: { S: `note-${id}` } } }))
  }
})
after(async () => { await server?.close() })

async function scores(indexName: string, input: Partial<SearchVectorsCommandInput> = {}): Promise<Array<[string, number]>> {
  const result = await client.send(new SearchVectorsCommand({ TableName: table, IndexName: indexName, SearchVector: vector(1, 0, 0), TopK: 10, ...input }))
  return result.SearchResults!.map((hit) => [hit.Item!.id!.S!, hit.Score!])
}

test('DescribeTable shows each vector index as created, ACTIVE with its table', unsupported, async () => {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table }))
  const described = Table!.VectorIndexes!
  assert.deepEqual(described.map((index) => index.IndexName), ['by-cosine', 'by-euclid', 'by-dot', 'by-team'])
  const teams = described[3]!
  assert.deepEqual([teams.IndexStatus, teams.Dimensions, teams.DistanceFunction, teams.VectorAttribute, teams.Projection, teams.Backfilling],
    ['ACTIVE', 3, 'COSINE', { AttributeName: 'vec' }, { ProjectionType: 'ALL' }, undefined])
  assert.deepEqual(teams.SearchSchema, [{ AttributeName: 'team', SearchSchemaElementType: 'HASH' }, { AttributeName: 'kind', SearchSchemaElementType: 'INLINE_FILTER' }])
  assert.equal(teams.IndexArn, `${Table!.TableArn}/index/by-team`)
  assert.equal(described[0]!.SearchSchema, undefined)
})

test('scores follow the distance function, in 32-bit floats, best first', unsupported, async () => {
  assert.deepEqual(await scores('by-cosine'), [['same', 0], ['mixed', Math.fround(1 - Math.fround(0.6) / Math.hypot(Math.fround(0.6), Math.fround(0.8)))], ['square', 1], ['opposite', 2]])
  const euclid = await scores('by-euclid')
  assert.deepEqual(euclid.map(([id]) => id), ['same', 'mixed', 'square', 'opposite'])
  assert.deepEqual([euclid[0]![1], euclid[3]![1]], [0, 2])
  assert.ok(Math.abs(euclid[2]![1] - Math.SQRT2) < 1e-6 && Math.abs(euclid[1]![1] - Math.sqrt(0.8)) < 1e-6)
  // DOT_PRODUCT: higher is closer, and scores may be negative.
  assert.deepEqual(await scores('by-dot'), [['same', 1], ['mixed', Math.fround(0.6)], ['square', 0], ['opposite', -1]])
  assert.deepEqual(await scores('by-cosine', { TopK: 1 }), [['same', 0]])
})

test('results leave the vector out unless projected, which gives the index\'s 32-bit copy', unsupported, async () => {
  const first = await client.send(new SearchVectorsCommand({ TableName: table, IndexName: 'by-cosine', SearchVector: vector(1, 0, 0), TopK: 1 }))
  assert.deepEqual(Object.keys(first.SearchResults![0]!.Item!).sort(), ['id', 'kind', 'note', 'team'])
  assert.equal(first.ConsumedCapacity, undefined)
  const keysOnly = await client.send(new SearchVectorsCommand({ TableName: table, IndexName: 'by-dot', SearchVector: vector(1, 0, 0), TopK: 1 }))
  assert.deepEqual(keysOnly.SearchResults![0]!.Item, { id: { S: 'same' } })

  // 16777217 is past a float's integers, and 1 + 2^-24 lies halfway between two floats, rounding to 1.
  const precise = ['0.1', '16777217', '1.000000059604644775390625']
  await client.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'precise' }, vec: { L: precise.map((N) => ({ N })) } } }))
  const stored = await client.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'precise' } }, ConsistentRead: true }))
  assert.deepEqual(stored.Item!.vec!.L!.map((value) => value.N), precise)
  const projected = await client.send(new SearchVectorsCommand({
    TableName: table, IndexName: 'by-cosine', SearchVector: precise.map((N) => ({ N })), TopK: 1, ProjectionExpression: '#v, id', ExpressionAttributeNames: { '#v': 'vec' },
  }))
  assert.deepEqual(projected.SearchResults![0]!.Item, { id: { S: 'precise' }, vec: { L: [{ N: '0.1' }, { N: '16777216' }, { N: '1' }] } })
})

test('a SearchSchema HASH element partitions the index, INLINE_FILTER filters it', unsupported, async () => {
  const equal = (expression: string, values: Record<string, AttributeValue>) =>
    scores('by-team', { SearchConditionExpression: expression, ExpressionAttributeValues: values })
  assert.deepEqual((await equal('team = :t', { ':t': { S: 'red' } })).map(([id]) => id), ['same', 'mixed', 'square'])
  assert.deepEqual((await equal('team = :t AND kind = :k', { ':t': { S: 'red' }, ':k': { S: 'b' } })).map(([id]) => id), ['square'])
  // An item without the HASH attribute is written, and is in every index but the partitioned one.
  await client.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'teamless' }, vec: { L: vector(1, 0, 0) } } }))
  assert.ok((await scores('by-cosine')).some(([id]) => id === 'teamless'))
  assert.ok(!(await equal('team = :t', { ':t': { S: 'red' } })).some(([id]) => id === 'teamless'))
  // Removing the vector takes the item out of every index.
  await client.send(new UpdateItemCommand({ TableName: table, Key: { id: { S: 'teamless' } }, UpdateExpression: 'REMOVE vec' }))
  assert.ok(!(await scores('by-cosine')).some(([id]) => id === 'teamless'))
})

test('SearchVectors refuses what DynamoDB refuses, in its words', unsupported, async () => {
  const search = (input: Partial<SearchVectorsCommandInput>) =>
    client.send(new SearchVectorsCommand({ TableName: table, IndexName: 'by-cosine', SearchVector: vector(1, 0, 0), TopK: 1, ...input }))
  await expectError(search({ TopK: 0 }), 'ValidationException', /Member must have value greater than or equal to 1/)
  await expectError(search({ TopK: 101 }), 'ValidationException',
    "Provided TopK value '101' is out of valid range. The value must be between 1 and 100 inclusive")
  await expectError(search({ IndexName: 'nowhere' }), 'ValidationException', 'The table does not have the specified index: nowhere')
  await expectError(search({ SearchVector: vector(1, 0) }), 'ValidationException', 'Input search vector dimension 2 does not match vector index dimension 3')
  await expectError(search({ SearchVector: [{ L: vector(1, 0, 0) }] }), 'ValidationException',
    'Search vector contains invalid values. All values in the search vector must be a 32-bit floating-point number attribute')
  await expectError(search({ IndexName: 'by-team' }), 'ValidationException', 'SearchConditionExpression must be provided when SearchSchema has a HASH key')
  const comparator = 'Invalid SearchConditionExpression: Invalid comparator used in SearchConditionExpression'
  await expectError(search({ IndexName: 'by-team', SearchConditionExpression: 'team < :t', ExpressionAttributeValues: { ':t': { S: 'x' } } }),
    'ValidationException', comparator)
  await expectError(search({ IndexName: 'by-team', SearchConditionExpression: 'team = :t AND kind < :k', ExpressionAttributeValues: { ':t': { S: 'x' }, ':k': { S: 'y' } } }),
    'ValidationException', comparator)
  await expectError(search({ SearchConditionExpression: 'team = :t', ExpressionAttributeValues: { ':t': { S: 'x' } } }), 'ValidationException',
    'SearchConditionExpression must not contain any attributes that is not in SearchSchema. Invalid attribute: team')
  await expectError(search({ TableName: uniqueTableName('absent') }), 'ResourceNotFoundException')
})

test('writes into a vector-indexed table are checked against each index', unsupported, async () => {
  const put = (item: Record<string, AttributeValue>) => client.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'bad' }, ...item } }))
  await expectError(put({ vec: { L: vector(1, 0) } }), 'ValidationException',
    'One or more parameter values were invalid. Invalid size for parameter vec, Expected: 3, Actual: 2 IndexName: by-cosine')
  await expectError(put({ vec: { L: [{ N: '1' }, { S: 'x' }, { N: '0' }] } }), 'ValidationException',
    'One or more parameter values were invalid. Invalid type for parameter vec[1], Expected: 32-bit floating point number, Actual: S. IndexName: by-cosine')
  await expectError(put({ vec: { S: 'flat' } }), 'ValidationException',
    'One or more parameter values were invalid. Invalid type for parameter vec, Expected: 32-bit floating point number list IndexName: by-cosine')
  await expectError(put({ team: { S: '' }, vec: { L: vector(0, 0, 1) } }), 'ValidationException',
    'One or more parameter values are not valid. A value specified for a secondary index key is not supported. ' +
    'The AttributeValue for a key attribute cannot contain an empty string value. IndexName: by-team, IndexKey: team')
  await expectError(client.send(new UpdateItemCommand({ TableName: table, Key: { id: { S: 'same' } }, UpdateExpression: 'SET vec[3] = :n', ExpressionAttributeValues: { ':n': { N: '1' } } })),
    'ValidationException', /Invalid size for parameter vec, Expected: 3, Actual: 4 IndexName: by-cosine/)
  const unchanged = await client.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'same' } }, ConsistentRead: true }))
  assert.equal(unchanged.Item!.vec!.L!.length, 3)
  const absent = await client.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'bad' } }, ConsistentRead: true }))
  assert.equal(absent.Item, undefined)
})

test('vector capacity: search bytes alone, write bytes per index under INDEXES when the vector changes', unsupported, async () => {
  for (const detail of ['TOTAL', 'INDEXES'] as const) {
    const searched = await client.send(new SearchVectorsCommand({ TableName: table, IndexName: 'by-cosine', SearchVector: vector(1, 0, 0), TopK: 1, ReturnConsumedCapacity: detail }))
    assert.deepEqual(searched.ConsumedCapacity, { VectorSearchRequestBytes: 1024 })
  }
  const put = (id: string, detail: 'TOTAL' | 'INDEXES', vec?: number[]) => client.send(new PutItemCommand({
    TableName: table, ReturnConsumedCapacity: detail, Item: { id: { S: id }, ...(vec ? { vec: { L: vector(...vec) } } : {}) },
  }))
  const written = (await put('metered', 'INDEXES', [0.5, 0.5, 0])).ConsumedCapacity!
  assert.equal(written.CapacityUnits, 1)
  assert.deepEqual(Object.keys(written.VectorIndexes!), ['by-cosine', 'by-euclid', 'by-dot', 'by-team'])
  assert.deepEqual(written.VectorIndexes!['by-cosine'], { VectorWriteRequestBytes: 1024 })
  assert.equal((await put('metered', 'INDEXES', [0.5, 0.5, 0])).ConsumedCapacity!.VectorIndexes, undefined)
  assert.equal((await put('vectorless', 'INDEXES')).ConsumedCapacity!.VectorIndexes, undefined)
  const total = (await put('metered', 'TOTAL', [0, 0.5, 0.5])).ConsumedCapacity!
  assert.deepEqual([total.VectorIndexes, total.Table], [undefined, undefined])
})

test('PartiQL cannot read a vector index, and reads the vector off the table', unsupported, async () => {
  await expectError(client.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "${table}"."by-cosine"` })),
    'ValidationException', 'Scan operation not supported on this index type')
  const read = await client.send(new ExecuteStatementCommand({ Statement: `SELECT vec FROM "${table}" WHERE id = 'same'` }))
  assert.deepEqual(read.Items, [{ vec: { L: vector(1, 0, 0) } }])
})

test('CreateTable refuses vector indexes DynamoDB refuses, in its words', unsupported, async () => {
  const base = (vectorIndexes: VectorIndex[], extra: Partial<CreateTableCommandInput> = {}): CreateTableCommandInput => ({
    TableName: uniqueTableName('vector-refused'), KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST', VectorIndexes: vectorIndexes, ...extra,
  })
  const invalid = 'One or more parameter values were invalid: '
  const refused = (input: CreateTableCommandInput, message: string | RegExp) => expectError(client.send(new CreateTableCommand(input)), 'ValidationException', message)
  await refused(base([vectorIndex('vix')], { BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
    `${invalid}Vector indexes are only supported for PAY_PER_REQUEST tables`)
  await refused(base([vectorIndex('vix', { SearchSchema: [{ AttributeName: 'team', SearchSchemaElementType: 'HASH' }] })]),
    `${invalid}One element in SearchSchema is not defined in attribute definitions`)
  await refused(base([vectorIndex('vix', { Dimensions: 4097 })]), `${invalid}Number of dimensions must be between 1 and 4096 inclusive.`)
  await refused(base([vectorIndex('vix', { Dimensions: 0 })]), /Member must have value greater than or equal to 1/)
  await refused(base([vectorIndex('ab')]), /Member must have length greater than or equal to 3/)
  await refused(base([1, 2, 3, 4, 5, 6].map((n) => vectorIndex(`vix-${n}`))), `${invalid}VectorIndex count exceeds the per-table limit of 5`)
  await refused(base([vectorIndex('vix'), vectorIndex('vix2', { Dimensions: 4 })]),
    `${invalid}Conflicting attribute definition for 'vec'. All VectorIndexes on the same vector attribute must use the same dimensions.`)
  // The 4,096-dimension boundary is accepted.
  const widest = base([vectorIndex('vix', { Dimensions: 4096 })])
  await createTable(client, widest)
  const { Table } = await client.send(new DescribeTableCommand({ TableName: widest.TableName }))
  assert.equal(Table!.VectorIndexes![0]!.Dimensions, 4096)
})

test('UpdateTable adds a vector index in DynamoDB\'s phases: allocating, backfilling, active; and deletes it', { ...unsupported, ...inProcessOnly('it moves the server\'s clock') }, async () => {
  // A clock the test moves, so each phase is seen for certain (the server's own phases are seconds long).
  const clock = new ManualClock()
  const phased = await startTestServer({ clock })
  try {
    const dynamodb = phased.client
    const name = uniqueTableName('vector-added')
    await createTable(dynamodb, { TableName: name, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] })
    for (let i = 0; i < 4; i++) await dynamodb.send(new PutItemCommand({ TableName: name, Item: { id: { S: `item-${i}` }, vec: { L: vector(i, 1, 0) } } }))
    // Written before there was an index to check it: left out of the index, not refused.
    await dynamodb.send(new PutItemCommand({ TableName: name, Item: { id: { S: 'too-short' }, vec: { L: vector(1, 1) } } }))
    const limit = 'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table'
    const update = (VectorIndexUpdates: UpdateTableCommandInput['VectorIndexUpdates']) => dynamodb.send(new UpdateTableCommand({ TableName: name, VectorIndexUpdates }))
    const search = () => dynamodb.send(new SearchVectorsCommand({ TableName: name, IndexName: 'vix', SearchVector: vector(1, 1, 0), TopK: 10 }))
    const phase = async () => {
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: name }))
      const index = Table!.VectorIndexes?.find((each) => each.IndexName === 'vix')
      return [Table!.TableStatus, index?.IndexStatus, index?.Backfilling]
    }
    await expectError(update([{ Create: vectorIndex('one') }, { Create: vectorIndex('two') }]), 'LimitExceededException', limit)

    const added = await update([{ Create: vectorIndex('vix', { Projection: { ProjectionType: 'KEYS_ONLY' } }) }])
    assert.equal(added.TableDescription!.TableStatus, 'UPDATING')
    // Allocating: the table is UPDATING, the index not searchable, not deletable, and alone.
    assert.deepEqual(await phase(), ['UPDATING', 'CREATING', false])
    await expectError(search(), 'ValidationException', 'The table does not have the specified index: vix')
    await expectError(update([{ Delete: { IndexName: 'vix' } }]), 'ResourceInUseException', 'Attempt to change a resource which is still in use: ' +
      `Index creation is in resource allocation phase. Retry deletion during backfilling phase or when the index is active. Table: ${name} Index: vix`)
    await expectError(update([{ Create: vectorIndex('other') }]), 'LimitExceededException', limit)
    const createGsi = (IndexName: string) => dynamodb.send(new UpdateTableCommand({
      TableName: name, AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
    }))

    // Backfilling: the table is ACTIVE again, the index still CREATING; it cannot be searched, and the table cannot be deleted.
    clock.advanceSeconds(2)
    assert.deepEqual(await phase(), ['ACTIVE', 'CREATING', true])
    await expectError(search(), 'ValidationException', 'Cannot search backfilling vector index: vix')
    await expectError(dynamodb.send(new DeleteTableCommand({ TableName: name })), 'ResourceInUseException',
      'Attempt to change a resource which is still in use: Cannot delete table while indexes are being created, updated, or deleted.')
    await expectError(createGsi('by-id'), 'LimitExceededException', limit)

    clock.advanceSeconds(6)
    assert.deepEqual(await phase(), ['ACTIVE', 'ACTIVE', undefined])
    assert.deepEqual((await search()).SearchResults!.map((hit) => hit.Item!.id!.S), ['item-1', 'item-2', 'item-3', 'item-0'])
    await expectError(createGsi('vix'), 'ValidationException', 'Attempting to create an index which already exists')
    // From now on the index checks writes, and keeps the table on demand.
    await expectError(dynamodb.send(new PutItemCommand({ TableName: name, Item: { id: { S: 'late' }, vec: { L: vector(1) } } })),
      'ValidationException', /Invalid size for parameter vec, Expected: 3, Actual: 1 IndexName: vix/)
    await expectError(dynamodb.send(new UpdateTableCommand({ TableName: name, BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } })),
      'ValidationException', 'One or more parameter values were invalid: Vector indexes are only supported for PAY_PER_REQUEST tables')

    const deleted = await update([{ Delete: { IndexName: 'vix' } }])
    assert.equal(deleted.TableDescription!.VectorIndexes, undefined)
    await waitForActive(dynamodb, name)
    await expectError(search(), 'ValidationException', 'The table does not have the specified index: vix')
    await dynamodb.send(new PutItemCommand({ TableName: name, Item: { id: { S: 'late' }, vec: { L: vector(1) } } }))

    // A backfilling index takes a Delete (a cancel), after which the table can be deleted.
    await update([{ Create: vectorIndex('vix') }])
    clock.advanceSeconds(2)
    assert.deepEqual(await phase(), ['ACTIVE', 'CREATING', true])
    await update([{ Delete: { IndexName: 'vix' } }])
    await waitForActive(dynamodb, name)
    await dynamodb.send(new DeleteTableCommand({ TableName: name }))
  } finally {
    await phased.close()
  }
})

test('a backup keeps the vector indexes, and its restore searches like the source', unsupported, async () => {
  const { BackupDetails } = await client.send(new CreateBackupCommand({ TableName: table, BackupName: 'vectors' }))
  const { BackupDescription } = await client.send(new DescribeBackupCommand({ BackupArn: BackupDetails!.BackupArn }))
  assert.deepEqual(BackupDescription!.SourceTableFeatureDetails!.VectorIndexes!.map((index) => [index.IndexName, index.Dimensions]),
    [['by-cosine', 3], ['by-euclid', 3], ['by-dot', 3], ['by-team', 3]])
  const restored = uniqueTableName('vectors-restored')
  await client.send(new RestoreTableFromBackupCommand({ TargetTableName: restored, BackupArn: BackupDetails!.BackupArn }))
  const description = await waitForActive(client, restored)
  assert.deepEqual(description.VectorIndexes!.map((index) => [index.IndexName, index.IndexArn]),
    ['by-cosine', 'by-euclid', 'by-dot', 'by-team'].map((name) => [name, `${description.TableArn}/index/${name}`]))
  assert.deepEqual(description.AttributeDefinitions!.map((definition) => definition.AttributeName).sort(), ['id', 'kind', 'team'])
  const found = await client.send(new SearchVectorsCommand({
    TableName: restored, IndexName: 'by-team', SearchVector: vector(1, 0, 0), TopK: 10, SearchConditionExpression: 'team = :t', ExpressionAttributeValues: { ':t': { S: 'blue' } },
  }))
  assert.deepEqual(found.SearchResults!.map((hit) => [hit.Item!.id!.S, hit.Score]), [['opposite', 2]])

  // VectorIndexOverride keeps some of them (none here), and cannot add one; a provisioned restore must drop them.
  const restore = (extra: Partial<RestoreTableFromBackupCommandInput>) =>
    client.send(new RestoreTableFromBackupCommand({ TargetTableName: uniqueTableName('vectors-restored'), BackupArn: BackupDetails!.BackupArn, ...extra }))
  await expectError(restore({ VectorIndexOverride: [vectorIndex('nope')] }), 'ValidationException',
    'One or more parameter values were invalid: VectorIndex nope is not present in the source table; indexes cannot be added at restore')
  await expectError(restore({ BillingModeOverride: 'PROVISIONED', ProvisionedThroughputOverride: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
    'ValidationException', 'One or more parameter values were invalid: Vector indexes are only supported for PAY_PER_REQUEST tables')
  const withoutVectors = await restore({ VectorIndexOverride: [vectorIndex('by-dot')] })
  const kept = await waitForActive(client, withoutVectors.TableDescription!.TableName!)
  assert.deepEqual(kept.VectorIndexes!.map((index) => index.IndexName), ['by-dot'])
  assert.deepEqual(kept.AttributeDefinitions!.map((definition) => definition.AttributeName), ['id'])
})
