/** BatchGetItem: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html */
import type { Item } from '../values/types.js'
import { attributeValueProblem, normalizeAttributeValue } from '../values/attribute-value.js'
import {
  duplicateAttributeNameProblem, expressionAttributesProblem, expressionStyleProblem,
} from '../validate/attribute-checks.js'
import { newerViolation, violationsMessage } from '../validate/violations.js'
import {
  attributeMap, attributesToGet, emptyRequestItemsMessage, expressionAttributeNames, returnConsumedCapacity, tableNameKeys,
  type ConsumedCapacityOptions,
} from './common.js'
import { boolean, list, map, operation, string, structure } from './shape.js'

/** One BatchGetItem call reads at most 100 items, over all its tables. */
export const batchGetKeysMax = 100

export interface KeysAndAttributes {
  Keys: Item[]
  AttributesToGet?: string[]
  ConsistentRead?: boolean
  ProjectionExpression?: string
  ExpressionAttributeNames?: { [placeholder: string]: string }
}

export interface BatchGetItemInput extends ConsumedCapacityOptions {
  RequestItems: { [tableName: string]: KeysAndAttributes }
}

const keysAndAttributes = structure('KeysAndAttributes', {
  // No keys, or over 100, get their own message, from requestItemsProblem.
  Keys: list(attributeMap(), { notNull: true }),
  AttributesToGet: attributesToGet(),
  ConsistentRead: boolean(),
  ProjectionExpression: string(),
  ExpressionAttributeNames: expressionAttributeNames(),
})

export const batchGetItemShape = operation<BatchGetItemInput>({
  // RequestItems first, echoed as JSON: both as DynamoDB reports a malformed table name beside
  // another violation (an AWS-validated suite's batch validation-ordering cases).
  input: structure('BatchGetItemInput', {
    RequestItems: map(keysAndAttributes, { notNull: true, keyConstraints: tableNameKeys, echoAsJson: true }),
    ReturnConsumedCapacity: returnConsumedCapacity(),
  }),
  check: requestItemsProblem,
  valueLayer: 'current',
})

/**
 * Messages as an AWS-validated suite pins them ("BatchGetItem — exact error messages"): an empty
 * RequestItems, one table's Keys empty or past 100 (named without echoing them, in the wording of
 * DynamoDB's newer validation, which every region but one answered by the suite's 2026-09-02
 * sweep), and projections that mix the expression and legacy forms across tables.
 */
function requestItemsProblem(input: BatchGetItemInput): string | undefined {
  const tables = Object.keys(input.RequestItems)
  if (tables.length === 0) return emptyRequestItemsMessage
  for (const table of tables) {
    const keyCount = input.RequestItems[table]!.Keys.length
    if (keyCount === 0 || keyCount > batchGetKeysMax) {
      const rule = keyCount === 0
        ? 'Member must have length greater than or equal to 1'
        : `Member must have length less than or equal to ${batchGetKeysMax}`
      return violationsMessage([newerViolation(`RequestItems.${table}.member.Keys`, rule)])
    }
  }
  const requests = tables.map((table) => input.RequestItems[table]!)
  if (requests.some((request) => request.ProjectionExpression !== undefined) &&
      requests.some((request) => request.AttributesToGet !== undefined)) {
    return 'Can not use both expression and non-expression parameters in the same request: ' +
      'Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}'
  }
  let keyCount = 0
  for (const table in input.RequestItems) {
    const request = input.RequestItems[table]!
    const styleProblem = expressionStyleProblem(request, ['ProjectionExpression'], ['AttributesToGet'])
    if (styleProblem !== undefined) return styleProblem
    const seenKeys = new Set<string>()
    for (const key of request.Keys) {
      for (const name in key) {
        const problem = attributeValueProblem(key[name])
        if (problem !== undefined) return problem
      }
      const identity = keyIdentity(key)
      if (seenKeys.has(identity)) return 'Provided list of item keys contains duplicates'
      seenKeys.add(identity)
      if (++keyCount > batchGetKeysMax) return 'Too many items requested for the BatchGetItem call'
    }
    const problem = duplicateAttributeNameProblem(request.AttributesToGet) ?? expressionAttributesProblem(request)
    if (problem !== undefined) return problem
  }
  return undefined
}

/** Equal keys get equal text whatever their attribute order or number spelling ('1' vs '1.0'). */
function keyIdentity(key: Item): string {
  return Object.keys(key).sort()
    .map((name) => `${JSON.stringify(name)}:${JSON.stringify(normalizeAttributeValue(key[name]!))}`)
    .join(',')
}
