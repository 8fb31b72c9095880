/**
 * UpdateTable with ReplicaUpdates (global tables version 2019.11.21): each Create, Update or
 * Delete in turn, a Disassociate (alone; replication/disassociate.ts), or a strongly consistent
 * group made or dissolved whole
 * (replication/strong-consistency.ts); the answer is the table in UPDATING state with its Replicas.
 */
import type { RequestContext } from '../api/context.js'
import { ValidationException } from '../errors.js'
import { checkDisassociation, disassociateReplica } from '../replication/disassociate.js'
import { addReplica, dissolveGroup, removeReplica, requireGlobalTables, updateReplica } from '../replication/group-changes.js'
import type { GlobalTables } from '../replication/global-tables.js'
import type { ReplicationGroupUpdate } from '../shapes/replica-updates.js'
import { checkCanBecomeStrong, checkGroupRequest, type GroupRequest } from '../replication/strong-consistency.js'
import { describeRecord } from '../tables/describe.js'
import type { TableRecord } from '../tables/record.js'

const localRegionMessage = 'Cannot add or delete the local region through ReplicaUpdates. Use CreateTable, DeleteTable, or UpdateTable as required.'

export async function updateTableReplicas(ctx: RequestContext, name: string, given: GroupRequest): Promise<object> {
  const current = ctx.catalog.requireRecord(name)
  // DynamoDB takes a repeated action as one (an API-quirks lab, against AWS, 2026-10).
  const updates = [...new Map(given.ReplicaUpdates.map((update) => [JSON.stringify(update), update])).values()]
  const request = { ...given, ReplicaUpdates: updates }
  const globalTables = requireGlobalTables(ctx)
  for (const update of updates) checkReplicaAction(ctx.region, globalTables, update)
  // "For global tables, this property only applies to global tables using Version 2019.11.21"
  // (UpdateTable's API reference): a 2017.11.29 group changes through UpdateGlobalTable.
  if (current.replication?.version === '2017.11.29' && !updates.some((update) => update.Disassociate)) {
    throw new ValidationException('One or more parameter values were invalid: ReplicaUpdates only apply to global tables version 2019.11.21; ' +
      `table ${name} is a global table version 2017.11.29: use UpdateGlobalTable`)
  }
  const record = await changeGroup(ctx, name, current, request)
  return { TableDescription: describeRecord(record, await ctx.catalog.describedStats(record), 'UPDATING') }
}

/** Carries out the request's replica updates; returns the table's record the answer describes. */
async function changeGroup(ctx: RequestContext, name: string, current: TableRecord, request: GroupRequest): Promise<TableRecord> {
  const updates = request.ReplicaUpdates
  if (updates.some((update) => update.Disassociate)) {
    checkDisassociation(current, ctx.region, updates)
    return disassociateReplica(ctx, name)
  }
  const holdsItems = async () => (await ctx.storage.read((view) => view.rangeItems(current.description.TableId, {}, 1))).length > 0
  const change = await checkGroupRequest(current, ctx.region, request, holdsItems)
  if (change.kind === 'dissolve-strong') return dissolveGroup(ctx, name, change.replicas)
  const strong = change.kind === 'create-strong'
    ? { witnesses: change.witnesses, recheck: (record: TableRecord) => checkCanBecomeStrong(record, holdsItems) }
    : undefined
  let record: TableRecord | undefined
  for (const update of updates) {
    if (update.Create) record = await addReplica(ctx, name, update.Create, strong)
    else if (update.Update) record = await updateReplica(ctx, name, update.Update)
    else record = await removeReplica(ctx, name, update.Delete!.RegionName)
  }
  return record!
}

/**
 * One element of ReplicaUpdates, on its own, in DynamoDB's words (an API-quirks lab, against AWS,
 * 2026-10): one kind of action, an action that changes something, a region global tables serve.
 */
function checkReplicaAction(here: string, globalTables: GlobalTables, update: ReplicationGroupUpdate): void {
  const actions = [update.Create, update.Update, update.Delete, update.Disassociate].filter((action) => action !== undefined)
  if (actions.length > 1) throw new ValidationException('Update table operation with more than one type of replica actions not allowed.')
  const action = actions[0]
  if (action === undefined || (update.Update !== undefined && !changesReplica(update.Update))) {
    throw new ValidationException('There are no actions specified in the Replica Update Action of the request.')
  }
  if (action.RegionName === here && update.Disassociate === undefined) throw new ValidationException(localRegionMessage)
  if (update.Create) {
    const regions = globalTables.replicaRegionNames(here)
    if (!regions.includes(action.RegionName)) {
      throw new ValidationException(`Region ${action.RegionName} is not supported. The latest version of global tables are only supported in the following regions: [${regions.join(', ')}].`)
    }
  }
}

/** Whether an Update names anything to change: an override (an index's counts only with one of its own). */
function changesReplica(update: NonNullable<ReplicationGroupUpdate['Update']>): boolean {
  const { RegionName: _region, GlobalSecondaryIndexes: indexes, ...overrides } = update
  return Object.values(overrides).some((value) => value !== undefined) ||
    (indexes ?? []).some(({ IndexName: _name, ...override }) => Object.values(override).some((value) => value !== undefined))
}
