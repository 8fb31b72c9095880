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
import { acceptedShardEnd, shardEnd, shownShardStart } from '../../streams/shards.js'

export const trimmedMessage = 'The operation attempted to read past the oldest stream record in a shard.'

/** The sequence a client's SequenceNumber names, which must lie in the range DescribeStream shows. */
function requestedSequence(input: GetShardIteratorInput, shard: ShardState): number {
  const sequence = sequenceFromNumber(input.SequenceNumber!)
  if (sequence === undefined || sequence < shownShardStart(shard) || sequence > acceptedShardEnd(shard)) {
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
    case 'TRIM_HORIZON': return Math.max(shownShardStart(shard), trimmed)
    // LATEST excludes everything committed so far, and nothing past the shard's end.
    case 'LATEST': return Math.max(shownShardStart(shard), Math.min(last, shardEnd(shard)))
    // A sequence number is a position: AT reads the records from it on, AFTER those past it, and
    // neither reads before the shard's start (the shown start is the position just before it).
    case 'AT_SEQUENCE_NUMBER': return checkNotTrimmed(Math.max(requestedSequence(input, shard) - 1, shownShardStart(shard)), trimmed)
    case 'AFTER_SEQUENCE_NUMBER': return checkNotTrimmed(requestedSequence(input, shard), trimmed)
  }
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
