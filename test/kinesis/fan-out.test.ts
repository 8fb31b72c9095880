/**
 * Enhanced fan-out through the JS v3 SDK over HTTP/2: consumers, and SubscribeToShard's event
 * stream with its 5-second and 5-minute rules (on a clock the test moves).
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  CreateStreamCommand, DeleteStreamCommand, DeregisterStreamConsumerCommand, DescribeStreamConsumerCommand, ListStreamConsumersCommand,
  PutRecordCommand, RegisterStreamConsumerCommand, SplitShardCommand, SubscribeToShardCommand, type SubscribeToShardEvent,
  type SubscribeToShardEventStream,
} from '@aws-sdk/client-kinesis'
import { expectError } from '../helpers/errors.js'
import { ManualClock, startKinesisServer, type KinesisTestServer } from './fixtures.js'

const clock = new ManualClock()
let fixture: KinesisTestServer
before(async () => { fixture = await startKinesisServer({ clock }) })
after(() => fixture.close())

const streamArn = 'arn:aws:kinesis:us-east-1:000000000000:stream/fan-out'

/** The next event that carries records (empty heartbeats skipped); bounded by events, not time. */
async function nextRecords(events: AsyncIterator<SubscribeToShardEventStream>): Promise<SubscribeToShardEvent> {
  for (let event = 0; event < 50; event++) {
    const { value, done } = await events.next()
    assert.ok(!done, 'the subscription ended')
    if (value.SubscribeToShardEvent?.Records?.length) return value.SubscribeToShardEvent
  }
  throw new Error('no records in 50 events')
}

/** Reads until the subscription ends; returns how many events came first (bounded). */
async function drain(events: AsyncIterator<SubscribeToShardEventStream>): Promise<number> {
  for (let count = 0; count < 100; count++) if ((await events.next()).done) return count
  throw new Error('the subscription did not end')
}

test('consumers, SubscribeToShard pushes records, and its 5-second and 5-minute rules', async () => {
  const { kinesis } = fixture
  await kinesis.send(new CreateStreamCommand({ StreamName: 'fan-out', ShardCount: 1 }))
  const puts = []
  for (const text of ['one', 'two', 'three']) puts.push(await kinesis.send(new PutRecordCommand({ StreamName: 'fan-out', PartitionKey: 'k', Data: Buffer.from(text) })))

  const registered = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: 'reader' }))
  assert.equal(registered.Consumer!.ConsumerStatus, 'CREATING')
  const consumerArn = registered.Consumer!.ConsumerARN!
  assert.match(consumerArn, /^arn:aws:kinesis:us-east-1:000000000000:stream\/fan-out\/consumer\/reader:\d+$/)
  await expectError(kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: 'reader' })), 'ResourceInUseException')
  const described = await kinesis.send(new DescribeStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: 'reader' }))
  assert.equal(described.ConsumerDescription!.ConsumerStatus, 'ACTIVE')
  assert.equal(described.ConsumerDescription!.StreamARN, streamArn)
  assert.deepEqual((await kinesis.send(new ListStreamConsumersCommand({ StreamARN: streamArn }))).Consumers!.map((consumer) => consumer.ConsumerARN), [consumerArn])

  const first = await kinesis.send(new SubscribeToShardCommand({ ConsumerARN: consumerArn, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'TRIM_HORIZON' } }))
  const firstEvents = first.EventStream![Symbol.asyncIterator]()
  const initial = await nextRecords(firstEvents)
  assert.deepEqual(initial.Records!.map((record) => Buffer.from(record.Data!).toString()), ['one', 'two', 'three'])
  assert.equal(initial.ContinuationSequenceNumber, puts[2]!.SequenceNumber)
  assert.equal(initial.MillisBehindLatest, 0)

  // Records written later are pushed.
  await kinesis.send(new PutRecordCommand({ StreamName: 'fan-out', PartitionKey: 'k', Data: Buffer.from('pushed') }))
  const pushed = await nextRecords(firstEvents)
  assert.deepEqual(pushed.Records!.map((record) => Buffer.from(record.Data!).toString()), ['pushed'])

  // Within 5 seconds the same consumer and shard cannot subscribe again; after 5 seconds the new
  // subscription takes over and the old one ends.
  const again = () => kinesis.send(new SubscribeToShardCommand({
    ConsumerARN: consumerArn, ShardId: 'shardId-000000000000',
    StartingPosition: { Type: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: pushed.ContinuationSequenceNumber },
  }))
  await expectError(again(), 'ResourceInUseException')
  clock.advanceSeconds(6)
  const second = await again()
  const secondEvents = second.EventStream![Symbol.asyncIterator]()
  await drain(firstEvents)

  await kinesis.send(new PutRecordCommand({ StreamName: 'fan-out', PartitionKey: 'k', Data: Buffer.from('continued') }))
  assert.deepEqual((await nextRecords(secondEvents)).Records!.map((record) => Buffer.from(record.Data!).toString()), ['continued'])

  // A subscription lasts 5 minutes.
  clock.advanceSeconds(301)
  await kinesis.send(new PutRecordCommand({ StreamName: 'fan-out', PartitionKey: 'k', Data: Buffer.from('wake') }))
  await drain(secondEvents)

  await kinesis.send(new DeregisterStreamConsumerCommand({ ConsumerARN: consumerArn }))
  await expectError(kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: consumerArn })), 'ResourceNotFoundException')
})

// KCL, Flink and Beam know a shard has ended by the event without a ContinuationSequenceNumber
// (Kinesis sends none there, only ChildShards); with one they would subscribe to the closed
// shard again and never read its children.
test('at the end of a closed shard the event names the children and no continuation', async () => {
  const { kinesis } = fixture
  await kinesis.send(new CreateStreamCommand({ StreamName: 'fan-out-split', ShardCount: 1 }))
  const arn = 'arn:aws:kinesis:us-east-1:000000000000:stream/fan-out-split'
  await kinesis.send(new PutRecordCommand({ StreamName: 'fan-out-split', PartitionKey: 'k', Data: Buffer.from('before the split') }))
  await kinesis.send(new SplitShardCommand({ StreamName: 'fan-out-split', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (1n << 127n).toString() }))
  const { Consumer: consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: 'reader' }))
  const subscribed = await kinesis.send(new SubscribeToShardCommand({
    ConsumerARN: consumer!.ConsumerARN, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'TRIM_HORIZON' },
  }))
  const events = subscribed.EventStream![Symbol.asyncIterator]()
  let last: SubscribeToShardEvent | undefined
  for (let count = 0; count < 50; count++) {
    const { value, done } = await events.next()
    if (done) break
    if (value.SubscribeToShardEvent) last = value.SubscribeToShardEvent
  }
  assert.ok(last, 'no SubscribeToShardEvent before the subscription ended')
  assert.equal(last.ContinuationSequenceNumber, undefined)
  assert.deepEqual(last.ChildShards!.map((child) => child.ShardId), ['shardId-000000000001', 'shardId-000000000002'])
})

// Kinesis refuses a second SubscribeToShard for the same consumer and shard within 5 seconds of
// a successful call, open or not. A subscription to a closed shard ends by itself once it has
// sent the last records, which gives a call whose subscription has already ended.
test('within 5 seconds of a subscription that has already ended, subscribing again is refused', async () => {
  const { kinesis } = fixture
  await kinesis.send(new CreateStreamCommand({ StreamName: 'fan-out-ended', ShardCount: 1 }))
  const arn = 'arn:aws:kinesis:us-east-1:000000000000:stream/fan-out-ended'
  await kinesis.send(new SplitShardCommand({ StreamName: 'fan-out-ended', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (1n << 127n).toString() }))
  const { Consumer: consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: 'reader' }))
  const subscribe = () => kinesis.send(new SubscribeToShardCommand({
    ConsumerARN: consumer!.ConsumerARN, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'TRIM_HORIZON' },
  }))
  await drain((await subscribe()).EventStream![Symbol.asyncIterator]())
  await expectError(subscribe(), 'ResourceInUseException',
    `Another active subscription exists for this consumer: ${consumer!.ConsumerARN}`)
  clock.advanceSeconds(6)
  await drain((await subscribe()).EventStream![Symbol.asyncIterator]())
})

/** Subscribes `consumerArn` to the stream's first shard and reads up to its first event. */
async function subscribedFromLatest(consumerArn: string): Promise<AsyncIterator<SubscribeToShardEventStream>> {
  const { kinesis } = fixture
  const subscribed = await kinesis.send(new SubscribeToShardCommand({ ConsumerARN: consumerArn, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'LATEST' } }))
  const events = subscribed.EventStream![Symbol.asyncIterator]()
  for (let count = 0; count < 10; count++) {
    const { value, done } = await events.next()
    assert.ok(!done, 'the subscription ended before its first event')
    if (value.SubscribeToShardEvent) return events
  }
  throw new Error('no SubscribeToShardEvent in 10 events')
}

// Kinesis ends a consumer's subscriptions when the consumer goes, by DeregisterStreamConsumer or
// by DeleteStream with EnforceConsumerDeletion. Moving the clock past the 5-second heartbeat makes
// a subscription still open send an event, so the next read tells open from ended.
test('deregistering a consumer, or deleting its stream, ends its subscriptions', async () => {
  const { kinesis } = fixture
  for (const [streamName, end] of [
    ['fan-out-deregistered', (consumerArn: string) => kinesis.send(new DeregisterStreamConsumerCommand({ ConsumerARN: consumerArn }))],
    ['fan-out-deleted', () => kinesis.send(new DeleteStreamCommand({ StreamName: 'fan-out-deleted', EnforceConsumerDeletion: true }))],
  ] as const) {
    await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 1 }))
    const arn = `arn:aws:kinesis:us-east-1:000000000000:stream/${streamName}`
    const { Consumer: consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: 'reader' }))
    const events = await subscribedFromLatest(consumer!.ConsumerARN!)
    await end(consumer!.ConsumerARN!)
    clock.advanceSeconds(6)
    assert.equal((await events.next()).done, true, `the subscription outlived ${streamName === 'fan-out-deleted' ? 'its stream' : 'its consumer'}`)
  }
})
