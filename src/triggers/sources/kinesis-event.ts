/**
 * A Kinesis record as Lambda hands it to a function:
 *   {kinesis: {kinesisSchemaVersion, partitionKey, sequenceNumber, data (base64), approximateArrivalTimestamp},
 *    eventSource: "aws:kinesis", eventVersion: "1.0", eventID: "<shardId>:<sequenceNumber>",
 *    eventName: "aws:kinesis:record", invokeIdentityArn, awsRegion, eventSourceARN}
 * and what its filters look at: only the `data` key, as the parsed JSON when the data is JSON.
 */
import type { StreamRecordRow } from '../../storage/engine.js'
import { formatSequenceNumber } from '../../kinesis/sequence-numbers.js'
import type { PendingRecord } from '../event.js'
import { arnPartition } from '../../region-names.js'
import { unreadableValue } from '../filter-pattern.js'

export interface KinesisEventContext {
  region: string
  shardId: string
  streamCreatedMs: number
  eventSourceArn: string
  invokeIdentityArn: string
}

export function kinesisPendingRecordOf(row: StreamRecordRow, context: KinesisEventContext): PendingRecord {
  const sequenceNumber = formatSequenceNumber(row.ordinal, row.shard, context.streamCreatedMs)
  const record = {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: row.partitionKey,
      sequenceNumber,
      data: row.data.toString('base64'),
      // Lambda's events give epoch seconds with a fraction, as GetRecords does.
      approximateArrivalTimestamp: row.arrivalMs / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${context.shardId}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: context.invokeIdentityArn,
    awsRegion: context.region,
    eventSourceARN: context.eventSourceArn,
  }
  return {
    sequence: row.ordinal,
    sequenceNumber,
    itemKey: row.partitionKey,
    madeAtMs: row.arrivalMs,
    record,
    sizeChars: JSON.stringify(record).length,
  }
}

/**
 * What a filter pattern sees of a Kinesis record. Lambda filters Kinesis records on `data` only:
 * the decoded JSON when the data is JSON; data that is not JSON matches no pattern on `data`, not
 * even one asking that a member not exist.
 */
export function kinesisFilterViewOf(row: StreamRecordRow): { data: unknown } {
  try {
    return { data: JSON.parse(row.data.toString('utf8')) }
  } catch {
    return { data: unreadableValue }
  }
}

/**
 * The role a record names as invokeIdentityArn. Functions here run without an IAM role; the name
 * follows the one the Lambda console gives a function's execution role.
 */
export function invokeIdentityArnOf(region: string, accountId: string, functionName: string): string {
  return `arn:${arnPartition(region)}:iam::${accountId}:role/service-role/${functionName}-role`
}
