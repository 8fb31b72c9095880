import type { OperationHandler } from '../api/context.js'
import { hashSegmentRange } from '../values/key.js'
import { readPage } from './read-pages.js'
import { rejectNestedKeyPaths, requestExpressions } from './request-expressions.js'
import { checkIndexAttributes, readTarget } from './select.js'

/**
 * Scan: every item of a table or index, in partition-hash order. A parallel scan's segment is
 * a range of that hash space, so segments never overlap and together cover the table.
 */
export const scan: OperationHandler = async (ctx, input) => {
  const { filter, projection } = requestExpressions(input, 'ScanFilter')
  const table = ctx.catalog.require(input.TableName)
  rejectNestedKeyPaths(table, { filter, projection })
  const { index, select } = readTarget(table, input, projection)
  checkIndexAttributes(table, index, filter, projection, 'Scan')
  const range = input.TotalSegments === undefined ? {} : hashSegmentRange(input.Segment, input.TotalSegments)
  return readPage(ctx, {
    table, index, select, filter, projection, range,
    limit: input.Limit,
    consistent: input.ConsistentRead === true,
    exclusiveStartKey: input.ExclusiveStartKey,
    segment: input.TotalSegments === undefined ? undefined : { segment: input.Segment, totalSegments: input.TotalSegments },
    returnConsumedCapacity: input.ReturnConsumedCapacity,
  })
}
