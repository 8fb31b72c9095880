/** DescribeTable: the stored description with live ItemCount and sizes. */
import type { OperationHandler } from '../api/context.js'
import { restoreProgress } from '../backups/restore-table.js'
import { describeRecord } from '../tables/describe.js'

export const describeTable: OperationHandler<{ TableName: string }> = async (ctx, input) => {
  const record = ctx.catalog.requireRecord(input.TableName)
  // A table being restored counts the items copied so far without counting its rows.
  if (record.description.RestoreSummary?.RestoreInProgress) {
    return { Table: describeRecord(record, await restoreProgress(ctx, record.description.TableId)) }
  }
  const described = await ctx.catalog.description(input.TableName)
  if (record.replication) ctx.globalTables?.showSettingsInFlight(ctx.region, input.TableName, described)
  return { Table: described }
}
