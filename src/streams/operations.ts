/**
 * The DynamoDB Streams API (target prefix DynamoDBStreams_20120810): a read-only view over the
 * tables' change logs, served on the same port as DynamoDB.
 */
import type { ServiceOperations } from '../api/dispatch.js'
import { describeStream } from '../operations/streams/describe-stream.js'
import { getRecords } from '../operations/streams/get-records.js'
import { getShardIterator } from '../operations/streams/get-shard-iterator.js'
import { listStreams } from '../operations/streams/list-streams.js'

export const dynamoDbStreamsOperations: ServiceOperations = {
  DescribeStream: describeStream,
  GetRecords: getRecords,
  GetShardIterator: getShardIterator,
  ListStreams: listStreams,
}
