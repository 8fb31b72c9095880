/**
 * The Kinesis Data Streams API (target prefix Kinesis_20131202), served on the same port as
 * DynamoDB. Each operation validates its own input (kinesis/validate.ts), with Kinesis's rules
 * and messages rather than DynamoDB's shapes.
 */
import type { ServiceOperations } from '../api/dispatch.js'
import { selfValidatingOperation } from '../api/operation.js'
import { deregisterStreamConsumer, describeStreamConsumer, listStreamConsumers, registerStreamConsumer } from './consumers.js'
import { listShards } from './list-shards.js'
import { subscribeToShard } from './subscribe-to-shard.js'
import { putRecord, putRecords } from './put-records.js'
import { getRecords, getShardIterator } from './read-records.js'
import { mergeShards, splitShard, updateShardCount } from './resharding.js'
import {
  addTagsToStream, createStream, decreaseStreamRetentionPeriod, deleteStream, describeStream, describeStreamSummary,
  increaseStreamRetentionPeriod, listStreams, listTagsForStream, removeTagsFromStream, startStreamEncryption, stopStreamEncryption,
} from './stream-operations.js'

export const kinesisTargetPrefix = 'Kinesis_20131202'

export const kinesisOperations: ServiceOperations = {
  AddTagsToStream: selfValidatingOperation(addTagsToStream),
  CreateStream: selfValidatingOperation(createStream),
  DecreaseStreamRetentionPeriod: selfValidatingOperation(decreaseStreamRetentionPeriod),
  DeleteStream: selfValidatingOperation(deleteStream),
  DeregisterStreamConsumer: selfValidatingOperation(deregisterStreamConsumer),
  DescribeStream: selfValidatingOperation(describeStream),
  DescribeStreamConsumer: selfValidatingOperation(describeStreamConsumer),
  DescribeStreamSummary: selfValidatingOperation(describeStreamSummary),
  GetRecords: selfValidatingOperation(getRecords),
  GetShardIterator: selfValidatingOperation(getShardIterator),
  IncreaseStreamRetentionPeriod: selfValidatingOperation(increaseStreamRetentionPeriod),
  ListShards: selfValidatingOperation(listShards),
  ListStreamConsumers: selfValidatingOperation(listStreamConsumers),
  ListStreams: selfValidatingOperation(listStreams),
  ListTagsForStream: selfValidatingOperation(listTagsForStream),
  MergeShards: selfValidatingOperation(mergeShards),
  PutRecord: selfValidatingOperation(putRecord),
  PutRecords: selfValidatingOperation(putRecords),
  RegisterStreamConsumer: selfValidatingOperation(registerStreamConsumer),
  RemoveTagsFromStream: selfValidatingOperation(removeTagsFromStream),
  SplitShard: selfValidatingOperation(splitShard),
  StartStreamEncryption: selfValidatingOperation(startStreamEncryption),
  StopStreamEncryption: selfValidatingOperation(stopStreamEncryption),
  SubscribeToShard: selfValidatingOperation(subscribeToShard),
  UpdateShardCount: selfValidatingOperation(updateShardCount),
}
