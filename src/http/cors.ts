/**
 * CORS for browser clients, off unless configured (like DynamoDB Local's -cors): `--cors '*'`
 * allows every origin, `--cors https://a.example,https://b.example` allows those.
 *
 * With an allowed Origin, every reply carries Access-Control-Allow-Origin, and an OPTIONS
 * preflight is answered 200 with an empty body, the requested method and headers allowed and a
 * Max-Age of two days, as DynamoDB answers it (dynalite's connection tests, run against AWS).
 * Without CORS, or from another origin, OPTIONS is not an API call: DynamoDB's 404.
 */
import type { IncomingHttpHeaders } from 'node:http'

/** DynamoDB's Access-Control-Max-Age on a preflight reply (48 hours). */
const preflightMaxAgeSeconds = 172_800

/** What headersFor answers when CORS does not apply: one shared object, not a new one per reply. */
const noHeaders: Readonly<Record<string, string>> = Object.freeze({})

/** Reply headers a browser script may read: the request id, the checksum and the error type. */
const exposedHeaders = 'x-amzn-RequestId, x-amzn-ErrorType, x-amz-crc32'

export interface CorsPolicy {
  /** Headers to add to the reply to this request (none when CORS does not apply). */
  headersFor(requestHeaders: IncomingHttpHeaders): Readonly<Record<string, string>>
  /** The full preflight reply headers, or undefined when this OPTIONS is not an allowed preflight. */
  preflightHeaders(requestHeaders: IncomingHttpHeaders): Record<string, string> | undefined
  /** Whether --cors lets pages of this origin call. */
  allows(origin: string): boolean
  /** --cors '*': pages of every origin may call. */
  readonly anyOrigin: boolean
}

/** `allowedOrigins` is the --cors setting: undefined or empty for off, ['*'] for any origin. */
export function corsPolicy(allowedOrigins: readonly string[] | undefined): CorsPolicy {
  const origins = new Set((allowedOrigins ?? []).map((origin) => origin.trim()).filter((origin) => origin !== ''))
  const anyOrigin = origins.has('*')
  const allowOrigin = (headers: IncomingHttpHeaders): string | undefined => {
    const origin = headers.origin
    if (origin === undefined || origins.size === 0) return undefined
    if (anyOrigin) return '*'
    return origins.has(origin) ? origin : undefined
  }
  const headersFor = (headers: IncomingHttpHeaders): Readonly<Record<string, string>> => {
    const origin = allowOrigin(headers)
    if (origin === undefined) return noHeaders
    const reply: Record<string, string> = { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': exposedHeaders }
    // A reply that depends on the Origin must say so, or a cache could serve it to another origin.
    if (!anyOrigin) reply.Vary = 'Origin'
    return reply
  }
  return {
    headersFor,
    allows: (origin) => anyOrigin || origins.has(origin),
    anyOrigin,
    preflightHeaders(headers) {
      const allowed = headersFor(headers)
      if (!allowed['Access-Control-Allow-Origin']) return undefined
      const reply = { ...allowed }
      const requestedHeaders = headers['access-control-request-headers']
      const requestedMethod = headers['access-control-request-method']
      if (requestedHeaders) reply['Access-Control-Allow-Headers'] = requestedHeaders
      if (requestedMethod) reply['Access-Control-Allow-Methods'] = requestedMethod
      reply['Access-Control-Max-Age'] = String(preflightMaxAgeSeconds)
      return reply
    },
  }
}
