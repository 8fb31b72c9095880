import type { OperationHandler } from '../api/context.js'
import type { DeleteItemInput } from '../shapes/delete-item.js'
import { normalizeItem } from '../values/attribute-value.js'
import { writeReply } from '../items/item-collection.js'
import { keyFromKeyParameter } from '../items/keys.js'
import { rejectNestedKeyPaths, writeRequestExpressions, writeUnderCondition } from '../items/request-expressions.js'
import { writeItem } from '../items/write-item.js'

/** DeleteItem: remove one item by key, optionally under a condition. Deleting nothing is not an error. */
export const deleteItem: OperationHandler<DeleteItemInput> = async (ctx, input) => {
  const { condition } = writeRequestExpressions(input)
  const table = ctx.catalog.require(input.TableName)
  rejectNestedKeyPaths(table, { condition })
  const key = keyFromKeyParameter(table, normalizeItem(input.Key))
  const result = await writeItem(ctx, table, key, writeUnderCondition(condition, null, input.ReturnValuesOnConditionCheckFailure))
  return writeReply(table, key, input, result.consumed, input.ReturnValues === 'ALL_OLD' ? result.previous : undefined)
}
