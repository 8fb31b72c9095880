/**
 * Custom checks on the AttributeValues a request carries (Item, Key, ExclusiveStartKey,
 * ExpressionAttributeValues) and on the expression placeholders, composing the context DynamoDB
 * puts around attributeValueProblem's reason. Each returns a ValidationException message or
 * undefined.
 */
import { attributeValueProblem, nestingMessage } from '../values/attribute-value.js'
import { itemSizeBytes, itemSizeBytesMax } from '../values/size.js'
import type { Item } from '../values/types.js'

/**
 * Item, Key and AttributeValueList values: DynamoDB sends the reason as it is. An empty
 * top-level name is reported before any value, a bad name inside a map after every value (an
 * AWS-validated suite's "Deep requests" cases).
 */
export function attributeMapProblem(attributes: { [name: string]: unknown } | undefined): string | undefined {
  for (const name in attributes) if (name === '') return emptyAttributeNameMessage
  for (const name in attributes) {
    const problem = attributeValueProblem(attributes[name])
    if (problem !== undefined) return problem
  }
  return attributeNamesProblem(attributes)
}

const emptyAttributeNameMessage = 'Empty attribute name'

/**
 * Attribute names, at the top level and in nested maps, may have up to 65535 UTF-8 bytes: the
 * documented "64 KB" is exclusive (Alternator's test_limit_attribute_length_nonkey_bad and
 * ExtendDB's measurements against DynamoDB give this message).
 */
export const attributeNameBytesMax = 65535
const attributeNameTooLargeMessage = '1 validation error detected: Attribute name is too large, must be less than 65536 bytes'

function isAttributeNameTooLong(name: string): boolean {
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so most names need no byte count.
  return name.length * 3 > attributeNameBytesMax && Buffer.byteLength(name, 'utf8') > attributeNameBytesMax
}

/** Call once the values are known to be well-formed: recursion follows their bounded nesting. */
export function attributeNamesProblem(attributes: { [name: string]: unknown } | undefined): string | undefined {
  for (const name in attributes) {
    const nameProblem = attributeNameProblem(name)
    if (nameProblem !== undefined) return nameProblem
    const problem = nestedNamesProblem(attributes[name])
    if (problem !== undefined) return problem
  }
  return undefined
}

function nestedNamesProblem(value: unknown): string | undefined {
  const { M: map, L: list } = value as { M?: { [name: string]: unknown }; L?: unknown[] }
  if (map) return attributeNamesProblem(map)
  for (const element of list ?? []) {
    const problem = nestedNamesProblem(element)
    if (problem !== undefined) return problem
  }
  return undefined
}

/** Names a request lists outside any value (AttributesToGet, AttributeUpdates, Expected, ExpressionAttributeNames). */
export function attributeNameProblem(name: string): string | undefined {
  if (name === '') return emptyAttributeNameMessage
  return isAttributeNameTooLong(name) ? attributeNameTooLargeMessage : undefined
}

export function startKeyProblem(key: { [name: string]: unknown } | undefined): string | undefined {
  const problem = attributeMapProblem(key)
  return problem === undefined ? undefined : `The provided starting key is invalid: ${problem}`
}

/**
 * PutItem, UpdateItem and DeleteItem check how deeply an Item's values and ExpressionAttributeValues
 * nest before anything else, and wrap the answer as a constraint failure; BatchWriteItem and
 * transactions answer it bare (paritysuite/dynamodb-conformance nestingDepth cases, 2026).
 */
export function singleItemNestingProblem(...maps: Array<{ [name: string]: unknown } | undefined>): string | undefined {
  for (const map of maps) {
    for (const name in map) {
      const value = map[name]
      // Only a map or a list nests; a scalar is checked once, by attributeMapProblem.
      if (mayNest(value) && attributeValueProblem(value) === nestingMessage) return `1 validation error detected: ${nestingMessage}`
    }
  }
  return undefined
}

function mayNest(value: unknown): boolean {
  return typeof value === 'object' && value !== null && ('M' in value || 'L' in value)
}

export const itemTooLargeMessage = 'Item size has exceeded the maximum allowed size'

/** Call only once attributeMapProblem has passed: sizing assumes well-formed values. */
export function itemSizeProblem(item: Item): string | undefined {
  return itemSizeBytes(item) > itemSizeBytesMax ? itemTooLargeMessage : undefined
}

export function duplicateAttributeNameProblem(names: readonly string[] | undefined): string | undefined {
  if (names === undefined) return undefined
  const seen = new Set<string>()
  for (const name of names) {
    const problem = attributeNameProblem(name)
    if (problem !== undefined) return problem
    if (seen.has(name)) return `One or more parameter values were invalid: Duplicate value in attribute name: ${name}`
    seen.add(name)
  }
  return undefined
}

const namePlaceholder = /^#[0-9a-zA-Z_]+$/
const valuePlaceholder = /^:[0-9a-zA-Z_]+$/

/**
 * The placeholder maps on their own. A bad value is wrapped with its placeholder in the older
 * validation layer (Scan, BatchWriteItem, transactions); PutItem, UpdateItem, DeleteItem and
 * Query give the value's reason alone (an AWS-validated suite's valueLayers cases). Whether each placeholder is used (or defined) needs the
 * parsed expressions, so the expression layer checks that afterwards.
 */
export function expressionAttributesProblem(input: {
  ExpressionAttributeNames?: { [placeholder: string]: string }
  ExpressionAttributeValues?: { [placeholder: string]: unknown }
}, valueProblem: (value: unknown) => string | undefined = attributeValueProblem, wrapValueProblems = true): string | undefined {
  const names = input.ExpressionAttributeNames
  if (names !== undefined) {
    if (isEmpty(names)) return 'ExpressionAttributeNames must not be empty'
    for (const key in names) {
      const problem = placeholderKeyProblem('ExpressionAttributeNames', key, namePlaceholder)
      if (problem !== undefined) return problem
    }
    for (const key in names) {
      if (names[key] === '') return `ExpressionAttributeNames contains invalid value: Empty attribute name for key ${key}`
      const problem = attributeNameProblem(names[key]!)
      if (problem !== undefined) return problem
    }
  }
  const values = input.ExpressionAttributeValues
  if (values !== undefined) {
    if (isEmpty(values)) return 'ExpressionAttributeValues must not be empty'
    for (const key in values) {
      const problem = placeholderKeyProblem('ExpressionAttributeValues', key, valuePlaceholder)
      if (problem !== undefined) return problem
    }
    for (const key in values) {
      const problem = valueProblem(values[key])
      if (problem === undefined) continue
      return wrapValueProblems ? `ExpressionAttributeValues contains invalid value: ${problem} for key ${key}` : problem
    }
    for (const key in values) {
      const problem = nestedNamesProblem(values[key])
      if (problem !== undefined) return problem
    }
  }
  return undefined
}

/** A placeholder (prefix included) has at most 255 bytes; DynamoDB checks the length before the syntax. */
export const placeholderBytesMax = 255

/**
 * Messages recorded on DynamoDB by ExtendDB's test_expression_attribute_map_validation.py; only
 * the names' message gives the size.
 */
function placeholderKeyProblem(
  parameter: 'ExpressionAttributeNames' | 'ExpressionAttributeValues', key: string, pattern: RegExp,
): string | undefined {
  const sizeBytes = Buffer.byteLength(key, 'utf8')
  if (sizeBytes > placeholderBytesMax) {
    const size = parameter === 'ExpressionAttributeNames' ? ` size of key: ${sizeBytes}` : ''
    return `${parameter} contains invalid key: The expression attribute map contains a key that is too long;${size}`
  }
  if (!pattern.test(key)) return `${parameter} contains invalid key: Syntax error; key: "${key}"`
  return undefined
}

function isEmpty(object: object): boolean {
  for (const _key in object) return false
  return true
}

/**
 * An operation accepts either the expression members or their legacy equivalents, never both.
 * Names are listed in the order given, which is DynamoDB's order for each operation. Values
 * without an expression name the null expressions, except in PutItem, UpdateItem and DeleteItem
 * (nameNullExpressions false; the AWS-validated suite's "request validation envelope" cases).
 */
export function expressionStyleProblem(
  request: object,
  expressionMembers: readonly string[],
  legacyMembers: readonly string[],
  nameNullExpressions = true,
): string | undefined {
  const input = request as { [member: string]: unknown }
  const expressionsUsed = expressionMembers.filter((member) => input[member] !== undefined)
  if (expressionsUsed.length > 0) {
    // DynamoDB quirk: KeyConditions alone does not clash with the other expressions.
    const clashing = legacyMembers.filter((member) => input[member] !== undefined &&
      !(member === 'KeyConditions' && input.KeyConditionExpression === undefined))
    if (clashing.length > 0) {
      return 'Can not use both expression and non-expression parameters in the same request: ' +
        `Non-expression parameters: {${clashing.join(', ')}} Expression parameters: {${expressionsUsed.join(', ')}}`
    }
  }
  if (input.ExpressionAttributeNames !== undefined && expressionsUsed.length === 0) {
    return 'ExpressionAttributeNames can only be specified when using expressions'
  }
  const valueExpressions = expressionMembers.filter((member) => member !== 'ProjectionExpression')
  if (valueExpressions.length > 0 && input.ExpressionAttributeValues !== undefined &&
      valueExpressions.every((member) => input[member] === undefined)) {
    const message = 'ExpressionAttributeValues can only be specified when using expressions'
    return nameNullExpressions
      ? `${message}: ${valueExpressions.join(' and ')} ${valueExpressions.length > 1 ? 'are' : 'is'} null`
      : message
  }
  return undefined
}
