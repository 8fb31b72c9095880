/**
 * The record of a new replica table, made from the source replica's record: same keys, indexes,
 * billing and TTL (not deletion protection, each replica's own); its own TableId, ARNs in its region, its own stream (NEW_AND_OLD_IMAGES unless
 * the source's has another view; none in a strongly consistent group whose source has none), and the per-replica overrides of the ReplicaUpdates action.
 */
import { randomUUID } from 'node:crypto'
import { enableStream } from '../tables/new-table.js'
import type { TableRecord } from '../tables/record.js'
import { isStrong, type ReplicaEntry, type ReplicationRecord } from './replica-set.js'
import { arnPartition } from '../region-names.js'

export function replicaTableRecord(
  source: TableRecord, region: string, nowMs: number, createDelayMs: number, replication: ReplicationRecord,
): TableRecord {
  const from = source.description
  const regionOf = (arn: string) => arn.replace(/^arn:[^:]+:dynamodb:[^:]*:/, `arn:${arnPartition(region)}:dynamodb:${region}:`)
  const description = structuredClone(from)
  description.TableArn = regionOf(from.TableArn)
  description.TableId = randomUUID()
  description.TableStatus = 'CREATING'
  description.CreationDateTime = nowMs / 1000
  // Deletion protection is each replica's own ("You must enable deletion protection on each
  // replica", DynamoDB's global tables best practices): a new replica starts without it.
  description.DeletionProtectionEnabled = false
  delete description.LatestStreamArn
  delete description.LatestStreamLabel
  for (const index of description.GlobalSecondaryIndexes ?? []) {
    index.IndexArn = regionOf(index.IndexArn)
    index.IndexStatus = 'CREATING'
    delete index.Backfilling
  }
  for (const index of description.LocalSecondaryIndexes ?? []) index.IndexArn = regionOf(index.IndexArn)
  // A strongly consistent group's replicas have a stream only where the source has one.
  if (!isStrong(replication) || from.StreamSpecification?.StreamEnabled) {
    enableStream(description, from.StreamSpecification?.StreamViewType ?? 'NEW_AND_OLD_IMAGES', nowMs)
  }
  applyOverrides(description, replication.replicas.find((replica) => replica.RegionName === region))
  const record: TableRecord = { version: 1, description, settlesAtMs: nowMs + createDelayMs, tags: [], replication }
  if (source.timeToLive) record.timeToLive = { ...source.timeToLive }
  // The replica starts with the source's settings, so their versions too (no redundant delivery).
  if (source.settingsVersions) record.settingsVersions = structuredClone(source.settingsVersions)
  return record
}

/**
 * Per-replica settings DynamoDB does not replicate: read capacity and the on-demand read maximum
 * (of the table and of each GSI), table class, KMS key. Applied when the replica is made and
 * whenever its group changes (an Update of its overrides).
 */
export function applyOverrides(description: TableRecord['description'], replica: ReplicaEntry | undefined): void {
  if (!replica) return
  const read = replica.ProvisionedThroughputOverride?.ReadCapacityUnits
  if (read !== undefined) description.ProvisionedThroughput = { ...description.ProvisionedThroughput, ReadCapacityUnits: read }
  const maxRead = replica.OnDemandThroughputOverride?.MaxReadRequestUnits
  if (maxRead !== undefined) description.OnDemandThroughput = { ...description.OnDemandThroughput, MaxReadRequestUnits: maxRead }
  for (const override of replica.GlobalSecondaryIndexes ?? []) {
    const index = description.GlobalSecondaryIndexes?.find((each) => each.IndexName === override.IndexName)
    if (!index) continue
    const indexRead = (override.ProvisionedThroughputOverride as { ReadCapacityUnits?: number } | undefined)?.ReadCapacityUnits
    if (indexRead !== undefined) index.ProvisionedThroughput = { ...index.ProvisionedThroughput, ReadCapacityUnits: indexRead }
    const indexMaxRead = (override.OnDemandThroughputOverride as { MaxReadRequestUnits?: number } | undefined)?.MaxReadRequestUnits
    if (indexMaxRead !== undefined) index.OnDemandThroughput = { ...index.OnDemandThroughput, MaxReadRequestUnits: indexMaxRead }
  }
  if (replica.ReplicaTableClassSummary) description.TableClassSummary = { TableClass: replica.ReplicaTableClassSummary.TableClass }
  if (replica.KMSMasterKeyId) {
    description.SSEDescription = { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: replica.KMSMasterKeyId }
  }
}
