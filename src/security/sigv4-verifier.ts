/**
 * Verifies AWS Signature Version 4, from the Authorization header or from a presigned query
 * string, against the credentials file, with the errors and messages DynamoDB answers:
 *  - an unknown access key or session token: UnrecognizedClientException;
 *  - a scope for another service: InvalidSignatureException "Credential should be scoped to correct service";
 *  - a signing time more than 5 minutes off: InvalidSignatureException "Signature expired" /
 *    "Signature not yet current";
 *  - a signature that does not match: InvalidSignatureException with AWS's long message.
 * The body is covered: its SHA-256 is what the canonical request ends with, and a declared
 * X-Amz-Content-Sha256 must equal it.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import {
  IncompleteSignatureException, InvalidSignatureException, UnrecognizedClientException,
} from '../errors.js'
import type { Credential, CredentialStore } from './credentials.js'
import { SigningKeys } from './signing-keys.js'
import { canonicalQueryOf, escapeUri } from './sigv4-canonical.js'

/** What a signature covers: the request as it came over the wire. */
export interface SignedRequest {
  method: string
  /** The request target as sent: path and query string, still percent-encoded. */
  url: string
  headers: IncomingHttpHeaders
  /** The body bytes as sent (still compressed when Content-Encoding says so). */
  body: Buffer
  /** The connection it came on, for the condition keys aws:SourceIp and aws:SecureTransport. */
  socket?: RequestSocket
}

/** What policies read of a request's connection: node:net's Socket, or node:tls's, has these. */
export interface RequestSocket {
  remoteAddress?: string
  encrypted?: boolean
}

export interface VerifiedSignature {
  credential: Credential
  region: string
}

/** The parts of a signature, wherever it was sent. */
interface SignatureParts {
  accessKeyId: string
  scope: string[]
  signedHeaders: string[]
  signature: string
  amzDate: string
  /** The query string without X-Amz-Signature, for presigned requests. */
  presigned?: { expiresSeconds: number }
  sessionToken?: string
}

/**
 * DynamoDB allows a signing time up to 5 minutes either side of its own clock ("Signature
 * expired: … (… - 5 min.)", aws-sdk-js-v3#7605; reports from 2014 show 15). Kinesis and Lambda
 * answer with the same 5-minute words; DAX's window is not documented and gets the same.
 */
const clockSkewMinutes = 5
export const clockSkewMs = clockSkewMinutes * 60 * 1000

export const signatureMismatchMessage = 'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'

const invalidTokenMessage = 'The security token included in the request is invalid.'

const algorithm = 'AWS4-HMAC-SHA256'

export class SigV4Verifier {
  readonly #credentials: CredentialStore
  readonly #now: () => number
  readonly #keys = new SigningKeys()

  constructor(credentials: CredentialStore, now: () => number) {
    this.#credentials = credentials
    this.#now = now
  }

  /**
   * The verified caller's credential, or throws the DynamoError DynamoDB would answer, checking
   * in DynamoDB's order (recorded by dynalite): the signing time, Host signed, the scope's shape,
   * its parts (every wrong one named in one message), the key, then the signature.
   */
  verify(request: SignedRequest, service: string, parts: SignatureParts): VerifiedSignature {
    const signedAt = parseAmzDate(parts.amzDate)
    this.#checkTime(parts.amzDate, signedAt, parts.presigned?.expiresSeconds)
    // HTTP/2 clients (the JS SDK's Kinesis client) sign the :authority pseudo-header instead.
    if (!parts.signedHeaders.includes('host') && !parts.signedHeaders.includes(':authority')) {
      throw new InvalidSignatureException("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
    }
    const day = checkedScope(parts.scope, service, parts.amzDate)
    const region = parts.scope[2]!
    const credential = this.#credentials.lookup(parts.accessKeyId)
    if (!credential) throw new UnrecognizedClientException(invalidTokenMessage)
    if (credential.sessionTokens ? !parts.sessionToken || !credential.sessionTokens.has(parts.sessionToken) : parts.sessionToken) {
      throw new UnrecognizedClientException(invalidTokenMessage)
    }
    const payloadHash = createHash('sha256').update(request.body).digest('hex')
    const declaredHash = request.headers['x-amz-content-sha256']
    if (declaredHash !== undefined && declaredHash !== payloadHash) {
      throw new InvalidSignatureException("The provided 'x-amz-content-sha256' header does not match what was computed.")
    }
    const canonical = canonicalRequest(request, parts, payloadHash)
    const stringToSign = `${algorithm}\n${parts.amzDate}\n${parts.scope.slice(1).join('/')}\n${sha256Hex(canonical)}`
    const key = this.#keys.get(credential.secretAccessKey, credential.accessKeyId, day, region, service)
    const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest()
    const given = /^[0-9a-f]{64}$/.test(parts.signature) ? Buffer.from(parts.signature, 'hex') : undefined
    if (!given || !timingSafeEqual(expected, given)) throw new InvalidSignatureException(signatureMismatchMessage)
    return { credential, region }
  }

  #checkTime(amzDate: string, signedAtMs: number, presignedSeconds: number | undefined): void {
    const now = this.#now()
    if (presignedSeconds !== undefined && signedAtMs + presignedSeconds * 1000 < now) {
      throw new InvalidSignatureException(`Signature expired: ${amzDate} is now earlier than ${basicFormat(now - presignedSeconds * 1000)} (${basicFormat(now)} - ${presignedSeconds} sec.)`)
    }
    if (signedAtMs < now - clockSkewMs) {
      throw new InvalidSignatureException(`Signature expired: ${amzDate} is now earlier than ${basicFormat(now - clockSkewMs)} (${basicFormat(now)} - ${clockSkewMinutes} min.)`)
    }
    if (signedAtMs > now + clockSkewMs) {
      throw new InvalidSignatureException(`Signature not yet current: ${amzDate} is still later than ${basicFormat(now + clockSkewMs)} (${basicFormat(now)} + ${clockSkewMinutes} min.)`)
    }
  }
}

/**
 * The scope's day, once it has DynamoDB's shape (KEY/DAY/REGION/SERVICE/aws4_request; trailing
 * slashes are ignored) and names this service, the terminator and the signing day: every part
 * that does not is named in one InvalidSignatureException, as DynamoDB words it. (The region is
 * checked where the request is routed: src/http/auth.ts, src/regions.ts.)
 */
function checkedScope(scope: string[], service: string, amzDate: string): string {
  const parts = [...scope]
  while (parts.length > 5 && parts[parts.length - 1] === '') parts.pop()
  if (parts.length !== 5) {
    throw new IncompleteSignatureException(`Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${parts.join('/')}'`)
  }
  const [, day, , scopeService, terminator] = parts as [string, string, string, string, string]
  let problems = ''
  if (scopeService !== service) problems += `Credential should be scoped to correct service: '${service}'. `
  if (terminator !== 'aws4_request') problems += `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `
  if (amzDate.slice(0, 8) !== day) {
    problems += `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${day}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`
  }
  if (problems) throw new InvalidSignatureException(problems)
  return day
}

/** The signature parts of the Authorization header (its shape is already checked). */
export function headerSignatureParts(headers: IncomingHttpHeaders, authorization: string): SignatureParts {
  const given = authorization.slice(0, authorization.indexOf(' '))
  if (given !== algorithm) throw new IncompleteSignatureException(`Unsupported AWS 'algorithm': '${given}'.`)
  const amzDate = headerValue(headers['x-amz-date']) ?? dateHeaderAsAmzDate(headerValue(headers.date))
  const scope = authorizationParameter(authorization, 'Credential').split('/')
  return {
    accessKeyId: scope[0]!,
    scope,
    signedHeaders: authorizationParameter(authorization, 'SignedHeaders').split(';'),
    signature: authorizationParameter(authorization, 'Signature'),
    amzDate,
    sessionToken: headerValue(headers['x-amz-security-token']),
  }
}

/**
 * The value of one `Name=value` parameter of an Authorization header, or '' when absent.
 * Parameters are separated by commas, spaces or both (a header with spaces alone is refused by
 * its signature or its date, as DynamoDB refuses it, not misread); no value holds either. A scan
 * for the name, not a full parse: the shape check runs it on every request, and the verifier
 * reads the same values through it.
 */
export function authorizationParameter(authorization: string, name: string): string {
  let from = authorization.indexOf(' ')
  while (from >= 0) {
    const at = authorization.indexOf(name + '=', from)
    if (at < 0) return ''
    // The name must start a parameter: after the algorithm's space, a comma or a space.
    if (isParameterSeparator(authorization.charCodeAt(at - 1))) {
      let start = at + name.length + 1
      while (start < authorization.length && isBlank(authorization.charCodeAt(start))) start++
      let end = start
      while (end < authorization.length && !isParameterSeparator(authorization.charCodeAt(end))) end++
      return authorization.slice(start, end)
    }
    from = at + 1
  }
  return ''
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09
}

function isParameterSeparator(code: number): boolean {
  return code === 0x2c || isBlank(code)
}

/** The query parameters a presigned request must carry, in the order AWS reports them missing. */
export const presignParameters = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date']

/** The signature parts of a presigned query string. */
export function querySignatureParts(query: URLSearchParams): SignatureParts {
  const missing = presignParameters.filter((name) => !query.get(name))
  if (missing.length > 0) {
    throw new IncompleteSignatureException(missing.map((name) => `AWS query-string parameters must include '${name}'. `).join('') +
      'Re-examine the query-string parameters.')
  }
  if (query.get('X-Amz-Algorithm') !== algorithm) {
    throw new IncompleteSignatureException(`Unsupported AWS 'algorithm': '${query.get('X-Amz-Algorithm')}'.`)
  }
  const expires = query.get('X-Amz-Expires')
  const expiresSeconds = expires === null ? clockSkewMs / 1000 : Number(expires)
  if (!Number.isInteger(expiresSeconds) || expiresSeconds < 0 || expiresSeconds > 604_800) {
    throw new IncompleteSignatureException('X-Amz-Expires must be an integer between 0 and 604800 (seven days).')
  }
  const scope = query.get('X-Amz-Credential')!.split('/')
  return {
    accessKeyId: scope[0]!,
    scope,
    signedHeaders: query.get('X-Amz-SignedHeaders')!.split(';'),
    signature: query.get('X-Amz-Signature')!,
    amzDate: query.get('X-Amz-Date')!,
    presigned: { expiresSeconds },
    sessionToken: query.get('X-Amz-Security-Token') ?? undefined,
  }
}

function canonicalRequest(request: SignedRequest, parts: SignatureParts, payloadHash: string): string {
  const question = request.url.indexOf('?')
  const path = question < 0 ? request.url : request.url.slice(0, question)
  const query = question < 0 ? '' : request.url.slice(question + 1)
  const headers = parts.signedHeaders.map((name) => `${name}:${canonicalHeaderValue(request.headers[name])}\n`).join('')
  return `${request.method}\n${canonicalPath(path)}\n${canonicalQuery(query, parts.presigned !== undefined)}\n` +
    `${headers}\n${parts.signedHeaders.join(';')}\n${payloadHash}`
}

/** Each segment escaped once more (SigV4 for services other than S3), dot segments removed. */
function canonicalPath(path: string): string {
  if (path === '/' || path === '') return '/'
  const segments: string[] = []
  for (const segment of path.split('/')) {
    if (segment === '.') continue
    if (segment === '..') segments.pop()
    else segments.push(segment)
  }
  const normalized = segments.join('/')
  return escapeUri(normalized.startsWith('/') ? normalized : `/${normalized}`).replace(/%2F/g, '/')
}

function canonicalQuery(query: string, presigned: boolean): string {
  if (query === '') return ''
  const pairs: [string, string][] = []
  for (const piece of query.split('&')) {
    if (piece === '') continue
    const equals = piece.indexOf('=')
    const key = decodeComponent(equals < 0 ? piece : piece.slice(0, equals))
    if (presigned && key === 'X-Amz-Signature') continue
    pairs.push([key, decodeComponent(equals < 0 ? '' : piece.slice(equals + 1))])
  }
  return canonicalQueryOf(pairs)
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

function canonicalHeaderValue(value: string | string[] | undefined): string {
  if (value === undefined) return ''
  const joined = Array.isArray(value) ? value.map((each) => each.trim()).join(',') : value
  return joined.trim().replace(/\s+/g, ' ')
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value
}

/** An RFC 1123 Date header as SigV4's basic format, or itself when it does not parse. */
function dateHeaderAsAmzDate(date: string | undefined): string {
  const ms = date === undefined ? NaN : Date.parse(date)
  return Number.isNaN(ms) ? date ?? '' : basicFormat(ms)
}

const amzDatePattern = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/

function parseAmzDate(amzDate: string): number {
  const match = amzDatePattern.exec(amzDate)
  const ms = match ? Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!, +match[4]!, +match[5]!, +match[6]!) : NaN
  if (Number.isNaN(ms)) {
    throw new IncompleteSignatureException(`Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`)
  }
  return ms
}

/** 20260101T000000Z */
export function basicFormat(ms: number): string {
  return new Date(ms).toISOString().replace(/[:-]|\.\d{3}/g, '')
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}
