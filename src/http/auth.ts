/**
 * SigV4 shape checks and the region. Signatures are not verified (yet): any credentials work,
 * but a request must look signed, because DynamoDB rejects one that does not with these errors.
 * The region comes from the credential scope: Credential=AKID/DATE/REGION/SERVICE/aws4_request.
 */
import type { IncomingHttpHeaders } from 'node:http'
import { IncompleteSignatureException, MissingAuthenticationTokenException } from '../errors.js'

export interface Caller {
  accessKeyId: string
  region: string
}

const requiredAuthorizationParameters = ['Credential', 'Signature', 'SignedHeaders'] as const

export function callerFromHeaders(headers: IncomingHttpHeaders, defaultRegion: string): Caller {
  const authorization = headers.authorization
  if (!authorization || authorization.trim().slice(0, 5) !== 'AWS4-') {
    throw new MissingAuthenticationTokenException('Request is missing Authentication Token')
  }
  const parameters = parseAuthorizationParameters(authorization)
  let message = ''
  for (const name of requiredAuthorizationParameters) {
    if (!parameters[name]) message += `Authorization header requires '${name}' parameter. `
  }
  if (!headers['x-amz-date'] && !headers.date) {
    message += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
  }
  if (message) throw new IncompleteSignatureException(message + 'Authorization=' + authorization)
  const scope = parameters.Credential!.split('/')
  return { accessKeyId: scope[0] ?? '', region: scope[2] || defaultRegion }
}

function parseAuthorizationParameters(authorization: string): Record<string, string> {
  const parameters: Record<string, string> = {}
  const afterAlgorithm = authorization.trim().split(/\s+/).slice(1).join('')
  for (const pair of afterAlgorithm.split(',')) {
    const equals = pair.indexOf('=')
    if (equals > 0) parameters[pair.slice(0, equals).trim()] = pair.slice(equals + 1).trim()
  }
  return parameters
}
