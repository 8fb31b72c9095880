/**
 * Changing a replica group from one of its members: adding a region (its table is created there,
 * then filled by the new pair's initial copy and kept up by replication), removing one (its table
 * is deleted), changing a replica's overrides, and a member leaving by DeleteTable. The member
 * making the change publishes the new group to every other member.
 */
import type { RegionContext } from '../api/context.js'
import { ResourceNotFoundException, ValidationException } from '../errors.js'
import { RecordChangedMeanwhile, rerunWhileChanged } from '../tables/changed-meanwhile.js'
import { syncStreams } from '../streams/lifecycle.js'
import { enableStream } from '../tables/new-table.js'
import { billingModeOf, type TableRecord } from '../tables/record.js'
import type { ReplicaOverrides } from '../shapes/replica-updates.js'
import { checkNoBulkPutRunning } from '../bulk/bulk-operation-record.js'
import { copyThenFollow } from './checkpoints.js'
import type { GlobalTables } from './global-tables.js'
import { isStrong, memberRegions, type ReplicaEntry, type ReplicationRecord } from './replica-set.js'
import { PeerAnsweredError } from './peer-client.js'
import { replicaExistsMessage } from './replica-region.js'
import { checkNotRecentSource, recordSource } from './source-rule.js'
import { keyForEachReplicaMessage, replicaKeyArn, tableKeyArn } from './replica-keys.js'

/** DynamoDB's answer to a Delete or Update naming regions outside the group (an API-quirks lab, against AWS, 2026-10). */
export function notMembersMessage(regions: string[]): string {
  return 'Update global table operation failed because one or more replicas were not part of the global table. ' +
    `Please retry the request without these replicas: [${regions.join(', ')}].`
}

/** DynamoDB's refusal to delete a replica that has deletion protection on, by DeleteTable there or by a Delete from any member. */
export function protectedReplicaMessage(name: string, region: string): string {
  return `Cannot delete table ${name} in region ${region} because it has deletion protection enabled. Disable deletion protection first.`
}

/** Refuses to delete `region`'s replica while its deletion protection is on (it may be on a peer). */
async function checkNotProtected(globalTables: GlobalTables, name: string, region: string): Promise<void> {
  const replica = await globalTables.region(region).record(name)
  if (replica?.description.DeletionProtectionEnabled) throw new ValidationException(protectedReplicaMessage(name, region))
}

export function requireGlobalTables(ctx: RegionContext): GlobalTables {
  if (!ctx.globalTables) throw new ValidationException('Global tables are not available on this server')
  return ctx.globalTables
}

/** The group a table has, or a new one of just this region (its entry showing the table's KMS key, if it has one). */
export function groupOf(record: TableRecord, region: string): ReplicationRecord {
  if (record.replication) return structuredClone(record.replication)
  const key = tableKeyArn(record.description)
  return { version: '2019.11.21', replicas: [{ RegionName: region, ReplicaStatus: 'ACTIVE', ...(key ? { KMSMasterKeyId: key } : {}) }] }
}

export function replicaEntry(action: ReplicaOverrides, status: ReplicaEntry['ReplicaStatus']): ReplicaEntry {
  const entry: ReplicaEntry = { RegionName: action.RegionName, ReplicaStatus: status }
  applyReplicaOverrides(entry, action)
  return entry
}

/** Records an action's overrides in a member's entry; an index's override replaces that index's only (DynamoDB merges them per index). */
function applyReplicaOverrides(entry: ReplicaEntry, action: ReplicaOverrides): void {
  if (action.KMSMasterKeyId !== undefined) entry.KMSMasterKeyId = action.KMSMasterKeyId
  if (action.ProvisionedThroughputOverride) entry.ProvisionedThroughputOverride = { ...action.ProvisionedThroughputOverride }
  if (action.OnDemandThroughputOverride) entry.OnDemandThroughputOverride = { ...action.OnDemandThroughputOverride }
  if (action.GlobalSecondaryIndexes) {
    const indexes = new Map((entry.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName as string, index]))
    for (const index of action.GlobalSecondaryIndexes) indexes.set(index.IndexName, { ...indexes.get(index.IndexName), ...index })
    entry.GlobalSecondaryIndexes = [...indexes.values()]
  }
  if (action.TableClassOverride) entry.ReplicaTableClassSummary = { TableClass: action.TableClassOverride }
}

/**
 * DynamoDB's billing checks of an Update's overrides (an API-quirks lab, against AWS, 2026-10): a
 * provisioned table takes no on-demand maximum, an on-demand one no read capacity. A Create's
 * overrides are checked the same way, and both may name only the table's own indexes: otherwise a
 * replica would describe what no DynamoDB table can (an on-demand table with read capacity).
 */
function checkOverrides(record: TableRecord, action: ReplicaOverrides): void {
  const provisioned = billingModeOf(record.description) === 'PROVISIONED'
  const indexes = action.GlobalSecondaryIndexes ?? []
  const known = new Set((record.description.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName))
  const unknown = indexes.find((index) => !known.has(index.IndexName))
  if (unknown) {
    throw new ValidationException(`One or more parameter values were invalid: Global Secondary Index ${unknown.IndexName} does not exist on table ${record.description.TableName}`)
  }
  if (provisioned && (action.OnDemandThroughputOverride || indexes.some((index) => index.OnDemandThroughputOverride))) {
    throw new ValidationException('MaxReadRequestUnits for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED')
  }
  if (!provisioned && (action.ProvisionedThroughputOverride || indexes.some((index) => index.ProvisionedThroughputOverride))) {
    throw new ValidationException('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST')
  }
}

/** A new strongly consistent group's witnesses, and its checks of the table (strong-consistency.ts). */
export interface StrongGroupRequest {
  witnesses: string[]
  recheck: (record: TableRecord) => Promise<void>
}

/**
 * Adds `action.RegionName` to the table's group. Returns the table's record as stored. `strong`
 * makes a new group strongly consistent, with its witnesses (strong-consistency.ts): the first
 * of its replicas is added with it, the second joins the group that one made.
 */
export async function addReplica(
  ctx: RegionContext, name: string, action: ReplicaOverrides, strong?: StrongGroupRequest,
): Promise<TableRecord> {
  const globalTables = requireGlobalTables(ctx)
  return globalTables.exclusive(name, async () => {
    return rerunWhileChanged(name, (again) => addReplicaOnce(ctx, globalTables, name, action, strong, again))
  })
}

async function addReplicaOnce(
  ctx: RegionContext, globalTables: GlobalTables, name: string, action: ReplicaOverrides,
  strong: StrongGroupRequest | undefined, again: boolean,
): Promise<TableRecord> {
  const record = ctx.catalog.requireRecord(name)
  // The request's checks were made on the record an earlier attempt found changed: made again.
  if (again && strong && !record.replication) await strong.recheck(record)
  checkOverrides(record, action)
  await checkNoBulkPutRunning(ctx, record.description.TableId, name)
  const group = groupOf(record, ctx.region)
  if (strong && !record.replication) {
    group.consistency = 'STRONG'
    if (strong.witnesses.length > 0) group.witnesses = strong.witnesses.map((region) => ({ RegionName: region, WitnessStatus: 'CREATING' }))
  }
  const target = action.RegionName
  if (memberRegions(group).includes(target)) throw new ValidationException(replicaExistsMessage(name))
  const others = memberRegions(group).filter((region) => region !== ctx.region)
  const key = replicaKeyArn(record.description, ctx, { region: target, accountId: ctx.accountId }, action.KMSMasterKeyId)
  group.replicas.push(replicaEntry({ ...action, KMSMasterKeyId: key }, 'CREATING'))
  const nowMs = ctx.clock.now()
  recordSource(group, target, ctx.region, nowMs)
  // Adding the first replica turns a NEW_AND_OLD_IMAGES stream on if the table has none; a stream it has stays as it is.
  // A strongly consistent group leaves the stream as it is: DynamoDB does not turn one on for it.
  const wantsStream = !isStrong(group)
  const source = structuredClone(record)
  if (wantsStream && !source.description.StreamSpecification?.StreamEnabled) enableStream(source.description, 'NEW_AND_OLD_IMAGES', nowMs)
  await globalTables.region(target).createReplica(source, group)
  let previous = record.description
  let stored: TableRecord
  try {
    stored = await ctx.catalog.update(name, (draft) => {
      // The replica was made from `record`: a change stored since (an UpdateTable, TTL, an
      // index) would be missing there for good, and was not sent to it, its table not being
      // global yet. The replica goes and is made again from the record as it now is.
      if (draft.definitionVersion !== record.definitionVersion) throw new RecordChangedMeanwhile()
      previous = structuredClone(draft.description)
      if (wantsStream && !draft.description.StreamSpecification?.StreamEnabled) enableStream(draft.description, 'NEW_AND_OLD_IMAGES', nowMs)
      draft.replication = group
      draft.description.TableStatus = 'UPDATING'
      draft.settlesAtMs = nowMs + ctx.catalog.tableCreateDelayMs
    }, async (tx, draft) => {
      await syncStreams(tx, previous, draft.description, nowMs)
      await copyThenFollow(tx, draft.description.TableId, target)
    })
  } catch (error) {
    // The source could not take the group (a DeleteTable committed meanwhile): the replica made
    // for it goes again, so that the refused request leaves nothing behind. An orphan replica
    // made the table's name unusable there, for a new table and for a new replica alike.
    await globalTables.region(target).deleteReplica(name).catch((cleanup: unknown) => {
      if (!isNotFound(cleanup)) ctx.log.warn('replica of a refused replica creation not removed', { table: name, region: target, error: String(cleanup) })
    })
    throw error
  }
  await globalTables.publish(name, others, group)
  return stored
}

/** Removes `region` from the group and deletes its replica table. */
export async function removeReplica(ctx: RegionContext, name: string, region: string): Promise<TableRecord> {
  const globalTables = requireGlobalTables(ctx)
  return globalTables.exclusive(name, async () => {
    const record = ctx.catalog.requireRecord(name)
    if (!memberRegions(record.replication).includes(region)) throw new ValidationException(notMembersMessage([region]))
    checkNotRecentSource(record.replication, region, ctx.clock.now())
    await checkNotProtected(globalTables, name, region)
    const group = groupOf(record, ctx.region)
    group.replicas = group.replicas.filter((replica) => replica.RegionName !== region)
    if (group.sources) delete group.sources[region]
    await globalTables.publish(name, memberRegions(group), group)
    try {
      await globalTables.region(region).deleteReplica(name)
    } catch (error) {
      // Already gone there (deleted by hand): the group no longer names it either way.
      if (!isNotFound(error)) throw error
    }
    return ctx.catalog.requireRecord(name)
  })
}

/**
 * Dissolves a strongly consistent group (strong-consistency.ts): every other replica is deleted
 * and the witness goes, leaving this region's table an ordinary one. Returns its record as it was.
 */
export async function dissolveGroup(ctx: RegionContext, name: string, replicas: string[]): Promise<TableRecord> {
  const globalTables = requireGlobalTables(ctx)
  return globalTables.exclusive(name, async () => {
    const record = ctx.catalog.requireRecord(name)
    for (const region of replicas) await checkNotProtected(globalTables, name, region)
    await globalTables.publish(name, memberRegions(record.replication), undefined)
    for (const region of replicas) {
      try {
        await globalTables.region(region).deleteReplica(name)
      } catch (error) {
        if (!isNotFound(error)) throw error
      }
    }
    return record
  })
}

/**
 * A member that answers it has no such table (or one outside the group) left it while this
 * region could not be told: its DeleteTable published the smaller group to the members it could
 * reach, once. The member sending to it finds out here and removes it, as leaveGroup would have,
 * so the group stops naming a replica that is not there (and one can be made there again). Only
 * an ACTIVE member counts: a CREATING one may not have its table yet.
 */
export async function forgetGoneReplica(ctx: RegionContext, name: string, region: string): Promise<void> {
  const globalTables = requireGlobalTables(ctx)
  await globalTables.exclusive(name, async () => {
    const record = ctx.catalog.record(name)
    const entry = record?.replication?.replicas.find((replica) => replica.RegionName === region)
    if (!record?.replication || entry?.ReplicaStatus !== 'ACTIVE') return
    const there = await globalTables.region(region).record(name)
    if (memberRegions(there?.replication).includes(ctx.region)) return
    const group = groupOf(record, ctx.region)
    group.replicas = group.replicas.filter((replica) => replica.RegionName !== region)
    if (group.sources) delete group.sources[region]
    ctx.log.warn('a replica left its group while this region could not be told; removing it here', { table: name, region })
    await globalTables.publish(name, memberRegions(group), group)
  })
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ResourceNotFoundException || (error instanceof PeerAnsweredError && error.type === 'ResourceNotFoundException')
}

/**
 * Changes a member's per-replica overrides (they are not replicated settings: each keeps its own);
 * the member applies them to its table when it takes the new group (replica-region.ts setGroup).
 */
export async function updateReplica(ctx: RegionContext, name: string, action: ReplicaOverrides): Promise<TableRecord> {
  const globalTables = requireGlobalTables(ctx)
  return globalTables.exclusive(name, async () => {
    const record = ctx.catalog.requireRecord(name)
    const group = groupOf(record, ctx.region)
    const entry = group.replicas.find((replica) => replica.RegionName === action.RegionName)
    if (!record.replication || !entry) throw new ValidationException(notMembersMessage([action.RegionName]))
    // A replica keeps the key it was made with (DDB-TABLE-313 of the lab).
    if (action.KMSMasterKeyId !== undefined) throw new ValidationException(keyForEachReplicaMessage)
    checkOverrides(record, action)
    applyReplicaOverrides(entry, action)
    await globalTables.publish(name, memberRegions(group), group)
    return ctx.catalog.requireRecord(name)
  })
}

/** After DeleteTable removed this region's replica: the others carry on without it. */
export async function leaveGroup(ctx: RegionContext, removed: TableRecord): Promise<void> {
  if (!removed.replication || !ctx.globalTables) return
  const globalTables = ctx.globalTables
  const name = removed.description.TableName
  await globalTables.exclusive(name, async () => {
    // The group as the members hold it now, not as this table was when it was removed: another
    // replica deleted at the same moment may have left since, and publishing the older copy
    // brought it back as a ghost member the others listed ACTIVE.
    const group = structuredClone(await currentGroup(globalTables, name, removed.replication!, ctx.region))
    group.replicas = group.replicas.filter((replica) => replica.RegionName !== ctx.region)
    if (group.sources) delete group.sources[ctx.region]
    await globalTables.publish(name, memberRegions(group), group)
  })
}

/** The group a remaining member holds (the first that answers), or `known` when none does. */
async function currentGroup(globalTables: GlobalTables, name: string, known: ReplicationRecord, leaving: string): Promise<ReplicationRecord> {
  for (const region of memberRegions(known)) {
    if (region === leaving) continue
    const record = await globalTables.region(region).record(name).catch(() => undefined)
    if (record?.replication) return record.replication
  }
  return known
}
