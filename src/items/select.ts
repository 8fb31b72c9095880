/**
 * The table or index a Query or Scan reads, and what its Select means there.
 */
import { ValidationException } from '../errors.js'
import { conditionPaths, topLevelAttributes, type Condition, type DocumentPath, type Projection } from '../expressions/index.js'
import { findIndex, indexKeyAttributeNames, type IndexSchema, type TableSchema } from '../tables/schema.js'
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
  // Half-filled, the index would answer with some of its items and no error.
  if (index?.backfilling) throw new ValidationException(`Cannot read from backfilling global secondary index: ${index.name}`)
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
 * An index holds only its projected attributes. A Query on an index whose filter reads any other
 * attribute is rejected (for local indexes too: filters are not served from the table), while a
 * Scan simply filters the projected items. A global index cannot return what it does not
 * project, so naming such an attribute in the projection is rejected for both.
 */
export function checkIndexAttributes(
  table: TableSchema, index: IndexSchema | undefined, filter: Condition | undefined,
  projection: Projection | undefined, operation: 'Query' | 'Scan',
): void {
  if (!index || index.projectionType === 'ALL') return
  if (filter && operation === 'Query') {
    const missing = unprojectedAttributes(table, index, conditionPaths(filter))
    if (missing.length > 0) {
      throw new ValidationException(`One or more parameter values were invalid: Secondary index ${index.name} does not project one or more filter attributes: [${missing.join(', ')}]`)
    }
  }
  if (projection && index.kind === 'global') {
    const missing = unprojectedAttributes(table, index, projection.paths)
    if (missing.length > 0) {
      throw new ValidationException(`One or more parameter values were invalid: Global secondary index ${index.name} does not project [${missing.join(', ')}]`)
    }
  }
}

/** The top-level attributes of `paths` that the index does not hold, sorted and unique. */
export function unprojectedAttributes(table: TableSchema, index: IndexSchema, paths: DocumentPath[]): string[] {
  const projected = new Set([table.key.partitionKey, table.key.sortKey, ...indexKeyAttributeNames(index)])
  if (index.projectionType === 'INCLUDE') for (const name of index.nonKeyAttributes) projected.add(name)
  return [...new Set(topLevelAttributes(paths))].filter((name) => !projected.has(name)).sort()
}
