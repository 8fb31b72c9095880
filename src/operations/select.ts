/**
 * The table or index a Query or Scan reads, and what its Select means there.
 */
import { ValidationException } from '../errors.js'
import { conditionPaths, topLevelAttributes, type Condition, type Projection } from '../expressions/index.js'
import { findIndex, type IndexSchema, type TableSchema } from '../tables/schema.js'
import type { PageRequest } from './read-pages.js'

export interface ReadTarget {
  index?: IndexSchema
  select: PageRequest['select']
}

export function readTarget(
  table: TableSchema, input: Record<string, any>, projection: Projection | undefined,
): ReadTarget {
  const index = input.IndexName === undefined ? undefined : findIndex(table, input.IndexName)
  if (input.IndexName !== undefined && !index) {
    throw new ValidationException(`The table does not have the specified index: ${input.IndexName}`)
  }
  if (index?.kind === 'global' && input.ConsistentRead === true) {
    throw new ValidationException('Consistent reads are not supported on global secondary indexes')
  }
  const select: PageRequest['select'] = input.Select ?? (projection ? 'SPECIFIC_ATTRIBUTES' : index ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES')
  if (select === 'ALL_ATTRIBUTES' && index?.kind === 'global' && index.projectionType !== 'ALL') {
    throw new ValidationException(`One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.name} because its projection type is not ALL`)
  }
  return { index, select }
}

/**
 * A global secondary index holds only its projected attributes, so a filter on any other
 * attribute could never match; DynamoDB rejects the request instead.
 */
export function checkFilterProjected(table: TableSchema, index: IndexSchema | undefined, filter: Condition | undefined): void {
  if (!index || !filter || index.kind !== 'global') return
  const missing = unprojectedFilterAttributes(table, index, filter)
  if (missing.length > 0) {
    throw new ValidationException(`One or more parameter values were invalid: Secondary index ${index.name} does not project one or more filter attributes: [${missing.join(', ')}]`)
  }
}

/** The attributes a filter reads that the index does not hold, sorted ([] for ALL projections). */
export function unprojectedFilterAttributes(table: TableSchema, index: IndexSchema, filter: Condition): string[] {
  if (index.projectionType === 'ALL') return []
  const projected = new Set([table.key.partitionKey, table.key.sortKey, index.key.partitionKey, index.key.sortKey])
  if (index.projectionType === 'INCLUDE') for (const name of index.nonKeyAttributes) projected.add(name)
  return [...new Set(topLevelAttributes(conditionPaths(filter)))].filter((name) => !projected.has(name)).sort()
}
