/**
 * SplitShard, MergeShards and UpdateShardCount. A resharded shard closes (its
 * EndingSequenceNumber is set) and its children open at once; records already in the parent stay
 * readable there until retention trims them, and GetRecords at its end names the children.
 * Only PROVISIONED streams reshard by request, as in Kinesis.
 */
import type { RequestContext } from '../api/context.js'
import type { Transaction } from '../storage/engine.js'
import { InvalidArgumentException, KinesisLimitExceeded, KinesisResourceInUse, KinesisValidationException, shardNotFound } from './errors.js'
import { evenRanges, hashKeyMax } from './hash-keys.js'
import { firstOrdinalAt } from './sequence-numbers.js'
import { requireStream, type StreamTarget } from './resolve.js'
import { accountShardLimit } from './stream-operations.js'
import { listStreamStates, openShards, saveStream, shardIdOf, shardIndexOf, type ShardState, type StreamState } from './stream-store.js'
import { hashKeyRule, shardIdRule, streamTarget, validateInput } from './validate.js'

interface SplitShardInput extends StreamTarget { ShardToSplit: string; NewStartingHashKey: string }
interface MergeShardsInput extends StreamTarget { ShardToMerge: string; AdjacentShardToMerge: string }
interface UpdateShardCountInput extends StreamTarget { TargetShardCount: number; ScalingType: 'UNIFORM_SCALING' }

export async function splitShard(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<SplitShardInput>(body, { ...streamTarget, ShardToSplit: { ...shardIdRule, required: true }, NewStartingHashKey: { ...hashKeyRule, required: true } })
  await reshard(ctx, input, async (tx, state, nowMs) => {
    const shard = openShardNamed(ctx, state, input.ShardToSplit)
    const start = BigInt(shard.startingHashKey)
    const end = BigInt(shard.endingHashKey)
    const split = BigInt(input.NewStartingHashKey)
    if (split <= start + 1n || split >= end) {
      throw new InvalidArgumentException(
        `NewStartingHashKey ${input.NewStartingHashKey} used in SplitShard() on shard ${input.ShardToSplit} in stream ${state.name} ` +
        `under account ${ctx.accountId} is not both greater than one plus the shard's StartingHashKey ${shard.startingHashKey} ` +
        `and less than the shard's EndingHashKey ${shard.endingHashKey}.`)
    }
    await closeShard(tx, state, shard, nowMs)
    addShard(state, nowMs, start, split - 1n, shard.index)
    addShard(state, nowMs, split, end, shard.index)
  })
  return {}
}

export async function mergeShards(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<MergeShardsInput>(body, {
    ...streamTarget, ShardToMerge: { ...shardIdRule, required: true }, AdjacentShardToMerge: { ...shardIdRule, required: true },
  })
  await reshard(ctx, input, async (tx, state, nowMs) => {
    const shard = openShardNamed(ctx, state, input.ShardToMerge)
    const adjacent = openShardNamed(ctx, state, input.AdjacentShardToMerge)
    const [low, high] = BigInt(shard.startingHashKey) < BigInt(adjacent.startingHashKey) ? [shard, adjacent] : [adjacent, shard]
    if (BigInt(low.endingHashKey) + 1n !== BigInt(high.startingHashKey)) {
      throw new InvalidArgumentException(
        `Shards ${input.ShardToMerge} and ${input.AdjacentShardToMerge} in stream ${state.name} under account ${ctx.accountId} ` +
        'are not an adjacent pair of shards eligible for merging')
    }
    await closeShard(tx, state, shard, nowMs)
    await closeShard(tx, state, adjacent, nowMs)
    addShard(state, nowMs, BigInt(low.startingHashKey), BigInt(high.endingHashKey), shard.index, adjacent.index)
  })
  return {}
}

export async function updateShardCount(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<UpdateShardCountInput>(body, {
    ...streamTarget, TargetShardCount: { type: 'integer', required: true, min: 1 },
    ScalingType: { type: 'string', required: true, enum: ['UNIFORM_SCALING'] },
  })
  const target: number = input.TargetShardCount
  const result = await reshard(ctx, input, async (tx, state, nowMs) => {
    const current = openShards(state).sort((a, b) => (BigInt(a.startingHashKey) < BigInt(b.startingHashKey) ? -1 : 1))
    if (target > current.length * 2 || target * 2 < current.length) {
      throw new KinesisValidationException(
        `UpdateShardCount can scale a stream to at most double and at least half its current open shard count (${current.length}); requested ${target}.`)
    }
    const others = (await listStreamStates(tx)).filter((other) => other.name !== state.name)
      .reduce((sum, other) => sum + openShards(other).length, 0)
    if (others + target > accountShardLimit) {
      throw new KinesisLimitExceeded(`This request would exceed the shard limit for the account ${ctx.accountId} in ${ctx.region}. Limit: ${accountShardLimit}.`)
    }
    if (target !== current.length) await scaleUniformly(tx, state, current, target, nowMs)
    return { StreamName: state.name, StreamARN: state.arn, CurrentShardCount: current.length, TargetShardCount: target }
  })
  return result
}

/**
 * Reshards to `target` even ranges as Kinesis does, by splits and merges of single shards ("This
 * can cause short-lived shards to be created, in addition to the final shards", UpdateShardCount
 * in the API reference): each old shard is split at the new boundaries inside it, then each new
 * range's pieces are merged left to right, two adjacent shards at a time. So every shard names
 * as parents exactly the shards its keys came from, and a consumer that finishes parents before
 * children reads every key's records in order. (Naming the overlapped old shards directly, a new
 * shard overlapping three could name only two.) The short-lived shards close at once, empty.
 */
async function scaleUniformly(tx: Transaction, state: StreamState, current: ShardState[], target: number, nowMs: number): Promise<void> {
  const ranges = evenRanges(target)
  const pieces: ShardState[] = []
  for (const shard of current) {
    const start = BigInt(shard.startingHashKey)
    const end = BigInt(shard.endingHashKey)
    const cuts = ranges.map((range) => range.start).filter((cut) => cut > start && cut <= end)
    if (cuts.length === 0) {
      pieces.push(shard)
      continue
    }
    await closeShard(tx, state, shard, nowMs)
    for (const [index, pieceStart] of [start, ...cuts].entries()) {
      pieces.push(addShard(state, nowMs, pieceStart, (cuts[index] ?? end + 1n) - 1n, shard.index))
    }
  }
  for (const range of ranges) {
    const [first, ...rest] = pieces.filter((piece) => BigInt(piece.startingHashKey) >= range.start && BigInt(piece.endingHashKey) <= range.end)
    let merged = first!
    for (const next of rest) {
      await closeShard(tx, state, merged, nowMs)
      await closeShard(tx, state, next, nowMs)
      merged = addShard(state, nowMs, BigInt(merged.startingHashKey), BigInt(next.endingHashKey), merged.index, next.index)
    }
  }
}

async function reshard<T>(ctx: RequestContext, input: StreamTarget, change: (tx: Transaction, state: StreamState, nowMs: number) => Promise<T>): Promise<T> {
  return ctx.storage.transact(async (tx) => {
    const state = await requireStream(ctx, tx, input)
    if (state.mode === 'ON_DEMAND') {
      throw new KinesisValidationException(`Stream ${state.name} under account ${ctx.accountId} is in ON_DEMAND mode: resharding is managed by the service.`)
    }
    const result = await change(tx, state, ctx.clock.now())
    await saveStream(tx, state)
    return result
  })
}

function openShardNamed(ctx: RequestContext, state: StreamState, shardId: string): ShardState {
  const index = shardIndexOf(shardId)
  const shard = state.shards.find((candidate) => candidate.index === index)
  if (!shard) throw shardNotFound(shardId, state.name, ctx.accountId)
  if (shard.closedMs !== undefined) {
    throw new KinesisResourceInUse(`Shard ${shardIdOf(shard.index)} in stream ${state.name} under account ${ctx.accountId} has already been merged or split, and thus is not eligible for merging or splitting.`)
  }
  return shard
}

/** Closes a shard after its newest record: nothing can be written to it from now on. */
async function closeShard(tx: Transaction, state: StreamState, shard: ShardState, nowMs: number): Promise<void> {
  const last = await tx.lastStreamRecord(state.id, shard.index)
  shard.closedMs = nowMs
  shard.endOrdinal = Math.max(last?.ordinal ?? 0, shard.startOrdinal, firstOrdinalAt(nowMs))
}

function addShard(state: StreamState, nowMs: number, start: bigint, end: bigint, parentIndex: number, adjacentParentIndex?: number): ShardState {
  if (start < 0n || end > hashKeyMax) throw new Error('hash key range out of bounds')
  const shard: ShardState = {
    index: state.nextShardIndex++, parentIndex, startingHashKey: start.toString(), endingHashKey: end.toString(),
    createdMs: nowMs, startOrdinal: firstOrdinalAt(nowMs) + 1,
  }
  if (adjacentParentIndex !== undefined) shard.adjacentParentIndex = adjacentParentIndex
  state.shards.push(shard)
  return shard
}
