/**
 * The DAX data plane's access check, as AWS DAX makes it: a request is the action `dax:<Operation>`
 * (dax:GetItem, dax:Query, dax:BatchWriteItem, ...) on the cluster's ARN
 * (arn:aws:dax:<region>:<account>:cache/<cluster name>), never on the table: DAX reads and writes
 * tables with the cluster's own permissions, so `dynamodb:` statements do not open a cluster. DAX
 * has no TransactWriteItems or TransactGetItems actions: a transaction is checked item by item
 * with the item's action (dax:PutItem, dax:ConditionCheckItem, ...) and the condition key
 * dax:EnclosingOperation naming the transaction. DAX has no other condition keys (no LeadingKeys).
 * A cluster serves its own account's keys only: DAX has no resource-based policies to admit others.
 * The wire protocol's metadata calls have no action of their own (authorizeDaxMetadata).
 * The one policy evaluator (src/security/authorize.ts) decides.
 */
import { AccessDeniedException } from '../errors.js'
import type { AuthenticatedCaller } from '../http/auth.js'
import { authorizeAction, authorizeOwnAccount, isActionAllowed, transactionActions, type ConditionContext } from './authorize.js'
import { arnPartition } from '../region-names.js'

const transactions = new Set(['TransactWriteItems', 'TransactGetItems'])

/** Every action of the DAX data plane (AWS's "read and write access to a DAX cluster" policy lists these). */
const dataActions = ['GetItem', 'BatchGetItem', 'Query', 'Scan', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'ConditionCheckItem']
  .map((operation) => `dax:${operation}`)
/** Where a data action can be asked for: outside transactions, and inside each kind. */
const enclosingContexts: ConditionContext[] = [() => undefined, ...[...transactions].map(enclosedIn)]

/**
 * Throws AccessDeniedException unless the caller may run `operation` on the cluster: a key of
 * another account never may (DAX has no resource-based policies), a key of the cluster's account
 * without policies always may, any other needs its policies to allow every check.
 */
export function authorizeDax(caller: AuthenticatedCaller, operation: string, input: Record<string, any>, clusterArn: string): void {
  // Neither check can refuse a caller that is unverified and has no policies (no --credentials),
  // and this runs on every cache hit.
  if (!caller.verified && !caller.policies) return
  const clusterAccount = accountOf(clusterArn)
  for (const { action, context } of checksOf(operation, input)) {
    authorizeOwnAccount(caller, action, clusterArn, clusterAccount)
    authorizeAction(caller, action, clusterArn, context)
  }
}

function checksOf(operation: string, input: Record<string, any>): { action: string; context?: ConditionContext }[] {
  if (!transactions.has(operation)) return [{ action: `dax:${operation}` }]
  const context = enclosedIn(operation)
  return (input.TransactItems as Record<string, unknown>[]).map((item) => {
    const kind = Object.keys(item)[0]!
    return { action: `dax:${transactionActions[kind] ?? kind}`, context }
  })
}

/** The condition keys of a transaction's items: dax:EnclosingOperation names the transaction. */
function enclosedIn(operation: string): ConditionContext {
  return (key) => key === 'dax:enclosingoperation' ? [operation] : undefined
}

/**
 * The metadata calls of the DAX wire protocol (endpoints, defineKeySchema, defineAttributeList,
 * defineAttributeListId) read no items and have no IAM action: AWS's policy for read and write
 * access to a cluster names only the data actions, and clients holding it discover the cluster
 * and learn key schemas, while a client that may do nothing on the cluster is refused already at
 * discovery ("Client does not have permission to invoke Endpoints"). So a key may make them when
 * it may make some data call on the cluster, in or out of a transaction. That the cluster itself
 * reads a table's key schema with DescribeTable is the cluster's business, not the caller's.
 * `call` is the call's name as AWS DAX spells it in that message (Endpoints, DefineKeySchema, ...).
 */
export function authorizeDaxMetadata(caller: AuthenticatedCaller, call: string, clusterArn: string): void {
  if (!caller.verified) return
  const mayUseCluster = caller.accountId === accountOf(clusterArn) && dataActions.some((action) =>
    enclosingContexts.some((context) => isActionAllowed(caller, action, clusterArn, context)))
  if (!mayUseCluster) throw new AccessDeniedException(`Client does not have permission to invoke ${call}`)
}

function accountOf(clusterArn: string): string {
  return clusterArn.split(':')[4]!
}

/** The ARN of a DAX cluster: the resource of every dax: data-plane check. */
export function daxClusterArn(region: string, accountId: string, clusterName: string): string {
  return `arn:${arnPartition(region)}:dax:${region}:${accountId}:cache/${clusterName}`
}

/** The cluster of a node started without an ARN (`eddydb dax`, tests): the default account's, in us-east-1. */
export function defaultClusterArn(clusterName = 'local'): string {
  return daxClusterArn('us-east-1', '000000000000', clusterName)
}
