/** Scan: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html */
import { selectProblem } from '../validate/select-checks.js'
import type { Item } from '../values/types.js'
import { totalSegmentsMax } from '../values/key.js'
import {
  duplicateAttributeNameProblem, expressionAttributesProblem, expressionStyleProblem, startKeyProblem,
} from '../validate/attribute-checks.js'
import { conditionalOperatorProblem, conditionsProblem } from '../validate/legacy-conditions.js'
import {
  attributeMap, attributesToGet, condition, conditionalOperator, expressionAttributeNames, expressionAttributeValues,
  indexName, newerMinimumProblem, returnConsumedCapacity, select, tableName,
  type ConsumedCapacityOptions, type ExpressionMembers, type LegacyCondition,
} from './common.js'
import type { Select } from './query.js'
import { boolean, integer, map, operation, string, structure } from './shape.js'

export interface ScanInput extends ExpressionMembers, ConsumedCapacityOptions {
  TableName: string
  IndexName?: string
  Limit?: number
  ExclusiveStartKey?: Item
  AttributesToGet?: string[]
  Select?: Select
  ScanFilter?: { [name: string]: LegacyCondition }
  ConditionalOperator?: 'AND' | 'OR'
  Segment?: number
  TotalSegments?: number
  ConsistentRead?: boolean
  FilterExpression?: string
  ProjectionExpression?: string
}

export const scanShape = operation<ScanInput>({
  input: structure('ScanInput', {
    // Limit and Segment below their minimums are checked with the cross-field checks, in
    // DynamoDB's newer wording (newerMinimumProblem).
    Limit: integer(),
    ReturnConsumedCapacity: returnConsumedCapacity(),
    AttributesToGet: attributesToGet(),
    Segment: integer({ valueMax: totalSegmentsMax - 1 }),
    Select: select(),
    ScanFilter: map(condition),
    ConditionalOperator: conditionalOperator(),
    TotalSegments: integer({ valueMin: 1, valueMax: totalSegmentsMax }),
    TableName: tableName(),
    ExclusiveStartKey: attributeMap(),
    IndexName: indexName(),
    FilterExpression: string(),
    ProjectionExpression: string(),
    ExpressionAttributeValues: expressionAttributeValues(),
    ExpressionAttributeNames: expressionAttributeNames(),
    ConsistentRead: boolean(),
  }),
  check: (input) =>
    newerMinimumProblem('Limit', input.Limit, 1) ??
    newerMinimumProblem('Segment', input.Segment, 0) ??
    selectProblem(input) ??
    expressionStyleProblem(input,
      ['ProjectionExpression', 'FilterExpression'],
      ['AttributesToGet', 'ScanFilter', 'ConditionalOperator']) ??
    conditionalOperatorProblem(input.ConditionalOperator, input.ScanFilter) ??
    duplicateAttributeNameProblem(input.AttributesToGet) ??
    conditionsProblem(input.ScanFilter) ??
    startKeyProblem(input.ExclusiveStartKey) ??
    segmentProblem(input) ??
    expressionAttributesProblem(input),
})

function segmentProblem({ Segment: segment, TotalSegments: totalSegments }: ScanInput): string | undefined {
  // Segment 0 too: an AWS-validated suite (2026) sees it rejected, though dynalite's older
  // recordings accepted it.
  if (segment !== undefined && totalSegments === undefined) {
    return 'The TotalSegments parameter is required but was not present in the request when Segment parameter is present'
  }
  if (totalSegments === undefined) return undefined
  if (segment === undefined) {
    return 'The Segment parameter is required but was not present in the request when parameter TotalSegments is present'
  }
  // Without the older ": Segment: 5 is not less than TotalSegments: 5" since the rollout of
  // September 2026 (the dynamodb-conformance suite, eu-west-2).
  if (segment >= totalSegments) return 'The Segment parameter is zero-based and must be less than parameter TotalSegments'
  return undefined
}
