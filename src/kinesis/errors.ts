/**
 * The errors Kinesis Data Streams answers with. Kinesis's JSON and CBOR error bodies carry the
 * bare error name as `__type` (no Coral namespace), with HTTP 400.
 */
import { DynamoError } from '../errors.js'

abstract class KinesisError extends DynamoError {
  override toWire(): Record<string, unknown> {
    return { __type: this.type, message: this.message }
  }
}

export class KinesisResourceNotFound extends KinesisError {
  readonly type = 'ResourceNotFoundException'
}

export class KinesisResourceInUse extends KinesisError {
  readonly type = 'ResourceInUseException'
}

export class InvalidArgumentException extends KinesisError {
  readonly type = 'InvalidArgumentException'
}

export class KinesisLimitExceeded extends KinesisError {
  readonly type = 'LimitExceededException'
}

export class KinesisExpiredIterator extends KinesisError {
  readonly type = 'ExpiredIteratorException'
}

export class ExpiredNextTokenException extends KinesisError {
  readonly type = 'ExpiredNextTokenException'
}

export class KinesisValidationException extends KinesisError {
  readonly type = 'ValidationException'
}

export class KinesisSerializationException extends KinesisError {
  readonly type = 'SerializationException'
}

/** A request with DryRun passed every check; HTTP 400 like every Kinesis error (src/kinesis/dry-run.ts). */
export class DryRunOperationException extends KinesisError {
  readonly type = 'DryRunOperationException'
}

export function streamNotFound(name: string, accountId: string): KinesisResourceNotFound {
  return new KinesisResourceNotFound(`Stream ${name} under account ${accountId} not found.`)
}

export function shardNotFound(shardId: string, streamName: string, accountId: string): KinesisResourceNotFound {
  return new KinesisResourceNotFound(`Shard ${shardId} in stream ${streamName} under account ${accountId} does not exist`)
}
