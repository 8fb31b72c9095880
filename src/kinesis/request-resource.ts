/**
 * The resource a Kinesis request acts on, as IAM names it, for identity policies (--credentials):
 * a consumer's ARN when the request names one (SubscribeToShard, DescribeStreamConsumer, ...),
 * else its stream's ARN, whether the request names the stream by ARN, by name or through a shard
 * iterator; `*` for ListStreams and DescribeLimits. Read before the input is validated, so
 * every member is checked for its type here.
 */
import type { RegionContext } from '../api/context.js'
import { streamArnOf } from './stream-store.js'
import { peekToken } from './tokens.js'

export function kinesisRequestResource(input: Record<string, unknown>, region: RegionContext): string {
  for (const member of ['ConsumerARN', 'ResourceARN', 'StreamARN']) {
    if (typeof input[member] === 'string') return input[member]
  }
  const streamName = typeof input.StreamName === 'string' ? input.StreamName : iteratorStream(input.ShardIterator)
  return streamName === undefined ? '*' : streamArnOf(region.region, region.accountId, streamName)
}

/** The stream a shard iterator of ours reads (read-records.ts), if it is one. */
function iteratorStream(iterator: unknown): string | undefined {
  if (typeof iterator !== 'string') return undefined
  return peekToken<{ stream: string }>(iterator, (value) => typeof value.stream === 'string')?.stream
}
