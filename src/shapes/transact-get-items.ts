/** TransactGetItems: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactGetItems.html */
import type { Item } from '../values/types.js'
import { expressionValueProblem } from '../values/attribute-value.js'
import { attributeMapProblem, expressionAttributesProblem } from '../validate/attribute-checks.js'
import { transactionExpressionsProblem } from '../validate/transaction-expressions.js'
import {
  attributeMap, expressionAttributeNames, returnConsumedCapacity, tableName, type ConsumedCapacityOptions,
} from './common.js'
import { list, operation, string, structure } from './shape.js'

/** A transaction holds at most 100 actions. */
export const transactionActionsMax = 100

export interface TransactGetItemsInput extends ConsumedCapacityOptions {
  TransactItems: { Get: { TableName: string; Key: Item; ProjectionExpression?: string;
    ExpressionAttributeNames?: { [placeholder: string]: string } } }[]
}

const get = structure('Get', {
  Key: attributeMap({ notNull: true }),
  TableName: tableName(),
  ProjectionExpression: string(),
  ExpressionAttributeNames: expressionAttributeNames(),
}, { notNull: true })

export const transactGetItemsShape = operation<TransactGetItemsInput>({
  input: structure('TransactGetItemsInput', {
    TransactItems: list(structure('TransactGetItem', { Get: get }), {
      notNull: true, lengthMin: 1, lengthMax: transactionActionsMax,
    }),
    ReturnConsumedCapacity: returnConsumedCapacity(),
  }),
  check: (input) => {
    for (const { Get: action } of input.TransactItems) {
      const problem = attributeMapProblem(action.Key) ?? expressionAttributesProblem(action, expressionValueProblem) ??
        transactionExpressionsProblem(action)
      if (problem !== undefined) return problem
    }
    return undefined
  },
})
