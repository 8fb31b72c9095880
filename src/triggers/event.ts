/**
 * The event a function receives: {"Records":[...]}. For a DynamoDB stream each record is the
 * DynamoDB Streams record plus eventSourceARN, with userIdentity in camelCase (the Streams API
 * spells it in PascalCase); Kinesis records are shaped by sources/kinesis-event.ts.
 */
import type { ChangeRecord } from '../storage/engine.js'
import { streamRecordOf, type StreamRecord, type StreamViewType } from '../streams/records.js'

export interface TriggerRecord extends Omit<StreamRecord, 'userIdentity'> {
  eventSourceARN: string
  userIdentity?: { type: string; principalId: string }
}

export function triggerRecordOf(change: ChangeRecord, viewType: StreamViewType, region: string, streamArn: string): TriggerRecord {
  const { userIdentity, ...streamRecord } = streamRecordOf(change, viewType, region)
  const record: TriggerRecord = { ...streamRecord, eventSourceARN: streamArn }
  if (userIdentity) record.userIdentity = { type: userIdentity.Type, principalId: userIdentity.PrincipalId }
  return record
}

/** One record as the runner carries it, whatever its source. */
export interface PendingRecord {
  /** The record's position in its shard (a change-log sequence, or a Kinesis ordinal): what checkpoints hold. */
  sequence: number
  /** The record's sequence number as the function sees it: what ReportBatchItemFailures names. */
  sequenceNumber: string
  /** Groups records that must stay in order (an item's key, a Kinesis partition key) for ParallelizationFactor. */
  itemKey: string
  /** Milliseconds since the epoch at which the record was made (or arrived in Kinesis). */
  madeAtMs: number
  /** The record as it goes into the event. */
  record: object
  /** Length of the record's JSON text, for the 6 MB payload cap. */
  sizeChars: number
}

export function pendingRecordOf(change: ChangeRecord, viewType: StreamViewType, region: string, streamArn: string): PendingRecord {
  const record = triggerRecordOf(change, viewType, region, streamArn)
  return {
    sequence: change.sequence,
    sequenceNumber: record.dynamodb.SequenceNumber,
    itemKey: change.key.toString('base64'),
    madeAtMs: Math.floor(change.timeMicros / 1000),
    record,
    sizeChars: JSON.stringify(record).length,
  }
}

/**
 * An event as the JSON text a function's runtime reads. Lambda writes a DynamoDB record's
 * ApproximateCreationDateTime as a float of whole seconds (`1664559083.0`: a Python handler gets
 * a float), where JSON.stringify writes an integer. Images cannot match: their numbers are strings.
 */
export function eventText(event: unknown): string {
  return JSON.stringify(event).replace(/"ApproximateCreationDateTime":(-?\d+)(?=[,}])/g, '"ApproximateCreationDateTime":$1.0')
}

export function eventOf(batch: PendingRecord[]): { Records: object[] } {
  return { Records: batch.map((pending) => pending.record) }
}
