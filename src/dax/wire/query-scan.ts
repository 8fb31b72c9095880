/**
 * query and scan. Items come back as [keyBytes, streamItem] pairs (or ordinal maps under a
 * projection). LastEvaluatedKey takes the base table's key-bytes form, except when the
 * request named an index: then it is bytes wrapping a {name → value} map, as is the
 * ExclusiveStartKey the client sends for an index.
 */
import type { Item } from '../../values/types.js'
import { attributeValueFromCbor, WireFormatError, writeAttributeValue } from './attribute-values.js'
import { CborReader, CborWriter, type CborValue } from './cbor.js'
import type { MethodDefinition, WireContext } from './context.js'
import { ExpressionPlaceholders, expressionText } from './expressions.js'
import { decodeKey, encodeKey } from './keys.js'
import { applyKwargs, bytesOf, kwargsFrom, Parameter } from './kwargs.js'
import { consumedCapacityBytes, ResponseField, writeListedItem, type ItemEncoding } from './responses.js'
import type { DocumentPath } from './expressions.js'
import { setMember } from '../../values/members.js'

export const query: MethodDefinition = {
  name: 'query',
  arity: 3,
  async handle(context, [table, keyCondition, kwargs]) {
    return [await runPagedRead(context, 'Query', table, keyCondition, kwargs)]
  },
}

export const scan: MethodDefinition = {
  name: 'scan',
  arity: 2,
  async handle(context, [table, kwargs]) {
    return [await runPagedRead(context, 'Scan', table, null, kwargs)]
  },
}

async function runPagedRead(context: WireContext, operation: 'Query' | 'Scan', table: CborValue, keyCondition: CborValue, kwargsArg: CborValue): Promise<Buffer> {
  const tableName = bytesOf(table).toString('utf8')
  const schema = await context.schemas.get(tableName)
  const kwargs = kwargsFrom(kwargsArg)
  const request: Record<string, unknown> = { TableName: tableName }
  const placeholders = new ExpressionPlaceholders()
  if (keyCondition !== null && keyCondition !== undefined) {
    request.KeyConditionExpression = expressionText(bytesOf(keyCondition), 'keyCondition', placeholders)
  }
  const shape = applyKwargs(kwargs, request, placeholders)
  placeholders.applyTo(request)
  const onIndex = kwargs.has(Parameter.IndexName)
  const startKey = kwargs.get(Parameter.ExclusiveStartKey)
  if (startKey !== undefined && startKey !== null) {
    request.ExclusiveStartKey = onIndex ? decodeCompoundKey(bytesOf(startKey)) : decodeKey(bytesOf(startKey), schema)
  }
  const output = await context.executor.execute(operation, request)
  return encodePage(output, { schema, registry: context.registry }, shape.projection, onIndex)
}

function decodeCompoundKey(bytes: Buffer): Item {
  const map = new CborReader(bytes).read()
  if (!(map instanceof Map)) throw new WireFormatError('index ExclusiveStartKey must be a map')
  const key: Item = {}
  for (const [name, value] of map) {
    if (typeof name !== 'string') throw new WireFormatError('key attribute names must be text')
    setMember(key, name, attributeValueFromCbor(value))
  }
  return key
}

function encodePage(output: Record<string, any>, encoding: ItemEncoding, projection: DocumentPath[] | undefined, onIndex: boolean): Buffer {
  const writer = new CborWriter(1024)
  const items = output.Items as Item[] | undefined
  const lastKey = output.LastEvaluatedKey as Item | undefined
  const count = (items ? 1 : 0) + (output.Count !== undefined ? 1 : 0) + (output.ScannedCount !== undefined ? 1 : 0) +
    (lastKey ? 1 : 0) + (output.ConsumedCapacity ? 1 : 0)
  writer.mapHeader(count)
  if (items) {
    writer.int(ResponseField.Items).arrayHeader(items.length)
    for (const item of items) writeListedItem(writer, item, encoding, projection)
  }
  if (output.Count !== undefined) writer.int(ResponseField.Count).int(output.Count)
  if (output.ScannedCount !== undefined) writer.int(ResponseField.ScannedCount).int(output.ScannedCount)
  if (lastKey) writer.int(ResponseField.LastEvaluatedKey).bytes(onIndex ? compoundKeyBytes(lastKey) : encodeKey(lastKey, encoding.schema))
  if (output.ConsumedCapacity) writer.int(ResponseField.ConsumedCapacity).bytes(consumedCapacityBytes(output.ConsumedCapacity))
  return writer.toBuffer()
}

function compoundKeyBytes(key: Item): Buffer {
  const writer = new CborWriter(128)
  const names = Object.keys(key)
  writer.mapHeader(names.length)
  for (const name of names) {
    writer.text(name)
    writeAttributeValue(writer, key[name]!)
  }
  return writer.toBuffer()
}
