/**
 * node:http front door: reads and caps the body, undoes gzip, checks the content type, and hands
 * a parsed request to the API dispatcher. Knows HTTP and nothing of tables or storage.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { gunzipSync } from 'node:zlib'
import type { Logger } from '../log.js'
import { nextRequestId } from './request-id.js'
import { errorReply, sendJson } from './reply.js'
import { SerializationException } from '../errors.js'

/** DynamoDB's own request size cap (a BatchWriteItem of 25 × 400 KB items fits well inside it). */
export const requestBodyBytesMax = 16 * 1024 * 1024

const jsonContentTypes = new Set(['application/x-amz-json-1.0', 'application/x-amz-json-1.1', 'application/json'])

export interface ApiRequest {
  requestId: string
  /** The X-Amz-Target header, e.g. 'DynamoDB_20120810.GetItem' ('' when absent). */
  target: string
  headers: IncomingMessage['headers']
  /** The body text ('' when empty). */
  body: string
}

/** Returns the reply body text, or throws (a DynamoError or a bug). */
export type Dispatch = (request: ApiRequest) => Promise<string>

/** A REST API served by path (e.g. Lambda's /2015-03-31/event-source-mappings/). */
export interface RestRequest {
  requestId: string
  method: string
  /** The decoded path, without the query string. */
  path: string
  query: URLSearchParams
  headers: IncomingMessage['headers']
  body: string
}

export interface RestReply {
  status: number
  headers?: Record<string, string>
  body?: string
}

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
}

export function createHttpServer(options: HttpServerOptions): Server {
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    const chunks: Buffer[] = []
    let received = 0
    req.on('data', (chunk: Buffer) => {
      received += chunk.length
      if (received > requestBodyBytesMax) {
        res.writeHead(413, { Connection: 'close' }).end()
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => {
      if (res.headersSent) return
      const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
      serve(options, req, res, raw).catch((error) => {
        options.log.error('reply failed', { error: String(error) })
        res.destroy()
      })
    })
    req.on('error', () => res.destroy())
  })
  return server
}

async function serve(options: HttpServerOptions, req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
  const requestId = nextRequestId()
  // DynamoDB clients always post to '/', so only other paths pay for URL parsing.
  const url = req.url === '/' || !options.routes?.length ? undefined : new URL(req.url ?? '/', 'http://localhost')
  const route = url && options.routes!.find((candidate) => url.pathname.startsWith(candidate.prefix))
  if (route) {
    await serveRoute(route, { requestId, method: req.method ?? 'GET', path: decodeURIComponent(url.pathname), query: url.searchParams, headers: req.headers, body: raw.toString('utf8') }, res, options)
    return
  }
  if (req.method === 'GET' && raw.length === 0) {
    res.writeHead(200, { 'x-amzn-RequestId': requestId, 'Content-Type': 'text/plain' })
    res.end(options.healthText)
    return
  }
  const contentType = mediaType(req.headers['content-type'])
  if (req.method !== 'POST' || (raw.length > 0 && !jsonContentTypes.has(contentType))) {
    // DynamoDB quirk: anything that is not a JSON POST gets this XML-ish 404.
    res.writeHead(404, { 'x-amzn-RequestId': requestId, 'x-amz-crc32': 3552371480, 'Content-Length': 29 })
    res.end('<UnknownOperationException/>\n')
    return
  }
  const replyOptions = {
    requestId,
    contentType: contentType === 'application/x-amz-json-1.1' ? contentType : 'application/x-amz-json-1.0',
    acceptsGzip: /\bgzip\b/.test(req.headers['accept-encoding'] ?? ''),
  }
  let status = 200
  let text: string
  try {
    const body = decodeBody(raw, req.headers['content-encoding'])
    const target = req.headers['x-amz-target']
    text = await options.dispatch({ requestId, target: typeof target === 'string' ? target : '', headers: req.headers, body })
  } catch (error) {
    ;({ status, text } = errorReply(error, requestId, options.log))
  }
  sendJson(res, status, text, replyOptions)
}

async function serveRoute(route: PathRoute, request: RestRequest, res: ServerResponse, options: HttpServerOptions): Promise<void> {
  let reply: RestReply
  try {
    reply = await route.handle(request)
  } catch (error) {
    options.log.error('unexpected error', { requestId: request.requestId, error: error instanceof Error ? error.stack : String(error) })
    reply = { status: 500, headers: { 'x-amzn-ErrorType': 'ServiceException' }, body: JSON.stringify({ Type: 'Service', message: 'Internal error' }) }
  }
  const body = Buffer.from(reply.body ?? '', 'utf8')
  res.writeHead(reply.status, {
    'x-amzn-RequestId': request.requestId,
    'Content-Type': 'application/json',
    'Content-Length': body.length,
    ...reply.headers,
  })
  res.end(body)
}

/** The media type of a Content-Type header, lower case, without parameters ('' when absent). */
function mediaType(header: string | undefined): string {
  // SDKs send exactly one of the JSON types: no need to split and lower-case on the hot path.
  if (header === undefined) return ''
  if (jsonContentTypes.has(header)) return header
  return header.split(';')[0]!.trim().toLowerCase()
}

function decodeBody(raw: Buffer, contentEncoding: string | undefined): string {
  if (raw.length === 0) return ''
  if (contentEncoding && /\bgzip\b/i.test(contentEncoding)) {
    try {
      return gunzipSync(raw, { maxOutputLength: requestBodyBytesMax }).toString('utf8')
    } catch {
      throw new SerializationException('')
    }
  }
  return raw.toString('utf8')
}
