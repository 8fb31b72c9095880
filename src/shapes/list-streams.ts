/** ListStreams: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_ListStreams.html */
import { tableName } from './common.js'
import { integer, operation, structure } from './shape.js'
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
    TableName: tableName({}),
    Limit: integer({ valueMin: 1, valueMax: listStreamsLimitMax }),
    ExclusiveStartStreamArn: streamArn(),
  }),
})
