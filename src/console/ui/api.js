// Every call the console makes, through the public APIs any client uses: DynamoDB's and
// DynamoDB Streams' JSON APIs (POST / with X-Amz-Target), Lambda's event-source-mapping REST
// routes, and EddyDB's read-only GET /_eddydb/status and /_eddydb/metrics. Every request is signed.
import { credentials } from './credentials.js'
import { signRequest } from './sigv4.js'

/**
 * An error reply: `type` is the short __type (e.g. ResourceNotFoundException); `body` the reply's
 * JSON, for what some errors carry besides (a cancelled transaction's CancellationReasons).
 */
export class ApiError extends Error {
  constructor(type, message, status, body = {}) {
    super(message || type)
    this.type = type
    this.status = status
    this.body = body
  }
}

const root = new URL('/', location.href).href

/** fetch() with a SigV4 signature of the console's credentials (a session token travels signed). */
async function signedFetch(url, { method, headers = {}, body = '', region, service }) {
  const { sessionToken, ...key } = credentials()
  const signed = await signRequest({
    method, url, body, region, service, credentials: key,
    headers: sessionToken ? { ...headers, 'x-amz-security-token': sessionToken } : headers,
  })
  return fetch(url, { method, headers: signed, body: body || undefined })
}

/** The reply's JSON, or an ApiError built from it. */
async function replyOf(response, typeOf) {
  const text = await response.text()
  let output = {}
  try {
    output = text ? JSON.parse(text) : {}
  } catch {
    output = { message: text }
  }
  if (!response.ok) {
    const type = String(typeOf(response, output) ?? `HTTP ${response.status}`).split('#').pop().split(':')[0]
    throw new ApiError(type, output.message ?? output.Message ?? '', response.status, output)
  }
  return output
}

async function jsonRpc(target, input, region) {
  const response = await signedFetch(root, {
    method: 'POST', body: JSON.stringify(input), region, service: 'dynamodb',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target },
  })
  return replyOf(response, (_, output) => output.__type)
}

/** A DynamoDB operation, e.g. dynamo('Scan', { TableName }, 'us-east-1'). */
export const dynamo = (operation, input, region) => jsonRpc(`DynamoDB_20120810.${operation}`, input, region)

/** A DynamoDB Streams operation. */
export const streams = (operation, input, region) => jsonRpc(`DynamoDBStreams_20120810.${operation}`, input, region)

const mappingsPath = '/2015-03-31/event-source-mappings/'
const restErrorType = (response, output) => response.headers.get('x-amzn-ErrorType') ?? output.Type ?? output.__type

/** Lambda's event-source-mapping API: lambda('GET', '', { EventSourceArn }) or lambda('PUT', uuid, body). */
export async function lambda(method, uuid, { query, body, region }) {
  const url = new URL(mappingsPath + (uuid ? encodeURIComponent(uuid) : ''), location.href)
  for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(name, value)
  const text = body === undefined ? '' : JSON.stringify(body)
  const response = await signedFetch(url.href, { method, body: text, region, service: 'lambda', headers: text ? { 'content-type': 'application/json' } : {} })
  return replyOf(response, restErrorType)
}

/**
 * EddyDB's own read-only routes. Signed for 'dynamodb' as the server's tools sign them: a server
 * with credentials answers them only for an operator key (docs/security.md).
 */
async function getJson(path, region) {
  const response = await signedFetch(new URL(path, location.href).href, { method: 'GET', region: region || 'us-east-1', service: 'dynamodb' })
  return replyOf(response, restErrorType)
}

export const serverStatus = (region) => getJson('/_eddydb/status', region)
export const serverMetrics = (region) => getJson('/_eddydb/metrics', region)

/** Every page of a paged call, e.g. allPages((start) => dynamo('ListTables', { ExclusiveStartTableName: start }), ...). */
export async function allPages(call, nextOf, itemsOf) {
  const items = []
  let start
  do {
    const page = await call(start)
    items.push(...itemsOf(page))
    start = nextOf(page)
  } while (start)
  return items
}
