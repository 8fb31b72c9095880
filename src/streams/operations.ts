/**
 * The DynamoDB Streams API (target prefix DynamoDBStreams_20120810): a read-only view over the
 * tables' change logs, served on the same port as DynamoDB. The shapes load with the server;
 * each handler is imported on its operation's first call (src/lazy-require.ts).
 */
import type { ServiceOperations } from '../api/dispatch.js'
import { defineOperation } from '../api/operation.js'
import { importedOnFirstCall } from '../lazy-require.js'
import { describeStreamShape } from '../shapes/describe-stream.js'
import { getRecordsShape } from '../shapes/get-records.js'
import { getShardIteratorShape } from '../shapes/get-shard-iterator.js'
import { listStreamsShape } from '../shapes/list-streams.js'

export const dynamoDbStreamsOperations: ServiceOperations = {
  DescribeStream: defineOperation(describeStreamShape, importedOnFirstCall(async () =>
    (await import('../operations/streams/describe-stream.js')).describeStream)),
  GetRecords: defineOperation(getRecordsShape, importedOnFirstCall(async () =>
    (await import('../operations/streams/get-records.js')).getRecords)),
  GetShardIterator: defineOperation(getShardIteratorShape, importedOnFirstCall(async () =>
    (await import('../operations/streams/get-shard-iterator.js')).getShardIterator)),
  ListStreams: defineOperation(listStreamsShape, importedOnFirstCall(async () =>
    (await import('../operations/streams/list-streams.js')).listStreams)),
}
