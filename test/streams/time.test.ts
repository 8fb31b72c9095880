/**
 * Time-driven behaviour, with a clock the tests move by hand: shard rollover and lineage,
 * iterator expiry, retention trimming (never past an internal reader's cursor), and streams
 * disappearing once their retention ends.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CreateTableCommand, DescribeTableCommand, PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb'
import {
  DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams'
import { trimOnce, trimTable } from '../../src/changes/retention.js'
import { trimmedThrough } from '../../src/changes/trim-point.js'
import { saveCursor } from '../../src/changes/cursors.js'
import { manualClock, readAll, startStreamsServer, uniqueTableName, type StreamsTestServer } from './helpers.js'

const hourMs = 3_600_000

async function streamTable(server: StreamsTestServer): Promise<{ tableName: string; streamArn: string; tableId: string }> {
  const tableName = uniqueTableName('time')
  const created = await server.dynamodb.send(new CreateTableCommand({
    TableName: tableName,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
  }))
  const description = created.TableDescription!
  return { tableName, streamArn: description.LatestStreamArn!, tableId: description.TableId! }
}

const put = (server: StreamsTestServer, tableName: string, pk: string) =>
  server.dynamodb.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: pk } } }))

async function errorName(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    return (error as Error).name
  }
  return 'no error'
}

test('the open shard rolls over after its period into a child that names it as parent', async () => {
  const clock = manualClock()
  const server = await startStreamsServer({ clock, streamShardRolloverMinutes: 1 })
  try {
    const { tableName, streamArn } = await streamTable(server)
    await put(server, tableName, 'a')
    clock.advance(61_000)
    await put(server, tableName, 'b')
    const shards = (await server.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!.Shards!
    assert.equal(shards.length, 2)
    const [parent, child] = shards as [typeof shards[0], typeof shards[0]]
    assert.ok(parent.ShardId! < child.ShardId!)
    assert.match(child.ShardId!, /^shardId-[0-9]{20}-[0-9a-f]{8}$/)
    assert.equal(child.ParentShardId, parent.ShardId)
    assert.ok(parent.SequenceNumberRange!.EndingSequenceNumber)
    assert.equal(child.SequenceNumberRange!.EndingSequenceNumber, undefined)
    await put(server, tableName, 'c')
    // 'b' was written before anyone looked, so it still belongs to the first shard.
    assert.deepEqual((await readAll(server.streams, streamArn, 3)).map((record) => record.dynamodb!.Keys!.pk!.S), ['a', 'b', 'c'])
    const children = await server.streams.send(new DescribeStreamCommand({
      StreamArn: streamArn, ShardFilter: { Type: 'CHILD_SHARDS', ShardId: parent.ShardId! },
    }))
    assert.deepEqual(children.StreamDescription!.Shards!.map((shard) => shard.ShardId), [child.ShardId])
    const paged = await server.streams.send(new DescribeStreamCommand({ StreamArn: streamArn, Limit: 1 }))
    assert.equal(paged.StreamDescription!.LastEvaluatedShardId, parent.ShardId)
    // The shard list is stable: asking again changes nothing.
    const again = (await server.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!.Shards!
    assert.deepEqual(again, shards)
  } finally {
    await server.close()
  }
})

test('iterators expire after 15 minutes', async () => {
  const clock = manualClock()
  const server = await startStreamsServer({ clock })
  try {
    const { streamArn } = await streamTable(server)
    const shardId = (await server.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!.Shards![0]!.ShardId!
    const iterator = (await server.streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'LATEST' }))).ShardIterator!
    clock.advance(15 * 60_000)
    const fresh = await server.streams.send(new GetRecordsCommand({ ShardIterator: iterator }))
    clock.advance(1)
    assert.equal(await errorName(server.streams.send(new GetRecordsCommand({ ShardIterator: iterator }))), 'ExpiredIteratorException')
    // NextShardIterator is a new iterator with 15 minutes of its own.
    assert.deepEqual((await server.streams.send(new GetRecordsCommand({ ShardIterator: fresh.NextShardIterator! }))).Records, [])
  } finally {
    await server.close()
  }
})

test('records older than the retention are trimmed, never past a cursor', async () => {
  const clock = manualClock()
  const server = await startStreamsServer({ clock, streamRetentionHours: 1, retentionIntervalMs: 3_600_000 })
  try {
    const region = await server.region()
    const { tableName, streamArn, tableId } = await streamTable(server)
    await put(server, tableName, 'old')
    const shard = (await server.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!.Shards![0]!
    const early = (await server.streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!
    await region.storage.transact((tx) => saveCursor(tx, tableId, 'test-reader', 0))
    clock.advance(2 * hourMs)
    await put(server, tableName, 'new')
    await trimOnce(region)
    const both = await readAll(server.streams, streamArn, 2)
    assert.deepEqual(both.map((record) => record.dynamodb!.Keys!.pk!.S), ['old', 'new'])
    // The reader has processed both (sequences need not be dense: read them, do not assume 1 and 2).
    await region.storage.transact((tx) => saveCursor(tx, tableId, 'test-reader', Number(both[1]!.dynamodb!.SequenceNumber)))
    await trimOnce(region)
    assert.deepEqual((await readAll(server.streams, streamArn, 1)).map((record) => record.dynamodb!.Keys!.pk!.S), ['new'])
    assert.equal(await errorName(server.streams.send(new GetShardIteratorCommand({
      StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      SequenceNumber: shard.SequenceNumberRange!.StartingSequenceNumber!,
    }))), 'TrimmedDataAccessException')
    // The iterator issued two hours ago has expired by now, which GetRecords reports first.
    assert.equal(await errorName(server.streams.send(new GetRecordsCommand({ ShardIterator: early }))), 'ExpiredIteratorException')
  } finally {
    await server.close()
  }
})

test('an iterator pointing at records trimmed since it was issued gets TrimmedDataAccessException', async () => {
  const clock = manualClock()
  const server = await startStreamsServer({ clock, streamRetentionHours: 0.1, retentionIntervalMs: 3_600_000 })
  try {
    const region = await server.region()
    const { tableName, streamArn } = await streamTable(server)
    await put(server, tableName, 'a')
    clock.advance(0.1 * hourMs - 60_000)
    const shardId = (await server.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!.Shards![0]!.ShardId!
    const iterator = (await server.streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!
    clock.advance(2 * 60_000)
    await trimOnce(region)
    assert.equal(await errorName(server.streams.send(new GetRecordsCommand({ ShardIterator: iterator }))), 'TrimmedDataAccessException')
  } finally {
    await server.close()
  }
})

test('a disabled stream disappears once its retention has passed', async () => {
  const clock = manualClock()
  const server = await startStreamsServer({ clock, streamRetentionHours: 1, retentionIntervalMs: 3_600_000 })
  try {
    const { tableName, streamArn } = await streamTable(server)
    await server.dynamodb.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }))
    clock.advance(hourMs - 1)
    assert.equal((await server.streams.send(new ListStreamsCommand({ TableName: tableName }))).Streams!.length, 1)
    clock.advance(1)
    assert.deepEqual((await server.streams.send(new ListStreamsCommand({ TableName: tableName }))).Streams, [])
    assert.equal(await errorName(server.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))), 'ResourceNotFoundException')
    await trimOnce(await server.region())
    const table = (await server.dynamodb.send(new DescribeTableCommand({ TableName: tableName }))).Table!
    assert.equal(table.LatestStreamArn, streamArn)
  } finally {
    await server.close()
  }
})

/** Polls of the trim point: 3000 × 20 ms is a minute, far past the 720 ms retention plus one pass. */
const trimPollsMax = 3000

test('the background trimmer trims on its own with a tiny retention', async () => {
  // 0.0002 hours = 720 ms; the trimmer runs every 36 ms.
  const server = await startStreamsServer({ streamRetentionHours: 0.0002 })
  try {
    const { tableName, streamArn, tableId } = await streamTable(server)
    await put(server, tableName, 'soon-gone')
    // Wait for the event itself, the trim point passing the record, rather than polling reads: a
    // read racing the trimmer may rightly get TrimmedDataAccessException between its calls.
    const region = await server.region()
    const trimPoint = () => region.storage.read((view) => trimmedThrough(view, tableId))
    for (let poll = 0; poll < trimPollsMax && await trimPoint() === 0; poll++) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    assert.ok(await trimPoint() > 0, 'the trimmer never trimmed the record')
    assert.deepEqual(await readAll(server.streams, streamArn), [])
  } finally {
    await server.close()
  }
})

// The log is kept for its readers only. A table without a stream, replicas or PITR logs nothing
// where one process owns the storage (SQLite); on a shared engine (PostgreSQL) it logs every write
// and the trimmer removes it at the next pass, without waiting for a stream retention. A reader
// with a cursor (a trigger, a backup being taken...) gets every change after it registered.
test('a table whose log nobody reads keeps none; a reader with a cursor gets every change', async () => {
  const server = await startStreamsServer({ retentionIntervalMs: 3_600_000 })
  try {
    const region = await server.region()
    const tableName = uniqueTableName('unread')
    const created = await server.dynamodb.send(new CreateTableCommand({
      TableName: tableName, BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    }))
    const tableId = created.TableDescription!.TableId!
    const logged = async () => (await region.storage.read((view) => view.readChanges(tableId, 0, 100))).map((change) => JSON.parse(change.keysJson).pk.S)
    const shared = region.storage.onCommit !== undefined
    await put(server, tableName, 'unread')
    // On shared storage every write is logged, and the background trimmer may already have cut
    // it (nothing reads it): only the data directory's "never logged" is a fixed state to check.
    if (!shared) assert.deepEqual(await logged(), [])
    await trimOnce(region)
    assert.deepEqual(await logged(), [], 'nothing older than now is kept for a table without readers')
    const before = await region.storage.read((view) => view.lastChangeSequence(tableId))
    await region.storage.transact((tx) => saveCursor(tx, tableId, 'test-reader', before))
    await put(server, tableName, 'read')
    await trimOnce(region)
    // On PostgreSQL a change is read once final: a transaction running elsewhere in the cluster
    // (another test file's) can hold it back for a while, so wait for it, a bounded number of times.
    let kept = await logged()
    for (let poll = 0; poll < 200 && kept.length === 0; poll++) {
      await new Promise((resolve) => setTimeout(resolve, 25))
      kept = await logged()
    }
    assert.deepEqual(kept, ['read'], 'the reader has not processed it yet')
    const last = await region.storage.read((view) => view.lastChangeSequence(tableId))
    await region.storage.transact((tx) => saveCursor(tx, tableId, 'test-reader', last))
    await trimOnce(region)
    assert.deepEqual(await logged(), [])
  } finally {
    await server.close()
  }
})

test('a pass that listed the streams before a table got its stream does not trim that stream\'s records', async () => {
  const server = await startStreamsServer({ retentionIntervalMs: 3_600_000 })
  try {
    const region = await server.region()
    const { tableName, streamArn, tableId } = await streamTable(server)
    await put(server, tableName, 'kept')
    // What a pass does for a table it found in the catalog but not in the streams it listed
    // before the table was created: trim as for a table without a stream.
    await trimTable(region, tableId, region.clock.now(), false)
    assert.equal(await region.storage.read((view) => trimmedThrough(view, tableId)), 0)
    assert.deepEqual((await readAll(server.streams, streamArn, 1)).map((record) => record.dynamodb!.Keys!.pk!.S), ['kept'])
  } finally {
    await server.close()
  }
})
