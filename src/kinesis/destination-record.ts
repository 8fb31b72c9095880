/**
 * The Kinesis record DynamoDB writes for one item change: UTF-8 JSON with both images whatever
 * the table's DynamoDB Streams setting, no SequenceNumber or StreamViewType, and the creation
 * time in epoch milliseconds or microseconds. The partition key is the MD5 of the item's key,
 * 32 hex digits, so every change of one item lands on one shard, in order.
 */
import { md5Digest } from '../md5.js'
import type { ChangeRecord } from '../storage/engine.js'
import type { CreationDateTimePrecision } from '../shapes/kinesis-streaming-destination.js'
import { eventIdOf, streamRecordOf } from '../streams/records.js'
import type { NewRecord } from './put-records.js'

export function destinationRecordOf(change: ChangeRecord, tableName: string, region: string,
  precision: CreationDateTimePrecision = 'MILLISECOND'): NewRecord {
  const { dynamodb: body } = streamRecordOf(change, 'NEW_AND_OLD_IMAGES', region)
  const hex = eventIdOf(change)
  const record = {
    awsRegion: region,
    eventID: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    eventName: change.eventName,
    userIdentity: change.identity ? { principalId: change.identity.principalId, type: change.identity.type } : null,
    recordFormat: 'application/json',
    tableName,
    dynamodb: {
      ApproximateCreationDateTime: precision === 'MICROSECOND' ? change.timeMicros : Math.floor(change.timeMicros / 1000),
      Keys: body.Keys,
      ...(body.NewImage ? { NewImage: body.NewImage } : {}),
      ...(body.OldImage ? { OldImage: body.OldImage } : {}),
      SizeBytes: body.SizeBytes,
    },
    eventSource: 'aws:dynamodb',
  }
  return {
    data: Buffer.from(JSON.stringify(record), 'utf8'),
    partitionKey: md5Digest(change.key).toString('hex').toUpperCase(),
  }
}
