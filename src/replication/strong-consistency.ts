/**
 * Multi-Region strong consistency (MRSC), DynamoDB's second mode of global tables: a group is
 * made in one UpdateTable (`MultiRegionConsistency: STRONG`) on an empty table, of exactly three
 * regions (three replicas, or two and a witness that holds no table), and is frozen from then on:
 * no replica is added, none removed alone; it is dissolved in one request deleting every other
 * replica and the witness. Writes are replicated before they are answered (strong-writes.ts).
 * The rules and messages are DynamoDB's, as an API-quirks lab recorded them against AWS in
 * October 2026, except where a comment says the wording is EddyDB's own.
 */
import { ValidationException } from '../errors.js'
import type { ReplicationGroupUpdate, WitnessGroupUpdate } from '../shapes/replica-updates.js'
import type { TableRecord } from '../tables/record.js'
import type { TableSchema } from '../tables/schema.js'
import { isStrong, memberRegions } from './replica-set.js'
import { notMembersMessage } from './group-changes.js'

/**
 * The regions DynamoDB offers MRSC in (its US, EU and Asia Pacific region sets). A group may mix
 * them: the lab saw an eu-west-1 replica with a us-east-2 witness accepted, so EddyDB does not
 * hold a group to one set, as the older documentation did.
 */
export const strongConsistencyRegions: ReadonlySet<string> = new Set([
  'us-east-1', 'us-east-2', 'us-west-2',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
])

const strongSuffix = 'for global tables with MultiRegionConsistency set to STRONG'
export const singleReplicaDeletionMessage = `Deletion of only one table replica is not supported ${strongSuffix}.`
// EddyDB's wording: DynamoDB's documentation says these are refused, not how.
export const strongTransactionMessage = `Transactions are not supported ${strongSuffix}.`
export const strongTimeToLiveMessage = `Time to Live is not supported ${strongSuffix}.`

/** The members of UpdateTable that change a replica group. */
export interface GroupRequest {
  ReplicaUpdates: ReplicationGroupUpdate[]
  MultiRegionConsistency?: string | undefined
  GlobalTableWitnessUpdates?: WitnessGroupUpdate[] | undefined
}

/** What a group request does: make a strongly consistent group, dissolve one, or change a group one replica at a time. */
export type GroupChange =
  | { kind: 'create-strong'; replicas: string[]; witnesses: string[] }
  | { kind: 'dissolve-strong'; replicas: string[] }
  | { kind: 'one-by-one' }

/**
 * Checks a group request against the table in `region`, in DynamoDB's order (the lab found the
 * order hides some messages behind others, e.g. STRONG on an existing eventual group answers with
 * the replica count), and says what it does.
 */
export async function checkGroupRequest(
  record: TableRecord, region: string, request: GroupRequest, holdsItems: () => Promise<boolean>,
): Promise<GroupChange> {
  const group = record.replication
  const creates = regionsOf(request.ReplicaUpdates, 'Create')
  const deletes = regionsOf(request.ReplicaUpdates, 'Delete')
  const witnessCreates = regionsOf(request.GlobalTableWitnessUpdates ?? [], 'Create')
  const witnessDeletes = regionsOf(request.GlobalTableWitnessUpdates ?? [], 'Delete')
  if (witnessCreates.length > 0 && request.MultiRegionConsistency !== 'STRONG') {
    throw new ValidationException('MultiRegionConsistency must be set as STRONG when GlobalTableWitnessUpdates parameter is present.')
  }
  if (request.MultiRegionConsistency === 'STRONG') {
    if (creates.length !== request.ReplicaUpdates.length || witnessDeletes.length > 0) {
      throw new ValidationException('Only Replica Create actions are supported when MultiRegionConsistency parameter is provided.')
    }
    if (creates.length + witnessCreates.length !== 2) throw new ValidationException(`Unsupported replica count ${strongSuffix}.`)
    const unsupported = [region, ...creates, ...witnessCreates].filter((each) => !strongConsistencyRegions.has(each))
    if (unsupported.length > 0) throw new ValidationException(`Unsupported Region(s) specified ${strongSuffix}: [${unsupported.join(', ')}].`)
    if (new Set([...creates, ...witnessCreates]).size < creates.length + witnessCreates.length) {
      throw new ValidationException('Cannot target multiple regions with the same action')
    }
    if (witnessCreates.includes(region)) {
      throw new ValidationException(`Cannot add a witness in the same region as an existing replica when creating a global table with MultiRegionConsistency set to STRONG.`)
    }
    if (group) throw new ValidationException('MultiRegionConsistency parameter is unsupported on existing global table')
    await checkCanBecomeStrong(record, holdsItems)
    return { kind: 'create-strong', replicas: creates, witnesses: witnessCreates }
  }
  if (request.MultiRegionConsistency !== undefined && isStrong(group)) {
    throw new ValidationException('MultiRegionConsistency parameter is unsupported on existing global table')
  }
  const witnesses = (group?.witnesses ?? []).map((witness) => witness.RegionName)
  const strangers = witnessDeletes.filter((each) => !witnesses.includes(each))
  if (strangers.length > 0) {
    throw new ValidationException('Update global table operation failed because one or more witnesses were not part of the global table. ' +
      `Please retry the request without these witnesses: [${strangers.join(', ')}].`)
  }
  if (isStrong(group)) {
    if (creates.length > 0) throw new ValidationException('Cannot add replicas to a global table with strong MultiRegionConsistency')
    if (deletes.length === 0) return { kind: 'one-by-one' }
    const members = memberRegions(group)
    const strangerReplicas = deletes.filter((each) => !members.includes(each))
    if (strangerReplicas.length > 0) throw new ValidationException(notMembersMessage(strangerReplicas))
    if (witnesses.some((each) => !witnessDeletes.includes(each))) throw new ValidationException('Update table delete operation does not include all witnesses.')
    if (members.some((each) => each !== region && !deletes.includes(each))) throw new ValidationException(singleReplicaDeletionMessage)
    return { kind: 'dissolve-strong', replicas: deletes }
  }
  if (creates.length + deletes.length > 1) {
    throw new ValidationException('Update table operation with more than one create or delete replica actions not allowed')
  }
  return { kind: 'one-by-one' }
}

function regionsOf(updates: ReadonlyArray<ReplicationGroupUpdate | WitnessGroupUpdate>, action: 'Create' | 'Delete'): string[] {
  return updates.flatMap((update) => update[action] ? [update[action]!.RegionName] : [])
}

/**
 * What DynamoDB documents a strongly consistent table cannot have: items (it must start empty),
 * local secondary indexes and Time to Live. The messages are EddyDB's own.
 */
export async function checkCanBecomeStrong(record: TableRecord, holdsItems: () => Promise<boolean>): Promise<void> {
  if (record.description.LocalSecondaryIndexes?.length) {
    throw new ValidationException(`Local secondary indexes are not supported ${strongSuffix}.`)
  }
  if (record.timeToLive?.Enabled) throw new ValidationException(strongTimeToLiveMessage)
  if (await holdsItems()) {
    throw new ValidationException(`A table with items cannot become a global table with MultiRegionConsistency set to STRONG.`)
  }
}

/** Transactions are refused on a strongly consistent table (TransactWriteItems, TransactGetItems, ExecuteTransaction). */
export function refuseStrongTransaction(table: TableSchema): void {
  if (table.strongConsistency) throw new ValidationException(strongTransactionMessage)
}
