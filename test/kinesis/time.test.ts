/**
 * What depends on time, with a clock the test moves: iterators expire after 5 minutes, records
 * leave at the end of the stream's retention and closed shards with them; and records survive a
 * restart of the server on the same data directory.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import {
  CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, IncreaseStreamRetentionPeriodCommand, ListShardsCommand,
  PutRecordCommand, SplitShardCommand,
} from '@aws-sdk/client-kinesis'
import { trimStreamsOnce } from '../../src/kinesis/retention.js'
import { expectError } from '../helpers/errors.js'
import { testStorageUrl } from '../helpers/server.js'
import { ManualClock, startKinesisServer } from './fixtures.js'

const hourMs = 3_600_000

test('a shard iterator expires 5 minutes after it was issued', async () => {
  const clock = new ManualClock()
  const fixture = await startKinesisServer({ clock })
  try {
    const kinesis = fixture.kinesisHttp1
    await kinesis.send(new CreateStreamCommand({ StreamName: 'expiry', ShardCount: 1 }))
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: 'expiry', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))
    clock.advanceSeconds(299)
    const page = await kinesis.send(new GetRecordsCommand({ ShardIterator }))
    clock.advanceSeconds(2)
    await expectError(kinesis.send(new GetRecordsCommand({ ShardIterator })), 'ExpiredIteratorException', /^Iterator expired\./)
    // The iterator GetRecords answered is new: it has its own 5 minutes.
    await kinesis.send(new GetRecordsCommand({ ShardIterator: page.NextShardIterator }))
  } finally {
    await fixture.close()
  }
})

test('retention trims records, then the closed shards they emptied', async () => {
  const clock = new ManualClock()
  const fixture = await startKinesisServer({ clock })
  try {
    const kinesis = fixture.kinesisHttp1
    const ctx = await fixture.region()
    await kinesis.send(new CreateStreamCommand({ StreamName: 'short', ShardCount: 1 }))
    await kinesis.send(new CreateStreamCommand({ StreamName: 'long', ShardCount: 1 }))
    await kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'long', RetentionPeriodHours: 48 }))
    for (const stream of ['short', 'long']) await kinesis.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'k', Data: Buffer.from('old') }))
    await kinesis.send(new SplitShardCommand({ StreamName: 'short', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (1n << 127n).toString() }))
    clock.nowMs += 23 * hourMs
    await kinesis.send(new PutRecordCommand({ StreamName: 'short', PartitionKey: 'k', Data: Buffer.from('new') }))
    clock.nowMs += 2 * hourMs
    await trimStreamsOnce(ctx)

    const read = async (stream: string, shardId: string) => {
      const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))
      return (await kinesis.send(new GetRecordsCommand({ ShardIterator }))).Records!.map((record) => Buffer.from(record.Data!).toString())
    }
    assert.deepEqual(await read('long', 'shardId-000000000000'), ['old'])
    const shards = (await kinesis.send(new ListShardsCommand({ StreamName: 'short' }))).Shards!.map((shard) => shard.ShardId)
    assert.deepEqual(shards, ['shardId-000000000001', 'shardId-000000000002'])
    const children = [...await read('short', 'shardId-000000000001'), ...await read('short', 'shardId-000000000002')]
    assert.deepEqual(children, ['new'])
  } finally {
    await fixture.close()
  }
})

test('a record put in the millisecond its shard began still comes after the shard\'s StartingSequenceNumber', async () => {
  // The clock stands still, so the stream, the split and every record share one millisecond.
  const fixture = await startKinesisServer({ clock: new ManualClock() })
  try {
    const kinesis = fixture.kinesisHttp1
    await kinesis.send(new CreateStreamCommand({ StreamName: 'instant', ShardCount: 1 }))
    await kinesis.send(new PutRecordCommand({ StreamName: 'instant', PartitionKey: 'k', Data: Buffer.from('first') }))
    await kinesis.send(new SplitShardCommand({ StreamName: 'instant', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (1n << 127n).toString() }))
    const put = await kinesis.send(new PutRecordCommand({ StreamName: 'instant', PartitionKey: 'k', Data: Buffer.from('child') }))
    const shards = (await kinesis.send(new ListShardsCommand({ StreamName: 'instant' }))).Shards!
    for (const [shardId, data] of [['shardId-000000000000', 'first'], [put.ShardId!, 'child']] as const) {
      const start = shards.find((shard) => shard.ShardId === shardId)!.SequenceNumberRange!.StartingSequenceNumber!
      for (const ShardIteratorType of ['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] as const) {
        const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: 'instant', ShardId: shardId, ShardIteratorType, StartingSequenceNumber: start }))
        const records = (await kinesis.send(new GetRecordsCommand({ ShardIterator }))).Records!
        assert.deepEqual(records.map((record) => Buffer.from(record.Data!).toString()), [data], `${shardId} ${ShardIteratorType}`)
        assert.ok(BigInt(records[0]!.SequenceNumber!) > BigInt(start))
      }
    }
  } finally {
    await fixture.close()
  }
})

test('records and streams survive a restart on the same data directory', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'eddydb-kinesis-'))
  try {
    // Under test/run-on-postgres.js both servers must open the same database.
    const storageUrl = await testStorageUrl()
    let fixture = await startKinesisServer({ inMemory: false, dataDir, storageUrl })
    const put = await fixture.kinesisHttp1.send(new PutRecordCommand({ StreamName: await createdStream(fixture), PartitionKey: 'k', Data: Buffer.from('kept') }))
    await fixture.close()
    fixture = await startKinesisServer({ inMemory: false, dataDir, storageUrl })
    try {
      const { ShardIterator } = await fixture.kinesisHttp1.send(new GetShardIteratorCommand({
        StreamName: 'durable', ShardId: put.ShardId!, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: put.SequenceNumber,
      }))
      const page = await fixture.kinesisHttp1.send(new GetRecordsCommand({ ShardIterator }))
      assert.deepEqual(page.Records!.map((record) => Buffer.from(record.Data!).toString()), ['kept'])
    } finally {
      await fixture.close()
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
})

async function createdStream(fixture: Awaited<ReturnType<typeof startKinesisServer>>): Promise<string> {
  await fixture.kinesisHttp1.send(new CreateStreamCommand({ StreamName: 'durable', ShardCount: 2 }))
  return 'durable'
}
