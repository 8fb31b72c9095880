/** Raw HTTP requests for the protocol and fuzz tests, which must see bytes the SDK would hide. */
import { request } from 'node:http'

export interface RawReply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
  /** The body parsed as JSON, or undefined if it is not JSON. */
  json: Record<string, unknown> | undefined
}

export interface RawRequest {
  method?: string
  /** The request target; '/' by default, where DynamoDB serves its API. */
  path?: string
  target?: string
  body?: string | Buffer
  headers?: Record<string, string>
  region?: string
  timeoutMs?: number
}

const defaultTimeoutMs = 10_000

/** A well-formed (unverified) SigV4 Authorization header for the given region. */
export function authorizationFor(region = 'us-east-1'): string {
  return `AWS4-HMAC-SHA256 Credential=AKIDTEST/20240101/${region}/dynamodb/aws4_request, `
    + 'SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=' + '0'.repeat(64)
}

export function sendRaw(endpoint: string, options: RawRequest): Promise<RawReply> {
  const url = new URL(endpoint)
  const body = options.body ?? ''
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-amz-json-1.0',
    'X-Amz-Date': '20240101T000000Z',
    Authorization: authorizationFor(options.region),
    ...(options.target ? { 'X-Amz-Target': `DynamoDB_20120810.${options.target}` } : {}),
    ...options.headers,
  }
  for (const [name, value] of Object.entries(headers)) if (value === '') delete headers[name]
  return new Promise((resolve, reject) => {
    const outgoing = request({
      host: url.hostname, port: url.port, path: options.path ?? '/', method: options.method ?? 'POST', headers,
      timeout: options.timeoutMs ?? defaultTimeoutMs,
    }, (incoming) => {
      const chunks: Buffer[] = []
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
      incoming.on('end', () => {
        const replyBody = Buffer.concat(chunks)
        let json: Record<string, unknown> | undefined
        try { json = JSON.parse(replyBody.toString('utf8')) } catch { json = undefined }
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: replyBody, json })
      })
      incoming.on('error', reject)
    })
    outgoing.on('timeout', () => outgoing.destroy(new Error('request timed out')))
    outgoing.on('error', reject)
    outgoing.end(body)
  })
}

/** The `__type` without its namespace: 'com.amazon.coral.validate#ValidationException' -> 'ValidationException'. */
export function errorName(reply: RawReply): string | undefined {
  const type = reply.json?.__type
  return typeof type === 'string' ? type.slice(type.indexOf('#') + 1) : undefined
}
