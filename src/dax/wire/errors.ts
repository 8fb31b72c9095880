/**
 * Errors on the DAX wire: exactly three items, an int array of codes read position by
 * position (codes[0] = 4 is a client error; anything else makes the client retry), the
 * message, and [requestId, errorCode, httpStatus] with, for a cancelled transaction, a fourth
 * element: the flat reasons [code, message, item-or-null] x n.
 */
import { randomUUID } from 'node:crypto'
import { DynamoError } from '../../errors.js'
import { logServerFailure, serverFailureAnswer } from '../../http/reply.js'
import type { Logger } from '../../log.js'
import type { Item } from '../../values/types.js'
import { WireFormatError } from './attribute-values.js'
import { CborWriter } from './cbor.js'

/** The codes after [4, 37, 38, 39] for the DynamoDB errors the clients know by number. */
const dynamoErrorCodes: Record<string, number> = {
  ProvisionedThroughputExceededException: 40,
  ResourceNotFoundException: 41,
  ConditionalCheckFailedException: 43,
  ResourceInUseException: 45,
  ValidationException: 46,
  InternalServerError: 47,
  ItemCollectionSizeLimitExceededException: 48,
  LimitExceededException: 49,
  ThrottlingException: 50,
  TransactionConflictException: 57,
  TransactionCanceledException: 58,
  TransactionInProgressException: 59,
  IdempotentParameterMismatchException: 60,
  RequestLimitExceeded: 61,
}

/** An error as the wire needs it, whatever threw it. */
export interface WireError {
  codes: number[]
  name: string
  message: string
  statusCode: number
  /** Cancellation reasons, with each reason's item still in DynamoDB JSON. */
  reasons?: { Code?: string; Message?: string; Item?: Item }[]
}

export const authenticationRequired: WireError = {
  codes: [4, 23, 31, 33],
  name: 'AuthenticationRequiredException',
  message: 'Connection is not authorized: call authorizeConnection first',
  statusCode: 400,
}

export function notImplemented(methodId: number): WireError {
  return { codes: [4, 37, 38, 44], name: 'NotImplementedException', message: `Method ${methodId} is not supported`, statusCode: 400 }
}

/**
 * Classifies a thrown value: a DynamoError, an upstream error carrying a DynamoDB type name
 * (`type`, `__type` or an AWS SDK error's `name`), a wire decoding problem, or a bug.
 */
export function wireErrorFrom(error: unknown, log: Logger): WireError {
  if (error instanceof WireFormatError) return dynamoWireError('ValidationException', error.message, 400)
  if (error instanceof DynamoError) {
    const reasons = (error as { reasons?: WireError['reasons'] }).reasons
    return { ...dynamoWireError(error.type, error.message, error.statusCode), ...(reasons ? { reasons } : {}) }
  }
  const named = error as { type?: unknown; __type?: unknown; name?: unknown; message?: unknown; statusCode?: unknown; $metadata?: { httpStatusCode?: number }; CancellationReasons?: unknown; reasons?: unknown }
  const typeText = [named?.type, named?.__type, named?.name].find((value) => typeof value === 'string' && isErrorName(value))
  if (typeof typeText === 'string') {
    const name = typeText.slice(typeText.lastIndexOf('#') + 1)
    const statusCode = typeof named.statusCode === 'number' ? named.statusCode : named.$metadata?.httpStatusCode ?? 400
    const reasons = (named.CancellationReasons ?? named.reasons) as WireError['reasons'] | undefined
    return { ...dynamoWireError(name, String(named.message ?? ''), statusCode), ...(Array.isArray(reasons) ? { reasons } : {}) }
  }
  // As the HTTP APIs do: a storage outage in summary, once per 10 s, anything else with its stack.
  logServerFailure(error, 'dax-wire', log)
  const answer = serverFailureAnswer(error)
  if (answer) return dynamoWireError(answer.type, answer.message, answer.statusCode)
  return dynamoWireError('InternalServerError', 'Internal server error', 500)
}

function isErrorName(value: string): boolean {
  const name = value.slice(value.lastIndexOf('#') + 1)
  return /(Exception|Error|RequestLimitExceeded)$/.test(name) && name !== 'Error' && name !== 'TypeError' && name !== 'RangeError'
}

function dynamoWireError(name: string, message: string, statusCode: number): WireError {
  const specific = dynamoErrorCodes[name]
  // A server fault is retryable (codes[0] = 1); any other error is the client's (4).
  const codes = specific === undefined ? [4, 37, 38, 39] : [specific === 47 ? 1 : 4, 37, 38, 39, specific]
  return { codes, name, message, statusCode }
}

/** The three response items; `encodeItem` turns a reason's item into stream-item bytes. */
export function encodeWireError(error: WireError, encodeItem?: (item: Item, index: number) => Buffer | undefined): Buffer[] {
  const codes = new CborWriter(16)
  codes.arrayHeader(error.codes.length)
  for (const code of error.codes) codes.int(code)
  const detail = new CborWriter(64)
  detail.arrayHeader(error.reasons ? 4 : 3)
  detail.text(randomUUID()).text(error.name).int(error.statusCode)
  if (error.reasons) {
    detail.arrayHeader(error.reasons.length * 3)
    error.reasons.forEach((reason, index) => {
      writeOptionalText(detail, reason.Code)
      writeOptionalText(detail, reason.Message)
      const itemBytes = reason.Item && encodeItem ? encodeItem(reason.Item, index) : undefined
      if (itemBytes) detail.bytes(itemBytes)
      else detail.null()
    })
  }
  return [codes.toBuffer(), new CborWriter(64).text(error.message).toBuffer(), detail.toBuffer()]
}

function writeOptionalText(writer: CborWriter, text: string | undefined): void {
  if (text === undefined) writer.null()
  else writer.text(text)
}

/** An error whose response items a handler has already encoded (cancellation reasons need the request's keys). */
export class EncodedWireError extends Error {
  constructor(readonly items: Buffer[]) { super('encoded DAX error') }
}
