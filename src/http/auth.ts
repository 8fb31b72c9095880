/**
 * Who is calling, and in which region. Without a credentials file any credentials work, but a
 * request must look signed (DynamoDB rejects one that does not with these errors); with one,
 * the signature is verified (src/security/sigv4-verifier.ts) and the caller's account and
 * policies come from the key. The region comes from the credential scope:
 * Credential=AKID/DATE/REGION/SERVICE/aws4_request, in the Authorization header or, for
 * presigned requests, the X-Amz-Credential query parameter.
 */
import type { IncomingHttpHeaders } from 'node:http'
import { IncompleteSignatureException, InvalidSignatureException, MissingAuthenticationTokenException } from '../errors.js'
import type { CredentialStore } from '../security/credentials.js'
import type { Policy } from '../security/policy.js'
import {
  authorizationParameter, headerSignatureParts, querySignatureParts, SigV4Verifier, type RequestSocket, type SignedRequest,
} from '../security/sigv4-verifier.js'

export type { SignedRequest } from '../security/sigv4-verifier.js'

export interface Caller {
  accessKeyId: string
  region: string
}

/** A caller whose account is known (verified, or the server's own without credentials). */
export interface AuthenticatedCaller extends Caller {
  accountId: string
  /** The signature was verified against a configured key (policies then apply). */
  verified: boolean
  /** The key's identity policies; undefined means everything is allowed. */
  policies?: Policy[]
  /**
   * The connection of a verified caller's request, when known: read only by a policy that asks
   * for aws:SourceIp or aws:SecureTransport (security/global-condition-keys.ts).
   */
  socket?: RequestSocket
}

export interface Authenticator {
  /** True when signatures are verified against a credentials file. */
  readonly verifying: boolean
  /** The caller of a request signed for `service` ('dynamodb', 'dax', 'lambda', ...), or throws. */
  authenticate(request: SignedRequest, service: string): AuthenticatedCaller
}

export interface AuthenticatorOptions {
  /** Verify signatures against these keys; without, any well-shaped signature is accepted. */
  credentials?: CredentialStore
  defaultRegion: string
  /** The account of every caller when there are no credentials. */
  accountId: string
  now: () => number
}

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { credentials, defaultRegion, accountId } = options
  if (!credentials) {
    return {
      verifying: false,
      authenticate(request) {
        const { accessKeyId, region } = shapeOf(request, defaultRegion)
        return { accessKeyId, region, accountId, verified: false }
      },
    }
  }
  const verifier = new SigV4Verifier(credentials, options.now)
  return {
    verifying: true,
    authenticate(request, service) {
      const authorization = request.headers.authorization
      const query = presignedQuery(request)
      const { accessKeyId, region } = shapeOf(request, defaultRegion, query)
      const parts = query && authorization === undefined ? querySignatureParts(query) : headerSignatureParts(request.headers, authorization!)
      const { credential } = verifier.verify(request, service, parts)
      return {
        accessKeyId, region, accountId: credential.accountId, verified: true, policies: credential.policies,
        socket: request.socket,
      }
    },
  }
}

/** The shape checks and the scope's region, from the header or a presigned query string. */
function shapeOf(request: SignedRequest, defaultRegion: string, query = presignedQuery(request)): Caller {
  if (request.headers.authorization !== undefined && query?.has('X-Amz-Algorithm')) {
    throw new InvalidSignatureException("Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.")
  }
  if (request.headers.authorization === undefined && query) {
    const scope = querySignatureParts(query).scope
    return { accessKeyId: scope[0] ?? '', region: checkedRegion(scope[2] || defaultRegion) }
  }
  return callerFromHeaders(request.headers, defaultRegion)
}

/**
 * The query string when it is a presigned signature: DynamoDB decides by the X-Amz-Algorithm
 * key alone, present even without a value (dynalite's recordings of DynamoDB): without it the
 * other X-Amz- parameters are ignored and the request is unsigned.
 */
function presignedQuery(request: SignedRequest): URLSearchParams | undefined {
  const question = request.url.indexOf('?')
  if (question < 0 || !/[?&]X-Amz-Algorithm(?:[=&]|$)/.test(request.url)) return undefined
  return new URLSearchParams(request.url.slice(question + 1))
}

export function callerFromHeaders(headers: IncomingHttpHeaders, defaultRegion: string): Caller {
  const authorization = headers.authorization
  if (!authorization || authorization.trim().slice(0, 5) !== 'AWS4-') {
    throw new MissingAuthenticationTokenException('Request is missing Authentication Token')
  }
  const credential = authorizationParameter(authorization, 'Credential')
  let message = ''
  if (!credential) message += "Authorization header requires 'Credential' parameter. "
  if (!authorizationParameter(authorization, 'Signature')) message += "Authorization header requires 'Signature' parameter. "
  if (!authorizationParameter(authorization, 'SignedHeaders')) message += "Authorization header requires 'SignedHeaders' parameter. "
  if (!headers['x-amz-date'] && !headers.date) {
    message += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
  }
  if (message) throw new IncompleteSignatureException(message + 'Authorization=' + authorization)
  const scope = credential!.split('/')
  return { accessKeyId: scope[0] ?? '', region: checkedRegion(scope[2] || defaultRegion) }
}

/**
 * Regions name storage files, so only region-shaped names are accepted (as DynamoDB accepts
 * only real regions; src/regions.ts then accepts only known names).
 */
function checkedRegion(region: string): string {
  if (!regionPattern.test(region)) {
    throw new InvalidSignatureException(`Credential should be scoped to a valid region, not '${region}'. `)
  }
  return region
}

const regionPattern = /^[a-z0-9][a-z0-9-]{0,62}$/

/** The service a SigV4 Authorization header is scoped to ('dynamodb', 's3', ...), if it names one. */
export function signedService(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization
  if (!authorization) return undefined
  return authorizationParameter(authorization, 'Credential').split('/')[3] || undefined
}
