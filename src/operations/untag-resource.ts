/** UntagResource: removes tags by key; keys the table does not have are ignored. */
import type { OperationHandler } from '../api/context.js'
import { emptyReply } from '../api/json-text.js'
import { ValidationException } from '../errors.js'
import { checkResourceArn, requireTableByArn } from '../tables/resource-arn.js'
import { checkNotReserved, removeTags, tagKeyLengthMax, tagsPerResourceMax } from '../tables/tags.js'

export const untagResource: OperationHandler<{ ResourceArn?: string; TagKeys: string[] }> = async (ctx, input) => {
  const arn = checkResourceArn(input.ResourceArn, ctx.region, ctx.accountId)
  if (input.TagKeys.length === 0) throw new ValidationException('Atleast one Tag Key needs to be provided as Input.')
  // More keys than a resource can have tags (the same lab, DDB-TABLE-107).
  if (input.TagKeys.length > tagsPerResourceMax) {
    throw new ValidationException('Number of Tags exceed the current limit for the provided ResourceArn')
  }
  for (const key of input.TagKeys) {
    if (key.length === 0 || key.length > tagKeyLengthMax) {
      throw new ValidationException(`The Tag Key provided is invalid, Key: ${key}`)
    }
    checkNotReserved(key)
  }
  const record = requireTableByArn(ctx.catalog, arn)
  await ctx.catalog.update(record.description.TableName, (draft) => {
    draft.tags = removeTags(draft.tags, input.TagKeys)
  })
  return emptyReply
}
