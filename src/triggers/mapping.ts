/**
 * An event source mapping: a DynamoDB stream or a Kinesis stream wired to a function, with
 * Lambda's delivery settings. The stored form keeps the settings in Lambda's wire spelling (so
 * describing a mapping is mostly copying) plus what the runner needs and Lambda does not show:
 * the table or Kinesis stream it reads.
 */
import type { StreamViewType } from '../streams/records.js'
import { arnPartition } from '../region-names.js'

/** AT_TIMESTAMP is for Kinesis sources only. */
export type StartingPosition = 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP'

export interface FilterCriteria {
  Filters: { Pattern: string }[]
}

export interface DestinationConfig {
  OnFailure: { Destination?: string }
}

/** The settings a client can set, as Lambda spells them. */
export interface MappingSettings {
  BatchSize: number
  MaximumBatchingWindowInSeconds: number
  ParallelizationFactor: number
  MaximumRecordAgeInSeconds: number
  MaximumRetryAttempts: number
  BisectBatchOnFunctionError: boolean
  TumblingWindowInSeconds: number
  FunctionResponseTypes: string[]
  DestinationConfig: DestinationConfig
  FilterCriteria?: FilterCriteria
  /** Stored and described; EddyDB publishes no CloudWatch metrics (docs/streams.md). */
  MetricsConfig?: { Metrics: string[] }
}

interface MappingCommon {
  /** Bumped if the stored shape ever changes incompatibly. */
  version: 1
  UUID: string
  EventSourceArn: string
  /** The function's name (FunctionName may be given as a name or an ARN; this is the name). */
  functionName: string
  /** The function's ARN, with the version or alias FunctionName named, if any. */
  FunctionArn: string
  StartingPosition: StartingPosition
  settings: MappingSettings
  enabled: boolean
  /** Milliseconds since the epoch. */
  lastModifiedMs: number
  /** Lambda's resource tags (ListTags, TagResource, UntagResource on the mapping's ARN). */
  tags?: Record<string, string>
}

/** A mapping on a DynamoDB stream (stored before Kinesis sources existed: no `source` member). */
export interface DynamoDbStreamMapping extends MappingCommon {
  source?: 'dynamodb'
  /** The table incarnation whose change log the mapping reads. */
  tableId: string
  tableName: string
  /** The stream's creation time (from its label): changes before it are not in the stream. */
  streamStartMs: number
  /** A stream's view type is fixed for its lifetime, so the mapping can keep it. */
  streamViewType: StreamViewType
}

/** A mapping on a Kinesis stream, or on one of its enhanced fan-out consumers. */
export interface KinesisMapping extends MappingCommon {
  source: 'kinesis'
  streamName: string
  streamArn: string
  /** The stream incarnation (StreamState.id): a stream created again under the name is another source. */
  streamId: string
  /** Milliseconds since the epoch, for StartingPosition AT_TIMESTAMP. */
  startingPositionTimestampMs?: number
}

export type MappingRecord = DynamoDbStreamMapping | KinesisMapping

export function isKinesisMapping(mapping: MappingRecord): mapping is KinesisMapping {
  return mapping.source === 'kinesis'
}

/** What the mapping reads, for the status route and logs: a table or a Kinesis stream name. */
export function sourceNameOf(mapping: MappingRecord): string {
  return isKinesisMapping(mapping) ? mapping.streamName : mapping.tableName
}

/** Lambda's defaults for a stream mapping (DynamoDB or Kinesis), echoed back on create. */
export const defaultSettings: MappingSettings = {
  BatchSize: 100,
  MaximumBatchingWindowInSeconds: 0,
  ParallelizationFactor: 1,
  MaximumRecordAgeInSeconds: -1,
  MaximumRetryAttempts: -1,
  BisectBatchOnFunctionError: false,
  TumblingWindowInSeconds: 0,
  FunctionResponseTypes: [],
  DestinationConfig: { OnFailure: {} },
}

export type MappingState = 'Creating' | 'Enabled' | 'Disabled' | 'Enabling' | 'Disabling' | 'Updating' | 'Deleting'

export function functionArnOf(region: string, accountId: string, functionName: string, qualifier?: string): string {
  return `arn:${arnPartition(region)}:lambda:${region}:${accountId}:function:${functionName}${qualifier === undefined ? '' : `:${qualifier}`}`
}

export function mappingArnOf(region: string, accountId: string, uuid: string): string {
  return `arn:${arnPartition(region)}:lambda:${region}:${accountId}:event-source-mapping:${uuid}`
}

/** The EventSourceMappingConfiguration Lambda returns. */
export function describeMapping(
  mapping: MappingRecord, region: string, accountId: string,
  state: MappingState, lastProcessingResult: string,
): Record<string, unknown> {
  const described: Record<string, unknown> = {
    UUID: mapping.UUID,
    StartingPosition: mapping.StartingPosition,
    BatchSize: mapping.settings.BatchSize,
    MaximumBatchingWindowInSeconds: mapping.settings.MaximumBatchingWindowInSeconds,
    ParallelizationFactor: mapping.settings.ParallelizationFactor,
    EventSourceArn: mapping.EventSourceArn,
    FunctionArn: mapping.FunctionArn,
    // restJson1 timestamps are epoch seconds.
    LastModified: mapping.lastModifiedMs / 1000,
    LastProcessingResult: lastProcessingResult,
    State: state,
    StateTransitionReason: 'User action',
    DestinationConfig: mapping.settings.DestinationConfig,
    MaximumRecordAgeInSeconds: mapping.settings.MaximumRecordAgeInSeconds,
    BisectBatchOnFunctionError: mapping.settings.BisectBatchOnFunctionError,
    MaximumRetryAttempts: mapping.settings.MaximumRetryAttempts,
    TumblingWindowInSeconds: mapping.settings.TumblingWindowInSeconds,
    FunctionResponseTypes: mapping.settings.FunctionResponseTypes,
    EventSourceMappingArn: mappingArnOf(region, accountId, mapping.UUID),
  }
  if (mapping.settings.FilterCriteria) described.FilterCriteria = mapping.settings.FilterCriteria
  if (mapping.settings.MetricsConfig) described.MetricsConfig = mapping.settings.MetricsConfig
  if (isKinesisMapping(mapping) && mapping.startingPositionTimestampMs !== undefined) {
    described.StartingPositionTimestamp = mapping.startingPositionTimestampMs / 1000
  }
  return described
}

/** The settled state of a stored mapping. */
export function settledState(mapping: MappingRecord): MappingState {
  return mapping.enabled ? 'Enabled' : 'Disabled'
}
