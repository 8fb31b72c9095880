/**
 * Turning one line of an import object into an item, per InputFormat, and checking the item the
 * way a PutItem would be checked (well-formed values, key types, index key types, size). Every
 * failure is an ItemFormatError or a ValidationException whose message goes to the error log.
 */
import { DynamoError } from '../errors.js'
import { keyFromItem, type PrimaryKey } from '../items/keys.js'
import { ItemFormatError, itemFromIonLine } from '../s3/ion-items.js'
import type { TableSchema } from '../tables/schema.js'
import { attributeValueProblem, attributeValueSerializationProblem, normalizeItem } from '../values/attribute-value.js'
import { itemSizeBytes, itemSizeBytesMax } from '../values/size.js'
import type { Item } from '../values/types.js'

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The Item member of a DynamoDB JSON line, `{"Item":{…}}`. */
export function itemFromJsonLine(line: string): unknown {
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch (error) {
    throw new ItemFormatError(`Invalid JSON: ${(error as Error).message}`)
  }
  if (!isObject(parsed) || !isObject(parsed.Item)) throw new ItemFormatError('Missing the Item field')
  return parsed.Item
}

export { itemFromIonLine }

/** A parsed item checked for storing in `table`: normalized, with its key. */
export function checkedItem(table: TableSchema, raw: unknown): { item: Item; key: PrimaryKey } {
  if (!isObject(raw)) throw new ItemFormatError('Item must be a map of attributes')
  for (const name in raw) {
    if (name === '') throw new ItemFormatError('One or more parameter values were invalid: An AttributeValue may not contain an empty attribute name')
    const problem = attributeValueSerializationProblem(raw[name]) ?? attributeValueProblem(raw[name])
    if (problem) throw new ItemFormatError(problem)
  }
  const item = normalizeItem(raw as Item)
  if (itemSizeBytes(item) > itemSizeBytesMax) throw new ItemFormatError('Item size has exceeded the maximum allowed size')
  return { item, key: keyFromItem(table, item) }
}

/** The words for the error log of whatever a line's parsing or checking threw. */
export function lineErrorMessage(error: unknown): string | undefined {
  if (error instanceof ItemFormatError || error instanceof DynamoError) return error.message
  return undefined
}
