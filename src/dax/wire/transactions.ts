/**
 * transactGetItems and transactWriteItems. Both send parallel arrays (one slot per item) instead
 * of a list of records. A cancelled write transaction answers with per-item reasons whose
 * items travel as stream items (the client adds each key from its own request).
 */
import type { Item } from '../../values/types.js'
import { WireFormatError } from './attribute-values.js'
import { CborWriter, type CborValue } from './cbor.js'
import type { MethodDefinition, WireContext } from './context.js'
import { EncodedWireError, encodeWireError, wireErrorFrom } from './errors.js'
import { ExpressionPlaceholders, expressionText, projectionPaths, topLevelProjection, type DocumentPath } from './expressions.js'
import { decodeKey, type KeySchema } from './keys.js'
import { applyKwargs, bytesOf, integerOf, kwargsFrom } from './kwargs.js'
import { itemCollectionMetricsBytes, keyNames, writeExtendedConsumedCapacity, writeProjectedItem } from './responses.js'
import { decodeStreamItem, encodeStreamItem } from './stream-items.js'

/** A safety bound: DynamoDB's limit (100 items) is left to the executor's exact message. */
const transactionItemsMax = 1_000

const operationCodes = { put: 2, delete: 7, update: 9, check: 12 } as const
const returnValuesOnConditionCheckFailure = [undefined, 'NONE', 'ALL_OLD']

function slots(value: CborValue, length?: number): CborValue[] {
  if (!Array.isArray(value) || value.length > transactionItemsMax) throw new WireFormatError('transaction arguments must be arrays')
  if (length !== undefined && value.length !== length) throw new WireFormatError('transaction argument arrays differ in length')
  return value
}

/** The slot's value, treating a missing array (the client may send null) as all nulls. */
function slot(value: CborValue, index: number): CborValue {
  return Array.isArray(value) ? value[index] ?? null : null
}

export const transactGetItems: MethodDefinition = {
  name: 'transactGetItems',
  arity: 4,
  async handle(context, [tableNames, keys, projections, kwargs]) {
    const tables = slots(tableNames).map((name) => bytesOf(name).toString('utf8'))
    slots(keys, tables.length)
    const transactItems: unknown[] = []
    const projectionsByItem: (DocumentPath[] | undefined)[] = []
    const schemas: KeySchema[] = []
    for (let index = 0; index < tables.length; index++) {
      const schema = await context.schemas.get(tables[index]!)
      schemas.push(schema)
      const get: Record<string, unknown> = { TableName: tables[index], Key: decodeKey(bytesOf(slot(keys, index)), schema) }
      const projection = slot(projections, index)
      if (projection !== null && projection !== undefined) {
        const placeholders = new ExpressionPlaceholders()
        projectionsByItem[index] = projectionPaths(bytesOf(projection))
        get.ProjectionExpression = topLevelProjection(projectionsByItem[index]!, placeholders)
        placeholders.applyTo(get)
      }
      transactItems.push({ Get: get })
    }
    const request: Record<string, unknown> = { TransactItems: transactItems }
    applyKwargs(kwargsFrom(kwargs), request, new ExpressionPlaceholders())
    const output = await context.executor.execute('TransactGetItems', request)
    const responses = (output.Responses ?? []) as { Item?: Item }[]
    const writer = new CborWriter(512)
    writer.arrayHeader(2).arrayHeader(tables.length)
    for (let index = 0; index < tables.length; index++) {
      const item = responses[index]?.Item
      if (!item) writer.null()
      else if (projectionsByItem[index]) writeProjectedItem(writer, item, projectionsByItem[index]!)
      else writer.bytes(encodeStreamItem(item, keyNames(schemas[index]!), context.registry))
    }
    writeCapacityList(writer, output.ConsumedCapacity)
    return [writer.toBuffer()]
  },
}

function writeCapacityList(writer: CborWriter, capacities: unknown): void {
  if (!Array.isArray(capacities)) {
    writer.null()
    return
  }
  writer.arrayHeader(capacities.length)
  for (const capacity of capacities) writeExtendedConsumedCapacity(writer, capacity)
}

export const transactWriteItems: MethodDefinition = {
  name: 'transactWriteItems',
  arity: 9,
  async handle(context, [operations, tableNames, keys, values, _returnValues, onConditionFailure, conditions, updates, kwargs]) {
    const codes = slots(operations).map(integerOf)
    const tables = slots(tableNames, codes.length).map((name) => bytesOf(name).toString('utf8'))
    slots(keys, codes.length)
    const schemas: KeySchema[] = []
    const transactItems: unknown[] = []
    for (let index = 0; index < codes.length; index++) {
      const schema = await context.schemas.get(tables[index]!)
      schemas.push(schema)
      const key = decodeKey(bytesOf(slot(keys, index)), schema)
      const entry: Record<string, unknown> = { TableName: tables[index] }
      const placeholders = new ExpressionPlaceholders()
      const condition = slot(conditions, index)
      const update = slot(updates, index)
      if (condition !== null) entry.ConditionExpression = expressionText(bytesOf(condition), 'condition', placeholders)
      if (update !== null) entry.UpdateExpression = expressionText(bytesOf(update), 'update', placeholders)
      placeholders.applyTo(entry)
      const onFailure = returnValuesOnConditionCheckFailure[integerOf(slot(onConditionFailure, index) ?? 1)]
      if (onFailure === 'ALL_OLD') entry.ReturnValuesOnConditionCheckFailure = onFailure
      transactItems.push(transactItem(codes[index]!, entry, key, slot(values, index), context))
    }
    const request: Record<string, unknown> = { TransactItems: transactItems }
    applyKwargs(kwargsFrom(kwargs), request, new ExpressionPlaceholders())
    let output: Record<string, any>
    try {
      output = await context.executor.execute('TransactWriteItems', request)
    } catch (error) {
      // Reasons carry items; encoding them needs each slot's table key schema.
      const wireError = wireErrorFrom(error, context.log)
      throw new EncodedWireError(encodeWireError(wireError, (item, index) => encodeStreamItem(item, keyNames(schemas[index]!), context.registry)))
    }
    return [encodeTransactWriteOutput(output)]
  },
}

function transactItem(code: number, entry: Record<string, unknown>, key: Item, values: CborValue, context: WireContext): unknown {
  switch (code) {
    case operationCodes.put: {
      const attributes = values === null || values === undefined ? {} : decodeStreamItem(bytesOf(values), context.registry)
      return { Put: { ...entry, Item: { ...key, ...attributes } } }
    }
    case operationCodes.delete: return { Delete: { ...entry, Key: key } }
    case operationCodes.update: return { Update: { ...entry, Key: key } }
    case operationCodes.check: return { ConditionCheck: { ...entry, Key: key } }
    default: throw new WireFormatError(`unknown transaction operation ${code}`)
  }
}

/** array(3): [responses (always null), consumed capacity list or null, item collection metrics or null]. */
function encodeTransactWriteOutput(output: Record<string, any>): Buffer {
  const writer = new CborWriter(256)
  writer.arrayHeader(3).null()
  writeCapacityList(writer, output.ConsumedCapacity)
  const metrics = output.ItemCollectionMetrics as Record<string, unknown[]> | undefined
  if (!metrics) {
    writer.null()
  } else {
    writer.mapHeader(Object.keys(metrics).length)
    for (const [tableName, list] of Object.entries(metrics)) {
      writer.text(tableName).arrayHeader(list.length)
      for (const entry of list) writer.bytes(itemCollectionMetricsBytes(entry as object))
    }
  }
  return writer.toBuffer()
}
