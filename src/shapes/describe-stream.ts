/** DescribeStream: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_DescribeStream.html */
import { integer, operation, string, structure } from './shape.js'
import { shardId, streamArn } from './stream-common.js'

/** DescribeStream returns at most 100 shards per page. */
export const describeStreamLimitMax = 100

export interface DescribeStreamInput {
  StreamArn: string
  Limit?: number
  ExclusiveStartShardId?: string
  ShardFilter?: { Type?: 'CHILD_SHARDS'; ShardId?: string }
}

export const describeStreamShape = operation<DescribeStreamInput>({
  input: structure('DescribeStreamInput', {
    StreamArn: streamArn({ notNull: true }),
    Limit: integer({ valueMin: 1 }),
    ExclusiveStartShardId: shardId(),
    ShardFilter: structure('ShardFilter', {
      Type: string({ enum: ['CHILD_SHARDS'] }),
      ShardId: shardId(),
    }),
  }),
  // The model sets no maximum Limit: over it is refused in DynamoDB Local's words, not the model's.
  check: (input) => input.Limit !== undefined && input.Limit > describeStreamLimitMax
    ? `One or more parameter values were invalid: Limit cannot be greater than the maximum: ${describeStreamLimitMax}`
    : input.ShardFilter && (input.ShardFilter.Type === undefined || input.ShardFilter.ShardId === undefined)
      ? 'ShardFilter must specify both Type and ShardId'
      : undefined,
})
