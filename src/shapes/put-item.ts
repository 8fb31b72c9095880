/** PutItem: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html */
import type { Item } from '../values/types.js'
import {
  attributeMapProblem, expressionAttributesProblem, expressionStyleProblem, itemSizeProblem,
  singleItemNestingProblem,
} from '../validate/attribute-checks.js'
import { singleItemWriteFirst } from '../validate/first-checks.js'
import { writeReturnValuesProblem } from '../validate/return-values.js'
import { conditionalOperatorProblem, expectedProblem } from '../validate/legacy-conditions.js'
import {
  attributeMap, conditionalOperator, expectedAttributeValue, expressionAttributeNames, expressionAttributeValues,
  returnConsumedCapacity, returnItemCollectionMetrics, returnValues, returnValuesOnConditionCheckFailure, tableName,
  type ConsumedCapacityOptions, type ExpectedCondition, type ExpressionMembers, type ReturnValues,
} from './common.js'
import { map, operation, string, structure } from './shape.js'

export interface PutItemInput extends ExpressionMembers, ConsumedCapacityOptions {
  TableName: string
  Item: Item
  Expected?: { [name: string]: ExpectedCondition }
  ConditionalOperator?: 'AND' | 'OR'
  ConditionExpression?: string
  ReturnValues?: ReturnValues
  ReturnItemCollectionMetrics?: 'SIZE' | 'NONE'
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE'
}

export const putItemShape = operation<PutItemInput>({
  input: structure('PutItemInput', {
    ReturnConsumedCapacity: returnConsumedCapacity(),
    TableName: tableName(),
    Item: attributeMap({ notNull: true }),
    ConditionalOperator: conditionalOperator(),
    Expected: map(expectedAttributeValue),
    ReturnValues: returnValues(),
    ReturnItemCollectionMetrics: returnItemCollectionMetrics(),
    ConditionExpression: string(),
    ExpressionAttributeValues: expressionAttributeValues(),
    ExpressionAttributeNames: expressionAttributeNames(),
    ReturnValuesOnConditionCheckFailure: returnValuesOnConditionCheckFailure(),
  }),
  firstCheck: singleItemWriteFirst('PutItem'),
  check: (input) =>
    singleItemNestingProblem(input.Item, input.ExpressionAttributeValues) ??
    expressionStyleProblem(input, ['ConditionExpression'], ['Expected'], false) ??
    conditionalOperatorProblem(input.ConditionalOperator, input.Expected) ??
    attributeMapProblem(input.Item) ??
    writeReturnValuesProblem(input.ReturnValues) ??
    itemSizeProblem(input.Item) ??
    expectedProblem(input.Expected) ??
    expressionAttributesProblem(input, undefined, false),
  envelopeChecks: true,
  valueLayer: 'current',
})
