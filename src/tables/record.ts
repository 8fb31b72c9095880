/**
 * The stored form of a table: what the catalog row's JSON holds. It is the TableDescription
 * DynamoDB returns (wire spelling, so describing a table is mostly copying), minus the live
 * numbers (ItemCount, sizes), plus what DescribeTable does not show: tags, the TTL setting
 * and the times at which CREATING/UPDATING states settle.
 */
import type { ScalarKeyType } from '../values/types.js'
import type { IndexKeyNames, IndexSchema, KeyNames, ProjectionType, TableSchema } from './schema.js'
import type { ReplicationRecord } from '../replication/replica-set.js'
import type { SettingsKind } from '../replication/settings-delivery.js'
import type { ItemVersion } from '../replication/versions.js'
import { settleVectorIndexes, vectorIndexSchemaOf, type VectorIndexRecord } from '../vectors/index-definition.js'
import { setMember } from '../values/members.js'

export type KeyType = 'HASH' | 'RANGE'
export type TableStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING'
export type IndexStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING'
export type BillingMode = 'PROVISIONED' | 'PAY_PER_REQUEST'
export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES'

export interface KeySchemaElement {
  AttributeName: string
  KeyType: KeyType
}

export interface AttributeDefinition {
  AttributeName: string
  AttributeType: ScalarKeyType
}

export interface Projection {
  ProjectionType: ProjectionType
  NonKeyAttributes?: string[]
}

/** Provisioned capacity as DescribeTable shows it; 0/0 for on-demand tables. */
export interface ThroughputDescription {
  LastIncreaseDateTime?: number
  LastDecreaseDateTime?: number
  NumberOfDecreasesToday: number
  ReadCapacityUnits: number
  WriteCapacityUnits: number
}

export interface OnDemandThroughput {
  MaxReadRequestUnits?: number
  MaxWriteRequestUnits?: number
}

export interface WarmThroughputDescription {
  ReadUnitsPerSecond?: number
  WriteUnitsPerSecond?: number
  Status: string
}

export interface GlobalIndexRecord {
  IndexName: string
  KeySchema: KeySchemaElement[]
  Projection: Projection
  IndexStatus: IndexStatus
  /** True while an index added by UpdateTable is being filled from the existing items. */
  Backfilling?: boolean
  ProvisionedThroughput: ThroughputDescription
  OnDemandThroughput?: OnDemandThroughput
  WarmThroughput?: WarmThroughputDescription
  IndexArn: string
}

export interface LocalIndexRecord {
  IndexName: string
  KeySchema: KeySchemaElement[]
  Projection: Projection
  IndexArn: string
}

export interface StreamSpecification {
  StreamEnabled: boolean
  StreamViewType?: StreamViewType
}

export interface SseDescription {
  Status: 'ENABLED' | 'DISABLED' | 'ENABLING' | 'DISABLING' | 'UPDATING'
  SSEType?: 'KMS' | 'AES256'
  KMSMasterKeyArn?: string
}

export interface Tag {
  Key: string
  Value: string
}

/** The TableDescription fields that are stored (everything except live statistics). */
export interface StoredDescription {
  AttributeDefinitions: AttributeDefinition[]
  TableName: string
  KeySchema: KeySchemaElement[]
  TableStatus: TableStatus
  CreationDateTime: number
  ProvisionedThroughput: ThroughputDescription
  TableArn: string
  TableId: string
  BillingModeSummary?: { BillingMode: BillingMode; LastUpdateToPayPerRequestDateTime?: number }
  LocalSecondaryIndexes?: LocalIndexRecord[]
  GlobalSecondaryIndexes?: GlobalIndexRecord[]
  /** Vector indexes (src/vectors/): definitions only, SearchVectors reads the table's items. */
  VectorIndexes?: VectorIndexRecord[]
  StreamSpecification?: StreamSpecification
  LatestStreamLabel?: string
  LatestStreamArn?: string
  SSEDescription?: SseDescription
  TableClassSummary?: { TableClass: string; LastUpdateDateTime?: number }
  DeletionProtectionEnabled: boolean
  OnDemandThroughput?: OnDemandThroughput
  WarmThroughput?: WarmThroughputDescription
  /** Set on a table made by a restore (src/backups/restore-table.ts). */
  RestoreSummary?: RestoreSummary
}

export interface RestoreSummary {
  SourceBackupArn?: string
  SourceTableArn?: string
  /** Epoch seconds of the instant restored. */
  RestoreDateTime: number
  /** True while the items are being copied in: the table stays CREATING meanwhile. */
  RestoreInProgress: boolean
}

export interface TimeToLiveSetting {
  AttributeName: string
  Enabled: boolean
}

export interface ContributorInsightsSetting {
  Status: 'ENABLED' | 'DISABLED'
  Mode: 'ACCESSED_AND_THROTTLED_KEYS' | 'THROTTLED_KEYS'
  /** Epoch milliseconds of the last change. */
  changedAtMs: number
  /**
   * When the rules were made, which their names carry: at enabling, and again when the mode
   * widens; a narrowed mode keeps the rules it keeps (DDB-TABLE-341). Absent in settings stored
   * before it was kept: changedAtMs then.
   */
  rulesMadeAtMs?: number
}

export interface TableRecord {
  /** Bumped if the stored shape ever changes incompatibly. */
  version: 1
  description: StoredDescription
  /** Milliseconds since the epoch at which a CREATING or UPDATING table becomes ACTIVE. */
  settlesAtMs: number
  tags: Tag[]
  /** Owned by UpdateTimeToLive; absent means TTL was never enabled. */
  timeToLive?: TimeToLiveSetting
  /**
   * Owned by UpdateContributorInsights (operations/contributor-insights.ts): the table's setting
   * under '' and each global index's under its name; absent ones were never enabled.
   */
  contributorInsights?: Record<string, ContributorInsightsSetting>
  /** Owned by global tables (src/replication/): the replica group, present while the table is global. */
  replication?: ReplicationRecord
  /** A replica's disassociation protection turned off (replication/disassociate.ts); it is on by default and goes with the group. */
  disassociationProtectionDisabled?: true
  /** New with every stored change (definition-version.ts); absent in records stored before versions. */
  definitionVersion?: string
  /** Versions of the settings a global table keeps the same on every replica (replication/settings-delivery.ts). */
  settingsVersions?: Partial<Record<SettingsKind, ItemVersion>>
}

/**
 * settlesAtMs of a table that a job fills (a restore, an import): it stays CREATING until the job
 * has put in every item and settles it, and no request reads or writes its items meanwhile.
 */
export const filledByJobSettlesAtMs = Number.MAX_SAFE_INTEGER

/** Whether a restore or an import is still putting the table's items in. */
export function isBeingFilled(record: TableRecord): boolean {
  return record.settlesAtMs === filledByJobSettlesAtMs
}

/**
 * A deleted global index's own settings (its Contributor Insights, each replica's overrides for
 * it) go with it, not to an index made later under its name.
 */
export function forgetDeletedIndexes(draft: TableRecord, deleted: readonly string[]): void {
  if (deleted.length === 0) return
  for (const name of deleted) delete draft.contributorInsights?.[name]
  for (const replica of draft.replication?.replicas ?? []) {
    if (!replica.GlobalSecondaryIndexes) continue
    const kept = replica.GlobalSecondaryIndexes.filter((index) => !deleted.includes(index.IndexName as string))
    if (kept.length > 0) replica.GlobalSecondaryIndexes = kept
    else delete replica.GlobalSecondaryIndexes
  }
}

/** The billing mode of a stored description (PROVISIONED unless a summary says otherwise). */
export function billingModeOf(description: StoredDescription): BillingMode {
  return description.BillingModeSummary?.BillingMode ?? 'PROVISIONED'
}

/** A deep copy, so that a failed update never leaves a half-changed record in memory. */
export function cloneRecord(record: TableRecord): TableRecord {
  return structuredClone(record)
}

/**
 * Moves time-driven states forward: a CREATING or UPDATING table (and the indexes created
 * with it) becomes ACTIVE once `settlesAtMs` has passed. Indexes being backfilled stay
 * CREATING until the backfill marks them ACTIVE. Returns whether anything changed.
 */
export function settleRecord(record: TableRecord, nowMs: number): boolean {
  const vectorIndexesMoved = settleVectorIndexes(record.description.VectorIndexes, nowMs)
  return settleTable(record, nowMs) || vectorIndexesMoved
}

function settleTable(record: TableRecord, nowMs: number): boolean {
  const description = record.description
  if (description.TableStatus !== 'CREATING' && description.TableStatus !== 'UPDATING') return false
  if (nowMs < record.settlesAtMs) return false
  description.TableStatus = 'ACTIVE'
  for (const index of description.GlobalSecondaryIndexes ?? []) {
    if (index.IndexStatus === 'UPDATING' || (index.IndexStatus === 'CREATING' && !index.Backfilling)) {
      index.IndexStatus = 'ACTIVE'
    }
  }
  return true
}

function keyNamesOf(keySchema: KeySchemaElement[]): KeyNames {
  const partitionKey = keySchema.find((element) => element.KeyType === 'HASH')!.AttributeName
  const sortKey = keySchema.find((element) => element.KeyType === 'RANGE')?.AttributeName
  return sortKey === undefined ? { partitionKey } : { partitionKey, sortKey }
}

function indexKeyNamesOf(keySchema: KeySchemaElement[]): IndexKeyNames {
  const namesOf = (keyType: KeyType) =>
    keySchema.filter((element) => element.KeyType === keyType).map((element) => element.AttributeName)
  return { partitionKeys: namesOf('HASH'), sortKeys: namesOf('RANGE') }
}

function indexSchemaOf(
  index: GlobalIndexRecord | LocalIndexRecord,
  kind: 'global' | 'local',
): IndexSchema {
  return {
    name: index.IndexName,
    kind,
    key: indexKeyNamesOf(index.KeySchema),
    projectionType: index.Projection.ProjectionType,
    nonKeyAttributes: index.Projection.NonKeyAttributes ?? [],
    status: 'IndexStatus' in index ? index.IndexStatus : 'ACTIVE',
    backfilling: 'Backfilling' in index && index.Backfilling === true,
  }
}

/** The data plane's view of a stored table. */
export function schemaOf(record: TableRecord): TableSchema {
  const description = record.description
  const attributeTypes: Record<string, ScalarKeyType> = {}
  for (const definition of description.AttributeDefinitions) {
    setMember(attributeTypes, definition.AttributeName, definition.AttributeType)
  }
  // In name order, local and global together: DynamoDB checks an item's index keys index by index
  // in that order, so an attribute that keys several indexes is reported under the first name
  // (nubo-db/dynamodb-conformance's index key messages, recorded against AWS: "IndexName: gsi1" for
  // an attribute keying lsi1, gsi1 and gsi2).
  const indexes = [
    ...(description.LocalSecondaryIndexes ?? []).map((index) => indexSchemaOf(index, 'local')),
    ...(description.GlobalSecondaryIndexes ?? []).map((index) => indexSchemaOf(index, 'global')),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const stream = description.StreamSpecification
  const schema: TableSchema = {
    name: description.TableName,
    tableId: description.TableId,
    arn: description.TableArn,
    key: keyNamesOf(description.KeySchema),
    attributeTypes,
    indexes,
    vectorIndexes: (description.VectorIndexes ?? []).map(vectorIndexSchemaOf),
    streamEnabled: stream?.StreamEnabled === true,
    billingMode: billingModeOf(description),
    status: description.TableStatus,
  }
  if (stream?.StreamEnabled && stream.StreamViewType) schema.streamViewType = stream.StreamViewType
  if (record.timeToLive?.Enabled) schema.ttlAttribute = record.timeToLive.AttributeName
  if (record.replication) schema.replicated = true
  if (record.replication?.consistency === 'STRONG') schema.strongConsistency = true
  if (record.definitionVersion !== undefined) schema.definitionVersion = record.definitionVersion
  return schema
}
