// Reading table descriptions: the list page, the table page and the PartiQL page share these.
import { allPages, dynamo } from './api.js'

export async function listTableNames(region) {
  return allPages(
    (start) => dynamo('ListTables', start ? { ExclusiveStartTableName: start } : {}, region),
    (page) => page.LastEvaluatedTableName, (page) => page.TableNames,
  )
}

/**
 * DescribeTable plus the TTL and PITR settings, which DynamoDB keeps apart (either is left out
 * when the key may not read it).
 */
export async function describeTable(name, region) {
  const [{ Table }, ttl, backups] = await Promise.all([
    dynamo('DescribeTable', { TableName: name }, region),
    dynamo('DescribeTimeToLive', { TableName: name }, region).catch(() => ({})),
    dynamo('DescribeContinuousBackups', { TableName: name }, region).catch(() => ({})),
  ])
  return { ...Table, ttl: ttl.TimeToLiveDescription, pitr: backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription }
}

export const keyNames = (keySchema) => ({
  partition: keySchema.find((key) => key.KeyType === 'HASH')?.AttributeName,
  sort: keySchema.find((key) => key.KeyType === 'RANGE')?.AttributeName,
})

export const attributeType = (table, name) => table.AttributeDefinitions.find((each) => each.AttributeName === name)?.AttributeType ?? 'S'

/** The table and its indexes, as the items page offers them: { name, keySchema, label }. */
export function indexChoices(table) {
  return [
    { name: '', keySchema: table.KeySchema, label: `Table: ${table.TableName}` },
    ...(table.GlobalSecondaryIndexes ?? []).map((index) => ({ name: index.IndexName, keySchema: index.KeySchema, label: `GSI: ${index.IndexName}` })),
    ...(table.LocalSecondaryIndexes ?? []).map((index) => ({ name: index.IndexName, keySchema: index.KeySchema, label: `LSI: ${index.IndexName}` })),
  ]
}

export const ttlText = (ttl) => (ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING' ? `${ttl.AttributeName}` : 'Off')
export const streamText = (table) => (table.StreamSpecification?.StreamEnabled ? table.StreamSpecification.StreamViewType : 'Off')
export const billingText = (table) => (table.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST' ? 'On-demand'
  : `Provisioned (${table.ProvisionedThroughput?.ReadCapacityUnits ?? 0} RCU / ${table.ProvisionedThroughput?.WriteCapacityUnits ?? 0} WCU)`)
export const pitrText = (pitr) => (pitr === undefined ? '' : pitr.PointInTimeRecoveryStatus === 'ENABLED' ? `${pitr.RecoveryPeriodInDays} days` : 'Off')
export const replicaText = (table, region) => (table.Replicas ?? []).map((replica) => replica.RegionName).filter((name) => name !== region).join(', ') || '—'
