/**
 * ListShards, with every ShardFilter type; the KCL (2 and 3) lists shards this way rather than
 * with DescribeStream. A NextToken replaces the stream name and carries the filter along.
 */
import type { RequestContext } from '../api/context.js'
import { ExpiredNextTokenException, InvalidArgumentException, streamNotFound } from './errors.js'
import { shardDescription } from './describe.js'
import { requireStream, type StreamTarget } from './resolve.js'
import { loadStream, shardIndexOf, type ShardState, type StreamState } from './stream-store.js'
import { decodeToken, encodeToken, isUnsignedToken, tokenLifetimeMs } from './tokens.js'
import { streamTarget, validateInput } from './validate.js'

/** The most shards one ListShards page holds, whatever MaxResults asks. */
const listShardsPageMax = 1000

type FilterType = 'AFTER_SHARD_ID' | 'AT_TRIM_HORIZON' | 'FROM_TRIM_HORIZON' | 'AT_LATEST' | 'AT_TIMESTAMP' | 'FROM_TIMESTAMP'

interface ShardFilter {
  Type: FilterType
  ShardId?: string
  /** Milliseconds (validateInput converted it). */
  Timestamp?: number
}

interface ListToken {
  stream: string
  createdMs: number
  after: number
  filter?: ShardFilter
  issuedMs: number
}

const isListToken = (value: any): boolean => typeof value.stream === 'string' && typeof value.after === 'number'

interface ListShardsInput extends StreamTarget {
  NextToken?: string
  ExclusiveStartShardId?: string
  MaxResults?: number
  StreamCreationTimestamp?: number
  ShardFilter?: ShardFilter
}

export async function listShards(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<ListShardsInput>(body, {
    ...streamTarget,
    NextToken: { type: 'string', min: 1, max: 1048576 },
    ExclusiveStartShardId: { type: 'string', min: 1, max: 128, pattern: '[a-zA-Z0-9_.-]+' },
    MaxResults: { type: 'integer', min: 1, max: 10000 },
    StreamCreationTimestamp: { type: 'timestamp' },
    ShardFilter: {
      type: 'structure', members: {
        Type: { type: 'string', required: true, enum: ['AFTER_SHARD_ID', 'AT_TRIM_HORIZON', 'FROM_TRIM_HORIZON', 'AT_LATEST', 'AT_TIMESTAMP', 'FROM_TIMESTAMP'] },
        ShardId: { type: 'string', min: 1, max: 128, pattern: '[a-zA-Z0-9_.-]+' },
        Timestamp: { type: 'timestamp' },
      },
    },
  })
  const nowMs = ctx.clock.now()
  let state: StreamState
  let after: number
  let filter: ShardFilter | undefined
  if (input.NextToken !== undefined) {
    // The token names the stream and where the listing stands, so the reference says none of
    // these may come with it; Kinesis refuses them rather than let one quietly lose to the token.
    if (input.StreamName !== undefined || input.StreamARN !== undefined) {
      throw new InvalidArgumentException('NextToken and StreamName cannot be provided together.')
    }
    if (input.ExclusiveStartShardId !== undefined) {
      throw new InvalidArgumentException('NextToken and ExclusiveStartShardId cannot be provided together.')
    }
    if (input.StreamCreationTimestamp !== undefined) {
      throw new InvalidArgumentException('NextToken and StreamCreationTimestamp cannot be provided together.')
    }
    const token = await decodeToken<ListToken>(ctx.storage, input.NextToken, isListToken)
    if (!token) {
      if (isUnsignedToken(input.NextToken, isListToken)) throw new ExpiredNextTokenException(`NextToken has expired: ${input.NextToken}`)
      throw new InvalidArgumentException(`Invalid ShardId in NextToken: ${input.NextToken}`)
    }
    if (token.issuedMs + tokenLifetimeMs < nowMs) {
      throw new ExpiredNextTokenException(`NextToken has expired: ${input.NextToken}`)
    }
    const loaded = await ctx.storage.read((view) => loadStream(view, token.stream))
    if (!loaded || loaded.createdMs !== token.createdMs) throw streamNotFound(token.stream, ctx.accountId)
    state = loaded
    after = token.after
    filter = token.filter
  } else {
    state = await ctx.storage.read((view) => requireStream(ctx, view, input))
    filter = input.ShardFilter
    after = -1
    if (input.ExclusiveStartShardId !== undefined) after = shardIndexOf(input.ExclusiveStartShardId) ?? -1
    if (filter?.Type === 'AFTER_SHARD_ID') {
      if (filter.ShardId === undefined) throw new InvalidArgumentException('Must specify ShardId in ShardFilter when Type is AFTER_SHARD_ID.')
      after = Math.max(after, shardIndexOf(filter.ShardId) ?? -1)
    }
    if ((filter?.Type === 'AT_TIMESTAMP' || filter?.Type === 'FROM_TIMESTAMP') && filter.Timestamp === undefined) {
      throw new InvalidArgumentException(`Must specify Timestamp in ShardFilter when Type is ${filter.Type}.`)
    }
  }
  const matching = state.shards.filter((shard) => shard.index > after && passes(shard, state, filter, nowMs))
  // MaxResults takes up to 10000, but "if you specify a value greater than 1000, at most 1000
  // results are returned" (the ListShards reference).
  const limit: number = Math.min(input.MaxResults ?? listShardsPageMax, listShardsPageMax)
  const page = matching.slice(0, limit)
  const output: Record<string, unknown> = { Shards: page.map((shard) => shardDescription(state, shard)) }
  if (matching.length > limit) {
    output.NextToken = await encodeToken(ctx.storage, { stream: state.name, createdMs: state.createdMs, after: page.at(-1)!.index, filter, issuedMs: nowMs } satisfies ListToken)
  }
  return output
}

/** Whether a shard was open at `atMs` (a closed shard stops being open when it closes). */
function openAt(shard: ShardState, atMs: number): boolean {
  return shard.createdMs <= atMs && (shard.closedMs === undefined || shard.closedMs > atMs)
}

function passes(shard: ShardState, state: StreamState, filter: ShardFilter | undefined, nowMs: number): boolean {
  // Before the stream existed, its first shards are the ones "open" then.
  const clamp = (ms: number): number => Math.max(ms, state.createdMs)
  const trimHorizonMs = clamp(nowMs - state.retentionHours * 3_600_000)
  switch (filter?.Type) {
    case undefined:
    case 'AFTER_SHARD_ID':
    case 'FROM_TRIM_HORIZON':
      return true
    case 'AT_LATEST':
      return shard.closedMs === undefined
    case 'AT_TRIM_HORIZON':
      return openAt(shard, trimHorizonMs)
    case 'AT_TIMESTAMP':
      return openAt(shard, clamp(filter.Timestamp!))
    case 'FROM_TIMESTAMP':
      return shard.closedMs === undefined || shard.closedMs > clamp(filter.Timestamp!)
  }
}
