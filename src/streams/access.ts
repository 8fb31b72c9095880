/**
 * Looking streams up for the Streams API: by ARN, hiding streams past their retention, and
 * rolling the open shard over when its period has passed (lazily, when someone looks, and
 * stored, so every caller sees the same shards).
 */
import type { RegionContext } from '../api/context.js'
import type { ShardState, StreamState } from './history.js'
import { isExpired, loadStream, openShard, saveStream } from './history.js'
import { isRolloverDue, rolledOver } from './shards.js'
import { shardNotFound, streamNotFound } from './arn.js'

export function retentionMsOf(ctx: RegionContext): number {
  return ctx.config.streamRetentionHours * 3_600_000
}

export function rolloverPeriodMsOf(ctx: RegionContext): number {
  return ctx.config.streamShardRolloverMinutes * 60_000
}

/** The stream as of now (rolled over if due); ResourceNotFoundException when there is none. */
export async function currentStream(ctx: RegionContext, streamArn: string): Promise<StreamState> {
  const nowMs = ctx.clock.now()
  let state = await ctx.storage.read((view) => loadStream(view, streamArn))
  if (!state || isExpired(state, nowMs, retentionMsOf(ctx))) throw streamNotFound(streamArn)
  if (isRolloverDue(state, nowMs, rolloverPeriodMsOf(ctx))) state = await rollOver(ctx, state, nowMs)
  return state
}

/**
 * Re-reads the stream in a transaction, so that two requests cannot both roll it over. Whether
 * the open shard holds a record is asked before, outside the transaction: inside it, the
 * transaction's position in the log (which reads nothing writers write) cannot tell.
 */
async function rollOver(ctx: RegionContext, seen: StreamState, nowMs: number): Promise<StreamState> {
  const streamArn = seen.streamArn
  const open = openShard(seen)
  if (open && await ctx.storage.read((view) => view.lastChangeSequence(seen.tableId)) < open.startSequence) return seen
  return ctx.storage.transact(async (tx) => {
    const state = await loadStream(tx, streamArn)
    if (!state) throw streamNotFound(streamArn)
    const next = rolledOver(state, nowMs, await tx.lastChangeSequence(state.tableId), rolloverPeriodMsOf(ctx))
    if (!next) return state
    await saveStream(tx, next)
    return next
  })
}

export function requireShard(state: StreamState, shardId: string): ShardState {
  const shard = state.shards.find((candidate) => candidate.shardId === shardId)
  if (!shard) throw shardNotFound()
  return shard
}
