/**
 * CreateEventSourceMapping with a Kinesis event source: a stream ARN
 * (arn:aws:kinesis:<region>:<account>:stream/<name>) or an enhanced fan-out consumer's ARN
 * (<stream arn>/consumer/<name>:<epoch seconds>), which reads the same records through the
 * consumer. The stream (and the consumer) must exist in the mapping's region and account.
 */
import type { RegionContext } from '../../api/context.js'
import { loadStream } from '../../kinesis/stream-store.js'
import { invalidParameter } from '../lambda-errors.js'
import { refuseStrayTimestamp, type Body } from '../mapping-input.js'
import type { KinesisMapping, StartingPosition } from '../mapping.js'

const kinesisArnPattern = /^arn:aws[a-zA-Z-]*:kinesis:([^:]*):([^:]*):stream\/([a-zA-Z0-9_.-]{1,128})(\/consumer\/[a-zA-Z0-9_.-]{1,128}:\d+)?$/

export function isKinesisArn(arn: string): boolean {
  return arn.startsWith('arn:') && arn.split(':')[2] === 'kinesis'
}

/** The source members of a Kinesis mapping, or InvalidParameterValueException. */
export async function kinesisSourceOf(region: RegionContext, arn: string, body: Body): Promise<Pick<KinesisMapping,
  'source' | 'streamName' | 'streamArn' | 'streamId' | 'StartingPosition' | 'startingPositionTimestampMs'>> {
  const match = kinesisArnPattern.exec(arn)
  const inRegion = match !== null && match[1] === region.region && match[2] === region.accountId
  const state = inRegion ? await region.storage.read((view) => loadStream(view, match[3]!)) : undefined
  if (!state) throw invalidParameter(`Stream not found: ${arn}`)
  if (match![4] !== undefined && !state.consumers.some((consumer) => consumer.arn === arn)) {
    throw invalidParameter(`Consumer not found: ${arn}`)
  }
  const position = startingPositionOf(body)
  return {
    source: 'kinesis', streamName: state.name, streamArn: state.arn, streamId: state.id, StartingPosition: position,
    ...(position === 'AT_TIMESTAMP' ? { startingPositionTimestampMs: timestampMsOf(body, region.clock.now()) } : {}),
  }
}

function startingPositionOf(body: Body): StartingPosition {
  const position = body.StartingPosition
  if (position === undefined || position === null) throw invalidParameter('StartingPosition is required for Kinesis event sources.')
  refuseStrayTimestamp(body, position as StartingPosition)
  return position as StartingPosition
}

/**
 * StartingPositionTimestamp: epoch seconds (restJson1), required with AT_TIMESTAMP and not in the
 * future. A negative one gets the words Lambda answers it with (LocalStack's AWS recording).
 */
function timestampMsOf(body: Body, nowMs: number): number {
  const seconds = body.StartingPositionTimestamp
  if (typeof seconds === 'number' && seconds < 0) {
    throw invalidParameter('Received Exception while reading from provided stream. class java.lang.Long can not be converted to a Timestamp')
  }
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    throw invalidParameter('StartingPositionTimestamp must be specified when StartingPosition is AT_TIMESTAMP.')
  }
  const ms = Math.round(seconds * 1000)
  if (ms > nowMs) throw invalidParameter('StartingPositionTimestamp cannot be in the future.')
  return ms
}
