/** BatchGetItem: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html */
import type { Item } from '../values/types.js'
import { attributeValueProblem, normalizeAttributeValue } from '../values/attribute-value.js'
import {
  duplicateAttributeNameProblem, expressionAttributesProblem, expressionStyleProblem,
} from '../validate/attribute-checks.js'
import {
  attributeMap, attributesToGet, expressionAttributeNames, returnConsumedCapacity, tableNameKeys,
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
  Keys: list(attributeMap(), { notNull: true, lengthMin: 1, lengthMax: batchGetKeysMax }),
  AttributesToGet: attributesToGet(),
  ConsistentRead: boolean(),
  ProjectionExpression: string(),
  ExpressionAttributeNames: expressionAttributeNames(),
})

export const batchGetItemShape = operation<BatchGetItemInput>({
  input: structure('BatchGetItemInput', {
    ReturnConsumedCapacity: returnConsumedCapacity(),
    RequestItems: map(keysAndAttributes, { notNull: true, lengthMin: 1, keyConstraints: tableNameKeys }),
  }),
  check: requestItemsProblem,
})

function requestItemsProblem(input: BatchGetItemInput): string | undefined {
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
