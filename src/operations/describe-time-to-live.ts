/** DescribeTimeToLive: the table's TTL status, and its attribute while TTL is enabled. */
import type { OperationHandler } from '../api/context.js'
import { describeTimeToLiveSetting } from '../ttl/setting.js'

export const describeTimeToLive: OperationHandler<{ TableName: string }> = async (ctx, input) => {
  const record = ctx.catalog.requireSettingsRecord(input.TableName)
  return { TimeToLiveDescription: describeTimeToLiveSetting(record.timeToLive) }
}
