/**
 * Vector indexes: their definition in CreateTable, what the catalog stores, what DescribeTable
 * shows and what the data plane reads. A vector index keeps no rows of its own: SearchVectors
 * reads the table's items and ranks them (search.ts), so there is nothing to backfill or keep in
 * step, and an index is searchable as soon as its table is.
 *
 * The checks and their messages are DynamoDB's, as an AWS-validated suite recorded them
 * (nubo-db/dynamodb-conformance, tier3 vectorIndexes, eu-west-2, 2026-08-11).
 */
import { ValidationException } from '../errors.js'
import type { Projection } from '../tables/record.js'

const invalid = 'One or more parameter values were invalid: '

export const vectorIndexesPerTableMax = 5
export const vectorDimensionsMax = 4096

export type DistanceFunction = 'COSINE' | 'EUCLIDEAN' | 'DOT_PRODUCT'
export type SearchSchemaElementType = 'HASH' | 'INLINE_FILTER'

export interface SearchSchemaElement {
  AttributeName: string
  SearchSchemaElementType: SearchSchemaElementType
}

/** A VectorIndex of CreateTable, as request validation lets it through. */
export interface VectorIndexInput {
  IndexName: string
  VectorAttribute: { AttributeName: string }
  Dimensions: number
  DistanceFunction: DistanceFunction
  Projection: { ProjectionType?: string; NonKeyAttributes?: string[] }
  SearchSchema?: SearchSchemaElement[]
}

/** The stored form, in DescribeTable's spelling. */
export interface VectorIndexRecord {
  IndexName: string
  VectorAttribute: { AttributeName: string }
  Dimensions: number
  DistanceFunction: DistanceFunction
  Projection: Projection
  SearchSchema?: SearchSchemaElement[]
  IndexArn: string
  /**
   * An index added by UpdateTable is CREATING until `activeFromMs`: allocating (Backfilling
   * false) until `backfillFromMs`, then backfilling (index-updates.ts). Absent once ACTIVE, and on
   * an index created with its table, which follows the table's status.
   */
  IndexStatus?: 'CREATING'
  Backfilling?: boolean
  backfillFromMs?: number
  activeFromMs?: number
}

/** The data plane's view of one vector index. */
export interface VectorIndexSchema {
  name: string
  vectorAttribute: string
  dimensions: number
  distance: DistanceFunction
  projectionType: Projection['ProjectionType']
  nonKeyAttributes: string[]
  searchSchema: SearchSchemaElement[]
  /** An index added by UpdateTable and not ACTIVE yet: SearchVectors refuses it, in each phase's words. */
  phase?: 'allocating' | 'backfilling'
}

/**
 * CreateTable's checks of its VectorIndexes, after the table's own key and index checks. `defined`
 * lists the AttributeDefinitions; `otherIndexNames` the table's secondary indexes.
 */
export function checkVectorIndexes(
  indexes: readonly VectorIndexInput[] | undefined, billingMode: string | undefined, defined: readonly string[],
  otherIndexNames: ReadonlySet<string>,
): void {
  if (!indexes || indexes.length === 0) return
  if (billingMode !== 'PAY_PER_REQUEST') fail('Vector indexes are only supported for PAY_PER_REQUEST tables')
  if (indexes.length > vectorIndexesPerTableMax) fail(`VectorIndex count exceeds the per-table limit of ${vectorIndexesPerTableMax}`)
  const names = new Set(otherIndexNames)
  const dimensionsByAttribute = new Map<string, number>()
  for (const index of indexes) {
    if (index.Dimensions > vectorDimensionsMax) fail(`Number of dimensions must be between 1 and ${vectorDimensionsMax} inclusive.`)
    if (index.SearchSchema?.some((element) => !defined.includes(element.AttributeName))) {
      fail('One element in SearchSchema is not defined in attribute definitions')
    }
    if (names.has(index.IndexName)) fail(`Duplicate index name: ${index.IndexName}`)
    names.add(index.IndexName)
    const attribute = index.VectorAttribute.AttributeName
    const dimensions = dimensionsByAttribute.get(attribute)
    if (dimensions !== undefined && dimensions !== index.Dimensions) {
      fail(`Conflicting attribute definition for '${attribute}'. All VectorIndexes on the same vector attribute must use the same dimensions.`)
    }
    dimensionsByAttribute.set(attribute, index.Dimensions)
  }
}

/** The attribute definitions a vector index uses: its SearchSchema's (the vector attribute needs none). */
export function vectorIndexDefinitionsUsed(indexes: readonly VectorIndexInput[] | undefined): string[] {
  return (indexes ?? []).flatMap((index) => (index.SearchSchema ?? []).map((element) => element.AttributeName))
}

export function vectorIndexRecord(index: VectorIndexInput, tableArnText: string): VectorIndexRecord {
  const projection: Projection = { ProjectionType: (index.Projection.ProjectionType ?? 'ALL') as Projection['ProjectionType'] }
  if (index.Projection.NonKeyAttributes) projection.NonKeyAttributes = [...index.Projection.NonKeyAttributes]
  const record: VectorIndexRecord = {
    IndexName: index.IndexName,
    VectorAttribute: { AttributeName: index.VectorAttribute.AttributeName },
    Dimensions: index.Dimensions,
    DistanceFunction: index.DistanceFunction,
    Projection: projection,
    IndexArn: `${tableArnText}/index/${index.IndexName}`,
  }
  if (index.SearchSchema) {
    record.SearchSchema = index.SearchSchema.map(({ AttributeName, SearchSchemaElementType }) => ({ AttributeName, SearchSchemaElementType }))
  }
  return record
}

/** A stored index's definition alone, as a backup describes it and a restore or a check takes it. */
export function vectorIndexDefinitionOf(record: VectorIndexRecord): VectorIndexInput {
  const definition: VectorIndexInput = {
    IndexName: record.IndexName,
    VectorAttribute: record.VectorAttribute,
    Dimensions: record.Dimensions,
    DistanceFunction: record.DistanceFunction,
    Projection: record.Projection,
  }
  if (record.SearchSchema) definition.SearchSchema = record.SearchSchema
  return definition
}

export function vectorIndexSchemaOf(record: VectorIndexRecord): VectorIndexSchema {
  return {
    name: record.IndexName,
    vectorAttribute: record.VectorAttribute.AttributeName,
    dimensions: record.Dimensions,
    distance: record.DistanceFunction,
    projectionType: record.Projection.ProjectionType,
    nonKeyAttributes: record.Projection.NonKeyAttributes ?? [],
    searchSchema: record.SearchSchema ?? [],
    ...(record.IndexStatus === 'CREATING' ? { phase: record.Backfilling ? 'backfilling' : 'allocating' } : {}),
  }
}

/**
 * DescribeTable's VectorIndexDescription. An index created with its table is CREATING while the
 * table is, and reports no Backfilling; one added by UpdateTable reports Backfilling while
 * CREATING and none once ACTIVE (as DynamoDB's do). ItemCount and IndexSizeBytes are 0: DynamoDB refreshes them
 * about every six hours, and EddyDB keeps no index rows to count.
 */
export function describeVectorIndex(record: VectorIndexRecord, tableStatus: string): Record<string, unknown> {
  const creating = record.IndexStatus === 'CREATING' || tableStatus === 'CREATING'
  const described: Record<string, unknown> = { IndexName: record.IndexName }
  if (record.SearchSchema) described.SearchSchema = record.SearchSchema
  Object.assign(described, {
    Projection: record.Projection,
    VectorAttribute: record.VectorAttribute,
    Dimensions: record.Dimensions,
    DistanceFunction: record.DistanceFunction,
    IndexStatus: creating ? 'CREATING' : 'ACTIVE',
  })
  if (record.Backfilling !== undefined) described.Backfilling = record.Backfilling
  Object.assign(described, {
    IndexSizeBytes: 0,
    ItemCount: 0,
    IndexArn: record.IndexArn,
  })
  return described
}

/**
 * Moves the vector indexes added by UpdateTable through their phases by the clock. A pure function
 * of the stored record and the time, like the rest of settleRecord. Returns whether anything moved.
 */
export function settleVectorIndexes(indexes: VectorIndexRecord[] | undefined, nowMs: number): boolean {
  if (indexes === undefined) return false
  let moved = false
  for (const index of indexes) {
    if (index.IndexStatus !== 'CREATING') continue
    if (nowMs >= (index.activeFromMs ?? 0)) {
      delete index.IndexStatus
      delete index.Backfilling
      delete index.backfillFromMs
      delete index.activeFromMs
      moved = true
    } else if (!index.Backfilling && nowMs >= (index.backfillFromMs ?? 0)) {
      index.Backfilling = true
      moved = true
    }
  }
  return moved
}

function fail(message: string): never {
  throw new ValidationException(`${invalid}${message}`)
}
