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
import { stampSettings } from '../replication/settings-delivery.js'
import type { ItemVersion } from '../replication/versions.js'

export const updateTimeToLive: OperationHandler<UpdateTimeToLiveInput> = async (ctx, input) => {
  const { AttributeName, Enabled } = input.TimeToLiveSpecification
  // A global table keeps one TTL setting: the new setting's version sends it to the other replicas.
  await storeTimeToLive(ctx, input.TableName, { AttributeName, Enabled })
  return { TimeToLiveSpecification: { AttributeName, Enabled } }
}

/**
 * Stores a table's new TTL setting with the expiry scan that brings its items in line; one
 * replicated from another replica (`replicated`: its version) only if newer than the one it has.
 */
export async function storeTimeToLive(
  ctx: RegionContext, tableName: string, setting: { AttributeName: string; Enabled: boolean }, replicated?: ItemVersion,
): Promise<void> {
  let changed = false
  await ctx.catalog.update(
    tableName,
    (draft) => {
      if (!stampSettings(draft, 'timeToLive', ctx.region, ctx.clock.now(), replicated)) return
      const current = draft.timeToLive
      changed = current?.Enabled !== setting.Enabled || current.AttributeName !== setting.AttributeName
      // A replicated setting is the other replica's whole setting, taken as it is (no transition rules).
      if (replicated) draft.timeToLive = { AttributeName: setting.AttributeName, Enabled: setting.Enabled }
      else draft.timeToLive = nextTimeToLiveSetting(current, setting)
    },
    async (tx, record) => { if (changed) await scheduleExpiryScan(tx, record.description.TableId, record.timeToLive!) },
  )
}
