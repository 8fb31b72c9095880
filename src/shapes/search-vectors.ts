/** SearchVectors: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_SearchVectors.html */
import type { AttributeValue } from '../values/types.js'
import { expressionAttributesProblem } from '../validate/attribute-checks.js'
import {
  attributeValue, expressionAttributeNames, expressionAttributeValues, indexName, returnConsumedCapacity, tableName,
  type ConsumedCapacityOptions, type ExpressionMembers,
} from './common.js'
import { integer, list, operation, string, structure } from './shape.js'

export interface SearchVectorsInput extends ExpressionMembers, ConsumedCapacityOptions {
  TableName: string
  IndexName: string
  SearchVector: AttributeValue[]
  TopK: number
  SearchConditionExpression?: string
  ProjectionExpression?: string
}

/** TopK's upper bound is the service's check, in its own words (searchVectors.ts). */
export const topKMax = 100

export const searchVectorsShape = operation<SearchVectorsInput>({
  input: structure('SearchVectorsInput', {
    TableName: tableName(),
    IndexName: indexName({ notNull: true }),
    SearchVector: list(attributeValue, { notNull: true }),
    TopK: integer({ notNull: true, valueMin: 1 }),
    ReturnConsumedCapacity: returnConsumedCapacity(),
    ExpressionAttributeNames: expressionAttributeNames(),
    ExpressionAttributeValues: expressionAttributeValues(),
    ProjectionExpression: string(),
    SearchConditionExpression: string(),
  }),
  check: (input) => expressionAttributesProblem(input),
  valueLayer: 'current',
})
