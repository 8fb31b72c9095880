/** GetShardIterator: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html */
import { operation, string, structure } from './shape.js'
import { sequenceNumber, shardId, streamArn } from './stream-common.js'

export type ShardIteratorType = 'TRIM_HORIZON' | 'LATEST' | 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER'

export interface GetShardIteratorInput {
  StreamArn: string
  ShardId: string
  ShardIteratorType: ShardIteratorType
  SequenceNumber?: string
}

function checkSequenceNumber(input: GetShardIteratorInput): string | undefined {
  const positioned = input.ShardIteratorType === 'AT_SEQUENCE_NUMBER' || input.ShardIteratorType === 'AFTER_SEQUENCE_NUMBER'
  if (positioned && input.SequenceNumber === undefined) {
    return `Must specify SequenceNumber when ShardIteratorType is ${input.ShardIteratorType}`
  }
  if (!positioned && input.SequenceNumber !== undefined) {
    return `Must not specify SequenceNumber when ShardIteratorType is ${input.ShardIteratorType}`
  }
  if (input.SequenceNumber !== undefined && !/^[0-9]+$/.test(input.SequenceNumber)) {
    return `Invalid SequenceNumber: ${input.SequenceNumber}`
  }
  return undefined
}

export const getShardIteratorShape = operation<GetShardIteratorInput>({
  input: structure('GetShardIteratorInput', {
    StreamArn: streamArn({ notNull: true }),
    ShardId: shardId({ notNull: true }),
    ShardIteratorType: string({ notNull: true, enum: ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] }),
    SequenceNumber: sequenceNumber(),
  }),
  check: checkSequenceNumber,
})
