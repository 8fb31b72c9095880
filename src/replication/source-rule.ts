/**
 * DynamoDB refuses to delete a replica that was the source of a new replica in the last 24
 * hours while that new replica is still a member (deleting the newer replica first lifts the
 * refusal). It applies to DeleteTable in the source's region and to ReplicaUpdates Delete of the
 * source from another member. The group remembers, per replica, which region it was created from
 * and when (ReplicationRecord.sources); the time comes from the region's clock, which tests inject.
 */
import { ValidationException } from '../errors.js'
import type { ReplicationRecord } from './replica-set.js'

/** How long a replica that sourced a new one cannot be deleted. */
export const sourceHoldMs = 24 * 60 * 60 * 1000

export const recentSourceMessage =
  'Replica cannot be deleted because it has acted as a source region for new replica(s) being added to the table in the last 24 hours.'

/** Notes that `target` was created from `source` at `nowMs`. */
export function recordSource(group: ReplicationRecord, target: string, source: string, nowMs: number): void {
  group.sources = { ...group.sources, [target]: { region: source, atMs: nowMs } }
}

/** Throws DynamoDB's error if `region` sourced a replica, still a member, less than 24 hours ago. */
export function checkNotRecentSource(group: ReplicationRecord | undefined, region: string, nowMs: number): void {
  if (!group?.sources) return
  for (const replica of group.replicas) {
    const source = group.sources[replica.RegionName]
    if (source?.region === region && nowMs - source.atMs < sourceHoldMs) throw new ValidationException(recentSourceMessage)
  }
}
