/** BatchExecuteStatement: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchExecuteStatement.html */
import type { AttributeValue } from '../values/types.js'
import {
  attributeValue, returnConsumedCapacity, returnValuesOnConditionCheckFailure, type ConsumedCapacityOptions,
} from './common.js'
import { boolean, list, operation, string, structure } from './shape.js'

/** DynamoDB runs at most 25 statements per batch. */
export const batchStatementsMax = 25

export interface BatchStatementRequest {
  Statement: string
  Parameters?: AttributeValue[]
  ConsistentRead?: boolean
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE'
}

export interface BatchExecuteStatementInput extends ConsumedCapacityOptions {
  Statements: BatchStatementRequest[]
}

const batchStatementRequest = structure('BatchStatementRequest', {
  Statement: string({ notNull: true, lengthMin: 1, lengthMax: 8192 }),
  Parameters: list(attributeValue, { lengthMin: 1 }),
  ConsistentRead: boolean(),
  ReturnValuesOnConditionCheckFailure: returnValuesOnConditionCheckFailure(),
})

export const batchExecuteStatementShape = operation<BatchExecuteStatementInput>({
  input: structure('BatchExecuteStatementInput', {
    Statements: list(batchStatementRequest, { notNull: true, lengthMin: 1, lengthMax: batchStatementsMax }),
    ReturnConsumedCapacity: returnConsumedCapacity(),
  }),
  // A statement's Parameters are checked with the statement (partiql/batch.ts): a bad one fails
  // only that statement.
})
