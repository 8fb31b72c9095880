import type { OperationHandler } from '../api/context.js'
import type { BatchGetItemInput } from '../shapes/batch-get-item.js'
import { ValidationException } from '../errors.js'
import { applyProjection } from '../expressions/index.js'
import { normalizeItem } from '../values/attribute-value.js'
import { itemSizeBytes } from '../values/size.js'
import type { Item } from '../values/types.js'
import { CapacityMeter, readUnits, reportAll } from '../items/capacity.js'
import { keyFromKeyParameter, type PrimaryKey } from '../items/keys.js'
import { rejectNestedKeyPaths, requestExpressions, type RequestExpressions } from '../items/request-expressions.js'
import { memberOrAdd } from '../values/members.js'

/** DynamoDB caps one BatchGetItem reply at 16 MB; keys past that come back as UnprocessedKeys. */
export const batchGetReplyBytesMax = 16 * 1024 * 1024

interface TableRequest {
  tableName: string
  request: Record<string, any>
  expressions: RequestExpressions
  keys: PrimaryKey[]
  meter: CapacityMeter
}

/** BatchGetItem: up to 100 items by key from one or more tables, read from one snapshot. */
export const batchGetItem: OperationHandler<BatchGetItemInput> = async (ctx, input) => {
  const requests: TableRequest[] = []
  for (const [tableName, request] of Object.entries(input.RequestItems)) {
    const expressions = requestExpressions(request)
    const table = ctx.catalog.require(tableName)
    rejectNestedKeyPaths(table, expressions)
    const keys = (request.Keys as Item[]).map((key) => keyFromKeyParameter(table, normalizeItem(key)))
    rejectDuplicateKeys(keys)
    requests.push({ tableName, request, expressions, keys, meter: new CapacityMeter(table) })
  }
  const responses: Record<string, Item[]> = {}
  const unprocessed: Record<string, any> = {}
  await ctx.storage.read(async (view) => {
    let replyBytes = 0
    let full = false
    for (const tableRequest of requests) {
      const tableResponses = memberOrAdd(responses, tableRequest.tableName, () => [])
      for (const key of tableRequest.keys) {
        // Once one item would take the reply past 16 MB, it and every key after it are left
        // for the client to retry (60 items of 390 KB: 42 come back, 18 are unprocessed).
        const found: string | undefined = full ? undefined : await view.getItem(tableRequest.meter.schema.tableId, key.encoded)
        const item: Item | undefined = found === undefined ? undefined : JSON.parse(found)
        const sizeBytes: number = item ? itemSizeBytes(item) : 0
        full ||= replyBytes + sizeBytes > batchGetReplyBytesMax
        if (full) {
          const pending = memberOrAdd(unprocessed, tableRequest.tableName, () => ({ ...tableRequest.request, Keys: [] }))
          pending.Keys.push(key.attributes)
          continue
        }
        tableRequest.meter.addTable(readUnits(sizeBytes, tableRequest.request.ConsistentRead === true))
        if (!item) continue
        replyBytes += sizeBytes
        const projection = tableRequest.expressions.projection
        tableResponses.push(projection ? applyProjection(projection, item) : item)
      }
    }
  })
  const output: Record<string, unknown> = { Responses: responses, UnprocessedKeys: unprocessed }
  const consumed = reportAll(requests.map((r) => r.meter), input.ReturnConsumedCapacity)
  if (consumed) output.ConsumedCapacity = consumed
  return output
}

export function rejectDuplicateKeys(keys: PrimaryKey[]): void {
  const seen = new Set<string>()
  for (const key of keys) {
    const text = key.encoded.toString('latin1')
    if (seen.has(text)) throw new ValidationException('Provided list of item keys contains duplicates')
    seen.add(text)
  }
}
