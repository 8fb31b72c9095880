/**
 * Storing a table's TTL setting, from UpdateTimeToLive or from another replica of a global
 * table: the new setting and the pending expiry scan that brings existing items in line with it
 * (expiry-scan.ts) commit together.
 */
import type { RegionContext } from '../api/context.js'
import { stampSettings } from '../replication/settings-delivery.js'
import type { ItemVersion } from '../replication/versions.js'
import { scheduleExpiryScan } from './expiry-scan.js'
import { ValidationException } from '../errors.js'
import { isStrong } from '../replication/replica-set.js'
import { strongTimeToLiveMessage } from '../replication/strong-consistency.js'
import { nextTimeToLiveSetting } from './setting.js'

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
      // On the record as stored: a strongly consistent group made meanwhile refuses TTL.
      if (!replicated && setting.Enabled && isStrong(draft.replication)) throw new ValidationException(strongTimeToLiveMessage)
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
