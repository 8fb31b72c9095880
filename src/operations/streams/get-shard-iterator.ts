/**
 * GetShardIterator: turns a position in a shard into a signed iterator token. Positions are
 * change-log sequences: the iterator reads the changes after `afterSequence`.
 */
import type { OperationHandler, RequestContext } from '../../api/context.js'
import { TrimmedDataAccessException, ValidationException } from '../../errors.js'
import { trimmedThrough } from '../../changes/trim-point.js'
import type { GetShardIteratorInput } from '../../shapes/get-shard-iterator.js'
import { currentStream, requireShard } from '../../streams/access.js'
import { checkStreamArn } from '../../streams/arn.js'
import type { ShardState } from '../../streams/history.js'
import { encodeIterator } from '../../streams/iterator.js'
import { sequenceFromNumber } from '../../streams/records.js'
import { shardEnd, shownShardEnd } from '../../streams/shards.js'

export const trimmedMessage = 'The operation attempted to read past the oldest stream record in a shard.'

/** The sequence a client's SequenceNumber names, which must lie in the range DescribeStream shows. */
function requestedSequence(input: GetShardIteratorInput, shard: ShardState): number {
  const sequence = sequenceFromNumber(input.SequenceNumber!)
  if (sequence === undefined || sequence < shard.startSequence || sequence > shownShardEnd(shard)) {
    throw new ValidationException(`Invalid SequenceNumber: ${input.SequenceNumber!} for shard: ${shard.shardId}`)
  }
  return sequence
}

/** Reading after `afterSequence` would skip trimmed records when it is below the trim point. */
function checkNotTrimmed(afterSequence: number, trimmed: number): number {
  if (afterSequence < trimmed) throw new TrimmedDataAccessException(trimmedMessage)
  return afterSequence
}

async function startPosition(ctx: RequestContext, input: GetShardIteratorInput, tableId: string, shard: ShardState): Promise<number> {
  const { trimmed, last } = await ctx.storage.read(async (view) => ({
    trimmed: await trimmedThrough(view, tableId),
    last: await view.lastChangeSequence(tableId),
  }))
  switch (input.ShardIteratorType) {
    case 'TRIM_HORIZON': return Math.max(shard.startSequence - 1, trimmed)
    // LATEST excludes everything committed so far, and nothing past the shard's end.
    case 'LATEST': return Math.max(shard.startSequence - 1, Math.min(last, shardEnd(shard)))
    case 'AT_SEQUENCE_NUMBER': return checkNotTrimmed(await namedSequence(ctx, input, tableId, shard, trimmed) - 1, trimmed)
    case 'AFTER_SEQUENCE_NUMBER': return checkNotTrimmed(await namedSequence(ctx, input, tableId, shard, trimmed), trimmed)
  }
}

/**
 * The record a SequenceNumber names. A shard's StartingSequenceNumber names its first record:
 * sequences need not be dense (on PostgreSQL they come from transaction ids), so the first
 * record may lie after the shard's start, and AT/AFTER the start must mean at/after that record
 * (unless trimming has removed it: then the start stays, and reading there is refused).
 */
async function namedSequence(ctx: RequestContext, input: GetShardIteratorInput, tableId: string, shard: ShardState, trimmed: number): Promise<number> {
  const requested = requestedSequence(input, shard)
  if (requested !== shard.startSequence || trimmed >= requested) return requested
  const [first] = await ctx.storage.read((view) => view.readChanges(tableId, requested - 1, 1))
  return first !== undefined && first.sequence <= shardEnd(shard) ? first.sequence : requested
}

export const getShardIterator: OperationHandler<GetShardIteratorInput> = async (ctx, input) => {
  checkStreamArn(input.StreamArn)
  const state = await currentStream(ctx, input.StreamArn)
  const shard = requireShard(state, input.ShardId)
  const afterSequence = await startPosition(ctx, input, state.tableId, shard)
  const iterator = await encodeIterator(ctx.storage, {
    streamArn: state.streamArn, shardId: shard.shardId, afterSequence, issuedMs: ctx.clock.now(),
  })
  return { ShardIterator: iterator }
}
