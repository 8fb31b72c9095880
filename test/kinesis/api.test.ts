/**
 * The Kinesis Data Streams API through the JS v3 SDK: stream lifecycle, records, iterators,
 * shard listing and resharding, retention, tags, errors and limits.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import {
  AddTagsToStreamCommand, CreateStreamCommand, DecreaseStreamRetentionPeriodCommand, DeleteStreamCommand,
  DescribeStreamCommand, DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand,
  IncreaseStreamRetentionPeriodCommand, ListShardsCommand, ListStreamsCommand, ListTagsForStreamCommand, MergeShardsCommand,
  PutRecordCommand, PutRecordsCommand, RemoveTagsFromStreamCommand, SplitShardCommand, StartStreamEncryptionCommand,
  UpdateShardCountCommand, type KinesisClient,
} from '@aws-sdk/client-kinesis'
import { expectError } from '../helpers/errors.js'
import { startKinesisServer, uniqueStreamName, type KinesisTestServer } from './fixtures.js'

let fixture: KinesisTestServer
let kinesis: KinesisClient

before(async () => {
  fixture = await startKinesisServer()
  kinesis = fixture.kinesis
})
after(() => fixture.close())

async function readShard(streamName: string, shardId: string, type: 'TRIM_HORIZON' | 'LATEST' = 'TRIM_HORIZON') {
  const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: type }))
  return kinesis.send(new GetRecordsCommand({ ShardIterator }))
}

describe('stream lifecycle', () => {
  test('CreateStream, DescribeStream, DescribeStreamSummary, ListStreams and DeleteStream', async () => {
    const name = uniqueStreamName()
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 3 }))
    const { StreamDescription: description } = await kinesis.send(new DescribeStreamCommand({ StreamName: name }))
    assert.equal(description!.StreamStatus, 'ACTIVE')
    assert.equal(description!.StreamARN, `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`)
    assert.equal(description!.RetentionPeriodHours, 24)
    assert.equal(description!.StreamModeDetails!.StreamMode, 'PROVISIONED')
    assert.ok(description!.StreamCreationTimestamp instanceof Date)
    assert.deepEqual(description!.Shards!.map((shard) => shard.ShardId), ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002'])
    assert.equal(description!.Shards![0]!.HashKeyRange!.StartingHashKey, '0')
    assert.equal(description!.Shards![2]!.HashKeyRange!.EndingHashKey, ((1n << 128n) - 1n).toString())
    assert.equal(BigInt(description!.Shards![0]!.HashKeyRange!.EndingHashKey!) + 1n, BigInt(description!.Shards![1]!.HashKeyRange!.StartingHashKey!))
    assert.match(description!.Shards![0]!.SequenceNumberRange!.StartingSequenceNumber!, /^\d{56}$/)

    const page = await kinesis.send(new DescribeStreamCommand({ StreamARN: description!.StreamARN, Limit: 2 }))
    assert.equal(page.StreamDescription!.Shards!.length, 2)
    assert.equal(page.StreamDescription!.HasMoreShards, true)

    const { StreamDescriptionSummary: summary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))
    assert.equal(summary!.OpenShardCount, 3)
    assert.equal(summary!.ConsumerCount, 0)

    const listed = await kinesis.send(new ListStreamsCommand({}))
    assert.ok(listed.StreamNames!.includes(name))
    assert.ok(listed.StreamSummaries!.some((entry) => entry.StreamARN === description!.StreamARN))

    await expectError(kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 })), 'ResourceInUseException',
      `Stream ${name} under account 000000000000 already exists.`)
    await kinesis.send(new DeleteStreamCommand({ StreamName: name }))
    await expectError(kinesis.send(new DescribeStreamCommand({ StreamName: name })), 'ResourceNotFoundException',
      `Stream ${name} under account 000000000000 not found.`)
  })

  test('DescribeStream and ListStreams answer at most 100 shards or streams, whatever the Limit', async () => {
    const name = uniqueStreamName()
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 101 }))
    const described = (await kinesis.send(new DescribeStreamCommand({ StreamName: name, Limit: 10000 }))).StreamDescription!
    assert.equal(described.Shards!.length, 100)
    assert.equal(described.HasMoreShards, true)
    await kinesis.send(new DeleteStreamCommand({ StreamName: name }))
    const names = Array.from({ length: 101 }, () => uniqueStreamName())
    for (const each of names) await kinesis.send(new CreateStreamCommand({ StreamName: each, ShardCount: 1 }))
    const listed = await kinesis.send(new ListStreamsCommand({ Limit: 10000 }))
    assert.equal(listed.StreamNames!.length, 100)
    assert.equal(listed.HasMoreStreams, true)
    for (const each of names) await kinesis.send(new DeleteStreamCommand({ StreamName: each }))
  })

  test('an ON_DEMAND stream without a shard count gets 4 shards', async () => {
    const name = uniqueStreamName()
    await kinesis.send(new CreateStreamCommand({ StreamName: name, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }))
    const { StreamDescriptionSummary: summary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))
    assert.equal(summary!.StreamModeDetails!.StreamMode, 'ON_DEMAND')
    assert.equal(summary!.OpenShardCount, 4)
  })

  test('validation errors list every broken constraint', async () => {
    const error = await expectError(kinesis.send(new CreateStreamCommand({ StreamName: 'bad name!', ShardCount: 0 })), 'ValidationException')
    assert.match(error.message, /^2 validation errors detected: /)
    assert.match(error.message, /Value 'bad name!' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: \[a-zA-Z0-9_.-\]\+/)
    assert.match(error.message, /Value '0' at 'shardCount' failed to satisfy constraint: Member must have value greater than or equal to 1/)
    // StreamId, a newer optional member of most stream operations, is checked against the model too.
    const streamId = await expectError(kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'any', StreamId: 'x'.repeat(25) })), 'ValidationException')
    assert.match(streamId.message, /at 'streamId' failed to satisfy constraint: Member must have length less than or equal to 24/)
  })
})

describe('records', () => {
  test('PutRecord and PutRecords land by partition key; GetRecords reads them in order', async () => {
    const name = uniqueStreamName()
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }))
    const first = await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'key-a', Data: Buffer.from('one') }))
    const batch = await kinesis.send(new PutRecordsCommand({
      StreamName: name,
      Records: [
        { PartitionKey: 'key-a', Data: Buffer.from('two') },
        { PartitionKey: 'key-a', Data: Buffer.from('three') },
        { PartitionKey: 'x', Data: Buffer.from('explicit'), ExplicitHashKey: ((1n << 128n) - 1n).toString() },
      ],
    }))
    assert.equal(batch.FailedRecordCount, 0)
    assert.equal(batch.Records![0]!.ShardId, first.ShardId)
    assert.equal(batch.Records![2]!.ShardId, 'shardId-000000000001')
    assert.ok(BigInt(batch.Records![0]!.SequenceNumber!) > BigInt(first.SequenceNumber!))

    const page = await readShard(name, first.ShardId!)
    const own = page.Records!.filter((record) => record.PartitionKey === 'key-a')
    assert.deepEqual(own.map((record) => Buffer.from(record.Data!).toString()), ['one', 'two', 'three'])
    assert.equal(own[0]!.SequenceNumber, first.SequenceNumber)
    assert.ok(own[0]!.ApproximateArrivalTimestamp instanceof Date)
    assert.equal(page.MillisBehindLatest, 0)
    assert.ok(page.NextShardIterator)

    // The next iterator continues after what was read; LATEST sees only what comes later.
    const latest = await kinesis.send(new GetShardIteratorCommand({ StreamName: name, ShardId: first.ShardId!, ShardIteratorType: 'LATEST' }))
    await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'key-a', Data: Buffer.from('four') }))
    const next = await kinesis.send(new GetRecordsCommand({ ShardIterator: page.NextShardIterator }))
    assert.deepEqual(next.Records!.map((record) => Buffer.from(record.Data!).toString()), ['four'])
    const fromLatest = await kinesis.send(new GetRecordsCommand({ ShardIterator: latest.ShardIterator }))
    assert.deepEqual(fromLatest.Records!.map((record) => Buffer.from(record.Data!).toString()), ['four'])

    const at = await kinesis.send(new GetShardIteratorCommand({
      StreamName: name, ShardId: first.ShardId!, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: first.SequenceNumber,
    }))
    assert.equal(Buffer.from((await kinesis.send(new GetRecordsCommand({ ShardIterator: at.ShardIterator, Limit: 1 }))).Records![0]!.Data!).toString(), 'one')
    const afterFirst = await kinesis.send(new GetShardIteratorCommand({
      StreamName: name, ShardId: first.ShardId!, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: first.SequenceNumber,
    }))
    const limited = await kinesis.send(new GetRecordsCommand({ ShardIterator: afterFirst.ShardIterator, Limit: 1 }))
    assert.equal(Buffer.from(limited.Records![0]!.Data!).toString(), 'two')
    assert.ok(limited.MillisBehindLatest! >= 0)

    const atTime = await kinesis.send(new GetShardIteratorCommand({
      StreamName: name, ShardId: first.ShardId!, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(Date.now() - 60_000),
    }))
    const sinceMinuteAgo = (await kinesis.send(new GetRecordsCommand({ ShardIterator: atTime.ShardIterator }))).Records!
    assert.equal(sinceMinuteAgo.filter((record) => record.PartitionKey === 'key-a').length, 4)
    await expectError(kinesis.send(new GetShardIteratorCommand({
      StreamName: name, ShardId: first.ShardId!, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(Date.now() + 3_600_000),
    })), 'InvalidArgumentException', /^The timestampInMillis parameter cannot be greater than the currentTimestampInMillis/)
  })

  test('limits: 1 MiB of data, 500 records and 5 MiB per PutRecords, hash keys below 2^128', async () => {
    const name = uniqueStreamName()
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }))
    // The limit holds the data and the partition key together.
    await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.alloc(1024 * 1024 - 1) }))
    await expectError(kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.alloc(1024 * 1024) })), 'InvalidArgumentException',
      "Record size of 1048577 bytes, data and partition key together, exceeds the stream's maximum record size of 1048576 bytes")
    const tooLarge = await expectError(kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.alloc(1024 * 1024 + 1) })), 'ValidationException')
    assert.match(tooLarge.message, /at 'data' failed to satisfy constraint: Member must have length less than or equal to 1048576/)
    const records = Array.from({ length: 501 }, () => ({ PartitionKey: 'k', Data: Buffer.from('x') }))
    const tooMany = await expectError(kinesis.send(new PutRecordsCommand({ StreamName: name, Records: records })), 'ValidationException')
    assert.match(tooMany.message, /at 'records' failed to satisfy constraint: Member must have length less than or equal to 500/)
    const large = Array.from({ length: 6 }, () => ({ PartitionKey: 'k', Data: Buffer.alloc(1024 * 1024 - 1) }))
    await expectError(kinesis.send(new PutRecordsCommand({ StreamName: name, Records: large })), 'InvalidArgumentException', 'Records size exceeds 5 MB limit')
    await expectError(kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from('x'), ExplicitHashKey: (1n << 128n).toString() })),
      'InvalidArgumentException', /^Invalid ExplicitHashKey/)
    await expectError(kinesis.send(new PutRecordCommand({ StreamName: uniqueStreamName('missing'), PartitionKey: 'k', Data: Buffer.from('x') })), 'ResourceNotFoundException')
    await expectError(kinesis.send(new GetRecordsCommand({ ShardIterator: 'not-an-iterator' })), 'InvalidArgumentException', 'Invalid ShardIterator.')
    await expectError(kinesis.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000009', ShardIteratorType: 'LATEST' })),
      'ResourceNotFoundException', `Shard shardId-000000000009 in stream ${name} under account 000000000000 does not exist`)
  })
})

describe('tokens', () => {
  // `IT=$(aws kinesis get-shard-iterator ... --query ShardIterator)` keeps the JSON quotes, and
  // Kinesis reads such an iterator (LocalStack's test_get_records_shard_iterator_with_surrounding_quotes, run against AWS).
  test('an iterator sent inside double quotes reads the shard', async () => {
    const name = uniqueStreamName()
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }))
    const put = await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from('Hello world') }))
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: name, ShardId: put.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))
    const read = await kinesis.send(new GetRecordsCommand({ ShardIterator: `"${ShardIterator}"` }))
    assert.deepEqual(read.Records?.map((record) => Buffer.from(record.Data!).toString()), ['Hello world'])
    await expectError(kinesis.send(new GetRecordsCommand({ ShardIterator: `"${ShardIterator}` })), 'InvalidArgumentException', 'Invalid ShardIterator.')
  })

  /** The token with its payload edited and its signature kept, as a client forging one would. */
  function edited(token: string, change: (payload: Record<string, unknown>) => void): string {
    const [body, signature] = token.split('.')
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8')) as Record<string, unknown>
    change(payload)
    return `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`
  }

  test('an iterator or a ListShards token that was edited is refused', async () => {
    const name = uniqueStreamName()
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 3 }))
    const put = await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from('read') }))
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: name, ShardId: put.ShardId, ShardIteratorType: 'LATEST' }))
    assert.deepEqual((await kinesis.send(new GetRecordsCommand({ ShardIterator }))).Records, [])
    // Moved back to the shard's start, and issued far in the future so as never to expire.
    const rewound = edited(ShardIterator!, (payload) => { payload.after = 0; payload.issuedMs = Date.now() + 10 * 365 * 86_400_000 })
    await expectError(kinesis.send(new GetRecordsCommand({ ShardIterator: rewound })), 'InvalidArgumentException', 'Invalid ShardIterator.')

    const { NextToken } = await kinesis.send(new ListShardsCommand({ StreamName: name, MaxResults: 1 }))
    assert.equal((await kinesis.send(new ListShardsCommand({ NextToken }))).Shards!.length, 2)
    const skipped = edited(NextToken!, (payload) => { payload.after = 1 })
    await expectError(kinesis.send(new ListShardsCommand({ NextToken: skipped })), 'InvalidArgumentException')
  })

  test('an unsigned token, as an EddyDB before signed tokens handed out, is answered as expired', async () => {
    const name = uniqueStreamName()
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }))
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))
    const { NextToken } = await kinesis.send(new ListShardsCommand({ StreamName: name, MaxResults: 1 }))
    // The payload alone: what a client held across the upgrade. Expired, so that it asks for a new one.
    const unsigned = (token: string) => token.split('.')[0]!
    await expectError(kinesis.send(new GetRecordsCommand({ ShardIterator: unsigned(ShardIterator!) })), 'ExpiredIteratorException',
      /^Iterator expired\. It was issued by the EddyDB this server was upgraded from/)
    await expectError(kinesis.send(new ListShardsCommand({ NextToken: unsigned(NextToken!) })), 'ExpiredNextTokenException')
  })
})

describe('shards', () => {
  test('SplitShard and MergeShards close parents; GetRecords at a closed end names the children', async () => {
    const name = uniqueStreamName()
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }))
    await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from('before') }))
    await kinesis.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (1n << 127n).toString() }))
    const { Shards: shards } = await kinesis.send(new ListShardsCommand({ StreamName: name }))
    assert.deepEqual(shards!.map((shard) => shard.ShardId), ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002'])
    assert.ok(shards![0]!.SequenceNumberRange!.EndingSequenceNumber)
    assert.equal(shards![1]!.ParentShardId, 'shardId-000000000000')
    assert.equal(shards![2]!.HashKeyRange!.StartingHashKey, (1n << 127n).toString())

    const parent = await readShard(name, 'shardId-000000000000')
    assert.deepEqual(parent.Records!.map((record) => Buffer.from(record.Data!).toString()), ['before'])
    assert.equal(parent.NextShardIterator, undefined)
    assert.deepEqual(parent.ChildShards!.map((child) => child.ShardId), ['shardId-000000000001', 'shardId-000000000002'])
    assert.deepEqual(parent.ChildShards![0]!.ParentShards, ['shardId-000000000000'])

    await expectError(kinesis.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: '5' })), 'ResourceInUseException')
    await kinesis.send(new MergeShardsCommand({ StreamName: name, ShardToMerge: 'shardId-000000000001', AdjacentShardToMerge: 'shardId-000000000002' }))
    const open = await kinesis.send(new ListShardsCommand({ StreamName: name, ShardFilter: { Type: 'AT_LATEST' } }))
    assert.deepEqual(open.Shards!.map((shard) => [shard.ShardId, shard.ParentShardId, shard.AdjacentParentShardId]),
      [['shardId-000000000003', 'shardId-000000000001', 'shardId-000000000002']])
  })

  test('ListShards filters and pages with NextToken', async () => {
    const name = uniqueStreamName()
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }))
    const created = Date.now()
    const scaled = await kinesis.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }))
    assert.equal(scaled.CurrentShardCount, 2)
    assert.equal(scaled.TargetShardCount, 4)
    const ids = async (filter?: object, streamName: string = name) =>
      (await kinesis.send(new ListShardsCommand({ StreamName: streamName, ...(filter ? { ShardFilter: filter as never } : {}) }))).Shards!.map((shard) => shard.ShardId!.slice(-1))
    assert.deepEqual(await ids(), ['0', '1', '2', '3', '4', '5'])
    assert.deepEqual(await ids({ Type: 'AT_LATEST' }), ['2', '3', '4', '5'])
    assert.deepEqual(await ids({ Type: 'AT_TRIM_HORIZON' }), ['0', '1'])
    assert.deepEqual(await ids({ Type: 'FROM_TRIM_HORIZON' }), ['0', '1', '2', '3', '4', '5'])
    assert.deepEqual(await ids({ Type: 'AFTER_SHARD_ID', ShardId: 'shardId-000000000003' }), ['4', '5'])
    assert.deepEqual(await ids({ Type: 'AT_TIMESTAMP', Timestamp: new Date(created - 60_000) }), ['0', '1'])
    assert.deepEqual(await ids({ Type: 'FROM_TIMESTAMP', Timestamp: new Date(Date.now() + 1000) }), ['2', '3', '4', '5'])

    const first = await kinesis.send(new ListShardsCommand({ StreamName: name, MaxResults: 4 }))
    assert.equal(first.Shards!.length, 4)
    assert.ok(first.NextToken)
    const second = await kinesis.send(new ListShardsCommand({ NextToken: first.NextToken }))
    assert.deepEqual(second.Shards!.map((shard) => shard.ShardId), ['shardId-000000000004', 'shardId-000000000005'])
    assert.equal(second.NextToken, undefined)
    await expectError(kinesis.send(new ListShardsCommand({ StreamName: name, NextToken: first.NextToken })), 'InvalidArgumentException')
    // The token says where the listing stands; a start shard or a creation time beside it would be
    // ignored, so Kinesis refuses them ("You cannot specify this parameter if you specify NextToken").
    await expectError(kinesis.send(new ListShardsCommand({ NextToken: first.NextToken, ExclusiveStartShardId: 'shardId-000000000000' })),
      'InvalidArgumentException', 'NextToken and ExclusiveStartShardId cannot be provided together.')
    await expectError(kinesis.send(new ListShardsCommand({ NextToken: first.NextToken, StreamCreationTimestamp: new Date(created) })),
      'InvalidArgumentException', 'NextToken and StreamCreationTimestamp cannot be provided together.')
  })
  // Scaling 5 shards to 3 makes a new shard overlap three old ones: Kinesis gets there by splits
  // and merges of single shards, so every shard names as parents exactly the shards its keys
  // came from, and reading parents before children keeps each key's records in order.
  test('UpdateShardCount links every new shard to every old shard its keys came from', async () => {
    const name = uniqueStreamName()
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 5 }))
    const hashKey = (2n ** 128n * 62n / 100n).toString()
    await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', ExplicitHashKey: hashKey, Data: Buffer.from('before') }))
    await kinesis.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 3, ScalingType: 'UNIFORM_SCALING' }))
    const after = await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', ExplicitHashKey: hashKey, Data: Buffer.from('after') }))
    const shards = (await kinesis.send(new ListShardsCommand({ StreamName: name }))).Shards!
    const byId = new Map(shards.map((shard) => [shard.ShardId!, shard]))
    const range = (id: string) => [BigInt(byId.get(id)!.HashKeyRange!.StartingHashKey!), BigInt(byId.get(id)!.HashKeyRange!.EndingHashKey!)]
    const parentsOf = (id: string) => [byId.get(id)!.ParentShardId, byId.get(id)!.AdjacentParentShardId].filter((parent): parent is string => parent !== undefined)
    const ancestors = (id: string): Set<string> => new Set(parentsOf(id).flatMap((parent) => [parent, ...ancestors(parent)]))
    const open = shards.filter((shard) => shard.SequenceNumberRange!.EndingSequenceNumber === undefined).map((shard) => shard.ShardId!)
    assert.equal(open.length, 3)
    for (const id of shards.map((shard) => shard.ShardId!)) {
      const [start, end] = range(id)
      // A child's range is its parent's part (a split) or its two adjacent parents' union (a merge).
      const parents = parentsOf(id).map(range).sort((a, b) => (a[0]! < b[0]! ? -1 : 1))
      if (parents.length === 1) assert.ok(parents[0]![0]! <= start! && end! <= parents[0]![1]!, `${id} lies inside its parent`)
      if (parents.length === 2) assert.deepEqual([parents[0]![0], parents[1]![1], parents[0]![1]! + 1n], [start, end, parents[1]![0]], `${id} merges two adjacent parents`)
    }
    const original = Array.from({ length: 5 }, (_, index) => `shardId-00000000000${index}`)
    for (const id of open) {
      const [start, end] = range(id)
      const overlapped = original.filter((old) => range(old)[0]! <= end! && range(old)[1]! >= start!)
      assert.deepEqual(overlapped.filter((old) => !ancestors(id).has(old)), [], `${id} descends from every old shard it overlaps`)
    }
    assert.ok(ancestors(after.ShardId!).has('shardId-000000000003'), 'the key moved from shard 3 to a descendant of it')
  })
})

describe('settings', () => {
  test('retention goes up to 8760 hours and down to 24, one direction per operation', async () => {
    const name = uniqueStreamName()
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }))
    await kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 8760 }))
    assert.equal((await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!.RetentionPeriodHours, 8760)
    await expectError(kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 48 })), 'InvalidArgumentException',
      `Requested retention period (48 hours) for stream ${name} can not be shorter than existing retention period (8760 hours). Use DecreaseRetentionPeriod API.`)
    await kinesis.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 24 }))
    await expectError(kinesis.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 23 })), 'InvalidArgumentException',
      'Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short.')
    // Kinesis's model has no range here: both bounds are the service's InvalidArgumentException.
    await expectError(kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 8761 })), 'InvalidArgumentException',
      'Maximum allowed retention period is 8760 hours. Requested retention period (8761 hours) is too long.')
    await expectError(kinesis.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 0 })), 'InvalidArgumentException',
      'Minimum allowed retention period is 24 hours. Requested retention period (0 hours) is too short.')
  })

  test('tags and encryption', async () => {
    const name = uniqueStreamName()
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }))
    await kinesis.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { team: 'data', env: 'test' } }))
    await kinesis.send(new RemoveTagsFromStreamCommand({ StreamName: name, TagKeys: ['env'] }))
    const tags = await kinesis.send(new ListTagsForStreamCommand({ StreamName: name }))
    assert.deepEqual(tags.Tags, [{ Key: 'team', Value: 'data' }])
    assert.equal(tags.HasMoreTags, false)
    // A record of an unencrypted stream carries no EncryptionType (AWS's recorded GetRecords
    // responses); once the stream is encrypted, its records say KMS.
    const plain = await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from('plain') }))
    const recordAt = async (SequenceNumber: string) => {
      const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({
        StreamName: name, ShardId: plain.ShardId!, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: SequenceNumber,
      }))
      return (await kinesis.send(new GetRecordsCommand({ ShardIterator }))).Records![0]!
    }
    const plainRecord = await recordAt(plain.SequenceNumber!)
    assert.equal(Buffer.from(plainRecord.Data!).toString(), 'plain')
    assert.ok(!('EncryptionType' in plainRecord) || plainRecord.EncryptionType === undefined)
    await kinesis.send(new StartStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }))
    const put = await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from('x') }))
    assert.equal(put.EncryptionType, 'KMS')
    assert.equal((await recordAt(put.SequenceNumber!)).EncryptionType, 'KMS')
    assert.equal((await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!.KeyId, 'alias/aws/kinesis')
  })
})

describe('protocols on one port', () => {
  test('the same stream over HTTP/2 (the SDK default) and HTTP/1.1, next to DynamoDB', async () => {
    const name = uniqueStreamName()
    await fixture.kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }))
    const put = await fixture.kinesisHttp1.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from('over http/1.1') }))
    const { ShardIterator } = await fixture.kinesis.send(new GetShardIteratorCommand({ StreamName: name, ShardId: put.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))
    const page = await fixture.kinesis.send(new GetRecordsCommand({ ShardIterator }))
    assert.equal(Buffer.from(page.Records![0]!.Data!).toString(), 'over http/1.1')
    const health = await fetch(fixture.server.url)
    assert.equal(health.status, 200)
  })
})

// A stream scaled 500 → 250 → 500 has 1,250 shards (750 closed): more than one page holds.
test('ListShards returns at most 1000 shards a page, whatever MaxResults asks', async () => {
  const own = await startKinesisServer()
  try {
    const name = uniqueStreamName()
    await own.kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 500 }))
    for (const target of [250, 500]) {
      await own.kinesis.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: target, ScalingType: 'UNIFORM_SCALING' }))
    }
    const first = await own.kinesis.send(new ListShardsCommand({ StreamName: name, MaxResults: 10000 }))
    assert.equal(first.Shards!.length, 1000)
    assert.ok(first.NextToken)
    const second = await own.kinesis.send(new ListShardsCommand({ NextToken: first.NextToken, MaxResults: 10000 }))
    assert.equal(second.Shards!.length, 250)
    assert.equal(second.NextToken, undefined)
  } finally {
    await own.close()
  }
})
