/** ListTagsOfResource: every tag of a table in one page (a table has at most 50). */
import type { OperationHandler } from '../api/context.js'
import { checkResourceArn, requireTableByArn } from '../tables/resource-arn.js'

export const listTagsOfResource: OperationHandler<{ ResourceArn?: string; NextToken?: string }> = async (ctx, input) => {
  const arn = checkResourceArn(input.ResourceArn, ctx.region, ctx.accountId)
  const record = requireTableByArn(ctx.catalog, arn)
  return { Tags: record.tags.map(({ Key, Value }) => ({ Key, Value })) }
}
