/**
 * The Kinesis Data Streams API (target prefix Kinesis_20131202), served on the same port as
 * DynamoDB. Each operation validates its own input (kinesis/validate.ts), with Kinesis's rules
 * and messages rather than DynamoDB's shapes. Each operation is imported on its first call
 * (src/lazy-require.ts).
 */
import type { ServiceOperations } from '../api/dispatch.js'
import { selfValidatingOperation } from '../api/operation.js'
import { importedOnFirstCall } from '../lazy-require.js'

export const kinesisTargetPrefix = 'Kinesis_20131202'

export const kinesisOperations: ServiceOperations = {
  AddTagsToStream: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./stream-operations.js')).addTagsToStream)),
  CreateStream: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./stream-operations.js')).createStream)),
  DecreaseStreamRetentionPeriod: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./stream-operations.js')).decreaseStreamRetentionPeriod)),
  DeleteResourcePolicy: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./resource-operations.js')).deleteResourcePolicy)),
  DeleteStream: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./stream-operations.js')).deleteStream)),
  DeregisterStreamConsumer: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./consumers.js')).deregisterStreamConsumer)),
  DescribeLimits: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./stream-settings.js')).describeLimits)),
  DescribeStream: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./stream-operations.js')).describeStream)),
  DescribeStreamConsumer: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./consumers.js')).describeStreamConsumer)),
  DescribeStreamSummary: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./stream-operations.js')).describeStreamSummary)),
  DisableEnhancedMonitoring: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./stream-settings.js')).disableEnhancedMonitoring)),
  EnableEnhancedMonitoring: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./stream-settings.js')).enableEnhancedMonitoring)),
  GetRecords: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./read-records.js')).getRecords)),
  GetResourcePolicy: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./resource-operations.js')).getResourcePolicy)),
  GetShardIterator: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./read-records.js')).getShardIterator)),
  IncreaseStreamRetentionPeriod: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./stream-operations.js')).increaseStreamRetentionPeriod)),
  ListShards: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./list-shards.js')).listShards)),
  ListStreamConsumers: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./consumers.js')).listStreamConsumers)),
  ListStreams: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./stream-operations.js')).listStreams)),
  ListTagsForResource: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./resource-operations.js')).listTagsForResource)),
  ListTagsForStream: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./stream-operations.js')).listTagsForStream)),
  MergeShards: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./resharding.js')).mergeShards)),
  PutRecord: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./put-records.js')).putRecord)),
  PutRecords: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./put-records.js')).putRecords)),
  PutResourcePolicy: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./resource-operations.js')).putResourcePolicy)),
  RegisterStreamConsumer: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./consumers.js')).registerStreamConsumer)),
  RemoveTagsFromStream: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./stream-operations.js')).removeTagsFromStream)),
  SplitShard: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./resharding.js')).splitShard)),
  StartStreamEncryption: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./stream-operations.js')).startStreamEncryption)),
  StopStreamEncryption: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./stream-operations.js')).stopStreamEncryption)),
  SubscribeToShard: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./subscribe-to-shard.js')).subscribeToShard)),
  TagResource: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./resource-operations.js')).tagResource)),
  UntagResource: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./resource-operations.js')).untagResource)),
  UpdateMaxRecordSize: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./stream-settings.js')).updateMaxRecordSize)),
  UpdateShardCount: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./resharding.js')).updateShardCount)),
  UpdateStreamMode: selfValidatingOperation(importedOnFirstCall(async () =>
    (await import('./stream-settings.js')).updateStreamMode)),
}
