/**
 * The stream lifecycle: enable on CreateTable or UpdateTable, disable and re-enable (a new
 * stream, the old one DISABLED and still readable), DeleteTable (DISABLED and readable), and
 * the errors of the four Streams operations.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  CreateTableCommand, DeleteTableCommand, DescribeTableCommand, PutItemCommand, UpdateTableCommand,
} from '@aws-sdk/client-dynamodb'
import {
  DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams'
import { readAll, startStreamsServer, uniqueTableName, type StreamsTestServer } from './helpers.js'

let server: StreamsTestServer
before(async () => { server = await startStreamsServer() })
after(async () => { await server.close() })

async function createTable(stream?: { StreamEnabled: boolean; StreamViewType?: 'KEYS_ONLY' | 'NEW_IMAGE' }): Promise<string> {
  const tableName = uniqueTableName('life')
  await server.dynamodb.send(new CreateTableCommand({
    TableName: tableName,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: stream,
  }))
  return tableName
}

const put = (tableName: string, pk: string) =>
  server.dynamodb.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: pk } } }))

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message }
  }
  throw new Error('expected an error')
}

test('disabling and re-enabling makes a new stream; the old one stays DISABLED and readable', async () => {
  const tableName = await createTable({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' })
  const first = (await server.dynamodb.send(new DescribeTableCommand({ TableName: tableName }))).Table!.LatestStreamArn!
  await put(tableName, 'in-first')
  await server.dynamodb.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }))
  await put(tableName, 'in-no-stream')
  const disabledTable = (await server.dynamodb.send(new DescribeTableCommand({ TableName: tableName }))).Table!
  assert.equal(disabledTable.StreamSpecification, undefined)
  assert.equal(disabledTable.LatestStreamArn, first)
  const updated = await server.dynamodb.send(new UpdateTableCommand({
    TableName: tableName, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
  }))
  const second = updated.TableDescription!.LatestStreamArn!
  assert.notEqual(second, first)
  await put(tableName, 'in-second')

  const oldDescription = (await server.streams.send(new DescribeStreamCommand({ StreamArn: first }))).StreamDescription!
  assert.equal(oldDescription.StreamStatus, 'DISABLED')
  assert.ok(oldDescription.Shards!.every((shard) => shard.SequenceNumberRange!.EndingSequenceNumber))
  const newDescription = (await server.streams.send(new DescribeStreamCommand({ StreamArn: second }))).StreamDescription!
  assert.equal(newDescription.StreamStatus, 'ENABLED')
  assert.equal(newDescription.StreamViewType, 'NEW_IMAGE')

  assert.deepEqual((await readAll(server.streams, first, 1)).map((record) => record.dynamodb!.Keys!.pk!.S), ['in-first'])
  assert.deepEqual((await readAll(server.streams, second, 1)).map((record) => record.dynamodb!.Keys!.pk!.S), ['in-second'])
  const listed = await server.streams.send(new ListStreamsCommand({ TableName: tableName }))
  assert.deepEqual(listed.Streams!.map((stream) => stream.StreamArn).sort(), [first, second].sort())
})

test('a drained closed shard gives no NextShardIterator; an open one always does', async () => {
  const tableName = await createTable({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' })
  await put(tableName, 'x')
  const arn = (await server.dynamodb.send(new DescribeTableCommand({ TableName: tableName }))).Table!.LatestStreamArn!
  const shardId = (await server.streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards![0]!.ShardId!
  const iterator = (await server.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!
  assert.match(iterator, new RegExp(`^${arn.replace(/[.]/g, '\\.')}\\|1\\|`))
  // A record shows once its commit is final (at once on SQLite; on PostgreSQL when no older
  // transaction anywhere in the database can still commit): read on, as a stream reader does.
  // Every page of the open shard, empty or not, hands out the next iterator.
  let open = await server.streams.send(new GetRecordsCommand({ ShardIterator: iterator }))
  for (let reads = 1; open.Records!.length === 0 && reads < 500; reads++) {
    assert.ok(open.NextShardIterator)
    await new Promise((resolve) => setTimeout(resolve, 20))
    open = await server.streams.send(new GetRecordsCommand({ ShardIterator: open.NextShardIterator }))
  }
  assert.equal(open.Records!.length, 1)
  const empty = await server.streams.send(new GetRecordsCommand({ ShardIterator: open.NextShardIterator! }))
  assert.deepEqual(empty.Records, [])
  assert.ok(empty.NextShardIterator)
  await server.dynamodb.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }))
  // Drained once the reader knows nothing more can show before the shard's end: at once on
  // SQLite; on PostgreSQL once no older transaction can still commit (as above), so read on.
  let closed = await server.streams.send(new GetRecordsCommand({ ShardIterator: empty.NextShardIterator! }))
  for (let reads = 1; closed.NextShardIterator !== undefined && reads < 500; reads++) {
    assert.deepEqual(closed.Records, [])
    await new Promise((resolve) => setTimeout(resolve, 20))
    closed = await server.streams.send(new GetRecordsCommand({ ShardIterator: closed.NextShardIterator }))
  }
  assert.deepEqual(closed.Records, [])
  assert.equal(closed.NextShardIterator, undefined)
})

test('DeleteTable leaves the stream DISABLED and its records readable', async () => {
  const tableName = await createTable({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' })
  await put(tableName, 'before-delete')
  const deleted = await server.dynamodb.send(new DeleteTableCommand({ TableName: tableName }))
  const arn = deleted.TableDescription!.LatestStreamArn!
  const description = (await server.streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!
  assert.equal(description.StreamStatus, 'DISABLED')
  assert.equal(description.TableName, tableName)
  assert.deepEqual((await readAll(server.streams, arn, 1)).map((record) => record.eventName), ['INSERT'])
  const listed = await server.streams.send(new ListStreamsCommand({ TableName: tableName }))
  assert.deepEqual(listed.Streams!.map((stream) => stream.StreamArn), [arn])
  // A table re-created under the same name gets a stream of its own.
  await createTable({ StreamEnabled: false })
})

test('ListStreams pages by ARN with Limit and ExclusiveStartStreamArn', async () => {
  const names = [await createTable({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' }),
    await createTable({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' }),
    await createTable({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' })]
  const seen: string[] = []
  let start: string | undefined
  for (let page = 0; page < 100; page++) {
    const listed = await server.streams.send(new ListStreamsCommand({ Limit: 1, ExclusiveStartStreamArn: start }))
    assert.ok(listed.Streams!.length <= 1)
    seen.push(...listed.Streams!.map((stream) => stream.TableName!))
    start = listed.LastEvaluatedStreamArn
    if (!start) break
  }
  for (const name of names) assert.equal(seen.filter((each) => each === name).length, 1)
})

test('ListStreams and DescribeStream errors', async () => {
  const tableName = await createTable({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' })
  assert.deepEqual(await errorOf(server.streams.send(new ListStreamsCommand({ Limit: 0 }))), {
    name: 'ValidationException',
    message: "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
  })
  // The model sets no maximum Limit: DynamoDB Local's words, not a model constraint's.
  assert.deepEqual(await errorOf(server.streams.send(new ListStreamsCommand({ Limit: 101 }))), {
    name: 'ValidationException', message: 'One or more parameter values were invalid: Limit cannot be greater than the maximum allowed size: 100',
  })
  assert.deepEqual(await errorOf(server.streams.send(new ListStreamsCommand({ ExclusiveStartStreamArn: 'kossaapaaasdafsdaasdasdasdasasdasfadfadfasdasdas' }))),
    { name: 'ValidationException', message: 'Invalid StreamArn' })
  assert.deepEqual(await errorOf(server.streams.send(new DescribeStreamCommand({ StreamArn: 'sdfadfsdfnlfkajakfgjalksfgklasjklasdjfklasdfasdfgasf' }))),
    { name: 'ValidationException', message: 'Invalid StreamArn' })
  const missing = 'arn:aws:dynamodb:us-east-1:000000000000:table/nothing-here/stream/2020-01-01T00:00:00.000'
  assert.deepEqual(await errorOf(server.streams.send(new DescribeStreamCommand({ StreamArn: missing }))),
    { name: 'ResourceNotFoundException', message: `Requested resource not found: Stream: ${missing} not found` })
  const arn = (await server.dynamodb.send(new DescribeTableCommand({ TableName: tableName }))).Table!.LatestStreamArn!
  const afterLast = await server.streams.send(new DescribeStreamCommand({ StreamArn: arn, ExclusiveStartShardId: 'shardId-99999999999999999999-ffffffff' }))
  assert.deepEqual(afterLast.StreamDescription!.Shards, [])
  const listedNone = await server.streams.send(new ListStreamsCommand({ TableName: await createTable() }))
  assert.deepEqual(listedNone.Streams, [])
})

test('GetShardIterator and GetRecords errors', async () => {
  const tableName = await createTable({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' })
  await put(tableName, 'x')
  const arn = (await server.dynamodb.send(new DescribeTableCommand({ TableName: tableName }))).Table!.LatestStreamArn!
  const shard = (await server.streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards![0]!
  const start = shard.SequenceNumberRange!.StartingSequenceNumber!
  const iterator = (type: string, sequence?: string, shardId = shard.ShardId!) => server.streams.send(new GetShardIteratorCommand({
    StreamArn: arn, ShardId: shardId, ShardIteratorType: type as 'LATEST', SequenceNumber: sequence,
  }))
  for (const type of ['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER']) {
    assert.ok((await iterator(type, start)).ShardIterator)
    assert.equal((await errorOf(iterator(type))).name, 'ValidationException')
  }
  for (const type of ['TRIM_HORIZON', 'LATEST']) {
    assert.ok((await iterator(type)).ShardIterator)
    assert.equal((await errorOf(iterator(type, start))).name, 'ValidationException')
  }
  assert.equal((await errorOf(iterator('SIDEWAYS'))).name, 'ValidationException')
  assert.equal((await errorOf(iterator('AT_SEQUENCE_NUMBER', 'x'.repeat(21)))).name, 'ValidationException')
  assert.deepEqual(await errorOf(iterator('TRIM_HORIZON', undefined, 'shardId-00000000000000000000-00000000')),
    { name: 'ResourceNotFoundException', message: 'Requested resource not found: Shard does not exist' })
  assert.deepEqual(await errorOf(server.streams.send(new GetRecordsCommand({ ShardIterator: 'garbage' }))),
    { name: 'ValidationException', message: 'Invalid ShardIterator' })
  const valid = (await iterator('TRIM_HORIZON')).ShardIterator!
  const forged = valid.replace(/\|1\|[^.]*/, `|1|${Buffer.from(`${shard.ShardId!}|5|${Date.now()}`).toString('base64url')}`)
  assert.equal((await errorOf(server.streams.send(new GetRecordsCommand({ ShardIterator: forged })))).name, 'ValidationException')
  assert.deepEqual(await errorOf(server.streams.send(new GetRecordsCommand({ ShardIterator: valid, Limit: 1001 }))), {
    name: 'ValidationException', message: 'One or more parameter values were invalid: Limit should be less than or equal to 1000',
  })
  assert.deepEqual(await errorOf(server.streams.send(new DescribeStreamCommand({ StreamArn: arn, Limit: 101 }))), {
    name: 'ValidationException', message: 'One or more parameter values were invalid: Limit cannot be greater than the maximum: 100',
  })
  // LATEST starts after everything written so far.
  const latest = await server.streams.send(new GetRecordsCommand({ ShardIterator: (await iterator('LATEST')).ShardIterator! }))
  assert.deepEqual(latest.Records, [])
  // As on DynamoDB, the shard's StartingSequenceNumber lies before its first record: AT and
  // AFTER it both read that record, and AFTER the record's own number reads past it.
  // On PostgreSQL the record shows once no older transaction can still commit: read on until it does.
  let atStart = await server.streams.send(new GetRecordsCommand({ ShardIterator: (await iterator('AT_SEQUENCE_NUMBER', start)).ShardIterator! }))
  for (let reads = 1; atStart.Records!.length === 0 && atStart.NextShardIterator && reads < 500; reads++) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    atStart = await server.streams.send(new GetRecordsCommand({ ShardIterator: atStart.NextShardIterator }))
  }
  assert.equal(atStart.Records!.length, 1)
  const first = atStart.Records![0]!.dynamodb!.SequenceNumber!
  assert.ok(BigInt(first) > BigInt(start), `${first} > ${start}`)
  const afterStart = await server.streams.send(new GetRecordsCommand({ ShardIterator: (await iterator('AFTER_SEQUENCE_NUMBER', start)).ShardIterator! }))
  assert.deepEqual(afterStart.Records!.map((record) => record.dynamodb!.SequenceNumber), [first])
  const afterFirst = await server.streams.send(new GetRecordsCommand({ ShardIterator: (await iterator('AFTER_SEQUENCE_NUMBER', first)).ShardIterator! }))
  assert.deepEqual(afterFirst.Records, [])
  const beforeStart = (BigInt(start) - 1n).toString().padStart(start.length, '0')
  if (BigInt(start) > 0n) assert.equal((await errorOf(iterator('AT_SEQUENCE_NUMBER', beforeStart))).name, 'ValidationException')
})
