/**
 * ListTables: table names in order, a page of at most Limit (default and maximum 100), starting
 * after ExclusiveStartTableName. LastEvaluatedTableName is set only when more names follow.
 */
import type { OperationHandler } from '../api/context.js'

export const listTablesLimitMax = 100

interface ListTablesInput {
  ExclusiveStartTableName?: string
  Limit?: number
}

export function pageOfNames(names: string[], input: ListTablesInput): { TableNames: string[]; LastEvaluatedTableName?: string } {
  const limit = Math.min(input.Limit ?? listTablesLimitMax, listTablesLimitMax)
  const after = input.ExclusiveStartTableName
  const start = after === undefined ? 0 : names.findIndex((name) => name > after)
  const remaining = start < 0 ? [] : names.slice(start)
  const page = remaining.slice(0, limit)
  return remaining.length > limit ? { TableNames: page, LastEvaluatedTableName: page.at(-1)! } : { TableNames: page }
}

export const listTables: OperationHandler<ListTablesInput> = async (ctx, input) => {
  return pageOfNames(ctx.catalog.names(), input)
}
