/**
 * The one place a result or an error becomes bytes on the wire.
 */
import { crc32 } from 'node:zlib'
import { DynamoError, InternalServerError, ThrottlingException, ValidationException } from '../errors.js'
import { StorageConflict, StorageCorrupt, StorageRowTooLarge, StorageUnavailable } from '../storage/errors.js'
import type { Logger } from '../log.js'
import { encodeResponseBody, responseCompressionBytesMin, type ResponseEncoding } from './compression.js'

/**
 * What a reply is written through: node:http's ServerResponse, node:http2's compatibility
 * response, or the HTTP/1.1 fast path's FastReply.
 */
export interface ReplyChannel {
  setHeader(name: string, value: string | number): unknown
  writeHead(status: number, headers: Record<string, string | number>): unknown
  end(body: string | Buffer, encoding?: BufferEncoding): unknown
  destroy(): unknown
}

/**
 * A reply body with its CRC32 and length already known: text that is sent many times (a DAX
 * cache hit's reply) is measured once, where it is made, not on every reply.
 */
export class ChecksummedText {
  readonly crc32: number
  readonly byteLength: number
  constructor(readonly text: string) {
    const bytes = encodedInScratch(text)
    this.crc32 = crc32(bytes ?? text)
    this.byteLength = bytes?.byteLength ?? Buffer.byteLength(text, 'utf8')
  }
}

export interface ReplyOptions {
  /** Content-Type of the body, if it has one. */
  contentType?: string
  /** The encoding the client accepts (chooseResponseEncoding), if any. */
  encoding?: ResponseEncoding
  /** Further headers, e.g. a REST API's own. */
  headers?: Record<string, string>
}

/**
 * Sends a complete reply: compressed when the client accepts it and the body is large enough,
 * with Content-Length and DynamoDB's x-amz-crc32 (the checksum covers the bytes as sent, so the
 * compressed ones when compressed; a ChecksummedText's own is used when it is sent as it is).
 * Request id, Server and CORS headers are already set.
 *
 * An uncompressed text body is handed to Node as the string it is: Node then writes the header
 * block and the body as one string in one `write`, where a Buffer body costs a copy into a new
 * Buffer and a two-part `writev`, the largest item of a GetItem's CPU profile.
 * Long bodies too: encoding one to a Buffer once, to measure, checksum and write the same bytes,
 * made a 50 KB Scan page cost 1.3-2.4x the CPU per round (bench/js-per-request.js): every such Buffer is
 * memory outside the JavaScript heap, whose growth brings on full garbage collections.
 */
export function sendBody(res: ReplyChannel, status: number, content: string | Buffer | ChecksummedText, options: ReplyOptions = {}): void {
  const headers: Record<string, string | number> = { ...options.headers }
  if (options.contentType) headers['Content-Type'] = options.contentType
  const text = content instanceof ChecksummedText ? content.text : content
  if (typeof text === 'string') {
    const checksummed = content instanceof ChecksummedText ? content : undefined
    const measured = checksummed === undefined ? encodedInScratch(text) : undefined
    const length = checksummed?.byteLength ?? measured?.byteLength ?? Buffer.byteLength(text, 'utf8')
    if (options.encoding === undefined || length < responseCompressionBytesMin) {
      headers['x-amz-crc32'] = checksummed?.crc32 ?? crc32(measured ?? text)
      headers['Content-Length'] = length
      res.writeHead(status, headers)
      res.end(text, 'utf8')
      return
    }
  }
  const { body, encoding } = encodeResponseBody(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, options.encoding)
  if (encoding) headers['Content-Encoding'] = encoding
  headers['x-amz-crc32'] = crc32(body)
  headers['Content-Length'] = body.length
  res.writeHead(status, headers)
  res.end(body)
}

/**
 * The reply's bytes are measured and checksummed from one UTF-8 encoding into a buffer kept for
 * the purpose, instead of by Buffer.byteLength and crc32(text), which each encode the text again:
 * encoding a one-byte string is a copy, about a third of a byteLength scan, and crc32 reads bytes
 * faster than it converts a string (a 47 KB Scan page: 16.5 µs both ways, 11 µs this way). The
 * text itself is still what is written (see sendBody).
 */
const scratchBytes = 1024 * 1024
let scratch: Uint8Array | undefined
const utf8 = new TextEncoder()

/** The text's UTF-8 bytes in the scratch buffer, or undefined when they do not fit there. */
function encodedInScratch(text: string): Uint8Array | undefined {
  if (text.length > scratchBytes) return undefined
  scratch ??= new Uint8Array(scratchBytes)
  const { read, written } = utf8.encodeInto(text, scratch)
  return read === text.length ? scratch.subarray(0, written) : undefined
}

/** Turns anything thrown while serving a request into the error reply a client expects. */
export function errorReply(error: unknown, requestId: string, log: Logger): { status: number; text: string } {
  if (error instanceof DynamoError) {
    return { status: error.statusCode, text: JSON.stringify(error.toWire()) }
  }
  const failure = loggedServerFailure(error, requestId, log)
  return { status: failure.statusCode, text: JSON.stringify(failure.toWire()) }
}

/**
 * A failure that is not the client's, logged, as the DynamoDB error it is answered with: the
 * request's whole reply, or one member's answer where the members before it have committed
 * (BatchExecuteStatement).
 */
export function loggedServerFailure(error: unknown, requestId: string, log: Logger): DynamoError {
  logServerFailure(error, requestId, log)
  return serverFailureAnswer(error) ?? new InternalServerError(`Internal server error (request id ${requestId})`)
}

/**
 * A transaction that lost its race with other nodes' transactions on every attempt
 * (storage/retry.ts) changed nothing. That is contention, not a fault: the client gets what
 * DynamoDB answers a request it cannot serve for now, ThrottlingException (HTTP 400), which every
 * SDK retries with backoff, rather than an InternalServerError that monitoring counts as a fault.
 */
const conflictsExhaustedMessage = 'Too many concurrent writes conflicted with this request. Please retry it shortly.'

/**
 * The DynamoDB error a failure that is not the client's is answered with, where one fits better
 * than InternalServerError: contention (above). For every reply path (HTTP here, the DAX wire).
 */
export function serverFailureAnswer(error: unknown): DynamoError | undefined {
  if (error instanceof StorageConflict) return new ThrottlingException(conflictsExhaustedMessage)
  if (error instanceof StorageRowTooLarge) return new ValidationException(rowTooLargeMessage)
  return undefined
}

/**
 * A key DynamoDB takes that the storage backend cannot index (StorageRowTooLarge): refused, with
 * nothing written, rather than failed as the server's fault. Only PostgreSQL has such a limit.
 */
const rowTooLargeMessage = 'One or more parameter values were invalid: the key values of this item, or of its entry in a ' +
  'secondary index, are too long for this server\'s PostgreSQL storage (an index row holds at most 2,704 bytes)'

/**
 * Logs a failure that is not the client's: a storage outage in summary (below), contention at
 * warn without a stack (it is expected under load), anything else with its stack.
 */
export function logServerFailure(error: unknown, requestId: string, log: Logger): void {
  if (error instanceof StorageUnavailable || error instanceof StorageCorrupt) {
    logStorageFailure(error, requestId, log)
  } else if (error instanceof StorageConflict) {
    log.warn('storage conflicts outlasted the retries; answered as throttling', { requestId, error: error.message })
  } else if (error instanceof StorageRowTooLarge) {
    log.warn('a key too long for the storage backend was refused', { requestId, error: error.message })
  } else {
    log.error('unexpected error', {
      requestId,
      error: error instanceof Error ? error.stack ?? error.message : String(error),
    })
  }
}

/**
 * Storage that cannot be written or reached (a full disk, a database restarting), or that this
 * server cannot use (a schema a newer EddyDB migrated, a damaged file), fails every request at
 * once: it is logged at its first failure, then once per interval with the number of requests it
 * failed since, not with a stack trace per request; an interval's failures are logged when the
 * interval ends, so the last ones of an outage are counted too (they were lost when only a later
 * failure wrote the line). The requests still get the 500 every failure gets, which SDKs retry.
 */
const storageFailureLogIntervalMs = 10_000

interface FailureWindow { failed: number; last: { requestId: string; error: string } }

/**
 * Per log (a server's; tests run many in one process) and kind of storage failure, the interval
 * open since its last line, while its timer runs.
 */
const storageFailureWindows = new WeakMap<Logger, Map<string, FailureWindow>>()

function logStorageFailure(error: StorageUnavailable | StorageCorrupt, requestId: string, log: Logger): void {
  const summary = error instanceof StorageCorrupt
    ? 'storage this server cannot use: requests fail until it is repaired or a server that can use it takes over'
    : 'storage unavailable: requests fail until it recovers'
  let windows = storageFailureWindows.get(log)
  if (windows === undefined) storageFailureWindows.set(log, windows = new Map())
  const window = windows.get(summary)
  if (window !== undefined) {
    window.failed++
    window.last = { requestId, error: error.message }
    return
  }
  log.error(summary, { requestId, error: error.message, failedRequests: 1 })
  openStorageFailureWindow(windows, summary, log)
}

/** Counts the failures of one interval, logs them when it ends, and keeps counting while there were any. */
function openStorageFailureWindow(windows: Map<string, FailureWindow>, summary: string, log: Logger): void {
  const window: FailureWindow = { failed: 0, last: { requestId: '', error: '' } }
  windows.set(summary, window)
  setTimeout(() => {
    windows.delete(summary)
    if (window.failed === 0) return
    log.error(summary, { ...window.last, failedRequests: window.failed })
    openStorageFailureWindow(windows, summary, log)
  }, storageFailureLogIntervalMs).unref()
}
