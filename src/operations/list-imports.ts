/** ListImports: newest first, optionally for one table, in pages of PageSize (25 by default). */
import type { OperationHandler } from '../api/context.js'
import { listImports as storedImports } from '../imports/import-record.js'
import { checkTableArnFilter, newestFirstPage } from '../s3/jobs.js'
import type { ListImportsInput } from '../shapes/imports.js'

export const listImports: OperationHandler<ListImportsInput> = async (ctx, input) => {
  checkTableArnFilter(input.TableArn)
  const imports = (await storedImports(ctx)).filter((each) => input.TableArn === undefined || each.TableArn === input.TableArn)
  const { page, nextToken } = newestFirstPage(imports, (each) => each.ImportArn, input.NextToken, input.PageSize ?? 25)
  return {
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
    ...(nextToken === undefined ? {} : { NextToken: nextToken }),
  }
}
