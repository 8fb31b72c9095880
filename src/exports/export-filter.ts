/**
 * A filtered export (ExportTableToPointInTime's FilterSpecification, DynamoDB's "Filtering a table
 * export"): a key condition with Query's syntax and rules (one partition key value, an optional
 * sort key condition, no other attribute), a filter with Scan's (only non-key attributes beside a
 * key condition) and a projection, with their names and values. Checked when the export is
 * asked for, with Query's messages; applied to each item a full export writes and, in an
 * incremental export, to each changed key's latest image (its old image when it was deleted), the
 * projection then applying to both images.
 */
import { applyProjection, evaluateCondition, matchKeyCondition, type Condition, type Projection } from '../expressions/index.js'
import type { KeyCondition } from '../expressions/key-condition.js'
import { checkKeyConditionTypes, rejectKeyAttributesInFilter } from '../items/key-condition-checks.js'
import { rejectNestedKeyPaths, requestExpressions } from '../items/request-expressions.js'
import { asIndexKeyNames, type TableSchema } from '../tables/schema.js'
import type { Item } from '../values/types.js'

export interface FilterSpecification {
  FilterExpression?: string
  ProjectionExpression?: string
  KeyConditionExpression?: string
  ExpressionAttributeNames?: Record<string, string>
  ExpressionAttributeValues?: Item
}

export interface ExportFilter {
  keyCondition?: Condition
  filter?: Condition
  projection?: Projection
}

/** The specification compiled; ValidationException (Query's words) for what Query would refuse. */
export function exportFilterOf(spec: FilterSpecification, table?: TableSchema): ExportFilter {
  const { keyCondition: keys, filter, projection } = requestExpressions(spec)
  const keyCondition = keys && asCondition(keys)
  if (table) {
    rejectNestedKeyPaths(table, { filter, projection })
    if (keys) {
      const keyNames = asIndexKeyNames(table.key)
      checkKeyConditionTypes(table, keyNames, matchKeyCondition(keys, keyNames))
      if (filter) rejectKeyAttributesInFilter(filter, keyNames, 'Filter Expression')
    }
  }
  return { keyCondition, filter, projection }
}

const comparators = { EQ: '=', LT: '<', LE: '<=', GT: '>', GE: '>=' } as const

/** A key condition as the condition it was written as, to test items one by one (a Query reads a key range instead). */
function asCondition(keys: KeyCondition): Condition {
  const parts = keys.conditions.map(({ attribute, condition }): Condition => {
    const operand = { kind: 'path' as const, path: [attribute] }
    const value = (value: Item[string]) => ({ kind: 'value' as const, value })
    switch (condition.op) {
      case 'BETWEEN': return { kind: 'between', operand, low: value(condition.low), high: value(condition.high) }
      case 'BEGINS_WITH': return { kind: 'begins_with', operand, prefix: value(condition.value) }
      default: return { kind: 'compare', comparator: comparators[condition.op], left: operand, right: value(condition.value) }
    }
  })
  return parts.reduce((left, right) => ({ kind: 'and', left, right }))
}

/** Whether an item goes into the export. */
export function exportsItem(filter: ExportFilter, item: Item): boolean {
  return (!filter.keyCondition || evaluateCondition(filter.keyCondition, item)) && (!filter.filter || evaluateCondition(filter.filter, item))
}

/** The part of an exported item that is written. */
export function projectedForExport(filter: ExportFilter, item: Item): Item {
  return filter.projection ? applyProjection(filter.projection, item) : item
}
