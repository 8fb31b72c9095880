/**
 * ListStreams: the streams of the region (or of one table) in ARN order, including disabled
 * streams still within their retention. Paging resumes after ExclusiveStartStreamArn by ARN
 * order, so it stays stable while tables come and go between pages.
 */
import type { OperationHandler } from '../../api/context.js'
import { ResourceNotFoundException } from '../../errors.js'
import type { ListStreamsInput } from '../../shapes/list-streams.js'
import { listStreamsLimitMax } from '../../shapes/list-streams.js'
import { retentionMsOf } from '../../streams/access.js'
import { checkStreamArn } from '../../streams/arn.js'
import { isExpired, listStreams as loadStreams } from '../../streams/history.js'

export const listStreams: OperationHandler<ListStreamsInput> = async (ctx, input) => {
  if (input.ExclusiveStartStreamArn !== undefined) checkStreamArn(input.ExclusiveStartStreamArn)
  const nowMs = ctx.clock.now()
  const retentionMs = retentionMsOf(ctx)
  const streams = (await ctx.storage.read((view) => loadStreams(view)))
    .filter((state) => !isExpired(state, nowMs, retentionMs))
    .filter((state) => input.TableName === undefined || state.tableName === input.TableName)
    .sort((a, b) => (a.streamArn < b.streamArn ? -1 : a.streamArn > b.streamArn ? 1 : 0))
  if (input.TableName !== undefined && streams.length === 0 && !ctx.catalog.get(input.TableName)) {
    throw new ResourceNotFoundException(`Requested resource not found: Table: ${input.TableName} not found`)
  }
  const start = input.ExclusiveStartStreamArn
  const remaining = start === undefined ? streams : streams.filter((state) => state.streamArn > start)
  const page = remaining.slice(0, input.Limit ?? listStreamsLimitMax)
  const output: Record<string, unknown> = {
    Streams: page.map((state) => ({ StreamArn: state.streamArn, TableName: state.tableName, StreamLabel: state.streamLabel })),
  }
  if (remaining.length > page.length) output.LastEvaluatedStreamArn = page[page.length - 1]!.streamArn
  return output
}
