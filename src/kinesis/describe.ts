/**
 * How streams and shards look on the wire (DescribeStream, DescribeStreamSummary, ListShards,
 * ListStreams, GetRecords' ChildShards). Timestamps are epoch seconds, as JSON 1.1 carries them.
 */
import { formatSequenceNumber } from './sequence-numbers.js'
import { defaultMaxRecordSizeKiB, isOpen, shardIdOf, type ShardState, type StreamState } from './stream-store.js'

export function epochSeconds(ms: number): number {
  return ms / 1000
}

export function shardDescription(state: StreamState, shard: ShardState): Record<string, unknown> {
  return {
    ShardId: shardIdOf(shard.index),
    ...(shard.parentIndex !== undefined ? { ParentShardId: shardIdOf(shard.parentIndex) } : {}),
    ...(shard.adjacentParentIndex !== undefined ? { AdjacentParentShardId: shardIdOf(shard.adjacentParentIndex) } : {}),
    HashKeyRange: { StartingHashKey: shard.startingHashKey, EndingHashKey: shard.endingHashKey },
    SequenceNumberRange: {
      StartingSequenceNumber: formatSequenceNumber(shard.startOrdinal, shard.index, state.createdMs),
      ...(shard.endOrdinal !== undefined
        ? { EndingSequenceNumber: formatSequenceNumber(shard.endOrdinal, shard.index, state.createdMs) }
        : {}),
    },
  }
}

/** The shards made from `parent` by a split, merge or UpdateShardCount (GetRecords' ChildShards). */
export function childShards(state: StreamState, parent: ShardState): Array<Record<string, unknown>> {
  return state.shards
    .filter((shard) => shard.parentIndex === parent.index || shard.adjacentParentIndex === parent.index)
    .map((child) => ({
      ShardId: shardIdOf(child.index),
      ParentShards: [child.parentIndex, child.adjacentParentIndex].filter((index) => index !== undefined).map((index) => shardIdOf(index!)),
      HashKeyRange: { StartingHashKey: child.startingHashKey, EndingHashKey: child.endingHashKey },
    }))
}

function encryption(state: StreamState): Record<string, unknown> {
  return state.encryption ? { EncryptionType: 'KMS', KeyId: state.encryption.keyId } : { EncryptionType: 'NONE' }
}

function common(state: StreamState): Record<string, unknown> {
  return {
    StreamName: state.name,
    StreamARN: state.arn,
    StreamStatus: 'ACTIVE',
    StreamModeDetails: { StreamMode: state.mode },
    RetentionPeriodHours: state.retentionHours,
    StreamCreationTimestamp: epochSeconds(state.createdMs),
    EnhancedMonitoring: [{ ShardLevelMetrics: state.shardLevelMetrics ?? [] }],
    ...encryption(state),
  }
}

export function streamDescription(state: StreamState, shards: ShardState[], hasMoreShards: boolean): Record<string, unknown> {
  return { ...common(state), Shards: shards.map((shard) => shardDescription(state, shard)), HasMoreShards: hasMoreShards }
}

export function streamSummary(state: StreamState): Record<string, unknown> {
  return {
    ...common(state), OpenShardCount: state.shards.filter(isOpen).length, ConsumerCount: state.consumers.length,
    MaxRecordSizeInKiB: state.maxRecordSizeKiB ?? defaultMaxRecordSizeKiB,
  }
}

export function streamListEntry(state: StreamState): Record<string, unknown> {
  return {
    StreamName: state.name, StreamARN: state.arn, StreamStatus: 'ACTIVE',
    StreamModeDetails: { StreamMode: state.mode }, StreamCreationTimestamp: epochSeconds(state.createdMs),
  }
}

export function encryptionTypeOf(state: StreamState): string {
  return state.encryption ? 'KMS' : 'NONE'
}
