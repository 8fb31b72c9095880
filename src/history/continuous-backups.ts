/**
 * ContinuousBackupsDescription, as UpdateContinuousBackups and DescribeContinuousBackups answer:
 * continuous backups are ENABLED for every table; point-in-time recovery is ENABLED with its
 * window, or exactly {PointInTimeRecoveryStatus: DISABLED}. Times are epoch seconds to the ms.
 */
import type { RegionContext } from '../api/context.js'
import type { TableRecord } from '../tables/record.js'
import { loadPitrSetting, recoveryWindow, type PitrSetting } from './pitr.js'

export function continuousBackupsDescription(setting: PitrSetting | undefined, nowMs: number): object {
  if (!setting) {
    return { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } }
  }
  const window = recoveryWindow(setting, nowMs)
  return {
    ContinuousBackupsStatus: 'ENABLED',
    PointInTimeRecoveryDescription: {
      PointInTimeRecoveryStatus: 'ENABLED',
      RecoveryPeriodInDays: window.recoveryPeriodInDays,
      EarliestRestorableDateTime: window.earliestMs / 1000,
      LatestRestorableDateTime: window.latestMs / 1000,
    },
  }
}

export async function describeContinuousBackupsOf(ctx: RegionContext, table: TableRecord): Promise<object> {
  const setting = await ctx.storage.read((view) => loadPitrSetting(view, table.description.TableId))
  return continuousBackupsDescription(setting, ctx.clock.now())
}
