/**
 * Kinesis's DryRun member on PutRecord, PutRecords, GetShardIterator, GetRecords and
 * SubscribeToShard (https://docs.aws.amazon.com/streams/latest/dev/kds-dryrun-validation.html):
 * with DryRun true Kinesis checks permissions, parameters and that the stream, shard or consumer
 * exists, then answers HTTP 400 DryRunOperationException without reading or writing anything; a
 * failed check answers the error the real call would. Each test says what a dry run must not do
 * and checks it through a later real call, since a dry run that quietly acted would still answer.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import {
  CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, PutRecordCommand, PutRecordsCommand,
  RegisterStreamConsumerCommand, SubscribeToShardCommand, type SubscribeToShardEventStream,
} from '@aws-sdk/client-kinesis'
import type { RunningServer } from '../../src/server.js'
import { expectError } from '../helpers/errors.js'
import { expectDenied, policy, startSecureServer } from '../security/helpers.js'
import { ManualClock, startKinesisServer, uniqueStreamName, type KinesisTestServer } from './fixtures.js'

const clock = new ManualClock()
let fixture: KinesisTestServer
let kinesis: KinesisClient
before(async () => {
  fixture = await startKinesisServer({ clock })
  kinesis = fixture.kinesis
})
after(() => fixture.close())

const shardId = 'shardId-000000000000'
const oneMiB = 1024 * 1024

async function newStream(): Promise<string> {
  const name = uniqueStreamName('dry-run')
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }))
  return name
}

/** Every record of the stream's one shard, as text, read for real. */
async function recordsOf(streamName: string): Promise<string[]> {
  const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))
  const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator }))
  return Records!.map((record) => Buffer.from(record.Data!).toString())
}

/** A dry run whose checks pass: DryRunOperationException, HTTP 400. */
async function expectDryRun(promise: Promise<unknown>): Promise<void> {
  const error = await expectError(promise, 'DryRunOperationException')
  assert.equal(error.$metadata?.httpStatusCode, 400)
}

describe('PutRecord and PutRecords', () => {
  test('a dry run answers DryRunOperationException and writes nothing; DryRun false writes', async () => {
    const name = await newStream()
    const error = await expectError(
      kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from('dry one'), DryRun: true })),
      'DryRunOperationException', 'The request would have succeeded, but DryRun was set.')
    assert.equal(error.$metadata?.httpStatusCode, 400)
    await expectDryRun(kinesis.send(new PutRecordsCommand({
      StreamName: name, DryRun: true,
      Records: [{ PartitionKey: 'a', Data: Buffer.from('dry two') }, { PartitionKey: 'b', Data: Buffer.from('dry three') }],
    })))
    // By ARN too: the stream is found the same way as for a real put.
    await expectDryRun(kinesis.send(new PutRecordCommand({
      StreamARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`, PartitionKey: 'k', Data: Buffer.from('dry four'), DryRun: true,
    })))
    assert.deepEqual(await recordsOf(name), [])

    const put = await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from('real one'), DryRun: false }))
    assert.equal(put.ShardId, shardId)
    const puts = await kinesis.send(new PutRecordsCommand({ StreamName: name, DryRun: false, Records: [{ PartitionKey: 'k', Data: Buffer.from('real two') }] }))
    assert.equal(puts.FailedRecordCount, 0)
    assert.deepEqual(await recordsOf(name), ['real one', 'real two'])
  })

  test('a dry run to a missing stream answers ResourceNotFoundException', async () => {
    const missing = uniqueStreamName('missing')
    await expectError(kinesis.send(new PutRecordCommand({ StreamName: missing, PartitionKey: 'k', Data: Buffer.from('x'), DryRun: true })),
      'ResourceNotFoundException', `Stream ${missing} under account 000000000000 not found.`)
    await expectError(kinesis.send(new PutRecordsCommand({ StreamName: missing, Records: [{ PartitionKey: 'k', Data: Buffer.from('x') }], DryRun: true })),
      'ResourceNotFoundException')
  })

  test('a dry run of an invalid put answers the error the put would', async () => {
    const name = await newStream()
    // Checked before the stream is loaded: the model's constraints and the hash key's range.
    await expectError(kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: '', Data: Buffer.from('x'), DryRun: true })),
      'ValidationException', /at 'partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1/)
    await expectError(kinesis.send(new PutRecordCommand({
      StreamName: name, PartitionKey: 'k', Data: Buffer.from('x'), ExplicitHashKey: (1n << 128n).toString(), DryRun: true,
    })), 'InvalidArgumentException', /^Invalid ExplicitHashKey/)
    // Checked against the loaded stream: its maximum record size (1 MiB), for the data alone and
    // for data and partition key together.
    await expectError(kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.alloc(oneMiB + 1), DryRun: true })),
      'ValidationException', /at 'data' failed to satisfy constraint: Member must have length less than or equal to 1048576/)
    await expectError(kinesis.send(new PutRecordsCommand({
      StreamName: name, DryRun: true, Records: [{ PartitionKey: 'k', Data: Buffer.alloc(oneMiB) }],
    })), 'InvalidArgumentException', /^Record size of 1048577 bytes/)
    assert.deepEqual(await recordsOf(name), [])
  })

  test('a DryRun that is not a boolean is a SerializationException, as any wrong-typed member', async () => {
    const name = await newStream()
    await expectError(kinesis.send(new PutRecordCommand({
      StreamName: name, PartitionKey: 'k', Data: Buffer.from('x'), DryRun: 'true' as unknown as boolean,
    })), 'SerializationException')
    assert.deepEqual(await recordsOf(name), [])
  })
})

describe('GetShardIterator and GetRecords', () => {
  test('a dry run answers DryRunOperationException instead of an iterator or records; DryRun false reads', async () => {
    const name = await newStream()
    await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from('stored') }))
    await expectDryRun(kinesis.send(new GetShardIteratorCommand({ StreamName: name, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON', DryRun: true })))

    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({
      StreamName: name, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON', DryRun: false,
    }))
    await expectDryRun(kinesis.send(new GetRecordsCommand({ ShardIterator, DryRun: true })))
    // The same iterator still reads the record: GetRecords with DryRun false returns it.
    const read = await kinesis.send(new GetRecordsCommand({ ShardIterator, DryRun: false }))
    assert.deepEqual(read.Records!.map((record) => Buffer.from(record.Data!).toString()), ['stored'])
  })

  test('a dry run of a missing stream or shard answers ResourceNotFoundException', async () => {
    const name = await newStream()
    const missing = uniqueStreamName('missing')
    await expectError(kinesis.send(new GetShardIteratorCommand({ StreamName: missing, ShardId: shardId, ShardIteratorType: 'LATEST', DryRun: true })),
      'ResourceNotFoundException', `Stream ${missing} under account 000000000000 not found.`)
    await expectError(kinesis.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000007', ShardIteratorType: 'LATEST', DryRun: true })),
      'ResourceNotFoundException', `Shard shardId-000000000007 in stream ${name} under account 000000000000 does not exist`)
  })

  test('a dry run with an invalid argument answers the error the real call would', async () => {
    const name = await newStream()
    await expectError(kinesis.send(new GetShardIteratorCommand({
      StreamName: name, ShardId: shardId, ShardIteratorType: 'NEWEST' as 'LATEST', DryRun: true,
    })), 'ValidationException', /at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set/)
    await expectError(kinesis.send(new GetShardIteratorCommand({ StreamName: name, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', DryRun: true })),
      'InvalidArgumentException', 'StartingSequenceNumber must be specified for ShardIteratorType AT_SEQUENCE_NUMBER.')
    await expectError(kinesis.send(new GetShardIteratorCommand({
      StreamName: name, ShardId: shardId, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(clock.now() + 3_600_000), DryRun: true,
    })), 'InvalidArgumentException', /^The timestampInMillis parameter cannot be greater than the currentTimestampInMillis/)

    await expectError(kinesis.send(new GetRecordsCommand({ ShardIterator: 'not-an-iterator', DryRun: true })), 'InvalidArgumentException', 'Invalid ShardIterator.')
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: name, ShardId: shardId, ShardIteratorType: 'LATEST' }))
    await expectError(kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 0, DryRun: true })), 'ValidationException', /at 'limit'/)
    // Iterators last 5 minutes, dry run or not.
    clock.advanceSeconds(301)
    await expectError(kinesis.send(new GetRecordsCommand({ ShardIterator, DryRun: true })), 'ExpiredIteratorException')
  })
})

describe('SubscribeToShard', () => {
  /** A stream with one record and a registered consumer. */
  async function streamWithConsumer(): Promise<{ name: string; consumerArn: string }> {
    const name = await newStream()
    await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from('stored') }))
    const { Consumer } = await kinesis.send(new RegisterStreamConsumerCommand({
      StreamARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`, ConsumerName: 'reader',
    }))
    return { name, consumerArn: Consumer!.ConsumerARN! }
  }

  const subscribe = (ConsumerARN: string, DryRun?: boolean, ShardId = shardId) =>
    kinesis.send(new SubscribeToShardCommand({ ConsumerARN, ShardId, StartingPosition: { Type: 'TRIM_HORIZON' }, DryRun }))

  /** The first event with records (bounded by events, not time). */
  async function firstRecords(events: AsyncIterator<SubscribeToShardEventStream>): Promise<string[]> {
    for (let event = 0; event < 50; event++) {
      const { value, done } = await events.next()
      assert.ok(!done, 'the subscription ended')
      const records = value.SubscribeToShardEvent?.Records
      if (records?.length) return records.map((record) => Buffer.from(record.Data!).toString())
    }
    throw new Error('no records in 50 events')
  }

  test('a dry run answers DryRunOperationException and records no subscription', async () => {
    const { name, consumerArn } = await streamWithConsumer()
    await expectDryRun(subscribe(consumerArn, true))
    // Had the dry run subscribed, a real call within 5 seconds would be ResourceInUseException.
    const real = await subscribe(consumerArn, false)
    const events = real.EventStream![Symbol.asyncIterator]()
    assert.deepEqual(await firstRecords(events), ['stored'])

    // A dry run makes the real call's 5-second check: the live subscription started just now.
    await expectError(subscribe(consumerArn, true), 'ResourceInUseException')
    // Later it passes, and does not take over: the live subscription still gets new records.
    clock.advanceSeconds(6)
    await expectDryRun(subscribe(consumerArn, true))
    await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from('later') }))
    assert.deepEqual(await firstRecords(events), ['later'])
    await events.return?.()
  })

  test('a dry run naming a missing consumer or shard answers ResourceNotFoundException', async () => {
    const { consumerArn } = await streamWithConsumer()
    await expectError(subscribe(consumerArn.replace(/consumer\/reader:/, 'consumer/nobody:'), true), 'ResourceNotFoundException')
    await expectError(subscribe(consumerArn, true, 'shardId-000000000007'), 'ResourceNotFoundException')
    await expectError(kinesis.send(new SubscribeToShardCommand({
      ConsumerARN: consumerArn, ShardId: shardId, StartingPosition: { Type: 'AT_SEQUENCE_NUMBER' }, DryRun: true,
    })), 'InvalidArgumentException', 'StartingSequenceNumber must be specified for ShardIteratorType AT_SEQUENCE_NUMBER.')
  })
})

describe('with --credentials', () => {
  // Authorization runs before the operation (src/api/dispatch.ts), so a dry run is refused as the
  // real call would be; the action checked is the operation's own (kinesis:PutRecord).
  const account = '111122223333'
  const keys = {
    PRODUCER: {
      secretAccessKey: 'producer', accountId: account,
      policies: policy({ Effect: 'Allow', Action: ['kinesis:PutRecord', 'kinesis:CreateStream'], Resource: `arn:aws:kinesis:us-east-1:${account}:stream/allowed` }),
    },
  }
  let server: RunningServer
  let producer: KinesisClient
  before(async () => {
    server = await startSecureServer({}, keys)
    producer = new KinesisClient({
      endpoint: server.url, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'PRODUCER', secretAccessKey: 'producer' },
    })
    await producer.send(new CreateStreamCommand({ StreamName: 'allowed', ShardCount: 1 }))
  })
  after(async () => {
    producer.destroy()
    await server.close()
  })

  test('a dry run the caller may not make is AccessDeniedException; one it may make is DryRunOperationException', async () => {
    const message = await expectDenied(producer.send(new PutRecordCommand({ StreamName: 'denied', PartitionKey: 'k', Data: Buffer.from('x'), DryRun: true })))
    assert.match(message, new RegExp(`not authorized to perform: kinesis:PutRecord on resource: arn:aws:kinesis:us-east-1:${account}:stream/denied `))
    await expectDryRun(producer.send(new PutRecordCommand({ StreamName: 'allowed', PartitionKey: 'k', Data: Buffer.from('x'), DryRun: true })))
  })
})
