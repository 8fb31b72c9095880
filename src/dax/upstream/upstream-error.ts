/**
 * An error answered by an HTTP upstream, re-thrown with the upstream's __type, message and
 * status so the DAX node's clients see what DynamoDB said. The two errors that carry data the
 * wire protocol needs (an item, cancellation reasons) become EddyDB's own classes.
 */
import {
  ConditionalCheckFailedException, DynamoError, TransactionCanceledException, type CancellationReason,
} from '../../errors.js'

export class UpstreamError extends DynamoError {
  readonly type: string
  override readonly namespace: string
  override readonly statusCode: number
  override readonly fault: 'client' | 'server'
  /** Members of the error body besides __type and message (kept in toWire). */
  readonly extra: Record<string, unknown>

  constructor(qualifiedType: string, message: string, statusCode: number, extra: Record<string, unknown> = {}) {
    super(message)
    const hash = qualifiedType.lastIndexOf('#')
    this.type = qualifiedType.slice(hash + 1)
    this.namespace = hash > 0 ? qualifiedType.slice(0, hash) : 'com.amazonaws.dynamodb.v20120810'
    this.statusCode = statusCode
    this.fault = statusCode >= 500 ? 'server' : 'client'
    this.extra = extra
  }

  override toWire(): Record<string, unknown> {
    return { ...this.extra, ...super.toWire() }
  }
}

/** The error for an upstream's non-200 reply. */
export function errorFromUpstreamReply(statusCode: number, bodyText: string): DynamoError {
  let body: Record<string, unknown> = {}
  try {
    const parsed: unknown = JSON.parse(bodyText)
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>
  } catch {
    // Not JSON (a proxy's HTML page, say): keep the status and the text.
  }
  const { __type: qualifiedType, message, Message, ...extra } = body
  const text = typeof message === 'string' ? message : typeof Message === 'string' ? Message : bodyText.slice(0, 512)
  const type = typeof qualifiedType === 'string' ? qualifiedType : statusCode >= 500 ? 'InternalServerError' : 'UnknownError'
  const shortType = type.slice(type.lastIndexOf('#') + 1)
  if (shortType === 'ConditionalCheckFailedException') {
    return new ConditionalCheckFailedException(extra.Item as never, text)
  }
  if (shortType === 'TransactionCanceledException' && Array.isArray(extra.CancellationReasons)) {
    return new TransactionCanceledException(extra.CancellationReasons as CancellationReason[])
  }
  return new UpstreamError(type, text, statusCode, extra)
}
