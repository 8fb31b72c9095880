/**
 * IAM-lite: whether a verified caller's identity policies allow a request. A request is one or
 * more checks (an action on a resource ARN, with the DynamoDB condition keys read from the
 * request); each check needs a matching Allow and no matching Deny, and an explicit Deny wins.
 * Transactions are checked per item with the item's own action (PutItem, UpdateItem, ...), as
 * DynamoDB does; batches per table. Callers without policies may do anything in their account
 * that no resource-based policy denies them. A table's resource-based policy
 * (src/security/resource-policies.ts) can allow what the identity policies do not, and deny.
 */
import type { RegionContext } from '../api/context.js'
import type { TableRecord } from '../tables/record.js'
import type { KeyNames } from '../tables/schema.js'
import { AccessDeniedException } from '../errors.js'
import { requestExpressions } from '../items/request-expressions.js'
import { topLevelAttributes } from '../expressions/document-path.js'
import type { DocumentPath } from '../expressions/ast.js'
import { conditionPaths, updatePlanAllPaths } from '../expressions/index.js'
import type { AttributeValue } from '../values/types.js'
import type { AuthenticatedCaller } from '../http/auth.js'
import type { Condition, Pattern, Policy, Statement } from './policy.js'
import { pattern } from './policy.js'
import { conditionHolds } from './policy-conditions.js'
import { principalArn, substituteVariables, withGlobalKeys, type ConditionContext } from './global-condition-keys.js'
import { signingServiceOf } from './signing-services.js'
import { requestedPolicy, resourcePolicyOf } from './resource-policies.js'
import { arnPartition } from '../region-names.js'
import { tableArn as tableArnOf } from '../tables/describe.js'
import { kinesisRequestResource } from '../kinesis/request-resource.js'
import { isDirectoryBucketName } from '../s3/buckets.js'
import { isOperator } from './operator.js'
import { partiqlStatementsOf } from '../partiql/batch.js'
import { keyReadPartitions } from '../partiql/key-reads.js'
import type { Statement as PartiqlStatement, UpdateValue as PartiqlUpdateValue } from '../partiql/ast.js'
import { statementPaths } from '../partiql/keys.js'

/** One action on one resource, with the values of the condition keys (lower-case names). */
interface Check {
  action: string
  resource: string
  context: ConditionContext
}

export type { ConditionContext }

/** Throws AccessDeniedException unless the caller's policies allow every check of the request. */
export async function authorize(caller: AuthenticatedCaller, target: string, input: Record<string, any>, region: RegionContext): Promise<void> {
  if (!caller.verified) return
  const service = signingServiceOf(target)
  const action = target.slice(target.indexOf('.') + 1)
  const user = principalArn(caller)
  for (const requestCheck of checksOf(service, action, input, region)) {
    const check = withResourceTags(withCallerKeys(requestCheck, caller), region)
    const resourcePolicy = check.resource === '*' ? undefined : await resourcePolicyOf(region, check.resource)
    const verdict = combined(caller, check, resourcePolicy?.policy, user)
    if (verdict === 'Allow') continue
    throw accessDenied(caller, check.action, check.resource, verdict === 'NoMatch' ? undefined : verdict)
  }
  if (service === 'dynamodb' && action === 'PutResourcePolicy' && input.ConfirmRemoveSelfResourceAccess !== true) {
    checkNoSelfLockout(caller, input, region, user)
  }
  if (service === 'dynamodb') checkDirectoryBuckets(caller, action, input, region)
}

/**
 * A `file://` bucket (EddyDB's local-directory extension, src/s3/buckets.ts) is read or written
 * by the server's own process: any file it may read, any directory it may write. Only the
 * operator may name one, as only the operator may call EddyDB's own routes (guarded-route.ts);
 * every other key is refused whatever its policies allow.
 */
function checkDirectoryBuckets(caller: AuthenticatedCaller, action: string, input: Record<string, any>, region: RegionContext): void {
  const buckets = [input.S3Bucket, input.S3BucketSource?.S3Bucket, input.InputS3Configuration?.S3Bucket, input.OutputS3Configuration?.S3Bucket]
  if (!buckets.some((bucket) => typeof bucket === 'string' && isDirectoryBucketName(bucket))) return
  if (isOperator(caller, region.config.accountId)) return
  throw new AccessDeniedException(`${userArn(caller)} is not authorized to perform: dynamodb:${action} with a file:// bucket: ` +
    `it reads and writes the server's own files, which needs a key of account ${region.config.accountId} without policies`)
}

/** The caller's identity policies and a resource's policy together: allowed by one, denied by neither. */
function combined(caller: AuthenticatedCaller, check: Check, resourcePolicy: Policy | undefined, user: string): 'Allow' | 'identity' | 'resource' | 'NoMatch' {
  const identity = caller.policies ? evaluate(caller.policies, check) : 'Allow'
  const resource = resourcePolicy ? evaluate([resourcePolicy], check, callerPrincipals(user, caller.accountId, caller.region)) : 'NoMatch'
  if (identity === 'Deny') return 'identity'
  if (resource === 'Deny') return 'resource'
  return identity === 'Allow' || resource === 'Allow' ? 'Allow' : 'NoMatch'
}

/**
 * A policy that would keep the caller from changing it again is refused unless the request says
 * it means to (ConfirmRemoveSelfResourceAccess), as DynamoDB refuses it (DDB-TABLE-210 of an
 * API-quirks lab, against AWS, 2026-10): otherwise the key could never undo it.
 */
function checkNoSelfLockout(caller: AuthenticatedCaller, input: Record<string, any>, region: RegionContext, user: string): void {
  const next = requestedPolicy(input, region.region)
  if (!next) return
  const check = withCallerKeys({ action: 'dynamodb:PutResourcePolicy', resource: resourceOf(input, region), context: () => undefined }, caller)
  if (combined(caller, check, next, user) !== 'Allow') {
    throw new AccessDeniedException('The new resource policy will not allow you to update the resource policy in the future.')
  }
}

/** DynamoDB's AccessDeniedException; `deniedBy` names the policy kind of an explicit deny. */
function accessDenied(caller: AuthenticatedCaller, action: string, resource: string, deniedBy?: 'identity' | 'resource'): AccessDeniedException {
  const denial = deniedBy === undefined ? `because no identity-based policy allows the ${action} action`
    : `with an explicit deny in ${deniedBy === 'identity' ? 'an identity-based' : 'a resource-based'} policy`
  return new AccessDeniedException(`${userArn(caller)} is not authorized to perform: ${action} on resource: ${resource} ${denial}`)
}

function userArn(caller: AuthenticatedCaller): string {
  return `User: ${principalArn(caller)}`
}

/** A check with the global condition keys (aws:PrincipalAccount, aws:SourceIp, ...) of its caller beside its own. */
function withCallerKeys(check: Check, caller: AuthenticatedCaller): Check {
  return { ...check, context: withGlobalKeys(check.context, caller, check.resource) }
}

const resourceTagKey = 'aws:resourcetag/'

/**
 * aws:ResourceTag/<key>: a tag of the table the resource is or is under (its indexes, stream,
 * backups, exports), for tag-based (ABAC) statements; absent when the table has no such tag, as
 * in IAM. Condition key names are matched without case, so the tag key is too.
 */
function withResourceTags(check: Check, region: RegionContext): Check {
  return {
    ...check,
    context: (key) => {
      const value = check.context(key)
      if (value !== undefined || !key.startsWith(resourceTagKey)) return value
      const tag = tableRecordOf(check.resource, region)?.tags
        .find((each) => each.Key.toLowerCase() === key.slice(resourceTagKey.length))
      return tag === undefined ? undefined : [tag.Value]
    },
  }
}

/** The table of this region and account an ARN names or lies under, if it exists. */
function tableRecordOf(resource: string, region: RegionContext): TableRecord | undefined {
  const prefix = tableArn('', region)
  if (!resource.startsWith(prefix)) return undefined
  const name = resource.slice(prefix.length).split('/')[0]!
  return region.catalog.record(name)
}

/**
 * For surfaces that check one action on one resource with their own condition keys (the Lambda
 * mapping routes, the DAX data plane): the key's identity policies must allow `action` on `resource`.
 */
export function authorizeAction(caller: AuthenticatedCaller, action: string, resource = '*', context: ConditionContext = () => undefined): void {
  if (!caller.policies) return
  const verdict = evaluate(caller.policies, withCallerKeys({ action, resource, context }, caller))
  if (verdict !== 'Allow') throw accessDenied(caller, action, resource, verdict === 'Deny' ? 'identity' : undefined)
}

/** Whether the key's identity policies allow `action` on `resource`; a key without policies may do anything. */
export function isActionAllowed(caller: AuthenticatedCaller, action: string, resource: string, context: ConditionContext = () => undefined): boolean {
  return !caller.policies || evaluate(caller.policies, withCallerKeys({ action, resource, context }, caller)) === 'Allow'
}

/**
 * A caller of another account than the resource's is let in only by a resource-based policy; on
 * surfaces that have none (the DAX data plane), never.
 */
export function authorizeOwnAccount(caller: AuthenticatedCaller, action: string, resource: string, resourceAccount: string): void {
  if (!caller.verified || caller.accountId === resourceAccount) return
  throw new AccessDeniedException(`${userArn(caller)} is not authorized to perform: ${action} on resource: ${resource} ` +
    `because no resource-based policy allows the ${action} action`)
}

/** Who a caller is, for a resource-based policy's Principal: its account (by id or root ARN) and its user. */
interface CallerPrincipals {
  account: string[]
  user: string
}

function callerPrincipals(user: string, accountId: string, region: string): CallerPrincipals {
  return { account: [accountId, `arn:${arnPartition(region)}:iam::${accountId}:root`], user }
}

function evaluate(policies: Policy[], check: Check, caller?: CallerPrincipals): 'Allow' | 'Deny' | 'NoMatch' {
  let allowed = false
  for (const policy of policies) {
    for (const statement of policy.statements) {
      if (statement.principals && !namesCaller(statement, caller)) continue
      if (!matches(statement, check)) continue
      if (statement.effect === 'Deny') return 'Deny'
      allowed = true
    }
  }
  return allowed ? 'Allow' : 'NoMatch'
}

/**
 * Whether a resource-based statement is about the caller. A Principal names it by its account or
 * its user. A NotPrincipal leaves it out only when it names both, as IAM checks the account and
 * then the user ("you must also specify the account ARN of the not-denied principal", IAM User
 * Guide, NotPrincipal).
 */
function namesCaller(statement: Statement, caller: CallerPrincipals | undefined): boolean {
  if (caller === undefined) return false
  const listed = (principal: string) => statement.principals!.includes(principal)
  if (listed('*')) return statement.principalsExcepted !== true
  const account = caller.account.some(listed)
  const user = listed(caller.user)
  return statement.principalsExcepted === true ? !(account && user) : account || user
}

function matches(statement: Statement, check: Check): boolean {
  return statement.actions.some((each) => each.regex.test(check.action)) !== statement.actionsExcepted &&
    statement.resources.some((each) => patternMatches(each, check.resource, check.context)) !== statement.resourcesExcepted &&
    statement.conditions.every((condition) => conditionHolds(condition.operator, substitutedValues(condition, check.context), check.context(condition.key)))
}

/** A pattern against a value; a pattern with policy variables is made for this request first. */
function patternMatches(each: Pattern, value: string, context: ConditionContext): boolean {
  if (!each.variables) return each.regex.test(value)
  const source = substituteVariables(each.source, context)
  return source !== undefined && pattern(source, false).regex.test(value)
}

/** A condition's values, its policy variables substituted; a value whose variable has no value matches nothing. */
function substitutedValues(condition: Condition, context: ConditionContext): string[] {
  if (!condition.variables) return condition.values
  return condition.values.map((value) => substituteVariables(value, context)).filter((value) => value !== undefined)
}

/** The checks a request makes: one, or one per transaction item or batch table. */
function checksOf(service: string, action: string, input: Record<string, any>, region: RegionContext): Check[] {
  const qualified = (name: string) => `${service}:${name}`
  if (service !== 'dynamodb') {
    const resource = service === 'kinesis' ? kinesisRequestResource(input, region) : resourceOf(input, region)
    return [{ action: qualified(action), resource, context: () => undefined }]
  }
  if (action === 'TransactWriteItems' || action === 'TransactGetItems') {
    return (input.TransactItems as Record<string, any>[]).map((item) => {
      const [kind, request] = Object.entries(item)[0] as [string, Record<string, any>]
      const itemAction = transactionActions[kind] ?? kind
      return {
        action: qualified(itemAction), resource: tableArn(request.TableName, region),
        context: enclosedBy(action, contextOf(itemAction, { ReturnConsumedCapacity: input.ReturnConsumedCapacity, ...request }, region)),
      }
    })
  }
  if (action === 'ExecuteStatement' || action === 'BatchExecuteStatement' || action === 'ExecuteTransaction') {
    return partiqlStatementsOf(action, input).map((statement) => {
      const check = partiqlCheck(statement, region, input.ReturnConsumedCapacity)
      return action === 'ExecuteTransaction' ? { ...check, context: enclosedBy(action, check.context) } : check
    })
  }
  if (action === 'BatchGetItem' || action === 'BatchWriteItem') {
    return Object.entries(input.RequestItems as Record<string, any>).map(([table, request]) => ({
      action: qualified(action), resource: tableArn(table, region), context: batchContext(action, table, request, region, input.ReturnConsumedCapacity),
    }))
  }
  const resource = action === 'ListTables' ? everyTableArn(region) : resourceOf(input, region)
  const check: Check = { action: qualified(action), resource, context: contextOf(action, input, region) }
  if ((action === 'RestoreTableFromBackup' || action === 'RestoreTableToPointInTime') && typeof input.TargetTableName === 'string') {
    // "DynamoDB read and write permissions on the target table are necessary" (the guide's
    // backup and restore IAM page), besides the restore's own on its source.
    const target = tableArn(input.TargetTableName, region)
    return [check, ...restoreTargetActions.map((each) => ({ action: qualified(each), resource: target, context: () => undefined }))]
  }
  return [check]
}

/** What a restore needs on the table it creates, in the guide's example policy's words. */
const restoreTargetActions = ['BatchWriteItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'Scan', 'UpdateItem']

/** dynamodb:EnclosingOperation: the transaction a check is part of ("IAM security policies with PartiQL"). */
function enclosedBy(operation: string, context: ConditionContext): ConditionContext {
  return (key) => key === 'dynamodb:enclosingoperation' ? [operation] : context(key)
}

/** The action of each kind of transaction item: DynamoDB's and DAX's names are the same. */
export const transactionActions: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem', Get: 'GetItem' }

/**
 * A PartiQL statement is checked as IAM checks it: `dynamodb:PartiQLSelect` (an `EXISTS` check of a
 * transaction too), `PartiQLInsert`, `PartiQLUpdate` or `PartiQLDelete` on the table or index it
 * names, with the leading key its WHERE clause (or its item) fixes, and `dynamodb:FullTableScan`
 * for a SELECT that fixes none ("IAM security policies with PartiQL for DynamoDB"). There is no
 * `dynamodb:ExecuteStatement` action.
 */
function partiqlCheck(statement: PartiqlStatement, region: RegionContext, returnConsumedCapacity: unknown): Check {
  const target = statement.kind === 'exists' ? statement.select : statement
  const table = tableArn(target.table, region)
  const index = 'index' in target ? target.index : undefined
  const resource = index !== undefined ? `${table}/index/${index}` : table
  const leading = partiqlLeadingKeys(target, region)
  const action = `dynamodb:${partiqlActions[target.kind]}`
  return {
    action,
    resource,
    context: (key) => {
      switch (key) {
        case 'dynamodb:leadingkeys': return leading
        case 'dynamodb:fulltablescan': return target.kind === 'select' ? [String(leading === undefined)] : undefined
        case 'dynamodb:returnconsumedcapacity': return typeof returnConsumedCapacity === 'string' ? [returnConsumedCapacity] : undefined
        case 'dynamodb:attributes': return partiqlAttributes(target)
        // As a Query's: a projection is SPECIFIC_ATTRIBUTES, `*` the whole item (of the index, if named).
        case 'dynamodb:select': return target.kind !== 'select' ? undefined
          : [target.projection ? 'SPECIFIC_ATTRIBUTES' : index !== undefined ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES']
        case 'dynamodb:returnvalues': return 'returning' in target && target.returning !== undefined ? [target.returning] : undefined
        default: return undefined
      }
    },
  }
}

/**
 * The top-level attributes a statement reads, writes or evaluates (dynamodb:Attributes, as for
 * the item operations): the projection, the WHERE clause, the SET/REMOVE targets and the paths
 * their values read, an INSERTed item's names. A `SELECT *` names none: dynamodb:Select says it.
 */
function partiqlAttributes(statement: Exclude<PartiqlStatement, { kind: 'exists' }>): string[] | undefined {
  const paths: Array<Array<string | number>> = []
  if (statement.kind === 'insert') return 'M' in statement.item ? Object.keys(statement.item.M) : undefined
  if (statement.where) paths.push(...statementPaths(statement.where))
  if (statement.kind === 'select') for (const path of statement.projection ?? []) paths.push(path.steps)
  if (statement.kind === 'update') {
    for (const action of statement.actions) {
      paths.push(action.path.steps)
      if (action.kind === 'SET') paths.push(...updateValuePaths(action.value))
    }
  }
  const names = topLevelAttributes(paths)
  return names.length === 0 ? undefined : names
}

function updateValuePaths(value: PartiqlUpdateValue): Array<Array<string | number>> {
  if (value.kind === 'arithmetic' || value.kind === 'list_append') return [...updateValuePaths(value.left), ...updateValuePaths(value.right)]
  return value.kind === 'path' ? [value.steps] : value.kind === 'size' ? [value.path.steps] : []
}

const partiqlActions = { select: 'PartiQLSelect', insert: 'PartiQLInsert', update: 'PartiQLUpdate', delete: 'PartiQLDelete' } as const

/**
 * The partition key values a statement fixes: its item's, or those its WHERE reads the table by
 * (an equality, an IN, or an OR of those: each partition it reads, as the SELECT planner finds
 * them); undefined when it reads an index or fixes none (a full table scan).
 */
function partiqlLeadingKeys(statement: Exclude<PartiqlStatement, { kind: 'exists' }>, region: RegionContext): string[] | undefined {
  const keys = keyNamesOf(statement.table, region)
  if (keys === undefined) return undefined
  const { partitionKey } = keys
  if (statement.kind === 'insert') {
    const value = 'M' in statement.item ? statement.item.M[partitionKey] : undefined
    return value === undefined ? undefined : [keyString(value)]
  }
  if ('index' in statement && statement.index !== undefined) return undefined
  return keyReadPartitions(statement.where, keys, false)?.map(keyString)
}

/** The ARN a request acts on: its table (or index), stream, backup, export, import, bulk operation or resource, or '*' for none. */
function resourceOf(input: Record<string, any>, region: RegionContext): string {
  if (typeof input.TableName === 'string') {
    const table = tableArn(input.TableName, region)
    return typeof input.IndexName === 'string' ? `${table}/index/${input.IndexName}` : table
  }
  for (const member of ['ResourceArn', 'StreamArn', 'BackupArn', 'SourceTableArn', 'TableArn', 'ExportArn', 'ImportArn', 'BulkOperationArn']) {
    if (typeof input[member] === 'string') return input[member]
  }
  // A point-in-time restore named by its source's name, and an import by the table it creates.
  if (typeof input.SourceTableName === 'string') return tableArn(input.SourceTableName, region)
  if (typeof input.TableCreationParameters?.TableName === 'string') return tableArn(input.TableCreationParameters.TableName, region)
  // A shard iterator starts with its stream's ARN ('<StreamArn>|1|<opaque>', src/streams/iterator.ts).
  if (typeof input.ShardIterator === 'string') return input.ShardIterator.split('|')[0]!
  return '*'
}

/**
 * ListTables acts on every table of the region: AWS's denials name `…:table/*` (CloudTrail
 * records and CLI answers), and a policy on that ARN allows it.
 */
function everyTableArn(region: RegionContext): string {
  return tableArn('*', region)
}

function tableArn(name: string, region: RegionContext): string {
  return name.startsWith('arn:') ? name : tableArnOf(region.region, region.accountId, name)
}

/** The condition keys of a single-item or single-table request, computed when a policy asks. */
function contextOf(action: string, input: Record<string, any>, region: RegionContext): ConditionContext {
  return (key) => {
    switch (key) {
      case 'dynamodb:select': return selectOf(action, input)
      case 'dynamodb:returnvalues': return typeof input.ReturnValues === 'string' ? [input.ReturnValues] : undefined
      case 'dynamodb:returnconsumedcapacity': return typeof input.ReturnConsumedCapacity === 'string' ? [input.ReturnConsumedCapacity] : undefined
      case 'dynamodb:leadingkeys': return leadingKeys(action, input, region)
      case 'dynamodb:attributes': return attributesOf(input)
      default: return undefined
    }
  }
}

const readActions = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan'])

/**
 * dynamodb:Select of a read: "always has a value (ALL_ATTRIBUTES, unless otherwise specified)"
 * (the guide's fine-grained access control), so that a policy requiring SPECIFIC_ATTRIBUTES
 * refuses a read that would return whole items. A projection makes it SPECIFIC_ATTRIBUTES; a
 * Query or Scan of an index defaults to ALL_PROJECTED_ATTRIBUTES, as DynamoDB answers it.
 */
function selectOf(action: string, input: Record<string, any>): string[] | undefined {
  if (typeof input.Select === 'string') return [input.Select]
  if (!readActions.has(action)) return undefined
  if (input.ProjectionExpression !== undefined || input.AttributesToGet !== undefined) return ['SPECIFIC_ATTRIBUTES']
  return [typeof input.IndexName === 'string' ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES']
}

function batchContext(action: string, table: string, request: Record<string, any>, region: RegionContext, returnConsumedCapacity: unknown): ConditionContext {
  const tableRequest = { ...request, TableName: table, ReturnConsumedCapacity: returnConsumedCapacity }
  const entries: Record<string, any>[] = action === 'BatchGetItem'
    ? (request.Keys as Record<string, any>[]).map((key) => ({ ...tableRequest, Keys: undefined, Key: key }))
    : (request as Record<string, any>[]).map((write) => ({ TableName: table, Key: write.DeleteRequest?.Key, Item: write.PutRequest?.Item }))
  return (key) => {
    if (key !== 'dynamodb:leadingkeys' && key !== 'dynamodb:attributes') return contextOf(action, tableRequest, region)(key)
    const values = entries.flatMap((entry) => contextOf(action, entry, region)(key) ?? [])
    return values.length === 0 ? undefined : [...new Set(values)]
  }
}

/** The partition key values the request touches, as strings; undefined when it names none (a Scan). */
function leadingKeys(action: string, input: Record<string, any>, region: RegionContext): string[] | undefined {
  const partitionKey = keyNamesOf(String(input.TableName ?? ''), region)?.partitionKey
  if (partitionKey === undefined) return undefined
  const key = input.Key ?? input.Item
  if (key?.[partitionKey] !== undefined) return [keyString(key[partitionKey])]
  if (action === 'Query' && input.IndexName === undefined) {
    const condition = requestExpressions(input).keyCondition?.conditions
      .find((each) => each.attribute === partitionKey && each.condition.op === 'EQ')?.condition
    return condition && 'value' in condition ? [keyString(condition.value)] : undefined
  }
  return undefined
}

/** The key attributes of a table named by name or ARN, if the table is known. */
function keyNamesOf(table: string, region: RegionContext): KeyNames | undefined {
  return region.catalog.get(table.replace(/^arn:.*:table\//, ''))?.key
}

function keyString(value: AttributeValue): string {
  const [type, scalar] = Object.entries(value)[0] ?? []
  return type === 'S' || type === 'N' || type === 'B' ? String(scalar) : JSON.stringify(value)
}

/**
 * Top-level attribute names the request reads, writes or evaluates: its key and item, the
 * projection, the update (both sides: `SET a = c` reads c), the condition, the filter and the key
 * condition, legacy forms included. The guide: listed attributes "can be read, written, or
 * evaluated in a conditional write or scan filter", and no other.
 */
function attributesOf(input: Record<string, any>): string[] | undefined {
  const names = new Set<string>()
  for (const name of Object.keys(input.Key ?? {})) names.add(name)
  for (const name of Object.keys(input.Item ?? {})) names.add(name)
  const expressions = requestExpressions(input, input.QueryFilter ? 'QueryFilter' : input.ScanFilter ? 'ScanFilter' : undefined)
  const paths: DocumentPath[] = []
  if (expressions.projection) paths.push(...expressions.projection.paths)
  if (expressions.update) updatePlanAllPaths(expressions.update, paths)
  if (expressions.condition) conditionPaths(expressions.condition, paths)
  if (expressions.filter) conditionPaths(expressions.filter, paths)
  for (const name of topLevelAttributes(paths)) names.add(name)
  for (const condition of expressions.keyCondition?.conditions ?? []) names.add(condition.attribute)
  return names.size === 0 ? undefined : [...names]
}
