/**
 * The one place a result or an error becomes bytes on the wire.
 */
import type { ServerResponse } from 'node:http'
import { crc32, gzipSync } from 'node:zlib'
import { DynamoError, InternalServerError } from '../errors.js'
import type { Logger } from '../log.js'


export interface ReplyOptions {
  requestId: string
  contentType: string
  acceptsGzip: boolean
}

export function sendJson(res: ServerResponse, status: number, text: string, options: ReplyOptions): void {
  let body = Buffer.from(text, 'utf8')
  const headers: Record<string, string | number> = {
    'x-amzn-RequestId': options.requestId,
    'Content-Type': options.contentType,
  }
  if (options.acceptsGzip) {
    body = gzipSync(body)
    headers['Content-Encoding'] = 'gzip'
  }
  // Like DynamoDB, the checksum covers the bytes as sent (compressed when gzip is used).
  headers['x-amz-crc32'] = crc32(body)
  headers['Content-Length'] = body.length
  res.writeHead(status, headers)
  res.end(body)
}

/** Turns anything thrown while serving a request into the error reply a client expects. */
export function errorReply(error: unknown, requestId: string, log: Logger): { status: number; text: string } {
  if (error instanceof DynamoError) {
    return { status: error.statusCode, text: JSON.stringify(error.toWire()) }
  }
  log.error('unexpected error', {
    requestId,
    error: error instanceof Error ? error.stack ?? error.message : String(error),
  })
  const internal = new InternalServerError(`Internal server error (request id ${requestId})`)
  return { status: internal.statusCode, text: JSON.stringify(internal.toWire()) }
}
