import type { OperationHandler } from '../api/context.js'
import { assert } from '../errors.js'
import type { ScanInput } from '../shapes/scan.js'
import { hashSegmentRange } from '../values/key.js'
import { readPage } from '../items/read-pages.js'
import { rejectNestedKeyPaths, requestExpressions } from '../items/request-expressions.js'
import { checkIndexAttributes, readTarget } from '../items/select.js'

/**
 * Scan: every item of a table or index, in partition-hash order. A parallel scan's segment is
 * a range of that hash space, so segments never overlap and together cover the table.
 */
export const scan: OperationHandler<ScanInput> = async (ctx, input) => {
  const { filter, projection } = requestExpressions(input, 'ScanFilter')
  const table = ctx.catalog.require(input.TableName)
  rejectNestedKeyPaths(table, { filter, projection })
  const { index, select } = readTarget(table, input, projection)
  checkIndexAttributes(table, index, filter, projection, 'Scan')
  const segment = segmentOf(input)
  const range = segment === undefined ? {} : hashSegmentRange(segment.segment, segment.totalSegments)
  return readPage(ctx, {
    table, index, select, filter, projection, range,
    limit: input.Limit,
    consistent: input.ConsistentRead === true,
    exclusiveStartKey: input.ExclusiveStartKey,
    segment,
    returnConsumedCapacity: input.ReturnConsumedCapacity,
  })
}

/** A parallel scan's segment, if any: the shape's check has made Segment and TotalSegments come together. */
function segmentOf(input: ScanInput): { segment: number; totalSegments: number } | undefined {
  if (input.TotalSegments === undefined) return undefined
  assert(input.Segment !== undefined, 'Scan validation lets TotalSegments through without Segment')
  return { segment: input.Segment, totalSegments: input.TotalSegments }
}
