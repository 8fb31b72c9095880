/**
 * The table settings DynamoDB keeps the same on every replica of a global table after it is
 * created: its global secondary indexes (created or deleted on any replica, each replica
 * backfilling a new one from its own items), its billing mode and its write capacity (table and
 * GSIs), and its table class (an API-quirks lab saw a class change on one replica reach every
 * replica, 2026-10), except on a replica with its own TableClassOverride. Read capacity stays per
 * replica: a replica with a ProvisionedThroughputOverride keeps it, and one without keeps the read
 * units it has (they only seed a replica that turns PROVISIONED). Stream, deletion protection and
 * tags stay per replica.
 *
 * The replica where UpdateTable ran sends its resulting settings, whole (a snapshot, not the
 * change): each other replica applies them to its own record (applyReplicatedSettings, pure),
 * creating the GSIs it lacks and dropping those the source no longer has, and starts its own
 * backfills. A snapshot makes a late delivery converge however many changes it missed
 * (settings-delivery.ts carries them, newest wins).
 */
import { changedThroughput, switchBillingMode } from '../tables/capacity-update.js'
import { indexArn } from '../tables/describe.js'
import { pruneDefinitions, type IndexChanges } from '../tables/index-updates.js'
import type { AttributeDefinition, BillingMode, GlobalIndexRecord, StoredDescription, TableRecord, ThroughputDescription } from '../tables/record.js'
import { billingModeOf, forgetDeletedIndexes } from '../tables/record.js'
import type { UpdateTableInput } from '../tables/update-input.js'
import { applyTableClass } from '../tables/table-update.js'
import { applyGroupEncryption, groupEncryptionOf, type GroupEncryption } from './replica-keys.js'
import type { ReplicaEntry } from './replica-set.js'

export interface ReplicatedSettings {
  billingMode: BillingMode
  provisionedThroughput: { ReadCapacityUnits: number; WriteCapacityUnits: number }
  attributeDefinitions: AttributeDefinition[]
  globalSecondaryIndexes: GlobalIndexRecord[]
  /**
   * Absent when the sender has a class of its own (TableClassOverride), or was a server from
   * before table classes were replicated: the class is then left as it is.
   */
  tableClass?: string
  /** Absent in a snapshot sent by a server from before encryption was replicated: left as it is. */
  encryption?: GroupEncryption
}

/** Whether an UpdateTable changes a setting the other replicas must take too. */
export function changesReplicatedSettings(input: UpdateTableInput): boolean {
  return input.BillingMode !== undefined || input.ProvisionedThroughput !== undefined || input.TableClass !== undefined ||
    input.SSESpecification !== undefined ||
    (input.GlobalSecondaryIndexUpdates ?? []).some((update) => update.Create || update.Delete || update.Update?.ProvisionedThroughput)
}

/**
 * The settings of `record` (just updated in `region`) the other replicas take. A replica with
 * its own TableClassOverride says nothing of the class: its class is not the group's.
 */
export function replicatedSettingsOf(record: TableRecord, region: string): ReplicatedSettings {
  const description = record.description
  const { ReadCapacityUnits, WriteCapacityUnits } = description.ProvisionedThroughput
  const ownClassOverride = record.replication?.replicas.find((replica) => replica.RegionName === region)?.ReplicaTableClassSummary
  const settings: ReplicatedSettings = {
    billingMode: billingModeOf(description),
    provisionedThroughput: { ReadCapacityUnits, WriteCapacityUnits },
    attributeDefinitions: structuredClone(description.AttributeDefinitions),
    globalSecondaryIndexes: structuredClone(description.GlobalSecondaryIndexes ?? []),
    encryption: groupEncryptionOf(description),
  }
  if (!ownClassOverride) settings.tableClass = description.TableClassSummary?.TableClass ?? 'STANDARD'
  return settings
}

/** The read units a replica keeps for its table or one of its GSIs (its override, else what it has). */
function replicaReadUnits(entry: ReplicaEntry | undefined, indexName: string | undefined, current: number | undefined, source: number): number {
  const override = indexName === undefined
    ? entry?.ProvisionedThroughputOverride?.ReadCapacityUnits
    : (entry?.GlobalSecondaryIndexes?.find((index) => index.IndexName === indexName)?.ProvisionedThroughputOverride as { ReadCapacityUnits?: number } | undefined)?.ReadCapacityUnits
  return override ?? (current !== undefined && current > 0 ? current : source)
}

/** Capacity with the source's write units and this replica's read units; undefined when nothing changes. */
function nextThroughput(current: ThroughputDescription, read: number, write: number, nowMs: number): ThroughputDescription | undefined {
  if (current.ReadCapacityUnits === read && current.WriteCapacityUnits === write) return undefined
  return changedThroughput(current, { ReadCapacityUnits: read, WriteCapacityUnits: write }, nowMs)
}

/** A GSI the source created, as this replica has it: its own ARN, CREATING until its own backfill ends. */
function newReplicaIndex(source: GlobalIndexRecord, description: StoredDescription, entry: ReplicaEntry | undefined): GlobalIndexRecord {
  const index = structuredClone(source)
  index.IndexArn = indexArn(description.TableArn, index.IndexName)
  index.IndexStatus = 'CREATING'
  index.Backfilling = true
  const { ReadCapacityUnits, WriteCapacityUnits } = source.ProvisionedThroughput
  index.ProvisionedThroughput = {
    NumberOfDecreasesToday: 0, WriteCapacityUnits,
    ReadCapacityUnits: ReadCapacityUnits === 0 ? 0 : replicaReadUnits(entry, index.IndexName, undefined, ReadCapacityUnits),
  }
  return index
}

/** Makes this replica's GSIs the source's: creates those it lacks, drops those the source has not. */
function applyIndexChanges(description: StoredDescription, settings: ReplicatedSettings, entry: ReplicaEntry | undefined): IndexChanges {
  const changes: IndexChanges = { created: [], deleted: [] }
  const wanted = new Set(settings.globalSecondaryIndexes.map((index) => index.IndexName))
  const indexes = description.GlobalSecondaryIndexes ?? []
  const kept = indexes.filter((index) => wanted.has(index.IndexName))
  changes.deleted = indexes.filter((index) => !wanted.has(index.IndexName)).map((index) => index.IndexName)
  for (const source of settings.globalSecondaryIndexes) {
    if (kept.some((index) => index.IndexName === source.IndexName)) continue
    kept.push(newReplicaIndex(source, description, entry))
    for (const element of source.KeySchema) {
      if (description.AttributeDefinitions.some((definition) => definition.AttributeName === element.AttributeName)) continue
      const definition = settings.attributeDefinitions.find((each) => each.AttributeName === element.AttributeName)
      if (definition) description.AttributeDefinitions.push({ ...definition })
    }
    changes.created.push(source.IndexName)
  }
  if (kept.length > 0) description.GlobalSecondaryIndexes = kept
  else delete description.GlobalSecondaryIndexes
  if (changes.deleted.length > 0) pruneDefinitions(description)
  return changes
}

/** Provisioned tables: the source's write units on the table and each GSI both have, this replica's read units. */
function applyWriteCapacity(description: StoredDescription, settings: ReplicatedSettings, entry: ReplicaEntry | undefined, nowMs: number): boolean {
  if (settings.billingMode !== 'PROVISIONED') return false
  let changed = false
  const source = settings.provisionedThroughput
  const table = description.ProvisionedThroughput
  const tableNext = nextThroughput(table, replicaReadUnits(entry, undefined, table.ReadCapacityUnits, source.ReadCapacityUnits), source.WriteCapacityUnits, nowMs)
  if (tableNext) {
    description.ProvisionedThroughput = tableNext
    changed = true
  }
  for (const index of description.GlobalSecondaryIndexes ?? []) {
    const sourceIndex = settings.globalSecondaryIndexes.find((each) => each.IndexName === index.IndexName)
    if (!sourceIndex) continue
    const current = index.ProvisionedThroughput
    const read = replicaReadUnits(entry, index.IndexName, current.ReadCapacityUnits, sourceIndex.ProvisionedThroughput.ReadCapacityUnits)
    const next = nextThroughput(current, read, sourceIndex.ProvisionedThroughput.WriteCapacityUnits, nowMs)
    if (!next) continue
    index.ProvisionedThroughput = next
    if (index.IndexStatus === 'ACTIVE') index.IndexStatus = 'UPDATING'
    changed = true
  }
  return changed
}

/**
 * Applies another replica's settings to this replica's record (a draft copy). Returns the
 * indexes created (to backfill) and deleted (to drop), and whether anything changed; a change
 * leaves the table UPDATING until `settleDelayMs` has passed, as the replica it came from.
 */
export function applyReplicatedSettings(
  draft: TableRecord, settings: ReplicatedSettings, region: string, nowMs: number, settleDelayMs: number,
): IndexChanges & { changed: boolean } {
  const description = draft.description
  const entry = draft.replication?.replicas.find((replica) => replica.RegionName === region)
  const changes = applyIndexChanges(description, settings, entry)
  forgetDeletedIndexes(draft, changes.deleted)
  const billingChanged = switchBillingMode(description, settings.billingMode, nowMs)
  const capacityChanged = applyWriteCapacity(description, settings, entry, nowMs)
  const classChanged = settings.tableClass !== undefined && !entry?.ReplicaTableClassSummary &&
    applyTableClass(settings.tableClass, description, nowMs)
  const encryptionChanged = settings.encryption !== undefined && applyGroupEncryption(draft, settings.encryption, region)
  const changed = billingChanged || capacityChanged || classChanged || encryptionChanged || changes.created.length > 0 || changes.deleted.length > 0
  if (changed) {
    description.TableStatus = 'UPDATING'
    draft.settlesAtMs = nowMs + settleDelayMs
  }
  return { ...changes, changed }
}
