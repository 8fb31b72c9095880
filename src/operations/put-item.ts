import type { OperationHandler } from '../api/context.js'
import type { PutItemInput } from '../shapes/put-item.js'
import { normalizeItem } from '../values/attribute-value.js'
import { keyFromItem } from '../items/keys.js'
import { writeReply } from '../items/item-collection.js'
import { rejectNestedKeyPaths, writeRequestExpressions, writeUnderCondition } from '../items/request-expressions.js'
import { writeItem } from '../items/write-item.js'

/** PutItem: create or replace a whole item, optionally under a condition. */
export const putItem: OperationHandler<PutItemInput> = async (ctx, input) => {
  const { condition } = writeRequestExpressions(input)
  const table = ctx.catalog.require(input.TableName)
  rejectNestedKeyPaths(table, { condition })
  const item = normalizeItem(input.Item)
  const key = keyFromItem(table, item)
  // Neither the old item nor the capacity is answered: the write need not read the row it replaces.
  const blind = input.ReturnValues !== 'ALL_OLD' && (input.ReturnConsumedCapacity ?? 'NONE') === 'NONE'
  const result = await writeItem(ctx, table, key, writeUnderCondition(condition, item, input.ReturnValuesOnConditionCheckFailure), { blind })
  return writeReply(table, key, input, result.consumed, input.ReturnValues === 'ALL_OLD' ? result.previous : undefined)
}
