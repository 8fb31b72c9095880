import type { OperationHandler } from '../api/context.js'
import { parseStatement } from '../partiql/parser.js'
import { runStatement } from '../partiql/run.js'
import type { ExecuteStatementInput } from '../shapes/execute-statement.js'

/**
 * ExecuteStatement: one PartiQL statement. SELECT answers a page of Items (with NextToken
 * when there is more); INSERT, UPDATE and DELETE answer Items holding the RETURNING values.
 */
export const executeStatement: OperationHandler<ExecuteStatementInput> = async (ctx, input) => {
  const statement = parseStatement(input.Statement, input.Parameters)
  return runStatement(ctx, statement, input)
}
