/**
 * The shard model, as pure functions over a StreamState. A stream has one open shard at a time;
 * every rollover period the open shard is closed at the change log's current end and a child
 * opens after it, so shards form a chain of parents and children, as on DynamoDB. Rollover is
 * computed lazily (when someone looks at the stream), and the result is stored, so the shard
 * list is stable across calls and restarts.
 */
import { createHash } from 'node:crypto'
import type { ShardState, StreamState } from './history.js'
import { openShard } from './history.js'

/** ShardIds are `shardId-<20-digit creation epoch ms>-<8 hex>`; the hex part is derived, not random. */
export function shardIdOf(streamArn: string, createdMs: number, ordinal: number): string {
  const suffix = createHash('sha256').update(`${streamArn}#${ordinal}`).digest('hex').slice(0, 8)
  return `shardId-${String(createdMs).padStart(20, '0')}-${suffix}`
}

/** A new shard whose first sequence follows `afterSequence`. */
export function newShard(state: StreamState, createdMs: number, afterSequence: number, parent?: ShardState): ShardState {
  // ShardIds sort by creation time; a child never shares its parent's millisecond.
  const at = parent ? Math.max(createdMs, parent.createdMs + 1) : createdMs
  const shard: ShardState = { shardId: shardIdOf(state.streamArn, at, state.shards.length), createdMs: at, startSequence: afterSequence + 1 }
  if (parent) shard.parentShardId = parent.shardId
  return shard
}

/**
 * Closes the open shard at `lastSequence` and opens its child, if the open shard is older than
 * the rollover period and holds at least one record (an empty shard has nothing to hand over,
 * so it stays open). Returns the new state, or undefined when nothing changes.
 */
export function rolledOver(state: StreamState, nowMs: number, lastSequence: number, periodMs: number): StreamState | undefined {
  const open = openShard(state)
  if (!open || nowMs < open.createdMs + periodMs || lastSequence < open.startSequence) return undefined
  const next = structuredClone(state)
  const closing = next.shards[next.shards.length - 1]!
  closing.endSequence = lastSequence
  next.shards.push(newShard(next, nowMs, lastSequence, closing))
  return next
}

/** Whether rolledOver would change anything, without cloning (the hot path's cheap check). */
export function isRolloverDue(state: StreamState, nowMs: number, periodMs: number): boolean {
  const open = openShard(state)
  return open !== undefined && nowMs >= open.createdMs + periodMs
}

/** The stream after a disable or DeleteTable: its open shard closes at `lastSequence`. */
export function disabled(state: StreamState, nowMs: number, lastSequence: number): StreamState {
  const next = structuredClone(state)
  next.status = 'DISABLED'
  next.lastSequence = lastSequence
  next.disabledMs = nowMs
  const open = openShard(next)
  if (open) open.endSequence = Math.max(lastSequence, open.startSequence - 1)
  return next
}

/** The last sequence a shard can ever hold (Infinity while open). */
export function shardEnd(shard: ShardState): number {
  return shard.endSequence ?? Number.POSITIVE_INFINITY
}

/**
 * The StartingSequenceNumber DescribeStream shows: the position just before the shard's first
 * sequence, so that every record's SequenceNumber is greater than it, as on DynamoDB, and
 * AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER of it both read from the first record. (It may
 * equal the parent's EndingSequenceNumber; a GetShardIterator names its shard, so that is no
 * ambiguity.)
 */
export function shownShardStart(shard: ShardState): number {
  return shard.startSequence - 1
}

/**
 * The last sequence of the range DescribeStream shows (Infinity while open). A shard closed
 * before any record reached it shows a one-number range, its start, and a client may name either
 * end of it (KCL validates a checkpoint with AFTER_SEQUENCE_NUMBER).
 */
export function shownShardEnd(shard: ShardState): number {
  return Math.max(shardEnd(shard), shownShardStart(shard))
}

/**
 * The last sequence GetShardIterator accepts for the shard: its shown end, or for a shard closed
 * empty its first sequence, which servers before shownShardStart showed as both ends.
 */
export function acceptedShardEnd(shard: ShardState): number {
  return Math.max(shardEnd(shard), shard.startSequence)
}
