/**
 * batchGetItem and batchWriteItem. Both name tables by text (not bytes) and carry one entry per
 * table. Their responses are unusual: batchGetItem sends two top-level payload items (the
 * server-side quirk the clients expect: an array(2) and then the consumed capacity outside
 * it) and batchWriteItem sends three.
 */
import type { Item } from '../../values/types.js'
import { WireFormatError } from './attribute-values.js'
import { CborWriter, type CborValue } from './cbor.js'
import type { MethodDefinition, WireContext } from './context.js'
import { ExpressionPlaceholders, projectionPaths, topLevelProjection, type DocumentPath } from './expressions.js'
import { decodeKey, encodeKey, type KeySchema } from './keys.js'
import { applyKwargs, bytesOf, kwargsFrom } from './kwargs.js'
import { consumedCapacityBytes, itemCollectionMetricsBytes, keyNames, writeProjectedItem } from './responses.js'
import { decodeStreamItem, encodeStreamItem } from './stream-items.js'

/**
 * Safety bounds only: DynamoDB's own limits (100 keys, 25 writes) are left to the executor,
 * which answers with DynamoDB's exact validation messages.
 */
const batchGetKeysMax = 1_000
const batchWriteRequestsMax = 1_000

interface TableRead { schema: KeySchema; projection?: DocumentPath[] }

export const batchGetItem: MethodDefinition = {
  name: 'batchGetItem',
  arity: 2,
  async handle(context, [requestItems, kwargs]) {
    const tables = tableEntries(requestItems)
    const request: Record<string, unknown> = { RequestItems: {} }
    const reads = new Map<string, TableRead>()
    let keyCount = 0
    for (const [tableName, entry] of tables) {
      if (!Array.isArray(entry) || entry.length !== 3 || !Array.isArray(entry[2])) throw new WireFormatError('bad batchGetItem table entry')
      const schema = await context.schemas.get(tableName)
      keyCount += entry[2].length
      if (keyCount > batchGetKeysMax) throw new WireFormatError('Too many items requested for the BatchGetItem call')
      const tableRequest: Record<string, unknown> = { Keys: entry[2].map((key) => decodeKey(bytesOf(key), schema)) }
      if (entry[0] === true || entry[0] === 1) tableRequest.ConsistentRead = true
      const read: TableRead = { schema }
      if (entry[1] !== null && entry[1] !== undefined) {
        const placeholders = new ExpressionPlaceholders()
        read.projection = projectionPaths(bytesOf(entry[1]))
        tableRequest.ProjectionExpression = topLevelProjection(read.projection, placeholders)
        placeholders.applyTo(tableRequest)
      }
      reads.set(tableName, read)
      ;(request.RequestItems as Record<string, unknown>)[tableName] = tableRequest
    }
    applyKwargs(kwargsFrom(kwargs), request, new ExpressionPlaceholders())
    const output = await context.executor.execute('BatchGetItem', request)
    return encodeBatchGetOutput(output, reads, context)
  },
}

function tableEntries(value: CborValue): [string, CborValue][] {
  if (!(value instanceof Map)) throw new WireFormatError('request items must be a map of table names')
  return [...value].map(([name, entry]) => {
    if (typeof name !== 'string') throw new WireFormatError('table names must be text')
    return [name, entry]
  })
}

function encodeBatchGetOutput(output: Record<string, any>, reads: Map<string, TableRead>, context: WireContext): Buffer[] {
  const responses = (output.Responses ?? {}) as Record<string, Item[]>
  const unprocessed = (output.UnprocessedKeys ?? {}) as Record<string, { Keys?: Item[] }>
  const writer = new CborWriter(1024)
  writer.arrayHeader(2)
  writer.mapHeader(Object.keys(responses).length)
  for (const [tableName, items] of Object.entries(responses)) {
    const read = reads.get(tableName)!
    writer.text(tableName)
    if (read.projection) {
      writer.arrayHeader(items.length)
      for (const item of items) writeProjectedItem(writer, item, read.projection)
    } else {
      writer.arrayHeader(items.length * 2)
      for (const item of items) {
        writer.bytes(encodeKey(item, read.schema))
        writer.bytes(encodeStreamItem(item, keyNames(read.schema), context.registry))
      }
    }
  }
  writer.mapHeader(Object.keys(unprocessed).length)
  for (const [tableName, entry] of Object.entries(unprocessed)) {
    const keys = entry.Keys ?? []
    writer.text(tableName).arrayHeader(keys.length)
    for (const key of keys) writer.bytes(encodeKey(key, reads.get(tableName)!.schema))
  }
  return [writer.toBuffer(), consumedCapacityList(output.ConsumedCapacity)]
}

function consumedCapacityList(capacities: unknown): Buffer {
  const list = Array.isArray(capacities) ? capacities : []
  const writer = new CborWriter(64)
  writer.arrayHeader(list.length)
  for (const capacity of list) writer.bytes(consumedCapacityBytes(capacity))
  return writer.toBuffer()
}

export const batchWriteItem: MethodDefinition = {
  name: 'batchWriteItem',
  arity: 2,
  async handle(context, [requestItems, kwargs]) {
    const requestsByTable: Record<string, unknown[]> = {}
    const schemas = new Map<string, KeySchema>()
    let requestCount = 0
    for (const [tableName, flat] of tableEntries(requestItems)) {
      if (!Array.isArray(flat) || flat.length % 2 !== 0) throw new WireFormatError('bad batchWriteItem table entry')
      const schema = await context.schemas.get(tableName)
      schemas.set(tableName, schema)
      requestCount += flat.length / 2
      if (requestCount > batchWriteRequestsMax) throw new WireFormatError('Too many items requested for the BatchWriteItem call')
      requestsByTable[tableName] = writeRequests(flat, schema, context)
    }
    const request: Record<string, unknown> = { RequestItems: requestsByTable }
    applyKwargs(kwargsFrom(kwargs), request, new ExpressionPlaceholders())
    const output = await context.executor.execute('BatchWriteItem', request)
    return encodeBatchWriteOutput(output, schemas, context)
  },
}

/** [key, values-or-null, ...] → PutRequest / DeleteRequest (null values mean delete). */
function writeRequests(flat: CborValue[], schema: KeySchema, context: WireContext): unknown[] {
  const requests: unknown[] = []
  for (let index = 0; index < flat.length; index += 2) {
    const key = decodeKey(bytesOf(flat[index]!), schema)
    const values = flat[index + 1]
    if (values === null || values === undefined) requests.push({ DeleteRequest: { Key: key } })
    else requests.push({ PutRequest: { Item: { ...key, ...decodeStreamItem(bytesOf(values), context.registry) } } })
  }
  return requests
}

function encodeBatchWriteOutput(output: Record<string, any>, schemas: Map<string, KeySchema>, context: WireContext): Buffer[] {
  const unprocessed = (output.UnprocessedItems ?? {}) as Record<string, { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]>
  const writer = new CborWriter(256)
  writer.mapHeader(Object.keys(unprocessed).length)
  for (const [tableName, requests] of Object.entries(unprocessed)) {
    const schema = schemas.get(tableName)!
    writer.text(tableName).arrayHeader(requests.length * 2)
    for (const request of requests) {
      if (request.PutRequest) {
        writer.bytes(encodeKey(request.PutRequest.Item, schema))
        writer.bytes(encodeStreamItem(request.PutRequest.Item, keyNames(schema), context.registry))
      } else {
        writer.bytes(encodeKey(request.DeleteRequest!.Key, schema)).null()
      }
    }
  }
  const metrics = (output.ItemCollectionMetrics ?? {}) as Record<string, unknown[]>
  const metricsWriter = new CborWriter(64)
  metricsWriter.mapHeader(Object.keys(metrics).length)
  for (const [tableName, list] of Object.entries(metrics)) {
    metricsWriter.text(tableName).arrayHeader(list.length)
    for (const entry of list) metricsWriter.bytes(itemCollectionMetricsBytes(entry as object))
  }
  return [writer.toBuffer(), consumedCapacityList(output.ConsumedCapacity), metricsWriter.toBuffer()]
}
