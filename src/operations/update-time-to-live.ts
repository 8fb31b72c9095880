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
import type { OperationHandler } from '../api/context.js'
import type { UpdateTimeToLiveInput } from '../shapes/update-time-to-live.js'
import { storeTimeToLive } from '../ttl/store-setting.js'

export const updateTimeToLive: OperationHandler<UpdateTimeToLiveInput> = async (ctx, input) => {
  const { AttributeName, Enabled } = input.TimeToLiveSpecification
  ctx.catalog.requireSettingsRecord(input.TableName)
  // A global table keeps one TTL setting: the new setting's version sends it to the other replicas.
  // A strongly consistent one refuses TTL, checked where the setting is stored.
  await storeTimeToLive(ctx, input.TableName, { AttributeName, Enabled })
  return { TimeToLiveSpecification: { AttributeName, Enabled } }
}
