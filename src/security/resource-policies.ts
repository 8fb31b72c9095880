/**
 * Resource-based policies of tables (PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy).
 * A policy is stored in the region's state store under the table's TableId, so a table deleted and
 * created again under the same name starts without one, as on AWS. Streams share their table's
 * policy here (AWS gives a stream a policy of its own). Parsed policies are cached per storage;
 * several servers sharing one PostgreSQL database see another's change after a restart.
 */
import type { OperationHandler, RegionContext } from '../api/context.js'
import { PolicyNotFoundException, ValidationException } from '../errors.js'
import { ConfigError } from '../startup-error.js'
import type { StorageEngine } from '../storage/engine.js'
import { checkResourceArn, requireTableByArn } from '../tables/resource-arn.js'
import { parsePolicy, type Policy } from './policy.js'
import { canonicalPolicyDocument } from './policy-document.js'

const stateNamespace = 'resource-policies'

interface StoredPolicy {
  document: string
  revisionId: string
}

interface LoadedPolicy extends StoredPolicy {
  policy: Policy
}

const caches = new WeakMap<StorageEngine, Map<string, LoadedPolicy | null>>()

function cacheOf(storage: StorageEngine): Map<string, LoadedPolicy | null> {
  let cache = caches.get(storage)
  if (!cache) caches.set(storage, cache = new Map())
  return cache
}

/** The policy of the table a resource ARN belongs to (its indexes and streams included), if any. */
export async function resourcePolicyOf(region: RegionContext, resourceArn: string): Promise<LoadedPolicy | undefined> {
  const tableArn = /^(arn:[^:]*:dynamodb:[^:]*:[^:]*:table\/[^/]+)/.exec(resourceArn)?.[1]
  if (tableArn === undefined) return undefined
  const tableId = region.catalog.recordByArn(tableArn)?.description.TableId
  if (tableId === undefined) return undefined
  const cache = cacheOf(region.storage)
  const cached = cache.get(tableId)
  if (cached !== undefined) return cached ?? undefined
  const stored = await region.storage.read((view) => view.getState(stateNamespace, tableId))
  const loaded = stored === undefined ? null : load(JSON.parse(stored) as StoredPolicy)
  cache.set(tableId, loaded)
  return loaded ?? undefined
}

function load(stored: StoredPolicy): LoadedPolicy {
  return { ...stored, policy: parsePolicy(JSON.parse(stored.document), 'Policy', true) }
}

function checkedArn(ctx: RegionContext, input: Record<string, unknown>): string {
  if (typeof input.ResourceArn !== 'string' || input.ResourceArn === '') {
    throw new ValidationException("1 validation error detected: Value null at 'resourceArn' failed to satisfy constraint: Member must not be null")
  }
  return checkResourceArn(input.ResourceArn, ctx.region, ctx.accountId, 'policy')
}

export const putResourcePolicy: OperationHandler<Record<string, unknown>> = async (ctx, input) => {
  const arn = checkedArn(ctx, input)
  if (typeof input.Policy !== 'string' || input.Policy === '') {
    throw new ValidationException("1 validation error detected: Value null at 'policy' failed to satisfy constraint: Member must not be null")
  }
  const document = canonicalPolicyDocument(input.Policy)
  // The revision is the time of the change in epoch milliseconds, as DynamoDB's is.
  let policy: LoadedPolicy
  try {
    policy = load({ document, revisionId: String(Date.now()) })
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    throw new ValidationException(`One or more parameter values were invalid: Invalid policy document: ${error.message}`)
  }
  const record = requireTableByArn(ctx.catalog, arn.replace(/\/stream\/.*$/, ''), 'table')
  const tableId = record.description.TableId
  const kept = await ctx.storage.transact(async (tx) => {
    const current = await tx.getState(stateNamespace, tableId)
    checkRevision(current, input.ExpectedRevisionId, arn)
    const stored = current === undefined ? undefined : JSON.parse(current) as StoredPolicy
    // The same policy again changes nothing, its revision included.
    if (stored?.document === document) return stored.revisionId
    await tx.putState(stateNamespace, tableId, JSON.stringify({ document, revisionId: policy.revisionId }))
    return undefined
  })
  if (kept !== undefined) return { RevisionId: kept }
  cacheOf(ctx.storage).set(tableId, policy)
  return { RevisionId: policy.revisionId }
}

export const getResourcePolicy: OperationHandler<Record<string, unknown>> = async (ctx, input) => {
  const arn = checkedArn(ctx, input)
  requireTableByArn(ctx.catalog, arn.replace(/\/stream\/.*$/, ''), 'table')
  const policy = await resourcePolicyOf(ctx, arn)
  if (!policy) throw notFound(arn)
  return { Policy: policy.document, RevisionId: policy.revisionId }
}

export const deleteResourcePolicy: OperationHandler<Record<string, unknown>> = async (ctx, input) => {
  const arn = checkedArn(ctx, input)
  const record = requireTableByArn(ctx.catalog, arn.replace(/\/stream\/.*$/, ''), 'table')
  const tableId = record.description.TableId
  const revisionId = await ctx.storage.transact(async (tx) => {
    const current = await tx.getState(stateNamespace, tableId)
    checkRevision(current, input.ExpectedRevisionId, arn)
    // Nothing to delete is a success with an empty answer (DDB-TABLE-205 of an API-quirks lab).
    if (current === undefined) return undefined
    await tx.deleteState(stateNamespace, tableId)
    return (JSON.parse(current) as StoredPolicy).revisionId
  })
  cacheOf(ctx.storage).set(tableId, null)
  return revisionId === undefined ? {} : { RevisionId: revisionId }
}

function checkRevision(current: string | undefined, expected: unknown, arn: string): void {
  if (expected === undefined) return
  const revision = current === undefined ? undefined : (JSON.parse(current) as StoredPolicy).revisionId
  if (revision !== expected) {
    throw new PolicyNotFoundException(`Resource-based policy not found for the provided ResourceArn: Requested update for policy with revision id ${String(expected)}, but the policy associated to target table ${arn} has revision id ${revision ?? 'NO_POLICY'}.`)
  }
}

function notFound(arn: string): PolicyNotFoundException {
  return new PolicyNotFoundException(`Resource-based policy not found for the provided ResourceArn: ${arn}`)
}
