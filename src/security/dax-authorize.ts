/**
 * The DAX data plane's access check, as AWS DAX makes it: a request is the action `dax:<Operation>`
 * (dax:GetItem, dax:Query, dax:BatchWriteItem, ...) on the cluster's ARN
 * (arn:aws:dax:<region>:<account>:cache/<cluster name>), never on the table: DAX reads and writes
 * tables with the cluster's own permissions, so `dynamodb:` statements do not open a cluster. DAX
 * has no TransactWriteItems or TransactGetItems actions: a transaction is checked item by item
 * with the item's action (dax:PutItem, dax:ConditionCheckItem, ...) and the condition key
 * dax:EnclosingOperation naming the transaction. DAX has no other condition keys (no LeadingKeys).
 * The one policy evaluator (src/security/authorize.ts) decides.
 */
import type { AuthenticatedCaller } from '../http/auth.js'
import { authorizeAction, transactionActions, type ConditionContext } from './authorize.js'

const transactions = new Set(['TransactWriteItems', 'TransactGetItems'])

/** Throws AccessDeniedException unless the caller's policies allow `operation` on the cluster. */
export function authorizeDax(caller: AuthenticatedCaller, operation: string, input: Record<string, any>, clusterArn: string): void {
  if (!caller.policies) return
  if (!transactions.has(operation)) {
    authorizeAction(caller, `dax:${operation}`, clusterArn)
    return
  }
  const enclosing: ConditionContext = (key) => key === 'dax:enclosingoperation' ? [operation] : undefined
  for (const item of input.TransactItems as Record<string, unknown>[]) {
    const kind = Object.keys(item)[0]!
    authorizeAction(caller, `dax:${transactionActions[kind] ?? kind}`, clusterArn, enclosing)
  }
}

/** The ARN of a DAX cluster: the resource of every dax: data-plane check. */
export function daxClusterArn(region: string, accountId: string, clusterName: string): string {
  return `arn:aws:dax:${region}:${accountId}:cache/${clusterName}`
}

/** The cluster of a node started without an ARN (`eddydb dax`, tests): the default account's, in us-east-1. */
export function defaultClusterArn(clusterName = 'local'): string {
  return daxClusterArn('us-east-1', '000000000000', clusterName)
}
