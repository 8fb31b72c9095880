/**
 * The expressions of a transaction's actions, checked while the request is validated: DynamoDB
 * reports a malformed or unused expression before it looks up any table, and checks the actions
 * one at a time in request order, so an earlier action's problem always wins (an AWS-validated
 * suite's "TransactWriteItems — validation ordering" cases).
 */
import { ValidationException } from '../errors.js'
import { compileExpressions, type ExpressionParameters } from '../expressions/index.js'

/**
 * Unlike the single-item operations, transactions accept ExpressionAttributeNames/Values on an
 * action that has no expression to use them, and ignore them (ExtendDB's
 * test_transact_expression_validation.py, recorded on AWS); with an expression present, unused
 * ones are still rejected.
 */
export function transactionExpressionParameters<T extends ExpressionParameters>(action: T): T {
  const hasExpression = action.ConditionExpression !== undefined || action.UpdateExpression !== undefined ||
    action.ProjectionExpression !== undefined
  if (hasExpression || (action.ExpressionAttributeNames === undefined && action.ExpressionAttributeValues === undefined)) return action
  return { ...action, ExpressionAttributeNames: undefined, ExpressionAttributeValues: undefined }
}

export function transactionExpressionsProblem(action: ExpressionParameters): string | undefined {
  try {
    compileExpressions(transactionExpressionParameters(action))
    return undefined
  } catch (error) {
    if (error instanceof ValidationException) return error.message
    throw error
  }
}
