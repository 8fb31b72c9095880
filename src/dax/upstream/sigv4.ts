/**
 * AWS Signature Version 4 for one request (a JSON POST to a DynamoDB endpoint, a call of one of
 * EddyDB's own routes): enough to talk to AWS itself or any endpoint that checks signatures. Written with node:crypto so the package needs no SDK.
 */
import { createHash, createHmac } from 'node:crypto'
import { canonicalQueryOf } from '../../security/sigv4-canonical.js'

export interface AwsCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

export interface SignableRequest {
  method: string
  /** Host header value (host[:port]). */
  host: string
  path: string
  /** The query string as sent, already canonical (canonicalQueryString); none when absent. */
  query?: string
  headers: Record<string, string>
  body: string
}

export interface SigningScope {
  region: string
  service: string
  credentials: AwsCredentials
  /** Signing time; the request's X-Amz-Date. */
  date: Date
}

/** Returns the headers to send: the given ones plus host, x-amz-date, the token and Authorization. */
export function signRequest(request: SignableRequest, scope: SigningScope): Record<string, string> {
  const amzDate = scope.date.toISOString().replace(/[:-]|\.\d{3}/g, '')
  const day = amzDate.slice(0, 8)
  const headers: Record<string, string> = { ...lowercaseKeys(request.headers), host: request.host, 'x-amz-date': amzDate }
  if (scope.credentials.sessionToken) headers['x-amz-security-token'] = scope.credentials.sessionToken
  const names = Object.keys(headers).sort()
  const signedHeaders = names.join(';')
  const canonicalRequest = [
    request.method,
    canonicalPath(request.path),
    request.query ?? '',
    names.map((name) => `${name}:${headers[name]!.trim().replace(/\s+/g, ' ')}\n`).join(''),
    signedHeaders,
    sha256Hex(request.body),
  ].join('\n')
  const credentialScope = `${day}/${scope.region}/${scope.service}/aws4_request`
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, credentialScope, sha256Hex(canonicalRequest)].join('\n')
  let key: Buffer = hmac(`AWS4${scope.credentials.secretAccessKey}`, day)
  for (const part of [scope.region, scope.service, 'aws4_request']) key = hmac(key, part)
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex')
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${scope.credentials.accessKeyId}/${credentialScope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`
  return headers
}

/**
 * A query string in SigV4's canonical form (names and values escaped as RFC 3986 says, sorted by
 * name): send it as it is, so that what is signed is what the server reads.
 */
export function canonicalQueryString(parameters: Record<string, string>): string {
  return canonicalQueryOf(Object.entries(parameters))
}

function canonicalPath(path: string): string {
  return path.split('/').map((segment) => encodeURIComponent(decodeURIComponent(segment))).join('/') || '/'
}

function lowercaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]))
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

function hmac(key: string | Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest()
}
