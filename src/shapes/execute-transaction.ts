/** ExecuteTransaction: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExecuteTransaction.html */
import type { AttributeValue } from '../values/types.js'
import { attributeMapProblem } from '../validate/attribute-checks.js'
import {
  attributeValue, returnConsumedCapacity, returnValuesOnConditionCheckFailure, type ConsumedCapacityOptions,
} from './common.js'
import { list, operation, string, structure } from './shape.js'

/** A transaction holds at most 100 statements, as TransactWriteItems holds 100 actions. */
export const transactionStatementsMax = 100

export interface ParameterizedStatement {
  Statement: string
  Parameters?: AttributeValue[]
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE'
}

export interface ExecuteTransactionInput extends ConsumedCapacityOptions {
  TransactStatements: ParameterizedStatement[]
  ClientRequestToken?: string
}

const parameterizedStatement = structure('ParameterizedStatement', {
  Statement: string({ notNull: true, lengthMin: 1, lengthMax: 8192 }),
  Parameters: list(attributeValue, { lengthMin: 1 }),
  ReturnValuesOnConditionCheckFailure: returnValuesOnConditionCheckFailure(),
})

export const executeTransactionShape = operation<ExecuteTransactionInput>({
  input: structure('ExecuteTransactionInput', {
    TransactStatements: list(parameterizedStatement, { notNull: true, lengthMin: 1, lengthMax: transactionStatementsMax }),
    ClientRequestToken: string({ lengthMin: 1, lengthMax: 36 }),
    ReturnConsumedCapacity: returnConsumedCapacity(),
  }),
  check: (input) => {
    for (const statement of input.TransactStatements) {
      const problem = attributeMapProblem({ ...statement.Parameters })
      if (problem !== undefined) return problem
    }
    return undefined
  },
})
