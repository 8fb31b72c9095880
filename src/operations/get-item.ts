import type { OperationHandler } from '../api/context.js'
import type { GetItemInput } from '../shapes/get-item.js'
import { jsonWithRawMembers } from '../api/json-text.js'
import { applyProjection } from '../expressions/index.js'
import { normalizeItem } from '../values/attribute-value.js'
import { itemSizeBytes } from '../values/size.js'
import type { Item } from '../values/types.js'
import { CapacityMeter, readUnits } from '../items/capacity.js'
import { keyFromKeyParameter } from '../items/keys.js'
import { rejectNestedKeyPaths, requestExpressions } from '../items/request-expressions.js'

/**
 * GetItem: one item by key. Without a projection the stored JSON text is spliced into the reply
 * as is, so the hot path neither parses nor re-serializes the item.
 */
export const getItem: OperationHandler<GetItemInput> = async (ctx, input) => {
  const { projection } = requestExpressions(input)
  const table = ctx.catalog.require(input.TableName)
  rejectNestedKeyPaths(table, { projection })
  const key = keyFromKeyParameter(table, normalizeItem(input.Key))
  const json = await ctx.storage.read((view) => view.getItem(table.tableId, key.encoded))
  const fields: Record<string, unknown> = {}
  const wantsCapacity = input.ReturnConsumedCapacity === 'TOTAL' || input.ReturnConsumedCapacity === 'INDEXES'
  let item: Item | undefined
  if (json !== undefined && (projection || wantsCapacity)) item = JSON.parse(json)
  if (wantsCapacity) {
    const meter = new CapacityMeter(table)
    meter.addTable(readUnits(item ? itemSizeBytes(item) : 0, input.ConsistentRead === true))
    fields.ConsumedCapacity = meter.report(input.ReturnConsumedCapacity)
  }
  if (json === undefined) return fields
  if (projection) {
    fields.Item = applyProjection(projection, item!)
    return fields
  }
  return jsonWithRawMembers(fields, { Item: json })
}
