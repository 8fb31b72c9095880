/**
 * The new table a restore creates, from the source table's description (its current settings
 * for a point-in-time restore, those recorded in the backup otherwise) and the request's
 * overrides. What DynamoDB does not restore is left out: streams, TTL, tags, PITR itself,
 * deletion protection. The indexes may only be kept or dropped, never added.
 */
import { vectorIndexDefinitionOf, vectorIndexRecord, type VectorIndexRecord } from '../vectors/index-definition.js'
import { randomUUID } from 'node:crypto'
import { ValidationException } from '../errors.js'
import type { RestoreOverrides } from '../shapes/backups.js'
import { indexArn, tableArn } from '../tables/describe.js'
import { sseDescription, throughputDescription, type Placement } from '../tables/new-table.js'
import {
  billingModeOf, type BillingMode, type GlobalIndexRecord, type LocalIndexRecord, type RestoreSummary,
  type StoredDescription, type TableRecord, type ThroughputDescription,
} from '../tables/record.js'

const invalid = 'One or more parameter values were invalid: '

export interface RestoredTableOptions {
  /** Restores from a backup are always STANDARD; point-in-time restores keep the class. */
  keepTableClass: boolean
  summary: RestoreSummary
}

function keptIndexes<T extends { IndexName: string }>(
  kind: string, source: T[] | undefined, override: Array<{ IndexName: string }> | undefined,
): T[] {
  if (override === undefined) return source ?? []
  return override.map(({ IndexName }) => {
    const found = source?.find((index) => index.IndexName === IndexName)
    if (!found) throw new ValidationException(`${invalid}${kind} ${IndexName} is not present in the source table; indexes cannot be added at restore`)
    return found
  })
}

export function restoredTableRecord(
  source: StoredDescription, input: RestoreOverrides, placement: Placement, options: RestoredTableOptions,
): TableRecord {
  const billingMode: BillingMode = input.BillingModeOverride ?? billingModeOf(source)
  const arn = tableArn(placement.region, placement.accountId, input.TargetTableName)
  const nowSeconds = placement.nowMs / 1000
  const tableThroughput = throughputFor(billingMode, input.ProvisionedThroughputOverride, source.ProvisionedThroughput, 'ProvisionedThroughputOverride')
  const globalIndexes = keptIndexes('GlobalSecondaryIndex', source.GlobalSecondaryIndexes, input.GlobalSecondaryIndexOverride)
    .map((index): GlobalIndexRecord => {
      const override = input.GlobalSecondaryIndexOverride?.find((each) => each.IndexName === index.IndexName)
      const restored: GlobalIndexRecord = {
        IndexName: index.IndexName,
        KeySchema: index.KeySchema,
        Projection: index.Projection,
        IndexStatus: 'CREATING',
        ProvisionedThroughput: throughputFor(billingMode, override?.ProvisionedThroughput, index.ProvisionedThroughput, undefined, tableThroughput),
        IndexArn: indexArn(arn, index.IndexName),
      }
      const onDemand = override?.OnDemandThroughput ?? index.OnDemandThroughput
      if (billingMode === 'PAY_PER_REQUEST' && onDemand) restored.OnDemandThroughput = onDemand
      return restored
    })
  const localIndexes = keptIndexes('LocalSecondaryIndex', source.LocalSecondaryIndexes, input.LocalSecondaryIndexOverride)
    .map((index): LocalIndexRecord => ({ ...index, IndexArn: indexArn(arn, index.IndexName) }))
  // Vector indexes come along, or those VectorIndexOverride keeps, and need an on-demand table.
  const vectorIndexes = keptIndexes('VectorIndex', source.VectorIndexes, input.VectorIndexOverride)
    .map((index) => vectorIndexRecord(vectorIndexDefinitionOf(index), arn))
  if (vectorIndexes.length > 0 && billingMode !== 'PAY_PER_REQUEST') {
    throw new ValidationException(`${invalid}Vector indexes are only supported for PAY_PER_REQUEST tables`)
  }
  const description: StoredDescription = {
    AttributeDefinitions: usedAttributes(source, globalIndexes, localIndexes, vectorIndexes),
    TableName: input.TargetTableName,
    KeySchema: source.KeySchema,
    TableStatus: 'CREATING',
    CreationDateTime: nowSeconds,
    ProvisionedThroughput: tableThroughput,
    TableArn: arn,
    TableId: randomUUID(),
    BillingModeSummary: billingMode === 'PAY_PER_REQUEST'
      ? { BillingMode: billingMode, LastUpdateToPayPerRequestDateTime: nowSeconds }
      : { BillingMode: billingMode },
    DeletionProtectionEnabled: false,
    RestoreSummary: options.summary,
  }
  if (localIndexes.length > 0) description.LocalSecondaryIndexes = localIndexes
  if (globalIndexes.length > 0) description.GlobalSecondaryIndexes = globalIndexes
  if (vectorIndexes.length > 0) description.VectorIndexes = vectorIndexes
  const sse = input.SSESpecificationOverride ? sseDescription(input.SSESpecificationOverride, placement) : source.SSEDescription
  if (sse) description.SSEDescription = sse
  if (options.keepTableClass && source.TableClassSummary) description.TableClassSummary = { TableClass: source.TableClassSummary.TableClass }
  const onDemand = input.OnDemandThroughputOverride ?? source.OnDemandThroughput
  if (billingMode === 'PAY_PER_REQUEST' && onDemand) description.OnDemandThroughput = onDemand
  // Never settles by time: the restore sets settlesAtMs once every item is in.
  return { version: 1, description, settlesAtMs: Number.MAX_SAFE_INTEGER, tags: [] }
}

/**
 * Provisioned capacity for the new table or index: the override, else the source's, else (an
 * index of an on-demand source made provisioned) the table's own.
 */
function throughputFor(
  billingMode: BillingMode, override: { ReadCapacityUnits: number; WriteCapacityUnits: number } | undefined,
  source: ThroughputDescription, requiredMember?: string, fallback?: ThroughputDescription,
): ThroughputDescription {
  if (billingMode === 'PAY_PER_REQUEST') return throughputDescription(billingMode)
  if (override) return throughputDescription(billingMode, override)
  if (source.ReadCapacityUnits > 0) return throughputDescription(billingMode, source)
  if (fallback) return { ...fallback, NumberOfDecreasesToday: 0 }
  throw new ValidationException(`${invalid}${requiredMember ?? 'ProvisionedThroughputOverride'} is required when restoring an on-demand table as PROVISIONED`)
}

/** The attribute definitions the restored key schemas still use. */
function usedAttributes(
  source: StoredDescription, globalIndexes: GlobalIndexRecord[], localIndexes: LocalIndexRecord[], vectorIndexes: VectorIndexRecord[],
) {
  const used = new Set([source.KeySchema, ...globalIndexes.map((index) => index.KeySchema), ...localIndexes.map((index) => index.KeySchema)]
    .flat().map((element) => element.AttributeName))
  for (const index of vectorIndexes) for (const element of index.SearchSchema ?? []) used.add(element.AttributeName)
  return source.AttributeDefinitions.filter((definition) => used.has(definition.AttributeName))
}
