/**
 * ListExports: newest first, optionally for one table, MaxResults (25 by default) per page.
 * As observed on DynamoDB, running and failed exports are listed, and exports of tables that
 * have since been deleted are not.
 */
import type { OperationHandler } from '../api/context.js'
import { listExports as storedExports } from '../exports/export-record.js'
import { checkTableArnFilter, newestFirstPage } from '../s3/jobs.js'
import type { ListExportsInput } from '../shapes/exports.js'

export const listExports: OperationHandler<ListExportsInput> = async (ctx, input) => {
  checkTableArnFilter(input.TableArn)
  const exports = (await storedExports(ctx))
    .map((job) => job.description)
    .filter((each) => ctx.catalog.recordByArn(each.TableArn)?.description.TableId === each.TableId)
    .filter((each) => input.TableArn === undefined || each.TableArn === input.TableArn)
  const { page, nextToken } = newestFirstPage(exports, (each) => each.ExportArn, input.NextToken, input.MaxResults ?? 25)
  return {
    ExportSummaries: page.map((each) => ({
      ExportArn: each.ExportArn, ExportStatus: each.ExportStatus, ExportType: each.ExportType ?? 'FULL_EXPORT',
    })),
    ...(nextToken === undefined ? {} : { NextToken: nextToken }),
  }
}
