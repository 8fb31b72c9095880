/**
 * UpdateTable with ReplicaUpdates (global tables version 2019.11.21): each Create, Update or
 * Delete in turn; the answer is the table in UPDATING state with its Replicas.
 */
import type { RequestContext } from '../api/context.js'
import { ValidationException } from '../errors.js'
import { addReplica, removeReplica, updateReplica } from '../replication/group-changes.js'
import type { ReplicationGroupUpdate } from '../shapes/replica-updates.js'
import { describeRecord } from '../tables/describe.js'
import type { TableRecord } from '../tables/record.js'

const localRegionMessage = 'Cannot add or delete the local region through ReplicaUpdates. Use CreateTable, DeleteTable, or UpdateTable as required.'

export async function updateTableReplicas(ctx: RequestContext, name: string, updates: ReplicationGroupUpdate[]): Promise<object> {
  ctx.catalog.requireRecord(name)
  for (const update of updates) {
    const action = update.Create ?? update.Update ?? update.Delete
    if (!action || [update.Create, update.Update, update.Delete].filter(Boolean).length !== 1) {
      throw new ValidationException('One or more parameter values were invalid: Only one of Create, Update or Delete must be specified in a ReplicationGroupUpdate')
    }
    if (action.RegionName === ctx.region) throw new ValidationException(localRegionMessage)
  }
  let record: TableRecord | undefined
  for (const update of updates) {
    if (update.Create) record = await addReplica(ctx, name, update.Create)
    else if (update.Update) record = await updateReplica(ctx, name, update.Update)
    else record = await removeReplica(ctx, name, update.Delete!.RegionName)
  }
  return { TableDescription: describeRecord(record!, await ctx.catalog.describedStats(record!), 'UPDATING') }
}
