/**
 * Resource-based policies of tables (PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy).
 * A policy is stored in the region's state store under the table's TableId, so a table deleted and
 * created again under the same name starts without one, as on AWS. Streams share their table's
 * policy here (AWS gives a stream a policy of its own). Parsed policies are cached per storage;
 * several servers sharing one PostgreSQL database see another's change after a restart.
 */
import type { OperationHandler, RegionContext } from '../api/context.js'
import { PolicyNotFoundException, ResourceNotFoundException, ValidationException } from '../errors.js'
import { ConfigError } from '../startup-error.js'
import type { StorageEngine } from '../storage/engine.js'
import type { TableRecord } from '../tables/record.js'
import { checkResourceArn, requireTableByArn } from '../tables/resource-arn.js'
import { parsePolicy, type Policy } from './policy.js'
import { canonicalPolicyDocument } from './policy-document.js'
import { arnPartition } from '../region-names.js'

const stateNamespace = 'resource-policies'

interface StoredPolicy {
  document: string
  revisionId: string
  /**
   * Whether the policy was sent without a Version (the document then says 2008-10-17): DynamoDB
   * takes that and an explicit 2008-10-17 as different policies (DDB-TABLE-354). Absent in
   * policies stored before it was kept.
   */
  versionOmitted?: boolean
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
  return { ...stored, policy: parsedDocument(stored.document) }
}

function parsedDocument(document: string): Policy {
  return parsePolicy(JSON.parse(document), 'Policy', true)
}

/** The policy a PutResourcePolicy request would attach, or undefined when it is not a valid one (the operation says why). */
export function requestedPolicy(input: Record<string, unknown>, region: string): Policy | undefined {
  if (typeof input.Policy !== 'string' || input.Policy === '') return undefined
  try {
    return parsedDocument(canonicalPolicyDocument(input.Policy, arnPartition(region)))
  } catch {
    return undefined
  }
}

function checkedArn(ctx: RegionContext, input: Record<string, unknown>): string {
  if (typeof input.ResourceArn !== 'string' || input.ResourceArn === '') {
    throw new ValidationException("1 validation error detected: Value null at 'resourceArn' failed to satisfy constraint: Member must not be null")
  }
  return checkResourceArn(input.ResourceArn, ctx.region, ctx.accountId, 'policy')
}

export const putResourcePolicy: OperationHandler<Record<string, unknown>> = async (ctx, input) => {
  checkRevisionShape(input.ExpectedRevisionId)
  const arn = checkedArn(ctx, input)
  if (typeof input.Policy !== 'string') {
    throw new ValidationException("1 validation error detected: Value null at 'policy' failed to satisfy constraint: Member must not be null")
  }
  const document = canonicalPolicyDocument(input.Policy, arnPartition(ctx.region))
  let parsed: Policy
  try {
    parsed = parsedDocument(document)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    throw new ValidationException(`One or more parameter values were invalid: Invalid policy document: ${error.message}`)
  }
  const record = requirePolicyTarget(ctx, arn)
  const tableId = record.description.TableId
  const versionOmitted = (JSON.parse(input.Policy) as { Version?: unknown }).Version === undefined
  const { revisionId, changed } = await ctx.storage.transact(async (tx) => {
    const current = await tx.getState(stateNamespace, tableId)
    checkRevision(current, input.ExpectedRevisionId, record.description.TableName)
    const stored = current === undefined ? undefined : JSON.parse(current) as StoredPolicy
    // The same policy again changes nothing, its revision included.
    if (stored?.document === document && (stored.versionOmitted ?? versionOmitted) === versionOmitted) {
      return { revisionId: stored.revisionId, changed: false }
    }
    const next = nextRevision(stored?.revisionId)
    await tx.putState(stateNamespace, tableId, JSON.stringify({ document, revisionId: next, versionOmitted }))
    return { revisionId: next, changed: true }
  })
  if (changed) cacheOf(ctx.storage).set(tableId, { document, revisionId, policy: parsed })
  return { RevisionId: revisionId }
}

/**
 * The revision is the time of the change in epoch milliseconds, as DynamoDB's is, and always
 * after the one it replaces: two changes in one millisecond must not share a revision, or a
 * conditional change (ExpectedRevisionId) could not tell them apart.
 */
function nextRevision(previous: string | undefined): string {
  const now = Date.now()
  const after = previous === undefined ? 0 : Number(previous) + 1
  return String(Number.isSafeInteger(after) && after > now ? after : now)
}

export const getResourcePolicy: OperationHandler<Record<string, unknown>> = async (ctx, input) => {
  const arn = checkedArn(ctx, input)
  requirePolicyTarget(ctx, arn)
  const policy = await resourcePolicyOf(ctx, arn)
  if (!policy) throw notFound(arn)
  return { Policy: policy.document, RevisionId: policy.revisionId }
}

export const deleteResourcePolicy: OperationHandler<Record<string, unknown>> = async (ctx, input) => {
  checkRevisionShape(input.ExpectedRevisionId)
  const arn = checkedArn(ctx, input)
  const record = requirePolicyTarget(ctx, arn)
  const tableId = record.description.TableId
  const revisionId = await ctx.storage.transact(async (tx) => {
    const current = await tx.getState(stateNamespace, tableId)
    checkRevision(current, input.ExpectedRevisionId, record.description.TableName)
    // Nothing to delete is a success with an empty answer (DDB-TABLE-205 of an API-quirks lab).
    if (current === undefined) return undefined
    await tx.deleteState(stateNamespace, tableId)
    return (JSON.parse(current) as StoredPolicy).revisionId
  })
  cacheOf(ctx.storage).set(tableId, null)
  return revisionId === undefined ? {} : { RevisionId: revisionId }
}

/** An ExpectedRevisionId must have 1 to 255 characters (PolicyRevisionId); an empty one is refused as DynamoDB refuses it (DDB-TABLE-457). */
function checkRevisionShape(revision: unknown): void {
  if (typeof revision !== 'string') return
  const constraint = revision.length < 1 ? 'Member must have length greater than or equal to 1'
    : revision.length > 255 ? 'Member must have length less than or equal to 255' : undefined
  if (constraint) {
    throw new ValidationException(`1 validation error detected: Value '${revision}' at 'expectedRevisionId' failed to satisfy constraint: ${constraint}`)
  }
}

/**
 * The table a policy ARN belongs to: the table's own, or one of its streams', whose label must be
 * the table's stream (DDB-TABLE-212 of an API-quirks lab, against AWS, 2026-10).
 */
function requirePolicyTarget(ctx: RegionContext, arn: string): TableRecord {
  const label = /\/stream\/(.*)$/.exec(arn)?.[1]
  const record = requireTableByArn(ctx.catalog, label === undefined ? arn : arn.slice(0, -`/stream/${label}`.length), 'table')
  if (label !== undefined && label !== record.description.LatestStreamLabel) {
    throw new ResourceNotFoundException(`Requested resource not found: Stream: ${label} not found for Table: ${record.description.TableName}`)
  }
  return record
}

/** The ExpectedRevisionId that says no policy may be attached yet (a conditional first put). */
const noPolicyRevision = 'NO_POLICY'

/**
 * A conditional change: the table's policy must have the expected revision, or, for NO_POLICY,
 * there must be none. The messages name the table, not the ARN (moto's tests verified against AWS).
 */
function checkRevision(current: string | undefined, expected: unknown, tableName: string): void {
  if (expected === undefined) return
  const revision = current === undefined ? undefined : (JSON.parse(current) as StoredPolicy).revisionId
  const notFoundPrefix = 'Resource-based policy not found for the provided ResourceArn: '
  if (expected === noPolicyRevision) {
    if (revision === undefined) return
    throw new PolicyNotFoundException(`${notFoundPrefix}Requested policy update expecting none to be present for table ${tableName}, but a policy exists with revision id ${revision}.`)
  }
  if (revision !== expected) {
    throw new PolicyNotFoundException(`${notFoundPrefix}Requested update for policy with revision id ${String(expected)}, but the policy associated to target table ${tableName} has revision id ${revision ?? noPolicyRevision}.`)
  }
}

function notFound(arn: string): PolicyNotFoundException {
  return new PolicyNotFoundException(`Resource-based policy not found for the provided ResourceArn: ${arn}`)
}
