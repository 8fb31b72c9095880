/**
 * The DAX data plane's access check, as AWS DAX makes it: a request is the action `dax:<Operation>`
 * (dax:GetItem, dax:Query, dax:BatchWriteItem, ...) on the cluster's ARN
 * (arn:aws:dax:<region>:<account>:cache/<cluster name>), never on the table: DAX reads and writes
 * tables with the cluster's own permissions, so `dynamodb:` statements do not open a cluster. DAX
 * has no TransactWriteItems or TransactGetItems actions: a transaction is checked item by item
 * with the item's action (dax:PutItem, dax:ConditionCheckItem, ...) and the condition key
 * dax:EnclosingOperation naming the transaction. DAX has no other condition keys (no LeadingKeys).
 * A cluster serves its own account's keys only: DAX has no resource-based policies to admit others.
 * The one policy evaluator (src/security/authorize.ts) decides.
 */
import type { AuthenticatedCaller } from '../http/auth.js'
import { authorizeAction, authorizeOwnAccount, transactionActions, type ConditionContext } from './authorize.js'

const transactions = new Set(['TransactWriteItems', 'TransactGetItems'])

/**
 * Throws AccessDeniedException unless the caller may run `operation` on the cluster: a key of
 * another account never may (DAX has no resource-based policies), a key of the cluster's account
 * without policies always may, any other needs its policies to allow every check.
 */
export function authorizeDax(caller: AuthenticatedCaller, operation: string, input: Record<string, any>, clusterArn: string): void {
  const clusterAccount = clusterArn.split(':')[4]!
  for (const { action, context } of checksOf(operation, input)) {
    authorizeOwnAccount(caller, action, clusterArn, clusterAccount)
    authorizeAction(caller, action, clusterArn, context)
  }
}

function checksOf(operation: string, input: Record<string, any>): { action: string; context?: ConditionContext }[] {
  if (!transactions.has(operation)) return [{ action: `dax:${operation}` }]
  const context: ConditionContext = (key) => key === 'dax:enclosingoperation' ? [operation] : undefined
  return (input.TransactItems as Record<string, unknown>[]).map((item) => {
    const kind = Object.keys(item)[0]!
    return { action: `dax:${transactionActions[kind] ?? kind}`, context }
  })
}

/** The ARN of a DAX cluster: the resource of every dax: data-plane check. */
export function daxClusterArn(region: string, accountId: string, clusterName: string): string {
  return `arn:aws:dax:${region}:${accountId}:cache/${clusterName}`
}

/** The cluster of a node started without an ARN (`eddydb dax`, tests): the default account's, in us-east-1. */
export function defaultClusterArn(clusterName = 'local'): string {
  return daxClusterArn('us-east-1', '000000000000', clusterName)
}
