/**
 * Turning one line of an import object into an item, per InputFormat, and checking the item the
 * way a PutItem would be checked (well-formed values, attribute names, key types, index key types,
 * size). Every failure is an ItemFormatError or a ValidationException whose message goes to the
 * error log.
 */
import { DynamoError } from '../errors.js'
import { keyFromItem, type PrimaryKey } from '../items/keys.js'
import { ItemFormatError, itemFromIonLine } from '../s3/ion-items.js'
import type { TableSchema } from '../tables/schema.js'
import { attributeNamesProblem, itemSizeProblem } from '../validate/attribute-checks.js'
import { attributeValueProblem, attributeValueSerializationProblem, normalizeItem } from '../values/attribute-value.js'
import type { Item } from '../values/types.js'

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The Item members of a DynamoDB JSON line, `{"Item":{…}}`: usually one, but DynamoDB also reads
 * objects written back to back on one line, `{"Item":{…}}{"Item":{…}}` (moto's
 * test_import_table_single_file_with_multiple_items, verified against AWS). Items are yielded
 * one at a time, so those before a bad one are imported.
 */
export function* itemsFromJsonLine(line: string): Generator<unknown> {
  let whole: unknown
  try {
    whole = JSON.parse(line)
  } catch (error) {
    const pieces = objectsBackToBack(line)
    if (pieces === undefined) throw new ItemFormatError(`Invalid JSON: ${(error as Error).message}`)
    for (const piece of pieces) yield itemOf(parsedJson(piece))
    return
  }
  yield itemOf(whole)
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new ItemFormatError(`Invalid JSON: ${(error as Error).message}`)
  }
}

function itemOf(parsed: unknown): unknown {
  if (!isObject(parsed) || !isObject(parsed.Item)) throw new ItemFormatError('Missing the Item field')
  return parsed.Item
}

/**
 * The line cut into two or more top-level `{…}` texts (whitespace between them allowed), by
 * their braces outside strings; undefined when it is not made of such objects. Each text is still
 * parsed as JSON by the caller, which reports what is wrong inside one.
 */
function objectsBackToBack(line: string): string[] | undefined {
  const pieces: string[] = []
  let depth = 0
  let start = -1
  let inString = false
  for (let index = 0; index < line.length; index++) {
    const code = line.charCodeAt(index)
    if (inString) {
      if (code === 0x5c) index++ // a backslash escapes the next character
      else if (code === 0x22) inString = false
      continue
    }
    if (depth === 0) {
      if (code === 0x20 || code === 0x09 || code === 0x0d) continue
      if (code !== 0x7b) return undefined // each piece must be an object
      start = index
    }
    if (code === 0x22) inString = true
    else if (code === 0x7b || code === 0x5b) depth++
    else if (code === 0x7d || code === 0x5d) {
      depth--
      if (depth === 0) pieces.push(line.slice(start, index + 1))
    }
  }
  return depth === 0 && pieces.length > 1 ? pieces : undefined
}

/** The item of an Ion line: one struct per line. */
export function itemsFromIonLine(line: string): unknown[] {
  return [itemFromIonLine(line)]
}

/** A parsed item checked for storing in `table`: normalized, with its key. */
export function checkedItem(table: TableSchema, raw: unknown): { item: Item; key: PrimaryKey } {
  if (!isObject(raw)) throw new ItemFormatError('Item must be a map of attributes')
  for (const name in raw) {
    if (name === '') throw new ItemFormatError('One or more parameter values were invalid: An AttributeValue may not contain an empty attribute name')
    const problem = attributeValueSerializationProblem(raw[name]) ?? attributeValueProblem(raw[name])
    if (problem) throw new ItemFormatError(problem)
  }
  // Names are checked once the values are known to be well-formed, as the write path does.
  const nameProblem = attributeNamesProblem(raw)
  if (nameProblem) throw new ItemFormatError(nameProblem)
  const item = normalizeItem(raw as Item)
  const sizeProblem = itemSizeProblem(item)
  if (sizeProblem) throw new ItemFormatError(sizeProblem)
  return { item, key: keyFromItem(table, item) }
}

/** The words for the error log of whatever a line's parsing or checking threw. */
export function lineErrorMessage(error: unknown): string | undefined {
  if (error instanceof ItemFormatError || error instanceof DynamoError) return error.message
  return undefined
}
