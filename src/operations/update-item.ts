import type { OperationHandler } from '../api/context.js'
import { ValidationException } from '../errors.js'
import {
  applyUpdate, projectPaths, topLevelAttributes, updatePlanAllPaths, updatePlanPaths, type DocumentPath, type UpdatePlan,
} from '../expressions/index.js'
import type { TableSchema } from '../tables/schema.js'
import { normalizeItem } from '../values/attribute-value.js'
import type { Item } from '../values/types.js'
import { writeReply } from './item-collection.js'
import { checkIndexKeys, keyFromKeyParameter } from './keys.js'
import { checkCondition, requestExpressions } from './request-expressions.js'
import { writeItem } from './write-item.js'

const oversizeMessage = 'Item size to update has exceeded the maximum allowed size'

/**
 * UpdateItem: edit attributes of one item, creating it (with just its key and the updates)
 * when it does not exist.
 */
export const updateItem: OperationHandler = async (ctx, input) => {
  const { condition, update } = requestExpressions(input)
  const table = ctx.catalog.require(input.TableName)
  const key = keyFromKeyParameter(table, normalizeItem(input.Key))
  if (update) rejectKeyUpdates(table, update)
  let updatedPaths: DocumentPath[] = []
  const { previous, next, consumed } = await writeItem(ctx, table, key, (current) => {
    checkCondition(condition, current, input.ReturnValuesOnConditionCheckFailure)
    const base = current ?? { ...key.attributes }
    if (!update) return base
    const result = applyUpdate(update, base, { itemExists: current !== undefined })
    updatedPaths = result.updatedPaths
    checkIndexKeys(table, result.item)
    return result.item
  }, { oversizeMessage })
  return writeReply(table, key, input, consumed, returnedAttributes(input.ReturnValues, previous, next, updatedPaths))
}

export function rejectKeyUpdates(table: TableSchema, update: UpdatePlan): void {
  for (const name of topLevelAttributes(updatePlanPaths(update))) {
    if (name === table.key.partitionKey || name === table.key.sortKey) {
      throw new ValidationException(`One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`)
    }
  }
  rejectNestedIndexKeyPaths(table, update)
}

/**
 * An index key is always a scalar, so `x.y` or `x[0]` anywhere in the update expression is
 * rejected when x is a key of a secondary index (as Alternator's test_gsi.py records).
 */
function rejectNestedIndexKeyPaths(table: TableSchema, update: UpdatePlan): void {
  const indexKeys = new Set(table.indexes.flatMap((index) => [index.key.partitionKey, index.key.sortKey]))
  for (const path of updatePlanAllPaths(update)) {
    const head = path[0]
    if (path.length > 1 && typeof head === 'string' && indexKeys.has(head)) {
      throw new ValidationException("Key attributes must be scalars; list random access '[]' and map lookup '.' " +
        `are not allowed: IndexKey: ${head}`)
    }
  }
}

function returnedAttributes(returnValues: string | undefined, previous: Item | undefined, next: Item | undefined, paths: DocumentPath[]): Item | undefined {
  switch (returnValues) {
    case 'ALL_OLD': return previous
    case 'ALL_NEW': return next
    case 'UPDATED_OLD': return previous && projectPaths(previous, paths)
    case 'UPDATED_NEW': return next && projectPaths(next, paths)
    default: return undefined
  }
}
