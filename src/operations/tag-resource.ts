/** TagResource: adds or replaces tags on a table (at most 50 per table). */
import type { OperationHandler } from '../api/context.js'
import { emptyReply } from '../api/json-text.js'
import { ValidationException } from '../errors.js'
import type { Tag } from '../tables/record.js'
import { checkResourceArn, requireTableByArn } from '../tables/resource-arn.js'
import { checkTags, mergeTags } from '../tables/tags.js'

export const tagResource: OperationHandler<{ ResourceArn?: string; Tags: Tag[] }> = async (ctx, input) => {
  const arn = checkResourceArn(input.ResourceArn, ctx.region, ctx.accountId)
  if (input.Tags.length === 0) throw new ValidationException('Atleast one Tag needs to be provided as Input.')
  const record = requireTableByArn(ctx.catalog, arn)
  checkTags(input.Tags, record.tags)
  await ctx.catalog.update(record.description.TableName, (draft) => {
    checkTags(input.Tags, draft.tags)
    draft.tags = mergeTags(draft.tags, input.Tags)
  })
  return emptyReply
}
