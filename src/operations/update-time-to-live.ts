/**
 * UpdateTimeToLive: turns TTL on or off for a table and echoes the specification back.
 * The new setting and the pending expiry scan that brings existing items in line with it
 * (src/ttl/expiry-scan.ts) commit together; from then on the write path keeps each item's
 * expiry current by itself, because the table's schema carries ttlAttribute only while enabled.
 *
 * Known difference: DynamoDB refuses a second change within about an hour ("Time to live has
 * been modified multiple times within a fixed interval"); we allow it, since local tests need to
 * disable and re-enable at once.
 */
import type { OperationHandler, RegionContext } from '../api/context.js'
import type { UpdateTimeToLiveInput } from '../shapes/update-time-to-live.js'
import { scheduleExpiryScan } from '../ttl/expiry-scan.js'
import { nextTimeToLiveSetting } from '../ttl/setting.js'

export const updateTimeToLive: OperationHandler = async (ctx, input: UpdateTimeToLiveInput) => {
  const { AttributeName, Enabled } = input.TimeToLiveSpecification
  await storeTimeToLive(ctx, input.TableName, { AttributeName, Enabled })
  // A global table keeps one TTL setting: the other replicas take it too.
  await ctx.globalTables?.syncTimeToLive(ctx, input.TableName, { AttributeName, Enabled })
  return { TimeToLiveSpecification: { AttributeName, Enabled } }
}

/** Stores a table's new TTL setting with the expiry scan that brings its items in line. */
export async function storeTimeToLive(ctx: RegionContext, tableName: string, setting: { AttributeName: string; Enabled: boolean }): Promise<void> {
  await ctx.catalog.update(
    tableName,
    (draft) => { draft.timeToLive = nextTimeToLiveSetting(draft.timeToLive, setting) },
    (tx, record) => scheduleExpiryScan(tx, record.description.TableId, record.timeToLive!),
  )
}
