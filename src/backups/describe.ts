/** The wire shapes of a backup: BackupDetails, BackupDescription and BackupSummary. */
import { vectorIndexDefinitionOf } from '../vectors/index-definition.js'
import { billingModeOf } from '../tables/record.js'
import type { BackupRecord } from './backup-store.js'

const seconds = (ms: number): number => ms / 1000

export function backupDetails(backup: BackupRecord, status: string = backup.status): Record<string, unknown> {
  const details: Record<string, unknown> = {
    BackupArn: backup.backupArn,
    BackupName: backup.backupName,
  }
  if (backup.sizeBytes !== undefined) details.BackupSizeBytes = backup.sizeBytes
  Object.assign(details, {
    BackupStatus: status,
    BackupType: backup.backupType,
    BackupCreationDateTime: seconds(backup.createdMs),
  })
  if (backup.expiresMs !== undefined) details.BackupExpiryDateTime = seconds(backup.expiresMs)
  return details
}

function throughput(units: { ReadCapacityUnits: number; WriteCapacityUnits: number }) {
  return { ReadCapacityUnits: units.ReadCapacityUnits, WriteCapacityUnits: units.WriteCapacityUnits }
}

export function backupDescription(backup: BackupRecord, status: string = backup.status): Record<string, unknown> {
  const source = backup.source.description
  const tableDetails: Record<string, unknown> = {
    TableName: source.TableName,
    TableId: source.TableId,
    TableArn: source.TableArn,
    TableSizeBytes: backup.sizeBytes ?? 0,
    KeySchema: source.KeySchema,
    TableCreationDateTime: source.CreationDateTime,
    ProvisionedThroughput: throughput(source.ProvisionedThroughput),
    ItemCount: backup.itemCount ?? 0,
    BillingMode: billingModeOf(source),
  }
  if (source.OnDemandThroughput) tableDetails.OnDemandThroughput = source.OnDemandThroughput
  const features: Record<string, unknown> = {}
  if (source.LocalSecondaryIndexes?.length) {
    features.LocalSecondaryIndexes = source.LocalSecondaryIndexes.map(({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection }))
  }
  if (source.GlobalSecondaryIndexes?.length) {
    features.GlobalSecondaryIndexes = source.GlobalSecondaryIndexes.map(({ IndexName, KeySchema, Projection, ProvisionedThroughput, OnDemandThroughput }) =>
      OnDemandThroughput
        ? { IndexName, KeySchema, Projection, ProvisionedThroughput: throughput(ProvisionedThroughput), OnDemandThroughput }
        : { IndexName, KeySchema, Projection, ProvisionedThroughput: throughput(ProvisionedThroughput) })
  }
  if (source.VectorIndexes?.length) {
    features.VectorIndexes = source.VectorIndexes.map(vectorIndexDefinitionOf)
  }
  if (source.StreamSpecification) features.StreamDescription = source.StreamSpecification
  const ttl = backup.source.timeToLive
  if (ttl) features.TimeToLiveDescription = { TimeToLiveStatus: ttl.Enabled ? 'ENABLED' : 'DISABLED', AttributeName: ttl.AttributeName }
  if (source.SSEDescription) features.SSEDescription = source.SSEDescription
  return {
    BackupDetails: backupDetails(backup, status),
    SourceTableDetails: tableDetails,
    SourceTableFeatureDetails: features,
  }
}

export function backupSummary(backup: BackupRecord): Record<string, unknown> {
  const source = backup.source.description
  const summary: Record<string, unknown> = {
    TableName: source.TableName,
    TableId: source.TableId,
    TableArn: source.TableArn,
    BackupArn: backup.backupArn,
    BackupName: backup.backupName,
    BackupCreationDateTime: seconds(backup.createdMs),
  }
  if (backup.expiresMs !== undefined) summary.BackupExpiryDateTime = seconds(backup.expiresMs)
  Object.assign(summary, {
    BackupStatus: backup.status,
    BackupType: backup.backupType,
    BackupSizeBytes: backup.sizeBytes ?? 0,
  })
  return summary
}
