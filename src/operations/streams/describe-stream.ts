/**
 * DescribeStream: a stream's settings and its shards in ShardId order, paged by
 * ExclusiveStartShardId; ShardFilter CHILD_SHARDS lists the children of one shard.
 */
import type { OperationHandler } from '../../api/context.js'
import type { DescribeStreamInput } from '../../shapes/describe-stream.js'
import { describeStreamLimitMax } from '../../shapes/describe-stream.js'
import { currentStream } from '../../streams/access.js'
import { checkStreamArn } from '../../streams/arn.js'
import type { ShardState } from '../../streams/history.js'
import { sequenceNumberOf } from '../../streams/records.js'
import { shownShardEnd, shownShardStart } from '../../streams/shards.js'

function describeShard(shard: ShardState): Record<string, unknown> {
  const range: Record<string, string> = { StartingSequenceNumber: sequenceNumberOf(shownShardStart(shard)) }
  if (shard.endSequence !== undefined) range.EndingSequenceNumber = sequenceNumberOf(shownShardEnd(shard))
  const described: Record<string, unknown> = { ShardId: shard.shardId, SequenceNumberRange: range }
  if (shard.parentShardId !== undefined) described.ParentShardId = shard.parentShardId
  return described
}

export const describeStream: OperationHandler<DescribeStreamInput> = async (ctx, input) => {
  checkStreamArn(input.StreamArn)
  const state = await currentStream(ctx, input.StreamArn)
  const filter = input.ShardFilter
  const start = input.ExclusiveStartShardId
  const shards = [...state.shards]
    .sort((a, b) => (a.shardId < b.shardId ? -1 : a.shardId > b.shardId ? 1 : 0))
    .filter((shard) => !filter || shard.parentShardId === filter.ShardId)
    .filter((shard) => start === undefined || shard.shardId > start)
  const page = shards.slice(0, input.Limit ?? describeStreamLimitMax)
  const description: Record<string, unknown> = {
    StreamArn: state.streamArn,
    StreamLabel: state.streamLabel,
    StreamStatus: state.status,
    StreamViewType: state.viewType,
    CreationRequestDateTime: state.createdMs / 1000,
    TableName: state.tableName,
    KeySchema: state.keySchema,
    Shards: page.map(describeShard),
  }
  if (shards.length > page.length) description.LastEvaluatedShardId = page[page.length - 1]!.shardId
  return { StreamDescription: description }
}
