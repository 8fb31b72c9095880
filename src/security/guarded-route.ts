/**
 * EddyDB's own REST routes (/_eddydb/status, /_aws/dynamodb/expired) behind the same signature
 * check as the API when credentials are configured: they show table names and delete items.
 * Signed for 'dynamodb', as the tools that call them sign. They span every account, so only the
 * operator may call them: a key of the server's own account (--account-id) without policies.
 * Without credentials they stay open, as the health check is.
 */
import { AccessDeniedException, DynamoError } from '../errors.js'
import type { Authenticator } from '../http/auth.js'
import type { PathRoute } from '../http/server.js'
import { errorRouteReply } from '../http/route-replies.js'
import { principalArn } from './global-condition-keys.js'
import { isOperator } from './operator.js'

export function guardedRoute(route: PathRoute, authenticator: Authenticator, operatorAccountId: string): PathRoute {
  if (!authenticator.verifying) return route
  return {
    prefix: route.prefix,
    async handle(request) {
      try {
        const caller = authenticator.authenticate(request.signed, 'dynamodb')
        if (!isOperator(caller, operatorAccountId)) {
          throw new AccessDeniedException(`User: ${principalArn(caller)} is not authorized to call ${route.prefix}: ` +
            `it needs a key of account ${operatorAccountId} without policies`)
        }
      } catch (error) {
        if (!(error instanceof DynamoError)) throw error
        return errorRouteReply(error)
      }
      return route.handle(request)
    },
  }
}
