/**
 * SigV4 shape checks and the region. Signatures are not verified (yet): any credentials work,
 * but a request must look signed, because DynamoDB rejects one that does not with these errors.
 * The region comes from the credential scope: Credential=AKID/DATE/REGION/SERVICE/aws4_request.
 */
import type { IncomingHttpHeaders } from 'node:http'
import { IncompleteSignatureException, InvalidSignatureException, MissingAuthenticationTokenException } from '../errors.js'

export interface Caller {
  accessKeyId: string
  region: string
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
  const region = scope[2] || defaultRegion
  // Regions name storage files, so only region-shaped names are accepted (as DynamoDB accepts
  // only real regions).
  if (!regionPattern.test(region)) {
    throw new InvalidSignatureException(`Credential should be scoped to a valid region, not '${region}'. `)
  }
  return { accessKeyId: scope[0] ?? '', region }
}

const regionPattern = /^[a-z0-9][a-z0-9-]{0,62}$/

/** The service a SigV4 Authorization header is scoped to ('dynamodb', 's3', ...), if it names one. */
export function signedService(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization
  if (!authorization) return undefined
  return authorizationParameter(authorization, 'Credential').split('/')[3] || undefined
}

/**
 * The value of one `Name=value` parameter of an Authorization header (parameters are separated
 * by commas and optional spaces), or '' when absent. A scan for the name, not a full parse: this
 * runs on every request.
 */
function authorizationParameter(authorization: string, name: string): string {
  let from = authorization.indexOf(' ')
  while (from >= 0) {
    const at = authorization.indexOf(name + '=', from)
    if (at < 0) return ''
    const before = authorization.charCodeAt(at - 1)
    // The name must start a parameter: after the algorithm's space, a comma or a space.
    if (before === 0x20 || before === 0x2c || before === 0x09) {
      const start = at + name.length + 1
      let end = authorization.indexOf(',', start)
      if (end < 0) end = authorization.length
      return authorization.slice(start, end).trim()
    }
    from = at + 1
  }
  return ''
}
