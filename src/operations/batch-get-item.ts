import type { OperationHandler } from '../api/context.js'
import { ValidationException } from '../errors.js'
import { applyProjection } from '../expressions/index.js'
import type { ReadView } from '../storage/engine.js'
import { normalizeItem } from '../values/attribute-value.js'
import { itemSizeBytes } from '../values/size.js'
import type { Item } from '../values/types.js'
import { CapacityMeter, readUnits, reportAll } from './capacity.js'
import { keyFromKeyParameter, type PrimaryKey } from './keys.js'
import { requestExpressions, type RequestExpressions } from './request-expressions.js'

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
export const batchGetItem: OperationHandler = async (ctx, input) => {
  const requests: TableRequest[] = []
  for (const [tableName, request] of Object.entries(input.RequestItems as Record<string, any>)) {
    const expressions = requestExpressions(request)
    const table = ctx.catalog.require(tableName)
    const keys = (request.Keys as Item[]).map((key) => keyFromKeyParameter(table, normalizeItem(key)))
    rejectDuplicateKeys(keys)
    requests.push({ tableName, request, expressions, keys, meter: new CapacityMeter(table) })
  }
  const responses: Record<string, Item[]> = {}
  const unprocessed: Record<string, any> = {}
  await ctx.storage.read(async (view) => {
    let replyBytes = 0
    for (const tableRequest of requests) {
      responses[tableRequest.tableName] = []
      for (const key of tableRequest.keys) {
        if (replyBytes > batchGetReplyBytesMax) {
          const pending = (unprocessed[tableRequest.tableName] ??= { ...tableRequest.request, Keys: [] })
          pending.Keys.push(key.attributes)
          continue
        }
        const item = await readOne(view, tableRequest, key)
        if (item) {
          replyBytes += item.sizeBytes
          responses[tableRequest.tableName]!.push(item.item)
        }
      }
    }
  })
  const output: Record<string, unknown> = { Responses: responses, UnprocessedKeys: unprocessed }
  const consumed = reportAll(requests.map((r) => r.meter), input.ReturnConsumedCapacity)
  if (consumed) output.ConsumedCapacity = consumed
  return output
}

async function readOne(view: ReadView, tableRequest: TableRequest, key: PrimaryKey): Promise<{ item: Item; sizeBytes: number } | undefined> {
  const json = await view.getItem(tableRequest.meter.schema.tableId, key.encoded)
  const item: Item | undefined = json === undefined ? undefined : JSON.parse(json)
  const sizeBytes = item ? itemSizeBytes(item) : 0
  tableRequest.meter.addTable(readUnits(sizeBytes, tableRequest.request.ConsistentRead === true))
  if (!item) return undefined
  const projection = tableRequest.expressions.projection
  return { item: projection ? applyProjection(projection, item) : item, sizeBytes }
}

export function rejectDuplicateKeys(keys: PrimaryKey[]): void {
  const seen = new Set<string>()
  for (const key of keys) {
    const text = key.encoded.toString('latin1')
    if (seen.has(text)) throw new ValidationException('Provided list of item keys contains duplicates')
    seen.add(text)
  }
}
