/**
 * Change records as clients see them: the DynamoDB Streams record shape (GetRecords), shared by
 * the stream trigger events, which add a few fields. Every stored change keeps keys and both
 * images; the stream view type only decides what a reader is shown.
 */
import { md5Digest } from '../md5.js'
import type { ChangeRecord } from '../storage/engine.js'
import { itemSizeBytes } from '../values/size.js'
import type { Item } from '../values/types.js'

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES'

/** Sequence numbers are decimal strings of 21 to 40 digits; ours are the change-log sequence, padded. */
const sequenceNumberDigits = 21

export function sequenceNumberOf(sequence: number): string {
  return String(sequence).padStart(sequenceNumberDigits, '0')
}

/** The change-log sequence a client's SequenceNumber names, or undefined when it is not one of ours. */
export function sequenceFromNumber(text: string): number | undefined {
  if (!/^[0-9]{21,40}$/.test(text)) return undefined
  const value = Number(text)
  return Number.isSafeInteger(value) ? value : undefined
}

export interface StreamRecordBody {
  ApproximateCreationDateTime: number
  Keys: Item
  NewImage?: Item
  OldImage?: Item
  SequenceNumber: string
  SizeBytes: number
  StreamViewType: StreamViewType
}

export interface StreamRecord {
  eventID: string
  eventName: ChangeRecord['eventName']
  eventVersion: '1.1'
  eventSource: 'aws:dynamodb'
  awsRegion: string
  dynamodb: StreamRecordBody
  userIdentity?: { PrincipalId: string; Type: string }
}

/** The record GetRecords returns for one change, shaped by the stream's view type. */
export function streamRecordOf(change: ChangeRecord, viewType: StreamViewType, region: string): StreamRecord {
  const keys: Item = JSON.parse(change.keysJson)
  const body: StreamRecordBody = {
    ApproximateCreationDateTime: Math.floor(change.timeMicros / 1_000_000),
    Keys: keys,
    SequenceNumber: sequenceNumberOf(change.sequence),
    SizeBytes: 0,
    StreamViewType: viewType,
  }
  let sizeBytes = itemSizeBytes(keys)
  if ((viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES') && change.newImageJson !== undefined) {
    body.NewImage = JSON.parse(change.newImageJson)
    sizeBytes += itemSizeBytes(body.NewImage!)
  }
  if ((viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES') && change.oldImageJson !== undefined) {
    body.OldImage = JSON.parse(change.oldImageJson)
    sizeBytes += itemSizeBytes(body.OldImage!)
  }
  body.SizeBytes = Math.max(1, sizeBytes)
  const record: StreamRecord = {
    eventID: eventIdOf(change),
    eventName: change.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: body,
  }
  if (change.identity) record.userIdentity = { PrincipalId: change.identity.principalId, Type: change.identity.type }
  return record
}

/** A stable 32-hex-digit id per change, the same for every reader. */
export function eventIdOf(change: ChangeRecord): string {
  return md5Digest(`${change.tableId}:${change.sequence}`).toString('hex')
}
