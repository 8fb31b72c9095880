/**
 * The errors a client can see. One class per DynamoDB `__type`; `toWire()` is the body that
 * `http/reply.ts` sends. Anything thrown that is not a DynamoError is a bug and becomes a
 * logged InternalServerError (500).
 */
import type { Item } from './values/types.js'

export abstract class DynamoError extends Error {
  abstract readonly type: string
  readonly namespace: string = 'com.amazonaws.dynamodb.v20120810'
  readonly statusCode: number = 400
  readonly fault: 'client' | 'server' = 'client'

  toWire(): Record<string, unknown> {
    return { __type: `${this.namespace}#${this.type}`, message: this.message }
  }
}

export class ValidationException extends DynamoError {
  readonly type = 'ValidationException'
  override readonly namespace = 'com.amazon.coral.validate'
}

/**
 * A ValidationException about the values of one item (a key of the wrong type or size, an index
 * key of the wrong type, an item past 400 KB) rather than about the request's shape. Alone it is
 * an ordinary ValidationException; inside a transaction DynamoDB reports it as that action's
 * cancellation reason, `ValidationError`, and cancels the transaction.
 */
export class ItemValidationException extends ValidationException {}

/**
 * A ValidationException that fails the whole request even when it is found while a transaction
 * applies an action, where other problems become that action's cancellation reason: an empty
 * string or binary for an index key attribute (DynamoDB answers it bare, as an AWS-validated
 * suite's TransactWriteItems cases record).
 */
export class RequestValidationException extends ValidationException {}

export class SerializationException extends DynamoError {
  readonly type = 'SerializationException'
  override readonly namespace = 'com.amazon.coral.service'
  // DynamoDB quirk: this error's body spells the field "Message", and a body that is not JSON
  // at all gets no message.
  override toWire() {
    const type = `${this.namespace}#${this.type}`
    return this.message ? { __type: type, Message: this.message } : { __type: type }
  }
}

export class UnknownOperationException extends DynamoError {
  readonly type = 'UnknownOperationException'
  override readonly namespace = 'com.amazon.coral.service'
  /** `message` is for EddyDB's own 404s (a path it does not serve); DynamoDB's carry none. */
  constructor(message = '') { super(message) }
  // DynamoDB sends no message for an unknown X-Amz-Target.
  override toWire() {
    const type = `${this.namespace}#${this.type}`
    return this.message ? { __type: type, message: this.message } : { __type: type }
  }
}

/** A request body over the size cap (413), answered once the body has been read to its end. */
export class RequestEntityTooLargeException extends DynamoError {
  readonly type = 'RequestEntityTooLargeException'
  override readonly namespace = 'com.amazon.coral.service'
  override readonly statusCode = 413
}

/** A request line or headers over Node's header size cap (431). */
export class RequestHeaderFieldsTooLargeException extends DynamoError {
  readonly type = 'RequestHeaderFieldsTooLargeException'
  override readonly namespace = 'com.amazon.coral.service'
  override readonly statusCode = 431
}

/** An HTTP message Node's parser cannot read at all (400). */
export class BadHttpRequestException extends DynamoError {
  readonly type = 'BadRequestException'
  override readonly namespace = 'com.amazon.coral.service'
}

export class MissingAuthenticationTokenException extends DynamoError {
  readonly type = 'MissingAuthenticationTokenException'
  override readonly namespace = 'com.amazon.coral.service'
}

export class IncompleteSignatureException extends DynamoError {
  readonly type = 'IncompleteSignatureException'
  override readonly namespace = 'com.amazon.coral.service'
}

export class InvalidSignatureException extends DynamoError {
  readonly type = 'InvalidSignatureException'
  override readonly namespace = 'com.amazon.coral.service'
}

export class UnrecognizedClientException extends DynamoError {
  readonly type = 'UnrecognizedClientException'
  override readonly namespace = 'com.amazon.coral.service'
}

export class AccessDeniedException extends DynamoError {
  readonly type = 'AccessDeniedException'
  override readonly namespace = 'com.amazon.coral.service'
  // Spelled "Message" in DynamoDB's bodies (raw GetItem and PutItem denials quoted in public code and notes).
  override toWire() { return wireWithData(this, {}) }
}

export class ThrottlingException extends DynamoError {
  readonly type = 'ThrottlingException'
  override readonly namespace = 'com.amazon.coral.availability'
}

export class ResourceNotFoundException extends DynamoError {
  readonly type = 'ResourceNotFoundException'
  constructor(message = 'Requested resource not found') { super(message) }
}

export class ResourceInUseException extends DynamoError {
  readonly type = 'ResourceInUseException'
}

export class LimitExceededException extends DynamoError {
  readonly type = 'LimitExceededException'
}

/**
 * DynamoDB spells the message "Message" in the errors that carry data besides it (the item of
 * ReturnValuesOnConditionCheckFailure, a transaction's cancellation reasons) and "message" in the
 * others: a ConditionalCheckFailedException answered with ALL_OLD has no "message" member (moto's
 * tests verified against AWS; boto3 then shows no top-level `message`), and the bodies of
 * TransactionCanceledException that SDK issues quote spell it "Message".
 */
function wireWithData(error: DynamoError, data: Record<string, unknown>): Record<string, unknown> {
  return { __type: `${error.namespace}#${error.type}`, ...data, Message: error.message }
}

export class ConditionalCheckFailedException extends DynamoError {
  readonly type = 'ConditionalCheckFailedException'
  constructor(readonly item?: Item, message = 'The conditional request failed') { super(message) }
  override toWire() {
    return this.item ? wireWithData(this, { Item: this.item }) : super.toWire()
  }
}

export interface CancellationReason {
  Code: string
  Message?: string
  Item?: Item
}

export class TransactionCanceledException extends DynamoError {
  readonly type = 'TransactionCanceledException'
  constructor(readonly reasons: CancellationReason[]) {
    super(`Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`)
  }
  override toWire() { return wireWithData(this, { CancellationReasons: this.reasons }) }
}

export class TransactionConflictException extends DynamoError {
  readonly type = 'TransactionConflictException'
}

/**
 * The two errors of transaction tokens spell their message "Message", as DynamoDB's API model
 * names the member (as it does TransactionCanceledException's): SDKs that read the member by its
 * modelled name, such as the AWS SDK for Go v2 of 2022, see no message in "message".
 */
export class TransactionInProgressException extends DynamoError {
  readonly type = 'TransactionInProgressException'
  override toWire() { return wireWithData(this, {}) }
}

export class IdempotentParameterMismatchException extends DynamoError {
  readonly type = 'IdempotentParameterMismatchException'
  override toWire() { return wireWithData(this, {}) }
}

/**
 * A write to an item of a multi-Region strongly consistent global table that another Region is
 * writing at the same moment (replication/strong-writes.ts). A client fault that SDKs retry.
 */
export class ReplicatedWriteConflictException extends DynamoError {
  readonly type = 'ReplicatedWriteConflictException'
  constructor(message = 'The request was rejected because one or more items in the request are being modified by a request in another Region.') { super(message) }
}

export class ItemCollectionSizeLimitExceededException extends DynamoError {
  readonly type = 'ItemCollectionSizeLimitExceededException'
}

export class ProvisionedThroughputExceededException extends DynamoError {
  readonly type = 'ProvisionedThroughputExceededException'
}

export class RequestLimitExceeded extends DynamoError {
  readonly type = 'RequestLimitExceeded'
}

export class TableNotFoundException extends DynamoError {
  readonly type = 'TableNotFoundException'
}

export class BackupNotFoundException extends DynamoError {
  readonly type = 'BackupNotFoundException'
}

export class BackupInUseException extends DynamoError {
  readonly type = 'BackupInUseException'
}

export class TableAlreadyExistsException extends DynamoError {
  readonly type = 'TableAlreadyExistsException'
}

export class TableInUseException extends DynamoError {
  readonly type = 'TableInUseException'
}

export class ContinuousBackupsUnavailableException extends DynamoError {
  readonly type = 'ContinuousBackupsUnavailableException'
}

export class PointInTimeRecoveryUnavailableException extends DynamoError {
  readonly type = 'PointInTimeRecoveryUnavailableException'
}

export class InvalidExportTimeException extends DynamoError {
  readonly type = 'InvalidExportTimeException'
}

export class ExportConflictException extends DynamoError {
  readonly type = 'ExportConflictException'
}

export class ExportNotFoundException extends DynamoError {
  readonly type = 'ExportNotFoundException'
}

export class ImportConflictException extends DynamoError {
  readonly type = 'ImportConflictException'
}

export class ImportNotFoundException extends DynamoError {
  readonly type = 'ImportNotFoundException'
}

export class InvalidRestoreTimeException extends DynamoError {
  readonly type = 'InvalidRestoreTimeException'
}

export class ExpiredIteratorException extends DynamoError {
  readonly type = 'ExpiredIteratorException'
}

export class TrimmedDataAccessException extends DynamoError {
  readonly type = 'TrimmedDataAccessException'
}

/**
 * The server is over a capacity bound (503): what DynamoDB answers when it is busy, and what the
 * SDKs retry. EddyDB's connection cap (security/http-limits.ts) writes the same type.
 */
export class ServiceUnavailableException extends DynamoError {
  readonly type = 'ServiceUnavailable'
  override readonly statusCode = 503
  override readonly fault = 'server' as const
}

export class InternalServerError extends DynamoError {
  readonly type = 'InternalServerError'
  override readonly statusCode = 500
  override readonly fault = 'server' as const
}

/** A programmer error: a broken invariant. Becomes a logged 500, never a client-facing message. */
export class AssertionError extends Error {}

export function assert(condition: unknown, message = 'assertion failed'): asserts condition {
  if (!condition) throw new AssertionError(message)
}

/** GetResourcePolicy/DeleteResourcePolicy on a table without a resource-based policy. */
export class PolicyNotFoundException extends DynamoError {
  readonly type = 'PolicyNotFoundException'
}

// Global tables, version 2017.11.29 (src/operations/legacy-global-tables.ts).
export class GlobalTableAlreadyExistsException extends DynamoError {
  readonly type = 'GlobalTableAlreadyExistsException'
}

export class GlobalTableNotFoundException extends DynamoError {
  readonly type = 'GlobalTableNotFoundException'
}

export class ReplicaAlreadyExistsException extends DynamoError {
  readonly type = 'ReplicaAlreadyExistsException'
}

export class ReplicaNotFoundException extends DynamoError {
  readonly type = 'ReplicaNotFoundException'
}
