/**
 * The Kinesis record DynamoDB writes for one item change: UTF-8 JSON with both images whatever
 * the table's DynamoDB Streams setting, no SequenceNumber or StreamViewType, and the creation
 * time in epoch milliseconds or microseconds (then named by ApproximateCreationDateTimePrecision
 * after SizeBytes, as in the records DynamoDB writes, quoted in public code and docs from 2024).
 * The eventID is the change's id written as a version-4 UUID, the form of every such record
 * seen. The partition key is the MD5 of the item's key, 32 hex digits, so every change of one
 * item lands on one shard, in order.
 */
import { md5Digest } from '../md5.js'
import type { ChangeRecord } from '../storage/engine.js'
import type { CreationDateTimePrecision } from '../shapes/kinesis-streaming-destination.js'
import { eventIdOf, streamRecordOf } from '../streams/records.js'
import type { NewRecord } from './put-records.js'

export function destinationRecordOf(change: ChangeRecord, tableName: string, region: string,
  precision: CreationDateTimePrecision = 'MILLISECOND'): NewRecord {
  const { dynamodb: body } = streamRecordOf(change, 'NEW_AND_OLD_IMAGES', region)
  const record = {
    awsRegion: region,
    eventID: uuidOf(eventIdOf(change)),
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
      ...(precision === 'MICROSECOND' ? { ApproximateCreationDateTimePrecision: precision } : {}),
    },
    eventSource: 'aws:dynamodb',
  }
  return {
    data: Buffer.from(JSON.stringify(record), 'utf8'),
    partitionKey: md5Digest(change.key).toString('hex').toUpperCase(),
  }
}

/** 32 hex digits as a UUID of version 4 (its version digit and variant bits set), the same for the same id. */
function uuidOf(hex: string): string {
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}
