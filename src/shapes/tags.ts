/**
 * TagResource, UntagResource and ListTagsOfResource. DynamoDB checks the ARN before the
 * constraints on the tags themselves; an ARN that is not even ARN-shaped earns an
 * AccessDeniedException naming the caller, which needs the account, so the operation raises it.
 */
import { list, operation, string, structure } from './shape.js'
import { resourceArn, type Tag } from './table-definitions.js'

export interface TagResourceInput { ResourceArn: string; Tags: Tag[] }
export interface UntagResourceInput { ResourceArn: string; TagKeys: string[] }
export interface ListTagsOfResourceInput { ResourceArn: string; NextToken?: string }

/** Loosely ARN-shaped: six colon-separated parts, a resource type and a name. */
export const arnShape = /^.+:.+:.+:.+:.+:.+\/.+$/
const tableArnShape = /^arn:[^:]+:dynamodb:.+:\d+:table\/[^/]{2}[^/]+$/

const invalid = 'One or more parameter values were invalid: '

function arnProblem(arn: string | undefined): string | undefined {
  if (arn === undefined) return 'Invalid TableArn'
  if (!arnShape.test(arn)) return undefined // AccessDeniedException, raised by the operation.
  // An index's or a backup's ARN, in DynamoDB's words for each (the API-quirks lab's catalogue of
  // DynamoDB's ValidationExceptions, verified 2026; DDB-TABLE-071, DDB-BACKUP-013).
  if (/^arn:[^:]+:dynamodb:[^:]*:\d+:table\/[^/]+\/index\//.test(arn)) {
    return `${invalid}Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${arn}`
  }
  if (/^arn:[^:]+:dynamodb:[^:]*:\d+:table\/[^/]+\/backup\//.test(arn)) return `${invalid}Provided Arn is not a DynamoDB resource arn: ${arn}`
  if (!tableArnShape.test(arn)) return `Invalid TableArn: Invalid ResourceArn provided as input ${arn}`
  return undefined
}

/**
 * TagResource's and UntagResource's keys and values carry no declarative constraints: the
 * operations refuse a bad one in DynamoDB's own words ("The Tag Key provided is invalid, Key: …",
 * tables/tags.ts), not in the generic constraint form (an API-quirks lab finding verified against
 * DynamoDB, 2026, DDB-TABLE-107). CreateTable's Tags keep the model's constraints.
 */
const unconstrainedTag = structure('Tag', { Key: string(), Value: string() })

export const tagResourceShape = operation<TagResourceInput>({
  input: structure('TagResourceInput', { ResourceArn: resourceArn(), Tags: list(unconstrainedTag) }),
  check: (input) => {
    if (input.ResourceArn === undefined) return arnProblem(undefined)
    if (!arnShape.test(input.ResourceArn)) return undefined
    if (input.Tags === undefined) {
      return "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null"
    }
    return arnProblem(input.ResourceArn) ??
      (input.Tags.length === 0 ? 'Atleast one Tag needs to be provided as Input.' : undefined)
  },
})

export const untagResourceShape = operation<UntagResourceInput>({
  input: structure('UntagResourceInput', {
    ResourceArn: resourceArn(),
    TagKeys: list(string()),
  }),
  check: (input) => {
    if (input.ResourceArn === undefined) return arnProblem(undefined)
    if (!arnShape.test(input.ResourceArn)) return undefined
    if (input.TagKeys === undefined) {
      return "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null"
    }
    return arnProblem(input.ResourceArn) ??
      (input.TagKeys.length === 0 ? 'Atleast one Tag Key needs to be provided as Input.' : undefined)
  },
})

export const listTagsOfResourceShape = operation<ListTagsOfResourceInput>({
  input: structure('ListTagsOfResourceInput', { ResourceArn: resourceArn(), NextToken: string() }),
  check: (input) => arnProblem(input.ResourceArn),
})
