/** DeleteItem: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html */
import { writeReturnValuesProblem } from '../validate/return-values.js'
import type { Item } from '../values/types.js'
import {
  attributeMapProblem, expressionAttributesProblem, expressionStyleProblem, singleItemNestingProblem,
} from '../validate/attribute-checks.js'
import { singleItemWriteFirst } from '../validate/first-checks.js'
import { conditionalOperatorProblem, expectedProblem } from '../validate/legacy-conditions.js'
import {
  attributeMap, conditionalOperator, expectedAttributeValue, expressionAttributeNames, expressionAttributeValues,
  returnConsumedCapacity, returnItemCollectionMetrics, returnValues, returnValuesOnConditionCheckFailure, tableName,
  type ConsumedCapacityOptions, type ExpectedCondition, type ExpressionMembers, type ReturnValues,
} from './common.js'
import { map, operation, string, structure } from './shape.js'

export interface DeleteItemInput extends ExpressionMembers, ConsumedCapacityOptions {
  TableName: string
  Key: Item
  Expected?: { [name: string]: ExpectedCondition }
  ConditionalOperator?: 'AND' | 'OR'
  ConditionExpression?: string
  ReturnValues?: ReturnValues
  ReturnItemCollectionMetrics?: 'SIZE' | 'NONE'
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE'
}

export const deleteItemShape = operation<DeleteItemInput>({
  input: structure('DeleteItemInput', {
    ReturnConsumedCapacity: returnConsumedCapacity(),
    TableName: tableName(),
    ReturnValues: returnValues(),
    ReturnItemCollectionMetrics: returnItemCollectionMetrics(),
    Key: attributeMap({ notNull: true }),
    ConditionalOperator: conditionalOperator(),
    Expected: map(expectedAttributeValue),
    ConditionExpression: string(),
    ExpressionAttributeValues: expressionAttributeValues(),
    ExpressionAttributeNames: expressionAttributeNames(),
    ReturnValuesOnConditionCheckFailure: returnValuesOnConditionCheckFailure(),
  }),
  firstCheck: singleItemWriteFirst('DeleteItem'),
  check: (input) =>
    singleItemNestingProblem(input.ExpressionAttributeValues) ??
    writeReturnValuesProblem(input.ReturnValues) ??
    expressionStyleProblem(input, ['ConditionExpression'], ['Expected'], false) ??
    conditionalOperatorProblem(input.ConditionalOperator, input.Expected) ??
    attributeMapProblem(input.Key) ??
    expectedProblem(input.Expected) ??
    expressionAttributesProblem(input, undefined, false),
  envelopeChecks: true,
  valueLayer: 'current',
})
