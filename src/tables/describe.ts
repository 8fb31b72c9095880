/**
 * TableDescription wire shapes: the stored description plus live statistics, in the member
 * order DynamoDB uses (SDKs do not care, people reading responses do).
 */
import { billingModeOf, type BillingMode, type GlobalIndexRecord, type LocalIndexRecord, type Projection, type TableRecord, type TableStatus } from './record.js'
import { effectiveWarmThroughput } from './warm-throughput.js'
import { describedThroughput } from './capacity-update.js'
import { regionOfArn, describeReplication, disassociationProtectionEnabled, isDisassociable } from '../replication/replica-set.js'
import { describeVectorIndex } from '../vectors/index-definition.js'
import { arnPartition } from '../region-names.js'

export interface SizeStats {
  count: number
  bytes: number
}

/** ItemCount and size of the table and of each index, by index name. */
export interface LiveStats {
  table: SizeStats
  indexes: Record<string, SizeStats>
}

export const emptyStats: LiveStats = { table: { count: 0, bytes: 0 }, indexes: {} }

export function tableArn(region: string, accountId: string, tableName: string): string {
  return `arn:${arnPartition(region)}:dynamodb:${region}:${accountId}:table/${tableName}`
}

export function indexArn(tableArnText: string, indexName: string): string {
  return `${tableArnText}/index/${indexName}`
}

/** DynamoDB's stream label is the creation time in ISO 8601 with milliseconds and no zone. */
export function streamLabelAt(timeMs: number): string {
  return new Date(timeMs).toISOString().replace(/Z$/, '')
}

export function streamArn(tableArnText: string, label: string): string {
  return `${tableArnText}/stream/${label}`
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** A projection as DynamoDB describes it: NonKeyAttributes sorted by name (the same finding). */
function describedProjection(projection: Projection): Projection {
  return projection.NonKeyAttributes ? { ...projection, NonKeyAttributes: [...projection.NonKeyAttributes].sort(byName) } : projection
}

function describeGlobalIndex(index: GlobalIndexRecord, stats: SizeStats, billingMode: BillingMode, creating: boolean, nowMs: number): Record<string, unknown> {
  const described: Record<string, unknown> = {}
  if (index.IndexStatus === 'CREATING' && index.Backfilling !== undefined) {
    described.Backfilling = index.Backfilling
  }
  Object.assign(described, {
    IndexName: index.IndexName,
    KeySchema: index.KeySchema,
    Projection: describedProjection(index.Projection),
    IndexStatus: index.IndexStatus,
    ProvisionedThroughput: describedThroughput(index.ProvisionedThroughput, nowMs),
    IndexSizeBytes: stats.bytes,
    ItemCount: stats.count,
    IndexArn: index.IndexArn,
  })
  if (index.OnDemandThroughput) described.OnDemandThroughput = index.OnDemandThroughput
  if (index.WarmThroughput || !creating) described.WarmThroughput = effectiveWarmThroughput(index.WarmThroughput, billingMode, index.ProvisionedThroughput)
  return described
}

function describeLocalIndex(index: LocalIndexRecord, stats: SizeStats): Record<string, unknown> {
  return {
    IndexName: index.IndexName,
    KeySchema: index.KeySchema,
    Projection: describedProjection(index.Projection),
    IndexSizeBytes: stats.bytes,
    ItemCount: stats.count,
    IndexArn: index.IndexArn,
  }
}

/**
 * A global table is UPDATING while a replica it gained is being created, as DynamoDB shows it
 * ("The source table is UPDATING meanwhile", spec streams-ttl-global.md §5.1): tools that wait for
 * ACTIVE after adding a replica then wait for the replica's copy too.
 */
function describedStatus(record: TableRecord): TableStatus {
  const status = record.description.TableStatus
  if (status !== 'ACTIVE' || !record.replication) return status
  const here = regionOfArn(record.description.TableArn)
  return record.replication.replicas.some((replica) => replica.RegionName !== here && replica.ReplicaStatus === 'CREATING') ? 'UPDATING' : status
}

/**
 * The TableDescription of a stored table at `nowMs`. `statusOverride` lets CreateTable/DeleteTable
 * answer with CREATING/DELETING whatever the stored state is.
 */
export function describeRecord(
  record: TableRecord,
  stats: LiveStats = emptyStats,
  statusOverride?: TableStatus,
  nowMs = Date.now(),
): Record<string, unknown> {
  const stored = record.description
  const indexStats = (name: string): SizeStats => stats.indexes[name] ?? { count: 0, bytes: 0 }
  // CreateTable's answer (and a restore's) shows WarmThroughput only if the request set it.
  const creating = statusOverride === 'CREATING'
  const described: Record<string, unknown> = {
    // Sorted by name, as DynamoDB answers them (DDB-TABLE-125 of an API-quirks lab, against AWS, 2026-10).
    AttributeDefinitions: [...stored.AttributeDefinitions].sort((a, b) => byName(a.AttributeName, b.AttributeName)),
    TableName: stored.TableName,
    KeySchema: stored.KeySchema,
    TableStatus: statusOverride ?? describedStatus(record),
    CreationDateTime: stored.CreationDateTime,
    ProvisionedThroughput: describedThroughput(stored.ProvisionedThroughput, nowMs),
    TableSizeBytes: stats.table.bytes,
    ItemCount: stats.table.count,
    TableArn: stored.TableArn,
    TableId: stored.TableId,
  }
  if (stored.BillingModeSummary) described.BillingModeSummary = stored.BillingModeSummary
  if (stored.LocalSecondaryIndexes?.length) {
    described.LocalSecondaryIndexes = stored.LocalSecondaryIndexes.map((index) =>
      describeLocalIndex(index, indexStats(index.IndexName)))
  }
  if (stored.GlobalSecondaryIndexes?.length) {
    described.GlobalSecondaryIndexes = stored.GlobalSecondaryIndexes.map((index) =>
      describeGlobalIndex(index, indexStats(index.IndexName), billingModeOf(stored), creating, nowMs))
  }
  if (stored.VectorIndexes?.length) {
    described.VectorIndexes = stored.VectorIndexes.map((index) => describeVectorIndex(index, statusOverride ?? stored.TableStatus))
  }
  const optional = [
    'StreamSpecification', 'LatestStreamLabel', 'LatestStreamArn', 'SSEDescription',
    'TableClassSummary', 'RestoreSummary',
  ] as const
  for (const member of optional) {
    if (stored[member] !== undefined) described[member] = stored[member]
  }
  const warmThroughput = stored.WarmThroughput || !creating
    ? effectiveWarmThroughput(stored.WarmThroughput, billingModeOf(stored), stored.ProvisionedThroughput)
    : undefined
  if (record.replication) Object.assign(described, describeReplication(record.replication, stored.TableArn, warmThroughput))
  if (isDisassociable(record)) described.DisassociationProtectionEnabled = disassociationProtectionEnabled(record)
  described.DeletionProtectionEnabled = stored.DeletionProtectionEnabled
  if (stored.OnDemandThroughput) described.OnDemandThroughput = stored.OnDemandThroughput
  if (warmThroughput) described.WarmThroughput = warmThroughput
  return described
}
