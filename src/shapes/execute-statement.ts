/** ExecuteStatement (PartiQL), shape only: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExecuteStatement.html */
import type { AttributeValue } from '../values/types.js'
import { attributeMapProblem } from '../validate/attribute-checks.js'
import {
  attributeValue, returnConsumedCapacity, returnValuesOnConditionCheckFailure, type ConsumedCapacityOptions,
} from './common.js'
import { boolean, integer, list, operation, string, structure } from './shape.js'

export interface ExecuteStatementInput extends ConsumedCapacityOptions {
  Statement: string
  Parameters?: AttributeValue[]
  ConsistentRead?: boolean
  NextToken?: string
  Limit?: number
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE'
}

export const executeStatementShape = operation<ExecuteStatementInput>({
  input: structure('ExecuteStatementInput', {
    Statement: string({ notNull: true, lengthMin: 1, lengthMax: 8192 }),
    Parameters: list(attributeValue, { lengthMin: 1 }),
    ConsistentRead: boolean(),
    NextToken: string({ lengthMin: 1, lengthMax: 32768 }),
    ReturnConsumedCapacity: returnConsumedCapacity(),
    Limit: integer({ valueMin: 1 }),
    ReturnValuesOnConditionCheckFailure: returnValuesOnConditionCheckFailure(),
  }),
  check: (input) => attributeMapProblem({ ...input.Parameters }),
})
