/**
 * UpdateTable with ReplicaUpdates (global tables version 2019.11.21): each Create, Update or
 * Delete in turn, or a strongly consistent group made or dissolved whole
 * (replication/strong-consistency.ts); the answer is the table in UPDATING state with its Replicas.
 */
import type { RequestContext } from '../api/context.js'
import { ValidationException } from '../errors.js'
import { addReplica, dissolveGroup, removeReplica, updateReplica } from '../replication/group-changes.js'
import { checkGroupRequest, type GroupRequest } from '../replication/strong-consistency.js'
import { describeRecord } from '../tables/describe.js'
import type { TableRecord } from '../tables/record.js'

const localRegionMessage = 'Cannot add or delete the local region through ReplicaUpdates. Use CreateTable, DeleteTable, or UpdateTable as required.'

export async function updateTableReplicas(ctx: RequestContext, name: string, request: GroupRequest): Promise<object> {
  const current = ctx.catalog.requireRecord(name)
  const updates = request.ReplicaUpdates
  for (const update of updates) {
    const action = update.Create ?? update.Update ?? update.Delete
    if (!action || [update.Create, update.Update, update.Delete].filter(Boolean).length !== 1) {
      throw new ValidationException('One or more parameter values were invalid: Only one of Create, Update or Delete must be specified in a ReplicationGroupUpdate')
    }
    if (action.RegionName === ctx.region) throw new ValidationException(localRegionMessage)
  }
  const change = await checkGroupRequest(current, ctx.region, request, async () =>
    (await ctx.storage.read((view) => view.rangeItems(current.description.TableId, {}, 1))).length)
  let record: TableRecord | undefined
  if (change.kind === 'dissolve-strong') {
    record = await dissolveGroup(ctx, name, change.replicas)
  } else {
    const strong = change.kind === 'create-strong' ? { witnesses: change.witnesses } : undefined
    for (const update of updates) {
      if (update.Create) record = await addReplica(ctx, name, update.Create, strong)
      else if (update.Update) record = await updateReplica(ctx, name, update.Update)
      else record = await removeReplica(ctx, name, update.Delete!.RegionName)
    }
  }
  return { TableDescription: describeRecord(record!, await ctx.catalog.describedStats(record!), 'UPDATING') }
}
