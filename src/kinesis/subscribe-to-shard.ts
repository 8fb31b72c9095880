/**
 * SubscribeToShard (enhanced fan-out): pushes a shard's records to a registered consumer as an
 * HTTP/2 event stream: an `initial-response` event, then SubscribeToShardEvent events carrying
 * Records, ContinuationSequenceNumber and MillisBehindLatest (at the end of a closed shard
 * ChildShards instead of a ContinuationSequenceNumber). Kinesis's rules:
 * - a subscription lasts at most 5 minutes; the client then subscribes again from its
 *   ContinuationSequenceNumber;
 * - subscribing again for the same consumer and shard within 5 seconds of the previous
 *   successful call is ResourceInUseException, even if that subscription has already ended;
 *   later, the new one takes over and the old one ends;
 * - a subscription ends when its consumer is deregistered or its stream deleted.
 * A dry run (dry-run.ts) makes every check, the 5-second rule included, and stops before the
 * subscription is recorded or an earlier one superseded. Times come from the region's clock, so
 * tests can move it.
 */
import type { RegionContext, RequestContext } from '../api/context.js'
import type { StorageEngine } from '../storage/engine.js'
import { StreamingReply, type ReplySink } from '../http/streaming-reply.js'
import { jsonReplyToCbor, cborContentType } from './cbor.js'
import { findConsumer } from './consumers.js'
import { childShards } from './describe.js'
import { dryRunRule, stopIfDryRun, type DryRunnable } from './dry-run.js'
import { KinesisResourceInUse } from './errors.js'
import { eventOf, eventStreamContentType } from './event-stream.js'
import { readBatch, requireShard, startingOrdinal, wireRecord, type StartingPosition } from './read-records.js'
import { formatSequenceNumber } from './sequence-numbers.js'
import { loadStream, StreamWatch, type ShardState, type StreamState } from './stream-store.js'
import { consumerArnRule, sequenceNumberRule, shardIdRule, streamIdRule, validateInput } from './validate.js'

export const subscriptionLifetimeMs = 5 * 60_000
export const resubscribeIntervalMs = 5_000
/** How long an idle subscription waits for a commit before looking at the shard anyway. */
const idlePollMs = 200
/** An idle subscription still sends an (empty) event this often, as Kinesis does. */
const heartbeatMs = 5_000
const recordsPerEventMax = 10_000

interface Subscription {
  startedMs: number
  superseded: boolean
  ended: boolean
}

/**
 * The latest subscription of each region, by consumer ARN and shard: the live one, or one that
 * ended less than 5 seconds after it started, which still refuses a new call. Ended ones older
 * than that are dropped at the next call, so the map holds no more than the live subscriptions
 * and those of the last 5 seconds.
 */
const subscriptionsByRegion = new WeakMap<StorageEngine, Map<string, Subscription>>()

interface SubscribeToShardInput extends DryRunnable { ConsumerARN: string; ShardId: string; StartingPosition: StartingPosition }

export async function subscribeToShard(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<SubscribeToShardInput>(body, {
    ConsumerARN: { ...consumerArnRule, required: true },
    ShardId: { ...shardIdRule, required: true },
    StreamId: streamIdRule,
    StartingPosition: {
      type: 'structure', required: true, members: {
        Type: { type: 'string', required: true, enum: ['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER', 'TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'] },
        SequenceNumber: sequenceNumberRule,
        Timestamp: { type: 'timestamp' },
      },
    },
    DryRun: dryRunRule,
  })
  const nowMs = ctx.clock.now()
  const { state, consumer, shard, after } = await ctx.storage.read(async (view) => {
    const { state, consumer } = await findConsumer(ctx, view, input)
    const shard = requireShard(ctx, state, input.ShardId)
    const after = await startingOrdinal(ctx, view, state, shard, input.StartingPosition, nowMs)
    return { state, consumer, shard, after }
  })
  const key = `${consumer.arn}|${shard.index}`
  let subscriptions = subscriptionsByRegion.get(ctx.storage)
  if (!subscriptions) subscriptionsByRegion.set(ctx.storage, subscriptions = new Map())
  forgetEndedBefore(subscriptions, nowMs - resubscribeIntervalMs)
  const previous = subscriptions.get(key)
  // Kinesis counts from the previous successful call, whether or not its subscription is open.
  if (previous && nowMs - previous.startedMs < resubscribeIntervalMs) {
    throw new KinesisResourceInUse(`Another active subscription exists for this consumer: ${consumer.arn}`)
  }
  stopIfDryRun(input)
  if (previous) previous.superseded = true
  const subscription: Subscription = { startedMs: nowMs, superseded: false, ended: false }
  subscriptions.set(key, subscription)
  return new StreamingReply(eventStreamContentType, async (sink) => {
    try {
      await pushRecords(ctx, sink, subscription, state, shard, consumer.arn, after)
    } finally {
      subscription.ended = true
    }
  })
}

function forgetEndedBefore(subscriptions: Map<string, Subscription>, cutoffMs: number): void {
  for (const [key, subscription] of subscriptions) {
    if (subscription.ended && subscription.startedMs <= cutoffMs) subscriptions.delete(key)
  }
}

async function pushRecords(ctx: RegionContext, sink: ReplySink, subscription: Subscription, initial: StreamState,
  initialShard: ShardState, consumerArn: string, startAfter: number): Promise<void> {
  const contentType = sink.cbor ? cborContentType : 'application/x-amz-json-1.1'
  const send = (eventType: string, payload: object): Promise<void> => {
    const text = JSON.stringify(payload)
    return sink.write(eventOf(eventType, sink.cbor ? jsonReplyToCbor(text) : Buffer.from(text, 'utf8'), contentType))
  }
  await send('initial-response', {})
  let after = startAfter
  let lastEventMs = -Infinity
  const watch = new StreamWatch(initial.name)
  while (!sink.closed && !subscription.superseded) {
    const generation = ctx.commits.generation
    const nowMs = ctx.clock.now()
    if (nowMs - subscription.startedMs >= subscriptionLifetimeMs) return
    // The stream may have been resharded (the shard closed) since the last look. A consumer
    // deregistered, or its stream deleted (EnforceConsumerDeletion), ends the subscription, as
    // in Kinesis; looking in storage sees it whichever node took the request.
    const state = await ctx.storage.read((view) => watch.load(view))
    if (state?.createdMs !== initial.createdMs || !state.consumers.some((consumer) => consumer.arn === consumerArn)) return
    const shard = state.shards.find((candidate) => candidate.index === initialShard.index) ?? initialShard
    const batch = await readBatch(ctx, state, shard, after, recordsPerEventMax, nowMs)
    if (batch.records.length > 0 || batch.shardEnded || nowMs - lastEventMs >= heartbeatMs) {
      after = batch.after
      // At the end of a closed shard Kinesis sends no ContinuationSequenceNumber, only the
      // children: KCL, Flink and Beam take its absence as the shard's end, and would otherwise
      // subscribe to the closed shard again and again.
      await send('SubscribeToShardEvent', {
        Records: batch.records.map((record) => wireRecord(state, record)),
        ...(batch.shardEnded ? {} : { ContinuationSequenceNumber: formatSequenceNumber(after, shard.index, state.createdMs) }),
        MillisBehindLatest: batch.millisBehindLatest,
        ...(batch.shardEnded ? { ChildShards: childShards(state, shard) } : {}),
      })
      lastEventMs = nowMs
      if (batch.shardEnded) return
    }
    if (batch.millisBehindLatest === 0) await ctx.commits.wait(generation, idlePollMs)
  }
}

