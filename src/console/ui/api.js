// Every call the console makes, through the public APIs any client uses: DynamoDB's and
// DynamoDB Streams' JSON APIs (POST / with X-Amz-Target), Lambda's event-source-mapping REST
// routes, and the unsigned GET /_eddydb/status and /_eddydb/metrics.
import { credentials } from './credentials.js'
import { signRequest } from './sigv4.js'

/** An error reply: `type` is the short __type (e.g. ResourceNotFoundException). */
export class ApiError extends Error {
  constructor(type, message, status) {
    super(message || type)
    this.type = type
    this.status = status
  }
}

const root = new URL('/', location.href).href

async function jsonRpc(target, input, region) {
  const body = JSON.stringify(input)
  const headers = await signRequest({
    method: 'POST', url: root, body, region, service: 'dynamodb', credentials: credentials(),
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target },
  })
  const response = await fetch(root, { method: 'POST', headers, body })
  const text = await response.text()
  const output = text ? JSON.parse(text) : {}
  if (!response.ok) {
    const type = String(output.__type ?? 'Error').split('#').pop()
    throw new ApiError(type, output.message ?? output.Message ?? '', response.status)
  }
  return output
}

/** A DynamoDB operation, e.g. dynamo('Scan', { TableName }, 'us-east-1'). */
export const dynamo = (operation, input, region) => jsonRpc(`DynamoDB_20120810.${operation}`, input, region)

/** A DynamoDB Streams operation. */
export const streams = (operation, input, region) => jsonRpc(`DynamoDBStreams_20120810.${operation}`, input, region)

const mappingsPath = '/2015-03-31/event-source-mappings/'

/** Lambda's event-source-mapping API: lambda('GET', '', { EventSourceArn }) or lambda('PUT', uuid, body). */
export async function lambda(method, uuid, { query, body, region }) {
  const url = new URL(mappingsPath + (uuid ? encodeURIComponent(uuid) : ''), location.href)
  for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(name, value)
  const text = body === undefined ? '' : JSON.stringify(body)
  const headers = await signRequest({
    method, url: url.href, body: text, region, service: 'lambda', credentials: credentials(),
    headers: text ? { 'content-type': 'application/json' } : {},
  })
  const response = await fetch(url, { method, headers, body: text || undefined })
  const reply = await response.text()
  const output = reply ? JSON.parse(reply) : {}
  if (!response.ok) {
    const type = response.headers.get('x-amzn-ErrorType')?.split(':')[0] ?? output.Type ?? 'Error'
    throw new ApiError(type, output.message ?? output.Message ?? '', response.status)
  }
  return output
}

async function getJson(path) {
  const response = await fetch(new URL(path, location.href))
  if (!response.ok) throw new ApiError('HttpError', `${path}: HTTP ${response.status}`, response.status)
  return response.json()
}

export const serverStatus = () => getJson('/_eddydb/status')
export const serverMetrics = () => getJson('/_eddydb/metrics')

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
