/**
 * The DynamoDB Streams API (target prefix DynamoDBStreams_20120810): a read-only view over the
 * tables' change logs, served on the same port as DynamoDB.
 */
import type { ServiceOperations } from '../api/dispatch.js'
import { defineOperation } from '../api/operation.js'
import { describeStreamShape } from '../shapes/describe-stream.js'
import { getRecordsShape } from '../shapes/get-records.js'
import { getShardIteratorShape } from '../shapes/get-shard-iterator.js'
import { listStreamsShape } from '../shapes/list-streams.js'
import { describeStream } from '../operations/streams/describe-stream.js'
import { getRecords } from '../operations/streams/get-records.js'
import { getShardIterator } from '../operations/streams/get-shard-iterator.js'
import { listStreams } from '../operations/streams/list-streams.js'

export const dynamoDbStreamsOperations: ServiceOperations = {
  DescribeStream: defineOperation(describeStreamShape, describeStream),
  GetRecords: defineOperation(getRecordsShape, getRecords),
  GetShardIterator: defineOperation(getShardIteratorShape, getShardIterator),
  ListStreams: defineOperation(listStreamsShape, listStreams),
}
