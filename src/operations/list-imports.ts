/** ListImports: newest first, optionally for one table, in pages of PageSize (25 by default). */
import type { OperationHandler } from '../api/context.js'
import { listImports as storedImports } from '../imports/import-record.js'
import { afterToken, pageToken } from '../s3/jobs.js'
import type { ListImportsInput } from '../shapes/imports.js'

export const listImports: OperationHandler = async (ctx, input: ListImportsInput) => {
  const after = input.NextToken === undefined ? undefined : afterToken(input.NextToken, 'Invalid NextToken for ListImports')
  const pageSize = input.PageSize ?? 25
  const imports = (await storedImports(ctx))
    .filter((each) => input.TableArn === undefined || each.TableArn === input.TableArn)
    .sort((a, b) => (a.ImportArn < b.ImportArn ? 1 : a.ImportArn > b.ImportArn ? -1 : 0))
  const start = after === undefined ? 0 : imports.findIndex((each) => each.ImportArn < after)
  const page = start < 0 ? [] : imports.slice(start, start + pageSize)
  const output: Record<string, unknown> = {
    ImportSummaryList: page.map((each) => ({
      ImportArn: each.ImportArn,
      ImportStatus: each.ImportStatus,
      TableArn: each.TableArn,
      S3BucketSource: each.S3BucketSource,
      CloudWatchLogGroupArn: each.CloudWatchLogGroupArn,
      InputFormat: each.InputFormat,
      StartTime: each.StartTime,
      ...(each.EndTime === undefined ? {} : { EndTime: each.EndTime }),
    })),
  }
  if (start >= 0 && start + pageSize < imports.length) output.NextToken = pageToken(page[page.length - 1]!.ImportArn)
  return output
}
