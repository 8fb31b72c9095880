/** Query: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html */
import { globalIndexKeySchemaLengthMax } from '../tables/index-key-schema.js'
import { selectProblem } from '../validate/select-checks.js'
import type { Item } from '../values/types.js'
import {
  attributeMapProblem, duplicateAttributeNameProblem, expressionAttributesProblem, expressionStyleProblem,
} from '../validate/attribute-checks.js'
import { conditionalOperatorFirst } from '../validate/first-checks.js'
import { conditionalOperatorProblem, conditionsProblem } from '../validate/legacy-conditions.js'
import {
  attributeMap, attributesToGet, condition, conditionalOperator, expressionAttributeNames, expressionAttributeValues,
  indexName, newerMinimumProblem, returnConsumedCapacity, select, tableName,
  type ConsumedCapacityOptions, type ExpressionMembers, type LegacyCondition,
} from './common.js'
import { boolean, integer, map, operation, string, structure } from './shape.js'

export type Select = 'SPECIFIC_ATTRIBUTES' | 'COUNT' | 'ALL_ATTRIBUTES' | 'ALL_PROJECTED_ATTRIBUTES'

export interface QueryInput extends ExpressionMembers, ConsumedCapacityOptions {
  TableName: string
  IndexName?: string
  Limit?: number
  ExclusiveStartKey?: Item
  AttributesToGet?: string[]
  Select?: Select
  KeyConditions?: { [name: string]: LegacyCondition }
  QueryFilter?: { [name: string]: LegacyCondition }
  ConditionalOperator?: 'AND' | 'OR'
  ConsistentRead?: boolean
  ScanIndexForward?: boolean
  KeyConditionExpression?: string
  FilterExpression?: string
  ProjectionExpression?: string
}

export const queryShape = operation<QueryInput>({
  input: structure('QueryInput', {
    // Checked with the cross-field checks, in DynamoDB's newer wording (newerMinimumProblem).
    Limit: integer(),
    ExclusiveStartKey: attributeMap(),
    ReturnConsumedCapacity: returnConsumedCapacity(),
    AttributesToGet: attributesToGet(),
    QueryFilter: map(condition),
    Select: select(),
    ConditionalOperator: conditionalOperator(),
    KeyConditions: map(condition),
    TableName: tableName(),
    ConsistentRead: boolean(),
    IndexName: indexName(),
    ScanIndexForward: boolean(),
    KeyConditionExpression: string(),
    FilterExpression: string(),
    ProjectionExpression: string(),
    ExpressionAttributeValues: expressionAttributeValues(),
    ExpressionAttributeNames: expressionAttributeNames(),
  }),
  firstCheck: (input) => conditionalOperatorFirst(input, 'QueryFilter'),
  check: (input) =>
    newerMinimumProblem('Limit', input.Limit, 1) ??
    selectProblem(input) ??
    expressionStyleProblem(input,
      ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'],
      ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions']) ??
    conditionalOperatorProblem(input.ConditionalOperator, input.QueryFilter) ??
    conditionsProblem(input.QueryFilter) ??
    duplicateAttributeNameProblem(input.AttributesToGet) ??
    // Bare, unlike Scan's "The provided starting key is invalid: …" (an AWS-validated suite's
    // valueLayers case for Query).
    attributeMapProblem(input.ExclusiveStartKey) ??
    keyConditionPresenceProblem(input) ??
    expressionAttributesProblem(input, undefined, false) ??
    legacyKeyConditionsProblem(input),
  valueLayer: 'current',
})

function keyConditionPresenceProblem(input: QueryInput): string | undefined {
  return input.KeyConditions === undefined && input.KeyConditionExpression === undefined
    ? 'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.'
    : undefined
}

/**
 * Legacy KeyConditions are checked here; a KeyConditionExpression is checked by the expression
 * layer once parsed (DynamoDB turns it into the same conditions and applies the same rules).
 */
function legacyKeyConditionsProblem(input: QueryInput): string | undefined {
  if (input.KeyConditionExpression !== undefined || input.KeyConditions === undefined) return undefined
  const problem = conditionsProblem(input.KeyConditions)
  if (problem !== undefined) return problem
  // One or two conditions for a table or a single-attribute index (checked once the key is
  // known); a GSI with multi-attribute keys takes one per key attribute.
  const count = Object.keys(input.KeyConditions).length
  return count >= 1 && count <= globalIndexKeySchemaLengthMax ? undefined : 'Conditions can be of length 1 or 2 only'
}
