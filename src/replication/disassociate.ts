/**
 * Disassociating a replica (UpdateTable `ReplicaUpdates: [{Disassociate: {RegionName,
 * DisassociationMode: 'WAIT_FOR_REPLICATION'}}]`, DynamoDB's "Disassociating a global table
 * replica"): the replica in the region asked leaves its 2019.11.21 group with multi-Region eventual
 * consistency and stays a standalone table, with its items, indexes, stream, TTL, encryption and
 * other settings. Of a group of two, both members become standalone tables; of a larger group, the
 * others stay global without it.
 *
 * The replica's disassociation protection (`DisassociationProtectionEnabled`, on by default, set
 * only by an UpdateTable of its own) must be off first. WAIT_FOR_REPLICATION, the one mode: the
 * group changes only once the writes made on either side have reached the other (the replica's own
 * writes at every other member, theirs at the replica). When they do not within
 * disassociationWaitMsMax (a member unreachable), the table stays in the group, as DynamoDB
 * documents a disassociation that did not complete: ACTIVE again, with its Replicas still listed.
 *
 * The messages of the refusals were not recorded from DynamoDB (its documentation names the rules,
 * not their words); EddyDB words them after its neighbours' (deletion protection, replica actions).
 */
import type { RegionContext } from '../api/context.js'
import { ValidationException } from '../errors.js'
import type { TableRecord } from '../tables/record.js'
import type { ReplicationGroupUpdate } from '../shapes/replica-updates.js'
import { requireGlobalTables } from './group-changes.js'
import type { GlobalTables } from './global-tables.js'
import { disassociationProtectionEnabled, isDisassociable, isStrong, memberRegions } from './replica-set.js'

const invalid = 'One or more parameter values were invalid: '

/** How long a disassociation waits for the members' pending writes to be replicated. */
export const disassociationWaitMsMax = 10_000
const pollIntervalMs = 10

/** UpdateTable's DisassociationProtectionEnabled is a setting of a global table's replica only. */
export function checkDisassociationProtectionChange(record: TableRecord): void {
  if (!isDisassociable(record)) {
    throw new ValidationException(`${invalid}DisassociationProtectionEnabled can only be specified for a replica of a global table ` +
      'using version 2019.11.21 with multi-Region eventual consistency')
  }
}

/** The checks of a request with a Disassociate action, before anything changes. */
export function checkDisassociation(record: TableRecord, region: string, updates: readonly ReplicationGroupUpdate[]): void {
  if (updates.length > 1) throw new ValidationException(`${invalid}Disassociate must be the only replica update in the request`)
  const action = updates[0]!.Disassociate!
  if (action.RegionName !== region) {
    throw new ValidationException(`${invalid}Disassociate can only name the replica in the region of the request (${region}), not ${action.RegionName}`)
  }
  const name = record.description.TableName
  if (!record.replication) throw new ValidationException(`${invalid}Table ${name} in region ${region} is not a replica of a global table`)
  if (record.replication.version !== '2019.11.21') {
    throw new ValidationException(`${invalid}Disassociate is not supported for global tables version 2017.11.29`)
  }
  if (isStrong(record.replication)) {
    throw new ValidationException(`${invalid}Disassociate is not supported for global tables with MultiRegionConsistency STRONG`)
  }
  if (disassociationProtectionEnabled(record)) {
    throw new ValidationException(`Cannot disassociate table ${name} in region ${region} because it has disassociation protection enabled. ` +
      'Disable disassociation protection first.')
  }
}

/**
 * Disassociates this region's replica: the table turns UPDATING (the answer shows it so, with its
 * Replicas), then, once replication has caught up both ways, leaves the group. Returns the record
 * the answer describes.
 */
export async function disassociateReplica(ctx: RegionContext, name: string): Promise<TableRecord> {
  const globalTables = requireGlobalTables(ctx)
  return globalTables.exclusive(name, async () => {
    const nowMs = ctx.clock.now()
    const answered = await ctx.catalog.update(name, (draft) => {
      draft.description.TableStatus = 'UPDATING'
      draft.settlesAtMs = nowMs + ctx.catalog.tableCreateDelayMs
    })
    const group = structuredClone(answered.replication!)
    if (!await replicationCaughtUp(globalTables, ctx.region, name, memberRegions(group))) {
      ctx.log.warn('disassociation did not complete: writes still to be replicated', { table: name, waitedMs: disassociationWaitMsMax })
      return answered
    }
    group.replicas = group.replicas.filter((replica) => replica.RegionName !== ctx.region)
    if (group.sources) delete group.sources[ctx.region]
    // This region is no member of the group it is sent, so it takes none: its table stands alone.
    await globalTables.publish(name, [ctx.region, ...memberRegions(group)], group)
    return answered
  })
}

/**
 * Waits, at most disassociationWaitMsMax, until no write of this replica awaits replication to
 * another member and no write of another member awaits replication here. False if it did not.
 */
async function replicationCaughtUp(globalTables: GlobalTables, here: string, name: string, members: string[]): Promise<boolean> {
  const others = members.filter((region) => region !== here)
  const pending = async (): Promise<boolean> => {
    const checks = [
      ...others.map((target) => globalTables.region(here).replicationPending(name, target)),
      ...others.map((source) => globalTables.region(source).replicationPending(name, here)),
    ]
    // A member that cannot answer cannot show it has nothing pending.
    return (await Promise.all(checks.map((check) => check.catch(() => true)))).some(Boolean)
  }
  // By elapsed time, not by polls: a member that does not answer makes each look last (a peer
  // request's own timeout bounds it).
  const deadline = performance.now() + disassociationWaitMsMax
  do {
    if (!await pending()) return true
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs))
  } while (performance.now() < deadline)
  return false
}
