/**
 * Custom checks on the AttributeValues a request carries (Item, Key, ExclusiveStartKey,
 * ExpressionAttributeValues) and on the expression placeholders, composing the context DynamoDB
 * puts around attributeValueProblem's reason. Each returns a ValidationException message or
 * undefined.
 */
import { attributeValueProblem } from '../values/attribute-value.js'
import { itemSizeBytes, itemSizeBytesMax } from '../values/size.js'
import type { Item } from '../values/types.js'

/** Item, Key and AttributeValueList values: DynamoDB sends the reason as it is. */
export function attributeMapProblem(attributes: { [name: string]: unknown } | undefined): string | undefined {
  for (const name in attributes) {
    const problem = attributeValueProblem(attributes[name])
    if (problem !== undefined) return problem
  }
  return undefined
}

export function startKeyProblem(key: { [name: string]: unknown } | undefined): string | undefined {
  const problem = attributeMapProblem(key)
  return problem === undefined ? undefined : `The provided starting key is invalid: ${problem}`
}

/** Call only once attributeMapProblem has passed: sizing assumes well-formed values. */
export function itemSizeProblem(item: Item): string | undefined {
  return itemSizeBytes(item) > itemSizeBytesMax ? 'Item size has exceeded the maximum allowed size' : undefined
}

export function duplicateAttributeNameProblem(names: readonly string[] | undefined): string | undefined {
  if (names === undefined) return undefined
  const seen = new Set<string>()
  for (const name of names) {
    if (seen.has(name)) return `One or more parameter values were invalid: Duplicate value in attribute name: ${name}`
    seen.add(name)
  }
  return undefined
}

const namePlaceholder = /^#[0-9a-zA-Z_]+$/
const valuePlaceholder = /^:[0-9a-zA-Z_]+$/

/**
 * The placeholder maps on their own. Whether each placeholder is used (or defined) needs the
 * parsed expressions, so the expression layer checks that afterwards.
 */
export function expressionAttributesProblem(input: {
  ExpressionAttributeNames?: { [placeholder: string]: string }
  ExpressionAttributeValues?: { [placeholder: string]: unknown }
}): string | undefined {
  const names = input.ExpressionAttributeNames
  if (names !== undefined) {
    if (isEmpty(names)) return 'ExpressionAttributeNames must not be empty'
    for (const key in names) {
      if (!namePlaceholder.test(key)) return `ExpressionAttributeNames contains invalid key: Syntax error; key: "${key}"`
    }
  }
  const values = input.ExpressionAttributeValues
  if (values !== undefined) {
    if (isEmpty(values)) return 'ExpressionAttributeValues must not be empty'
    for (const key in values) {
      if (!valuePlaceholder.test(key)) return `ExpressionAttributeValues contains invalid key: Syntax error; key: "${key}"`
    }
    for (const key in values) {
      const problem = attributeValueProblem(values[key])
      if (problem !== undefined) return `ExpressionAttributeValues contains invalid value: ${problem} for key ${key}`
    }
  }
  return undefined
}

function isEmpty(object: object): boolean {
  for (const _key in object) return false
  return true
}

/**
 * An operation accepts either the expression members or their legacy equivalents, never both.
 * Names are listed in the order given, which is DynamoDB's order for each operation.
 */
export function expressionStyleProblem(
  request: object,
  expressionMembers: readonly string[],
  legacyMembers: readonly string[],
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
    return 'ExpressionAttributeValues can only be specified when using expressions: ' +
      `${valueExpressions.join(' and ')} ${valueExpressions.length > 1 ? 'are' : 'is'} null`
  }
  return undefined
}
