/** UpdateItem: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html */
import type { AttributeValue, Item } from '../values/types.js'
import { attributeValueProblem } from '../values/attribute-value.js'
import {
  attributeMapProblem, attributeNameProblem, attributeNamesProblem, expressionAttributesProblem, expressionStyleProblem,
  singleItemNestingProblem,
} from '../validate/attribute-checks.js'
import { singleItemWriteFirst } from '../validate/first-checks.js'
import { conditionalOperatorProblem, expectedProblem } from '../validate/legacy-conditions.js'
import {
  attributeMap, attributeValue, conditionalOperator, expectedAttributeValue, expressionAttributeNames,
  expressionAttributeValues, returnConsumedCapacity, returnItemCollectionMetrics, returnValues,
  returnValuesOnConditionCheckFailure, tableName,
  type ConsumedCapacityOptions, type ExpectedCondition, type ExpressionMembers, type ReturnValues,
} from './common.js'
import { map, operation, string, structure } from './shape.js'

export interface AttributeValueUpdate {
  Action?: 'ADD' | 'PUT' | 'DELETE'
  Value?: AttributeValue
}

export interface UpdateItemInput extends ExpressionMembers, ConsumedCapacityOptions {
  TableName: string
  Key: Item
  AttributeUpdates?: { [name: string]: AttributeValueUpdate }
  Expected?: { [name: string]: ExpectedCondition }
  ConditionalOperator?: 'AND' | 'OR'
  ConditionExpression?: string
  UpdateExpression?: string
  ReturnValues?: ReturnValues
  ReturnItemCollectionMetrics?: 'SIZE' | 'NONE'
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE'
}

const attributeValueUpdate = structure('AttributeValueUpdate', {
  Action: string({ enum: ['ADD', 'PUT', 'DELETE'] }),
  Value: attributeValue,
})

export const updateItemShape = operation<UpdateItemInput>({
  input: structure('UpdateItemInput', {
    ReturnConsumedCapacity: returnConsumedCapacity(),
    TableName: tableName(),
    ReturnItemCollectionMetrics: returnItemCollectionMetrics(),
    ReturnValues: returnValues(),
    // Member order is the order of DynamoDB's "N validation errors detected" list: a bad
    // ConditionalOperator comes before a missing Key (an AWS-validated suite, 2026).
    ConditionalOperator: conditionalOperator(),
    Key: attributeMap({ notNull: true }),
    Expected: map(expectedAttributeValue),
    AttributeUpdates: map(attributeValueUpdate),
    ConditionExpression: string(),
    UpdateExpression: string(),
    ExpressionAttributeValues: expressionAttributeValues(),
    ExpressionAttributeNames: expressionAttributeNames(),
    ReturnValuesOnConditionCheckFailure: returnValuesOnConditionCheckFailure(),
  }),
  firstCheck: singleItemWriteFirst('UpdateItem'),
  check: (input) =>
    singleItemNestingProblem(input.ExpressionAttributeValues) ??
    expressionStyleProblem(input, ['UpdateExpression', 'ConditionExpression'], ['AttributeUpdates', 'Expected'], false) ??
    conditionalOperatorProblem(input.ConditionalOperator, input.Expected) ??
    attributeMapProblem(input.Key) ??
    attributeUpdatesProblem(input.AttributeUpdates) ??
    expectedProblem(input.Expected) ??
    expressionAttributesProblem(input, undefined, false),
  envelopeChecks: true,
  valueLayer: 'current',
})

const invalid = 'One or more parameter values were invalid: '
const addableTypes = new Set(['L', 'SS', 'NS', 'BS', 'N'])
const setTypes = new Set(['SS', 'NS', 'BS'])

function attributeUpdatesProblem(updates: { [name: string]: AttributeValueUpdate } | undefined): string | undefined {
  for (const name in updates) {
    const { Action: action = 'PUT', Value: value } = updates[name]!
    const nameProblem = attributeNameProblem(name)
    if (nameProblem !== undefined) return nameProblem
    if (value === undefined) {
      if (action !== 'DELETE') return `${invalid}Only DELETE action is allowed when no attribute value is specified`
      continue
    }
    const problem = attributeValueProblem(value) ?? attributeNamesProblem({ [name]: value })
    if (problem !== undefined) return problem
    const type = Object.keys(value)[0]!
    if (action === 'DELETE' && !setTypes.has(type)) {
      return `${invalid}DELETE action with value is not supported for the type ${type}`
    }
    if (action === 'ADD' && !addableTypes.has(type)) return `${invalid}ADD action is not supported for the type ${type}`
  }
  return undefined
}
