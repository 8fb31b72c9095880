/**
 * node:http front door: reads and caps the body, inflates it, checks the content type, and hands
 * a parsed request to the API dispatcher. Knows HTTP and nothing of tables or storage.
 *
 * What is served where, as DynamoDB does it: the API is POST / (the query string is ignored);
 * GET / is the health line; OPTIONS is a CORS preflight when CORS is on; anything else at / is
 * DynamoDB's XML-ish 404. Other paths belong to the REST routes (Lambda's event source
 * mappings, the TTL hook, a DAX node's /metrics); a path nobody serves is a JSON 404, so a client
 * of another AWS service pointed here by mistake fails loudly.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { crc32 } from 'node:zlib'
import type { Logger } from '../log.js'
import { nextRequestId } from './request-id.js'
import { ChecksummedText, errorReply, logServerFailure, sendBody, serverFailureAnswer, type ReplyChannel } from './reply.js'
import { chooseResponseEncoding, type ResponseEncoding } from './compression.js'
import { RequestBody, requestBodyBytesMax, requestTooLargeMessage } from './request-body.js'
import { cborContentType } from '../kinesis/cbor-media-type.js'
import { corsPolicy, type CorsPolicy } from './cors.js'
import { browserRequestGuard } from '../security/browser-requests.js'
import { signedService, type SignedRequest } from './auth.js'
import { defaultConnectionsMax, limitConnections, serverLimits, type LongestIdle, type ServerLimits } from '../security/http-limits.js'
import { acceptCleartextHttp2 } from './h2c.js'
import { lazyRequire } from '../lazy-require.js'
import { sendStreamingReply, StreamingReply } from './streaming-reply.js'
import { acceptHttp1FastPath, FastReply, type RequestHead } from './http1-fast-path.js'
import { connectionAccepted, nowOrAfterAccepts } from '../accept-turns.js'
import { beforeClose } from './before-close.js'
import { BodyBudget } from './body-budget.js'
import {
  BadHttpRequestException, DynamoError, RequestEntityTooLargeException, RequestHeaderFieldsTooLargeException,
  ServiceUnavailableException, UnknownOperationException,
} from '../errors.js'

/**
 * How much of an over-size body is still read (and thrown away) so the client, still sending,
 * gets to read the 413 instead of a reset; past this the connection is dropped.
 */
const overSizeDrainBytesMax = 64 * 1024 * 1024

/** Services whose signed GET / is a health check: DynamoDB's and a DAX node's. */
const servedSigningServices = new Set(['dynamodb', 'dax'])

/** DynamoDB's Server header on every reply. */
const serverHeader = 'Server'

const jsonContentTypes = new Set(['application/x-amz-json-1.0', 'application/x-amz-json-1.1', 'application/json'])

export interface ApiRequest {
  requestId: string
  /** The X-Amz-Target header, e.g. 'DynamoDB_20120810.GetItem' ('' when absent). */
  target: string
  headers: IncomingMessage['headers']
  /** The body: its text, decoded at once when small, and only when asked for when large. */
  body: RequestBody
  /** The request as sent, for signature verification. */
  signed: SignedRequest
}

/** Returns the reply body text (or a streamed reply), or throws (a DynamoError or a bug). */
export type Dispatch = (request: ApiRequest) => Promise<string | ChecksummedText | StreamingReply>

/** A REST API served by path (e.g. Lambda's /2015-03-31/event-source-mappings/). */
export interface RestRequest {
  requestId: string
  method: string
  /** The decoded path, without the query string. */
  path: string
  query: URLSearchParams
  headers: IncomingMessage['headers']
  body: string
  /** The request as sent, for signature verification. */
  signed: SignedRequest
}

export interface RestReply {
  status: number
  headers?: Record<string, string>
  body?: string
}

/** node:https is loaded only by a server configured with TLS. */
const httpsModule = lazyRequire<typeof import('node:https')>('node:https')

export interface PathRoute {
  /** Requests whose path starts with this go to `handle` instead of the JSON-RPC dispatcher. */
  prefix: string
  handle(request: RestRequest): Promise<RestReply>
}

export interface HttpServerOptions {
  dispatch: Dispatch
  routes?: PathRoute[]
  log: Logger
  /** The health line for GET /, e.g. 'healthy: dynamodb.us-east-1.amazonaws.com '. */
  healthText: string
  /** Origins allowed to call from a browser ('*' for any); CORS is off when absent or empty. */
  corsOrigins?: readonly string[]
  /** Host names answered besides localhost and loopback addresses when listening on loopback (browser-requests.ts). */
  allowedHosts?: readonly string[]
  /** Serve HTTPS only, with this PEM certificate and key. */
  tls?: { cert: Buffer; key: Buffer }
  /** Open connections at most; past it a new one closes the longest-idle one, or gets a 503 when none is idle. */
  connectionsMax?: number
  /** Timeouts other than the defaults of src/security/http-limits.ts (tests shorten them). */
  limits?: Partial<ServerLimits>
  /** The bound on body bytes received and not yet answered (default 256 MiB; tests read it). */
  bodyBudget?: BodyBudget
}

export function createHttpServer(options: HttpServerOptions): Server {
  const cors = corsPolicy(options.corsOrigins)
  const browserGuard = browserRequestGuard(cors, options.allowedHosts)
  /** Gives the request its id and sets the headers every reply carries; returns the id. */
  const startReply = (req: RequestHead, res: ReplyChannel): string => {
    const requestId = nextRequestId()
    res.setHeader('x-amzn-RequestId', requestId)
    res.setHeader('Server', serverHeader)
    const corsHeaders = cors.headersFor(req.headers)
    for (const name in corsHeaders) res.setHeader(name, corsHeaders[name]!)
    return requestId
  }
  const answer = (requestId: string, req: RequestHead, res: ReplyChannel, raw: Buffer): void => {
    const refusal = browserGuard.refusalOf(req.headers)
    if (refusal) return sendError(res, refusal, { status: 403, headers: { 'x-amzn-ErrorType': refusal.type } })
    // While a burst of new connections is being accepted, requests wait for it (accept-turns.ts).
    nowOrAfterAccepts(() => {
      serve(options, cors, requestId, req, res, raw).catch((error) => {
        options.log.error('reply failed', { error: String(error) })
        res.destroy()
      })
    })
  }
  const budget = options.bodyBudget ?? new BodyBudget()
  const arriving = new Set<IncomingMessage>()
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    trackWhileArriving(arriving, req)
    const requestId = startReply(req, res)
    readBody(req, res, budget, (raw) => answer(requestId, req, res, raw))
  }
  const limits = { ...serverLimits, ...options.limits }
  const server = options.tls
    ? httpsModule().createServer({ ...limits, cert: options.tls.cert, key: options.tls.key }, onRequest)
    : createServer(limits, onRequest)
  const idleConnections: LongestIdle[] = []
  if (!options.tls) {
    // SDK requests skip node:http's request and response objects (http1-fast-path.ts).
    idleConnections.push(acceptHttp1FastPath(server, {
      handle: (head, raw, reply) => answer(startReply(head, reply), head, reply, raw),
      refuse: (head, reply) => {
        startReply(head, reply)
        sendOverBudget(reply)
      },
      budget,
    }, limits))
    // Cleartext HTTP/2 (prior knowledge) beside HTTP/1.1: the Kinesis clients speak it.
    idleConnections.push(acceptCleartextHttp2(server, onRequest))
  }
  endArrivingRequestsOnClose(server, arriving)
  server.on('listening', () => browserGuard.listeningAt(server.address()))
  limitConnections(server, options.connectionsMax ?? defaultConnectionsMax, options.tls !== undefined, idleConnections)
  // Requests and write groups let a burst of new connections in first (accept-turns.ts).
  server.on('connection', connectionAccepted)
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => answerUnparsableRequest(error, socket))
  return server
}

/** Keeps `req` in `arriving` until its body has all arrived (or it ends otherwise). */
function trackWhileArriving(arriving: Set<IncomingMessage>, req: IncomingMessage): void {
  if (req.complete) return
  arriving.add(req)
  const forget = (): void => { arriving.delete(req) }
  req.once('end', forget)
  req.once('close', forget)
}

/**
 * A request still arriving when the server closes can never be answered, and node:http stops
 * enforcing its request timeout on close: one stalled client would hold a graceful stop forever.
 * So close() ends such requests (the connection, or the HTTP/2 stream); requests that have fully
 * arrived are still answered. The fast path does the same for its connections.
 */
function endArrivingRequestsOnClose(server: Server, arriving: Set<IncomingMessage>): void {
  beforeClose(server, () => {
    for (const req of arriving) req.destroy()
  })
}

/**
 * Collects the body, then calls `onBody`. A body that cannot be kept, over the cap or over the
 * server's budget, is read to its end and thrown away (bounded by overSizeDrainBytesMax), then
 * answered 413 or 503: a client still sending when the server closes would see a reset instead
 * of the answer. What a body holds of the budget is given back once it is answered.
 */
function readBody(req: IncomingMessage, res: ServerResponse, budget: BodyBudget, onBody: (raw: Buffer) => void): void {
  let chunks: Buffer[] = []
  let received = 0
  let heldBytes = 0
  let overBudget = false
  const drop = (): void => {
    budget.release(heldBytes)
    heldBytes = 0
    chunks = []
  }
  res.once('close', drop)
  req.on('data', (chunk: Buffer) => {
    received += chunk.length
    if (received > requestBodyBytesMax + overSizeDrainBytesMax) {
      req.destroy()
      return
    }
    if (overBudget || received > requestBodyBytesMax) {
      drop()
      return
    }
    if (budget.take(chunk.length)) {
      heldBytes += chunk.length
      chunks.push(chunk)
      return
    }
    overBudget = true
    drop()
  })
  req.on('end', () => {
    if (overBudget) {
      // HTTP/2 has no Connection header: there the stream ends, and the connection stays.
      if (req.httpVersionMajor === 1) res.setHeader('Connection', 'close')
      sendOverBudget(res)
      return
    }
    if (received > requestBodyBytesMax) {
      sendError(res, new RequestEntityTooLargeException(requestTooLargeMessage), {})
      return
    }
    onBody(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))
  })
  req.on('error', () => res.destroy())
}

/** The answer to a body the budget had no room for, read to its end and dropped; the connection then closes. */
function sendOverBudget(res: ReplyChannel): void {
  const error = new ServiceUnavailableException('The server is receiving too many request bodies at once; retry later')
  sendError(res, error, { headers: { 'Retry-After': '1' } })
}

async function serve(options: HttpServerOptions, cors: CorsPolicy, requestId: string, req: RequestHead,
  res: ReplyChannel, raw: Buffer): Promise<void> {
  const encoding = chooseResponseEncoding(lastHeader(req, 'accept-encoding'))
  const { path, query } = splitTarget(req.url ?? '/')
  if (path !== '/') {
    await servePath(options, requestId, req, res, raw, path, query, encoding)
    return
  }
  if (req.method === 'GET') {
    const service = signedService(req.headers)
    if (service !== undefined && !servedSigningServices.has(service)) {
      // `aws s3 ls` is a signed GET /: it must fail, not take the health line for a bucket list.
      sendNotServed(res, `Nothing is served here for service ${JSON.stringify(service)}: the DynamoDB API is served at POST /`, encoding)
      return
    }
    sendBody(res, 200, options.healthText, { encoding })
    return
  }
  if (req.method === 'OPTIONS') {
    const preflight = cors.preflightHeaders(req.headers)
    if (preflight) {
      sendBody(res, 200, '', { headers: preflight })
      return
    }
  }
  const contentType = mediaType(req.headers['content-type'])
  const cbor = contentType === cborContentType
  if (req.method !== 'POST' || (raw.length > 0 && !jsonContentTypes.has(contentType) && !cbor)) {
    // DynamoDB quirk: anything that is not a JSON POST gets this XML-ish 404.
    logUnserved(options.log, requestId, req, path)
    sendBody(res, 404, '<UnknownOperationException/>\n')
    return
  }
  const replyContentType = contentType === 'application/x-amz-json-1.1' || cbor ? contentType : 'application/x-amz-json-1.0'
  // The CBOR codec is imported by the first CBOR request (only Kinesis clients send them).
  const codec = cbor ? await import('../kinesis/cbor.js') : undefined
  let status = 200
  let text: string | ChecksummedText
  try {
    const body = new RequestBody(raw, req.headers['content-encoding'], codec?.cborRequestToJson)
    const target = req.headers['x-amz-target']
    const reply = await options.dispatch({
      requestId, target: typeof target === 'string' ? target : '', headers: req.headers, body, signed: signedRequest(req, raw),
    })
    if (reply instanceof StreamingReply) {
      // The fast path hands SubscribeToShard, the one streamed reply, to node:http.
      if (res instanceof FastReply) throw new Error('a streamed reply reached the HTTP/1.1 fast path')
      return await sendStreamingReply(res as ServerResponse, reply, cbor, options.log)
    }
    text = reply
  } catch (error) {
    ;({ status, text } = errorReply(error, requestId, options.log))
  }
  const replyBody = codec ? codec.jsonReplyToCbor(text instanceof ChecksummedText ? text.text : text) : text
  sendBody(res, status, replyBody, { contentType: replyContentType, encoding })
}

/** A path other than '/': a REST route's, or a JSON 404 that says what is served here. */
async function servePath(options: HttpServerOptions, requestId: string, req: RequestHead, res: ReplyChannel,
  raw: Buffer, rawPath: string, query: string, encoding: ResponseEncoding | undefined): Promise<void> {
  const path = decodePath(rawPath)
  const route = path === undefined ? undefined : options.routes?.find((candidate) => path.startsWith(candidate.prefix))
  if (!route) {
    const shown = JSON.stringify(rawPath.length > 200 ? `${rawPath.slice(0, 200)}…` : rawPath)
    logUnserved(options.log, requestId, req, rawPath)
    sendNotServed(res, `Nothing is served at ${shown}: the DynamoDB API is served at POST /`, encoding)
    return
  }
  let reply: RestReply
  try {
    reply = await route.handle({
      requestId, method: req.method ?? 'GET', path: path!, query: new URLSearchParams(query), headers: req.headers,
      body: raw.toString('utf8'), signed: signedRequest(req, raw),
    })
  } catch (error) {
    logServerFailure(error, requestId, options.log)
    reply = restFailureReply(error)
  }
  // A route's own Content-Type (the console's HTML, /metrics' text) wins over the JSON default.
  const contentType = reply.headers?.['Content-Type'] === undefined ? 'application/json' : undefined
  sendBody(res, reply.status, reply.body ?? '', { contentType, encoding, headers: reply.headers })
}

/**
 * A REST route's failure that is not the client's, in Lambda's words (its API is the one served
 * there): contention that outlasted the retries is throttling, 429 TooManyRequestsException with
 * a Retry-After, which the SDKs retry; anything else is a 500 ServiceException.
 */
function restFailureReply(error: unknown): RestReply {
  const throttled = serverFailureAnswer(error)
  if (throttled) {
    return {
      status: 429,
      headers: { 'x-amzn-ErrorType': 'TooManyRequestsException', 'Retry-After': '1' },
      body: JSON.stringify({ Type: 'User', message: throttled.message, Reason: 'CallerRateLimitExceeded' }),
    }
  }
  return { status: 500, headers: { 'x-amzn-ErrorType': 'ServiceException' }, body: JSON.stringify({ Type: 'Service', message: 'Internal error' }) }
}

function signedRequest(req: RequestHead, raw: Buffer): SignedRequest {
  return { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: raw, socket: req.socket }
}

/**
 * The request log's line (api/request-log.ts: one per request at debug level) for a request
 * answered 404 before any operation or route could log it.
 */
function logUnserved(log: Logger, requestId: string, req: RequestHead, path: string): void {
  log.debug('request', { requestId, operation: `${req.method ?? 'GET'} ${path}`, status: 404, errorType: 'UnknownOperationException' })
}

/** EddyDB's JSON 404 for a request meant for something it does not serve. */
function sendNotServed(res: ReplyChannel, message: string, encoding: ResponseEncoding | undefined): void {
  const error = new UnknownOperationException(message)
  sendError(res, error, { status: 404, encoding, headers: { 'x-amzn-ErrorType': error.type } })
}

function sendError(res: ReplyChannel, error: DynamoError,
  options: { status?: number; encoding?: ResponseEncoding; headers?: Record<string, string> }): void {
  const { status = error.statusCode, ...replyOptions } = options
  sendBody(res, status, JSON.stringify(error.toWire()), { contentType: 'application/x-amz-json-1.0', ...replyOptions })
}

/**
 * The path and the query string of a request target. Origin-form ('/x?y') is what clients send;
 * absolute-form ('http://host/x') comes through proxies. No URL parser: any bytes must be
 * answered, and `new URL` rejects some ('//').
 */
function splitTarget(target: string): { path: string; query: string } {
  if (target === '/') return rootTarget
  let rest = target
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/?]*/i.exec(rest)
  if (scheme) rest = rest.slice(scheme[0].length) || '/'
  const question = rest.indexOf('?')
  return question < 0 ? { path: rest, query: '' } : { path: rest.slice(0, question), query: rest.slice(question + 1) }
}

const rootTarget = { path: '/', query: '' }

/** The percent-decoded path, or undefined when it does not decode (it then matches no route). */
function decodePath(path: string): string | undefined {
  try {
    return decodeURIComponent(path)
  } catch {
    return undefined
  }
}

/** The last of a repeated header: DynamoDB reads only the last Accept-Encoding. */
function lastHeader(req: RequestHead, name: string): string | undefined {
  // headersDistinct builds an object of every header: only worth it when the header is there.
  if (req.headers[name] === undefined) return undefined
  // HTTP/2 requests have no headersDistinct: their headers are never repeated.
  const values = req.headersDistinct?.[name] ?? [req.headers[name] as string]
  return values?.[values.length - 1]
}

/** The media type of a Content-Type header, lower case, without parameters ('' when absent). */
function mediaType(header: string | undefined): string {
  // SDKs send exactly one of the JSON types: no need to split and lower-case on the hot path.
  if (header === undefined) return ''
  if (jsonContentTypes.has(header)) return header
  return header.split(';')[0]!.trim().toLowerCase()
}

/**
 * A request Node's parser rejected before any handler ran (headers over the size cap, bytes
 * that are not HTTP). Node's default is a bare status line; clients get a JSON error instead,
 * and what they are still sending is read and dropped for a moment so the answer is not lost
 * to a reset.
 */
function answerUnparsableRequest(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable || (error as { code?: string }).code === 'ECONNRESET') {
    socket.destroy()
    return
  }
  // Bytes a client pipelined after its `Connection: close` request: that request is still being
  // answered, and the connection closes after it, so they are dropped unanswered (as HTTP/1.1
  // says), not answered with an error that would end the connection before that answer.
  if (error.code === 'HPE_CLOSED_CONNECTION') {
    socket.on('data', () => {})
    return
  }
  const problem = error.code === 'HPE_HEADER_OVERFLOW'
    ? new RequestHeaderFieldsTooLargeException('Request line and headers exceed the maximum size')
    : new BadHttpRequestException('The request is not well-formed HTTP')
  const body = Buffer.from(JSON.stringify(problem.toWire()), 'utf8')
  const reason = problem.statusCode === 431 ? 'Request Header Fields Too Large' : 'Bad Request'
  socket.on('data', () => {})
  socket.setTimeout(unparsableDrainMs, () => socket.destroy())
  socket.end(`HTTP/1.1 ${problem.statusCode} ${reason}\r\nServer: ${serverHeader}\r\n` +
    `x-amzn-RequestId: ${nextRequestId()}\r\nContent-Type: application/x-amz-json-1.0\r\n` +
    `Content-Length: ${body.length}\r\nx-amz-crc32: ${crc32(body)}\r\nConnection: close\r\n\r\n${body.toString('utf8')}`)
}

/** How long an unparsable request's connection is kept reading after the answer is sent. */
const unparsableDrainMs = 5_000
