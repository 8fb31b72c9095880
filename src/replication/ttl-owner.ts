/**
 * Which replica of a global table deletes its expired items: one only, the first member of the
 * group (the table's original region), whose TTL deletes then replicate like any delete and so
 * carry no userIdentity in the other replicas' streams, as DynamoDB's replicated TTL deletes.
 */
import type { RegionContext } from '../api/context.js'
import { replicationTargets } from './replica-set.js'

export function sweepsExpiredItems(ctx: RegionContext, tableName: string): boolean {
  const replication = ctx.catalog.record(tableName)?.replication
  if (!replication) return true
  const owner = replication.replicas.find((replica) => replica.ReplicaStatus !== 'DELETING')?.RegionName
  return owner === undefined || owner === ctx.region || !replicationTargets(replication, ctx.region).includes(owner)
}
