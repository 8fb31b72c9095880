/**
 * Replies of EddyDB's own REST routes (/_eddydb/…): JSON, and errors in DynamoDB's shape
 * (`__type`, `message`, the `x-amzn-ErrorType` header) so that the CLI and the SDKs' error
 * parsers read them as they read the API's.
 */
import type { DynamoError } from '../errors.js'
import type { RestReply } from './server.js'

export function jsonRouteReply(status: number, body: object): RestReply {
  return { status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }
}

export function errorRouteReply(error: DynamoError): RestReply {
  return {
    status: error.statusCode,
    headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': error.type },
    body: JSON.stringify(error.toWire()),
  }
}
