/**
 * GetRecords: reads a shard from an iterator's position, at most Limit records and 1 MB, and
 * hands back the next iterator; none once a closed shard has been read to its end.
 *
 * The changes are read before the stream's state is re-read: a shard closes at the change log's
 * end at the moment it closes, so any change newer than the closing is seen together with the
 * closed shard and cut off here, and no record is ever returned from two shards.
 */
import { isTombstoneOnly } from '../../changes/tombstones.js'
import type { OperationHandler, RequestContext } from '../../api/context.js'
import { ExpiredIteratorException, TrimmedDataAccessException, ValidationException } from '../../errors.js'
import { trimmedThrough } from '../../changes/trim-point.js'
import type { GetRecordsInput } from '../../shapes/get-records.js'
import { getRecordsLimitMax } from '../../shapes/get-records.js'
import { currentStream, requireShard } from '../../streams/access.js'
import { streamNotFound } from '../../streams/arn.js'
import type { StreamState } from '../../streams/history.js'
import { loadStream } from '../../streams/history.js'
import type { IteratorPosition } from '../../streams/iterator.js'
import { decodeIterator, encodeIterator, iteratorLifetimeMs } from '../../streams/iterator.js'
import type { StreamRecord } from '../../streams/records.js'
import { streamRecordOf } from '../../streams/records.js'
import { shardEnd } from '../../streams/shards.js'
import type { ChangeRecord } from '../../storage/engine.js'
import { trimmedMessage } from './get-shard-iterator.js'

/** GetRecords returns at most 1 MB of records (counted as their SizeBytes). */
export const getRecordsBytesMax = 1024 * 1024

async function decodeFresh(ctx: RequestContext, token: string): Promise<IteratorPosition> {
  const position = await decodeIterator(ctx.storage, token)
  if (!position) throw new ValidationException('Invalid ShardIterator')
  const nowMs = ctx.clock.now()
  if (nowMs - position.issuedMs > iteratorLifetimeMs) {
    throw new ExpiredIteratorException(`Iterator expired. The iterator was created at time ${new Date(position.issuedMs).toUTCString()} ` +
      `while right now it is ${new Date(nowMs).toUTCString()} which is further in the future than the tolerated delay of ` +
      `${iteratorLifetimeMs} milliseconds.`)
  }
  return position
}

/**
 * The changes after the position, cut at the shard's end (as of after the read) and at 1 MB. A
 * shard closed at a position no change sits at (taken inside a transaction, on PostgreSQL) is
 * read to its end once every change up to it was final before the read and the read took them all.
 */
async function readShard(ctx: RequestContext, position: IteratorPosition, state: StreamState, limit: number) {
  const tableId = state.tableId
  const closedAt = shardEnd(requireShard(state, position.shardId))
  const finalBelow = closedAt === Number.POSITIVE_INFINITY ? Number.NEGATIVE_INFINITY
    : await ctx.storage.read((view) => view.changesFinalBelow())
  const changes = await ctx.storage.read((view) => view.readChanges(tableId, position.afterSequence, limit))
  const latest = await ctx.storage.read((view) => loadStream(view, position.streamArn))
  if (!latest) throw streamNotFound(position.streamArn)
  const end = shardEnd(requireShard(latest, position.shardId))
  const records: StreamRecord[] = []
  let bytes = 0
  let reachedEnd = changes.length < limit && end <= closedAt && end < finalBelow
  let lastRead = position.afterSequence
  for (const change of changes) {
    if (change.sequence > end) {
      reachedEnd = true
      break
    }
    if (!isTombstoneOnly(change)) {
      const record = streamRecordOf(change, latest.viewType, ctx.region)
      if (records.length > 0 && bytes + record.dynamodb.SizeBytes > getRecordsBytesMax) {
        reachedEnd = false
        break
      }
      bytes += record.dynamodb.SizeBytes
      records.push(record)
    }
    lastRead = change.sequence
  }
  return { records, end, afterSequence: reachedEnd ? end : lastRead }
}

async function checkNotTrimmed(ctx: RequestContext, state: StreamState, position: IteratorPosition): Promise<void> {
  const shard = requireShard(state, position.shardId)
  if (position.afterSequence >= shardEnd(shard)) return
  const trimmed = await ctx.storage.read((view) => trimmedThrough(view, state.tableId))
  if (position.afterSequence < trimmed) throw new TrimmedDataAccessException(trimmedMessage)
}

export const getRecords: OperationHandler<GetRecordsInput> = async (ctx, input) => {
  const position = await decodeFresh(ctx, input.ShardIterator)
  const state = await currentStream(ctx, position.streamArn)
  await checkNotTrimmed(ctx, state, position)
  const { records, end, afterSequence } = await readShard(ctx, position, state, input.Limit ?? getRecordsLimitMax)
  const output: { Records: StreamRecord[]; NextShardIterator?: string } = { Records: records }
  if (afterSequence < end) {
    output.NextShardIterator = await encodeIterator(ctx.storage, { ...position, afterSequence, issuedMs: ctx.clock.now() })
  }
  return output
}
