/**
 * authorizeConnection: the client signs a fixed pseudo-request (POST / to dax.amazonaws.com,
 * scope <date>/<region>/dax/aws4_request) with SigV4 and sends the access key, the hex
 * signature and the full string-to-sign. No reply is ever sent; a connection that failed (or
 * never did) the handshake gets AuthenticationRequired on its next request.
 *
 * By default any access key is accepted, as DynamoDB Local does, but the handshake itself must
 * be well formed. Given a key lookup, the HMAC is verified too, and the connection's caller
 * carries the key's account and policies, which each request is then checked against
 * (src/security/dax-authorize.ts).
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { AuthenticatedCaller } from '../../http/auth.js'
import type { Policy } from '../../security/policy.js'
import type { CborValue } from './cbor.js'
import { signingKey } from '../../security/signing-keys.js'

/** What authorizeConnection needs of an access key (a Credential of src/security/credentials.ts fits). */
export interface DaxKey {
  secretAccessKey: string
  accountId: string
  policies?: Policy[]
  /** Present for temporary credentials: the session tokens a connection may carry. */
  sessionTokens?: ReadonlySet<string>
}

/** Returns an access key id's key, or undefined for an unknown one. */
export type KeyLookup = (accessKeyId: string) => DaxKey | undefined

const signatureHex = /^[0-9a-f]{64}$/
const algorithm = 'AWS4-HMAC-SHA256'
const scopePattern = /^(\d{8})\/([a-z0-9-]+)\/dax\/aws4_request$/

/** The caller the five authorizeConnection arguments prove, or undefined for an invalid handshake. */
export function authorizedCaller(args: CborValue[], keyFor?: KeyLookup): AuthenticatedCaller | undefined {
  const [accessKeyId, signature, stringToSign, sessionToken] = args
  if (typeof accessKeyId !== 'string' || accessKeyId === '') return undefined
  if (typeof signature !== 'string' || !signatureHex.test(signature)) return undefined
  if (!Buffer.isBuffer(stringToSign)) return undefined
  const lines = stringToSign.toString('utf8').split('\n')
  if (lines.length !== 4 || lines[0] !== algorithm) return undefined
  const scope = scopePattern.exec(lines[2]!)
  if (!scope) return undefined
  const [, date, region] = scope
  if (!keyFor) return { accessKeyId, region: region!, accountId: '', verified: false }
  const key = keyFor(accessKeyId)
  if (key === undefined || !sessionTokenFits(key, sessionToken)) return undefined
  const expected = signingKey(key.secretAccessKey, date!, region!, 'dax')
  const computed = createHmac('sha256', expected).update(stringToSign).digest()
  if (!timingSafeEqual(computed, Buffer.from(signature, 'hex'))) return undefined
  return { accessKeyId, region: region!, accountId: key.accountId, verified: true, policies: key.policies }
}

/** As on HTTP: temporary credentials need one of their session tokens, other keys must send none. */
function sessionTokenFits(key: DaxKey, sessionToken: CborValue | undefined): boolean {
  if (!key.sessionTokens) return sessionToken === null || sessionToken === undefined
  return typeof sessionToken === 'string' && key.sessionTokens.has(sessionToken)
}
