/** ListStreams: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_ListStreams.html */
import { tableNamePattern } from './common.js'
import { integer, operation, string, structure } from './shape.js'
import { streamArn } from './stream-common.js'

/** ListStreams returns at most 100 streams per page. */
export const listStreamsLimitMax = 100

export interface ListStreamsInput {
  TableName?: string
  Limit?: number
  ExclusiveStartStreamArn?: string
}

export const listStreamsShape = operation<ListStreamsInput>({
  input: structure('ListStreamsInput', {
    TableName: string({ pattern: tableNamePattern, lengthMin: 3, lengthMax: 255 }),
    Limit: integer({ valueMin: 1 }),
    ExclusiveStartStreamArn: streamArn(),
  }),
  // The model sets no maximum: over it is refused in DynamoDB Local's words, not the model's.
  check: (input) => input.Limit !== undefined && input.Limit > listStreamsLimitMax
    ? `One or more parameter values were invalid: Limit cannot be greater than the maximum allowed size: ${listStreamsLimitMax}`
    : undefined,
})
