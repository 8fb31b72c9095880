/**
 * The operator: a key of the server's own account (--account-id) without policies. Only the
 * operator may call EddyDB's own routes (guarded-route.ts) and name a `file://` bucket
 * (authorize.ts), as both reach past one account's tables.
 */
import type { AuthenticatedCaller } from '../http/auth.js'

export function isOperator(caller: AuthenticatedCaller, operatorAccountId: string): boolean {
  return caller.accountId === operatorAccountId && !caller.policies
}
