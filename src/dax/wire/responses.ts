/**
 * Response payload pieces shared by the data operations: the three item forms, consumed
 * capacity and item-collection metrics. A single-item or query response is a map from int
 * field id to value; fields absent from the DynamoDB output are left out (an absent Item
 * must not be sent as null: the JS client would then return the request key as the item).
 */
import type { AttributeValue, Item } from '../../values/types.js'
import type { AttributeListRegistry } from './attribute-lists.js'
import { writeAttributeValue } from './attribute-values.js'
import { CborWriter } from './cbor.js'
import type { DocumentPath } from './expressions.js'
import { encodeKey, type KeySchema } from './keys.js'
import { encodeOrdinalItem, encodeStreamItem } from './stream-items.js'

export const enum ResponseField {
  Item = 0,
  ConsumedCapacity = 1,
  Attributes = 2,
  ItemCollectionMetrics = 3,
  Items = 7,
  Count = 8,
  LastEvaluatedKey = 9,
  ScannedCount = 10,
}

/** What encoding an item needs: the table's key schema and the shared attribute lists. */
export interface ItemEncoding {
  schema: KeySchema
  registry: AttributeListRegistry
}

export function keyNames(schema: KeySchema): string[] {
  return schema.map((attribute) => attribute.name)
}

/** Form (c): {ordinal → value} for the projection paths the item has. */
export function writeProjectedItem(writer: CborWriter, item: Item, paths: DocumentPath[]): void {
  const found: [number, AttributeValue][] = []
  paths.forEach((path, ordinal) => {
    const value = valueAtPath(item, path)
    if (value !== undefined) found.push([ordinal, value])
  })
  writer.mapHeader(found.length)
  for (const [ordinal, value] of found) {
    writer.int(ordinal)
    writeAttributeValue(writer, value)
  }
}

export function valueAtPath(item: Item, path: DocumentPath): AttributeValue | undefined {
  let current: AttributeValue | undefined = item[path[0] as string]
  for (let index = 1; index < path.length && current !== undefined; index++) {
    const element = path[index]!
    if (typeof element === 'number') current = 'L' in current ? current.L[element] : undefined
    else current = 'M' in current ? current.M[element] : undefined
  }
  return current
}

/** Form (a): stream-item bytes; the client puts back the key from its own request. */
export function writeStreamItem(writer: CborWriter, item: Item, encoding: ItemEncoding): void {
  writer.bytes(encodeStreamItem(item, keyNames(encoding.schema), encoding.registry))
}

/** Form (b): [keyBytes, streamItemBytes], for items whose key the client does not know. */
export function writeScanResultItem(writer: CborWriter, item: Item, encoding: ItemEncoding): void {
  writer.arrayHeader(2)
  writer.bytes(encodeKey(item, encoding.schema))
  writeStreamItem(writer, item, encoding)
}

/** Form (b) or (c), as the request's projection decides. */
export function writeListedItem(writer: CborWriter, item: Item, encoding: ItemEncoding, projection: DocumentPath[] | undefined): void {
  if (projection) writeProjectedItem(writer, item, projection)
  else writeScanResultItem(writer, item, encoding)
}

/** ReturnValues: whole items as stream items, UPDATED_* as an ordinal map over a list. */
export function writeReturnedAttributes(writer: CborWriter, attributes: Item, returnValues: string | undefined, encoding: ItemEncoding): void {
  if (returnValues === 'UPDATED_OLD' || returnValues === 'UPDATED_NEW') {
    writer.bytes(encodeOrdinalItem(attributes, encoding.registry))
  } else {
    writeStreamItem(writer, attributes, encoding)
  }
}

interface ConsumedCapacity {
  TableName?: string
  CapacityUnits?: number
  Table?: { CapacityUnits?: number }
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>
  LocalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>
}

/** Bytes wrapping: TableName, CapacityUnits, Table CU | null, GSI map | null, LSI map | null. */
export function consumedCapacityBytes(capacity: ConsumedCapacity): Buffer {
  const writer = new CborWriter(64)
  writer.text(capacity.TableName ?? '')
  writer.float64(capacity.CapacityUnits ?? 0)
  if (capacity.Table?.CapacityUnits !== undefined) writer.float64(capacity.Table.CapacityUnits)
  else writer.null()
  writeIndexCapacities(writer, capacity.GlobalSecondaryIndexes)
  writeIndexCapacities(writer, capacity.LocalSecondaryIndexes)
  return writer.toBuffer()
}

function writeIndexCapacities(writer: CborWriter, indexes: Record<string, { CapacityUnits?: number }> | undefined): void {
  if (!indexes) {
    writer.null()
    return
  }
  const names = Object.keys(indexes)
  writer.mapHeader(names.length)
  for (const name of names) writer.text(name).float64(indexes[name]!.CapacityUnits ?? 0)
}

/** The transaction form: a map with int keys (1 CapacityUnits ... 7 LocalSecondaryIndexes). */
export function writeExtendedConsumedCapacity(writer: CborWriter, capacity: ConsumedCapacity & { ReadCapacityUnits?: number; WriteCapacityUnits?: number }): void {
  const scalars: [number, number | undefined][] = [[1, capacity.CapacityUnits], [2, capacity.ReadCapacityUnits], [3, capacity.WriteCapacityUnits]]
  const present = scalars.filter(([, value]) => value !== undefined)
  const indexGroups: [number, Record<string, { CapacityUnits?: number }> | undefined][] = [[6, capacity.GlobalSecondaryIndexes], [7, capacity.LocalSecondaryIndexes]]
  const groups = indexGroups.filter(([, value]) => value !== undefined)
  const count = present.length + (capacity.TableName !== undefined ? 1 : 0) + (capacity.Table ? 1 : 0) + groups.length
  writer.mapHeader(count)
  for (const [key, value] of present) writer.int(key).float64(value!)
  if (capacity.TableName !== undefined) writer.int(4).text(capacity.TableName)
  if (capacity.Table) writer.int(5).mapHeader(1).int(1).float64(capacity.Table.CapacityUnits ?? 0)
  for (const [key, indexes] of groups) {
    const names = Object.keys(indexes!)
    writer.int(key).mapHeader(names.length)
    for (const name of names) writer.text(name).mapHeader(1).int(1).float64(indexes![name]!.CapacityUnits ?? 0)
  }
}

interface ItemCollectionMetrics {
  ItemCollectionKey?: Record<string, AttributeValue>
  SizeEstimateRangeGB?: number[]
}

/** Bytes wrapping: the partition key value, then the lower and upper size estimates. */
export function itemCollectionMetricsBytes(metrics: ItemCollectionMetrics): Buffer {
  const writer = new CborWriter(64)
  const keyValue = Object.values(metrics.ItemCollectionKey ?? {})[0]
  if (keyValue) writeAttributeValue(writer, keyValue)
  else writer.null()
  const [lower, upper] = metrics.SizeEstimateRangeGB ?? [0, 0]
  writer.float64(lower ?? 0).float64(upper ?? 0)
  return writer.toBuffer()
}
