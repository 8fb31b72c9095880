/**
 * The event a function receives: {"Records":[...]}, each record the DynamoDB Streams record plus
 * eventSourceARN, with userIdentity in camelCase (the Streams API spells it in PascalCase).
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

/** One change as the runner carries it: the change-log sequence and its event record. */
export interface PendingRecord {
  sequence: number
  /** Groups records that must stay in order (the item's encoded key) for ParallelizationFactor. */
  itemKey: string
  /** Milliseconds since the epoch at which the change was made. */
  madeAtMs: number
  record: TriggerRecord
  /** Length of the record's JSON text, for the 6 MB payload cap. */
  sizeChars: number
}

export function pendingRecordOf(change: ChangeRecord, viewType: StreamViewType, region: string, streamArn: string): PendingRecord {
  const record = triggerRecordOf(change, viewType, region, streamArn)
  return {
    sequence: change.sequence,
    itemKey: change.key.toString('base64'),
    madeAtMs: Math.floor(change.timeMicros / 1000),
    record,
    sizeChars: JSON.stringify(record).length,
  }
}

export function eventOf(batch: PendingRecord[]): { Records: TriggerRecord[] } {
  return { Records: batch.map((pending) => pending.record) }
}
