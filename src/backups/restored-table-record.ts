/**
 * The new table a restore creates, from the source table's description (its current settings
 * for a point-in-time restore, those recorded in the backup otherwise) and the request's
 * overrides. What DynamoDB does not restore is left out: streams, TTL, tags, PITR itself,
 * deletion protection, the table class (a restored table is STANDARD, DDB-TABLE-215 of an API-quirks lab). The indexes may only be kept (renamed, too) or dropped, never added.
 */
import { vectorIndexDefinitionOf, vectorIndexRecord, type VectorIndexRecord } from '../vectors/index-definition.js'
import { randomUUID } from 'node:crypto'
import { isDeepStrictEqual } from 'node:util'
import { ValidationException } from '../errors.js'
import type { RestoreOverrides } from '../shapes/backups.js'
import { setsOnDemandMaximum } from '../tables/capacity-update.js'
import { indexArn, tableArn } from '../tables/describe.js'
import { sseDescription, throughputDescription, type Placement } from '../tables/new-table.js'
import {
  billingModeOf, filledByJobSettlesAtMs, type BillingMode, type GlobalIndexRecord, type LocalIndexRecord, type RestoreSummary,
  type StoredDescription, type TableRecord, type ThroughputDescription,
} from '../tables/record.js'

const invalid = 'One or more parameter values were invalid: '

export interface RestoredTableOptions {
  summary: RestoreSummary
}

const invalidRequest = 'Invalid Request: '

/** What an index override names: the index, and the keys and projection it must have. */
interface IndexOverride {
  IndexName: string
  KeySchema?: unknown
  Projection?: unknown
}

/**
 * The source's secondary indexes an override keeps (all of them without one). DynamoDB matches an
 * override by its keys and projection, so one may rename an index, but an index that differs, or
 * that the source did not have, cannot be made at restore (an API-quirks lab, against AWS,
 * 2026-10, DDB-TABLE-280).
 */
function keptSecondaryIndexes<T extends { IndexName: string; KeySchema: unknown; Projection: unknown }>(
  source: T[] | undefined, override: IndexOverride[] | undefined,
): T[] {
  if (override === undefined) return source ?? []
  const unused = [...source ?? []]
  return override.map((wanted) => {
    const same = (index: T) => (wanted.KeySchema === undefined || isDeepStrictEqual(index.KeySchema, wanted.KeySchema)) &&
      (wanted.Projection === undefined || isDeepStrictEqual(index.Projection, wanted.Projection))
    const found = unused.find((index) => index.IndexName === wanted.IndexName) ?? unused.find(same)
    if (!found || !same(found)) {
      throw new ValidationException(`${invalidRequest}Index ${wanted.IndexName} does not match a secondary index that existed in the source table and cannot be created during the restore operation`)
    }
    unused.splice(unused.indexOf(found), 1)
    return { ...found, IndexName: wanted.IndexName }
  })
}

/** Vector indexes an override keeps, by name. */
function keptVectorIndexes(source: VectorIndexRecord[] | undefined, override: Array<{ IndexName: string }> | undefined): VectorIndexRecord[] {
  if (override === undefined) return source ?? []
  return override.map(({ IndexName }) => {
    const found = source?.find((index) => index.IndexName === IndexName)
    if (!found) throw new ValidationException(`${invalid}VectorIndex ${IndexName} is not present in the source table; indexes cannot be added at restore`)
    return found
  })
}

/** DynamoDB's checks of the capacity overrides against the billing mode (DDB-TABLE-273 of the same lab). */
function checkCapacityOverrides(input: RestoreOverrides, billingMode: BillingMode): void {
  if (input.BillingModeOverride === 'PROVISIONED' && input.ProvisionedThroughputOverride === undefined) {
    throw new ValidationException(`${invalidRequest}Must override ProvisionedThroughput if BillingMode is overridden to PROVISIONED`)
  }
  if (billingMode === 'PAY_PER_REQUEST' && input.ProvisionedThroughputOverride !== undefined) {
    throw new ValidationException(input.BillingModeOverride === 'PAY_PER_REQUEST'
      ? `${invalidRequest}Cannot override ProvisionedThroughput if BillingMode is overridden to PAY_PER_REQUEST`
      : `${invalidRequest}Cannot override ProvisionedThroughput unless BillingMode is PROVISIONED`)
  }
  const onDemand = input.OnDemandThroughputOverride
  if (setsOnDemandMaximum(onDemand) && billingMode === 'PROVISIONED') {
    throw new ValidationException(`${invalidRequest}Cannot override MaxReadRequestUnits for OnDemandThroughput unless BillingModeOverride is PAY_PER_REQUEST`)
  }
  if ([onDemand?.MaxReadRequestUnits, onDemand?.MaxWriteRequestUnits].some((value) => value !== undefined && value < 1)) {
    throw new ValidationException(`${invalidRequest}Requested MaxReadRequestUnits for OnDemandThroughput is outside of valid range`)
  }
  for (const index of input.GlobalSecondaryIndexOverride ?? []) {
    if (billingMode === 'PROVISIONED' && index.ProvisionedThroughput === undefined) {
      throw new ValidationException(`${invalidRequest}Must specify provisioned throughput for index ${index.IndexName}`)
    }
    if (input.BillingModeOverride === 'PAY_PER_REQUEST' && index.ProvisionedThroughput !== undefined) {
      throw new ValidationException(`${invalidRequest}Cannot override ProvisionedThroughput if BillingMode is overridden to PAY_PER_REQUEST for index ${index.IndexName}`)
    }
  }
}

export function restoredTableRecord(
  source: StoredDescription, input: RestoreOverrides, placement: Placement, options: RestoredTableOptions,
): TableRecord {
  const billingMode: BillingMode = input.BillingModeOverride ?? billingModeOf(source)
  checkCapacityOverrides(input, billingMode)
  const arn = tableArn(placement.region, placement.accountId, input.TargetTableName)
  const nowSeconds = placement.nowMs / 1000
  const tableThroughput = throughputFor(billingMode, input.ProvisionedThroughputOverride, source.ProvisionedThroughput, 'ProvisionedThroughputOverride')
  const globalIndexes = keptSecondaryIndexes(source.GlobalSecondaryIndexes, input.GlobalSecondaryIndexOverride)
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
      // `{}` sets nothing, as in DynamoDB.
      const onDemand = setsOnDemandMaximum(override?.OnDemandThroughput) ? override!.OnDemandThroughput : index.OnDemandThroughput
      if (billingMode === 'PAY_PER_REQUEST' && onDemand) restored.OnDemandThroughput = onDemand
      return restored
    })
  const localIndexes = keptSecondaryIndexes(source.LocalSecondaryIndexes, input.LocalSecondaryIndexOverride)
    .map((index): LocalIndexRecord => ({ ...index, IndexArn: indexArn(arn, index.IndexName) }))
  // Vector indexes come along, or those VectorIndexOverride keeps, and need an on-demand table.
  const vectorIndexes = keptVectorIndexes(source.VectorIndexes, input.VectorIndexOverride)
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
  const onDemand = setsOnDemandMaximum(input.OnDemandThroughputOverride) ? input.OnDemandThroughputOverride : source.OnDemandThroughput
  if (billingMode === 'PAY_PER_REQUEST' && onDemand) description.OnDemandThroughput = onDemand
  // Never settles by time: the restore sets settlesAtMs once every item is in.
  return { version: 1, description, settlesAtMs: filledByJobSettlesAtMs, tags: [] }
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
