/**
 * authorizeConnection: the client signs a fixed pseudo-request (POST / to dax.amazonaws.com,
 * scope <date>/<region>/dax/aws4_request) with SigV4 and sends the access key, the hex
 * signature and the full string-to-sign. No reply is ever sent; a connection that failed (or
 * never did) the handshake gets AuthenticationRequired on its next request.
 *
 * By default any access key is accepted, as DynamoDB Local does, but the handshake itself must
 * be well formed. Given a secret lookup, the HMAC is verified too.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { CborValue } from './cbor.js'
import { signingKey } from '../../security/signing-keys.js'

/** Returns the secret key of an access key id, or undefined for an unknown one. */
export type SecretLookup = (accessKeyId: string) => string | undefined

const signatureHex = /^[0-9a-f]{64}$/
const algorithm = 'AWS4-HMAC-SHA256'
const scopePattern = /^(\d{8})\/([a-z0-9-]+)\/dax\/aws4_request$/

/** Whether the five authorizeConnection arguments make a valid handshake. */
export function isAuthorized(args: CborValue[], secretFor?: SecretLookup): boolean {
  const [accessKeyId, signature, stringToSign] = args
  if (typeof accessKeyId !== 'string' || accessKeyId === '') return false
  if (typeof signature !== 'string' || !signatureHex.test(signature)) return false
  if (!Buffer.isBuffer(stringToSign)) return false
  const lines = stringToSign.toString('utf8').split('\n')
  if (lines.length !== 4 || lines[0] !== algorithm) return false
  const scope = scopePattern.exec(lines[2]!)
  if (!scope) return false
  if (!secretFor) return true
  const secret = secretFor(accessKeyId)
  if (secret === undefined) return false
  const [, date, region] = scope
  const expected = signingKey(secret, date!, region!, 'dax')
  const computed = createHmac('sha256', expected).update(stringToSign).digest()
  return timingSafeEqual(computed, Buffer.from(signature, 'hex'))
}
