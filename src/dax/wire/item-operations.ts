/**
 * getItem, putItem, deleteItem and updateItem: decode the positional arguments (table bytes,
 * key bytes, stream-item values, kwargs) into a DynamoDB request, run it, and encode the
 * output as the {field id → value} payload map.
 */
import type { Item } from '../../values/types.js'
import type { CborValue } from './cbor.js'
import { CborWriter } from './cbor.js'
import type { MethodDefinition, WireContext } from './context.js'
import { ExpressionPlaceholders } from './expressions.js'
import { decodeKey, type KeySchema } from './keys.js'
import { applyKwargs, bytesOf, kwargsFrom, type RequestShape } from './kwargs.js'
import {
  consumedCapacityBytes, itemCollectionMetricsBytes, ResponseField, writeProjectedItem, writeReturnedAttributes,
  writeStreamItem, type ItemEncoding,
} from './responses.js'
import { decodeStreamItem } from './stream-items.js'

interface DecodedItemRequest {
  request: Record<string, unknown>
  shape: RequestShape
  encoding: ItemEncoding
}

async function decodeKeyedRequest(context: WireContext, tableArg: CborValue, keyArg: CborValue, kwargsArg: CborValue): Promise<DecodedItemRequest & { key: Item; schema: KeySchema }> {
  const tableName = bytesOf(tableArg).toString('utf8')
  const schema = await context.schemas.get(tableName)
  const key = decodeKey(bytesOf(keyArg), schema)
  const request: Record<string, unknown> = { TableName: tableName }
  const placeholders = new ExpressionPlaceholders()
  const shape = applyKwargs(kwargsFrom(kwargsArg), request, placeholders)
  placeholders.applyTo(request)
  return { request, shape, key, schema, encoding: { schema, registry: context.registry } }
}

/** The payload map of a single-item operation's output. */
export function encodeItemOutput(output: Record<string, any>, shape: RequestShape, encoding: ItemEncoding): Buffer {
  const writer = new CborWriter(256)
  const fields: ((writer: CborWriter) => void)[] = []
  if (output.Item) {
    fields.push((w) => {
      w.int(ResponseField.Item)
      if (shape.projection) writeProjectedItem(w, output.Item, shape.projection)
      else writeStreamItem(w, output.Item, encoding)
    })
  }
  if (output.ConsumedCapacity) fields.push((w) => w.int(ResponseField.ConsumedCapacity).bytes(consumedCapacityBytes(output.ConsumedCapacity)))
  if (output.Attributes) {
    fields.push((w) => {
      w.int(ResponseField.Attributes)
      writeReturnedAttributes(w, output.Attributes, shape.returnValues, encoding)
    })
  }
  if (output.ItemCollectionMetrics) {
    fields.push((w) => w.int(ResponseField.ItemCollectionMetrics).bytes(itemCollectionMetricsBytes(output.ItemCollectionMetrics)))
  }
  writer.mapHeader(fields.length)
  for (const write of fields) write(writer)
  return writer.toBuffer()
}

/** GetItem, DeleteItem and UpdateItem: (table, key, kwargs) → the operation on that key. */
function keyedMethod(name: string, operation: 'GetItem' | 'DeleteItem' | 'UpdateItem'): MethodDefinition {
  return {
    name,
    arity: 3,
    async handle(context, [table, key, kwargs]) {
      const decoded = await decodeKeyedRequest(context, table, key, kwargs)
      decoded.request.Key = decoded.key
      const output = await context.executor.execute(operation, decoded.request)
      return [encodeItemOutput(output, decoded.shape, decoded.encoding)]
    },
  }
}

export const getItem = keyedMethod('getItem', 'GetItem')
export const deleteItem = keyedMethod('deleteItem', 'DeleteItem')
export const updateItem = keyedMethod('updateItem', 'UpdateItem')

export const putItem: MethodDefinition = {
  name: 'putItem',
  arity: 4,
  async handle(context, [table, key, values, kwargs]) {
    const decoded = await decodeKeyedRequest(context, table, key, kwargs)
    decoded.request.Item = { ...decoded.key, ...decodeStreamItem(bytesOf(values), context.registry) }
    const output = await context.executor.execute('PutItem', decoded.request)
    return [encodeItemOutput(output, decoded.shape, decoded.encoding)]
  },
}
