/**
 * The Kinesis Data Streams API (target prefix Kinesis_20131202), served on the same port as
 * DynamoDB. Each operation validates its own input (kinesis/validate.ts): some action names
 * (DescribeStream, GetRecords, ...) are also DynamoDB Streams actions with other shapes.
 */
import type { ServiceOperations } from '../api/dispatch.js'
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
  AddTagsToStream: addTagsToStream,
  CreateStream: createStream,
  DecreaseStreamRetentionPeriod: decreaseStreamRetentionPeriod,
  DeleteStream: deleteStream,
  DeregisterStreamConsumer: deregisterStreamConsumer,
  DescribeStream: describeStream,
  DescribeStreamConsumer: describeStreamConsumer,
  DescribeStreamSummary: describeStreamSummary,
  GetRecords: getRecords,
  GetShardIterator: getShardIterator,
  IncreaseStreamRetentionPeriod: increaseStreamRetentionPeriod,
  ListShards: listShards,
  ListStreamConsumers: listStreamConsumers,
  ListStreams: listStreams,
  ListTagsForStream: listTagsForStream,
  MergeShards: mergeShards,
  PutRecord: putRecord,
  PutRecords: putRecords,
  RegisterStreamConsumer: registerStreamConsumer,
  RemoveTagsFromStream: removeTagsFromStream,
  SplitShard: splitShard,
  StartStreamEncryption: startStreamEncryption,
  StopStreamEncryption: stopStreamEncryption,
  SubscribeToShard: subscribeToShard,
  UpdateShardCount: updateShardCount,
}
