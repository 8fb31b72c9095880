/** DescribeTable: the stored description with live ItemCount and sizes. */
import type { OperationHandler } from '../api/context.js'

export const describeTable: OperationHandler = async (ctx, input: { TableName: string }) => {
  return { Table: await ctx.catalog.description(input.TableName) }
}
