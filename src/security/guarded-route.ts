/**
 * EddyDB's own REST routes (/_eddydb/status, /_aws/dynamodb/expired) behind the same signature
 * check as the API when credentials are configured: they show table names and delete items.
 * Signed for 'dynamodb', as the tools that call them sign. Without credentials they stay open,
 * as the health check is.
 */
import { DynamoError } from '../errors.js'
import type { Authenticator } from '../http/auth.js'
import type { PathRoute } from '../http/server.js'

export function guardedRoute(route: PathRoute, authenticator: Authenticator): PathRoute {
  if (!authenticator.verifying) return route
  return {
    prefix: route.prefix,
    async handle(request) {
      try {
        authenticator.authenticate(request.signed, 'dynamodb')
      } catch (error) {
        if (!(error instanceof DynamoError)) throw error
        return {
          status: error.statusCode,
          headers: { 'x-amzn-ErrorType': error.type },
          body: JSON.stringify(error.toWire()),
        }
      }
      return route.handle(request)
    },
  }
}
