/** GetItem: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html */
import type { Item } from '../values/types.js'
import {
  attributeMapProblem, duplicateAttributeNameProblem, expressionAttributesProblem, expressionStyleProblem,
} from '../validate/attribute-checks.js'
import {
  attributeMap, attributesToGet, expressionAttributeNames, returnConsumedCapacity, tableName,
  type ConsumedCapacityOptions,
} from './common.js'
import { boolean, operation, string, structure } from './shape.js'

export interface GetItemInput extends ConsumedCapacityOptions {
  TableName: string
  Key: Item
  AttributesToGet?: string[]
  ConsistentRead?: boolean
  ProjectionExpression?: string
  ExpressionAttributeNames?: { [placeholder: string]: string }
}

export const getItemShape = operation<GetItemInput>({
  input: structure('GetItemInput', {
    ReturnConsumedCapacity: returnConsumedCapacity(),
    AttributesToGet: attributesToGet(),
    TableName: tableName(),
    Key: attributeMap({ notNull: true }),
    ConsistentRead: boolean(),
    ProjectionExpression: string(),
    ExpressionAttributeNames: expressionAttributeNames(),
  }),
  check: (input) =>
    expressionStyleProblem(input, ['ProjectionExpression'], ['AttributesToGet']) ??
    attributeMapProblem(input.Key) ??
    duplicateAttributeNameProblem(input.AttributesToGet) ??
    expressionAttributesProblem(input),
  valueLayer: 'current',
})
