/**
 * The table or index a Query or Scan reads, and what its Select means there.
 */
import { ValidationException } from '../errors.js'
import type { Projection } from '../expressions/index.js'
import { findIndex, type IndexSchema, type TableSchema } from '../tables/schema.js'
import type { PageRequest } from './read-pages.js'

export interface ReadTarget {
  index?: IndexSchema
  select: PageRequest['select']
}

export function readTarget(
  table: TableSchema, input: Record<string, any>, projection: Projection | undefined, verb: 'Querying' | 'Scanning',
): ReadTarget {
  const index = input.IndexName === undefined ? undefined : findIndex(table, input.IndexName)
  if (input.IndexName !== undefined && !index) {
    throw new ValidationException(`The table does not have the specified index: ${input.IndexName}`)
  }
  if (index?.kind === 'global' && input.ConsistentRead === true) {
    throw new ValidationException('Consistent reads are not supported on global secondary indexes')
  }
  const select: PageRequest['select'] = input.Select ?? (projection ? 'SPECIFIC_ATTRIBUTES' : index ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES')
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && !index) {
    throw new ValidationException(`ALL_PROJECTED_ATTRIBUTES can be used only when ${verb} using an IndexName`)
  }
  if (select === 'ALL_ATTRIBUTES' && index?.kind === 'global' && index.projectionType !== 'ALL') {
    throw new ValidationException(`One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.name} because its projection type is not ALL`)
  }
  return { index, select }
}
