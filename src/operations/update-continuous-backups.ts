/**
 * UpdateContinuousBackups: turns point-in-time recovery on (with a recovery period of 1 to 35
 * days, 35 by default) or off. Turning it on again after it was off starts a new window;
 * changing the period of a PITR table keeps its start, and the window is
 * [max(start, now − period), now]. The change log keeps the window (changes/retention.ts).
 */
import type { OperationHandler } from '../api/context.js'
import { requireTable } from '../backups/table-ref.js'
import { ContinuousBackupsUnavailableException } from '../errors.js'
import { continuousBackupsDescription } from '../history/continuous-backups.js'
import { deletePitrSetting, loadPitrSetting, recoveryPeriodDaysDefault, savePitrSetting, type PitrSetting } from '../history/pitr.js'
import type { UpdateContinuousBackupsInput } from '../shapes/backups.js'

export const updateContinuousBackups: OperationHandler<UpdateContinuousBackupsInput> = async (ctx, input) => {
  const table = requireTable(ctx, input.TableName)
  if (table.description.TableStatus === 'CREATING') {
    throw new ContinuousBackupsUnavailableException('Backups are being enabled for the table: ' +
      `${table.description.TableName}. Please retry later`)
  }
  const tableId = table.description.TableId
  const { PointInTimeRecoveryEnabled: enabled, RecoveryPeriodInDays: period } = input.PointInTimeRecoverySpecification
  const nowMs = ctx.clock.now()
  const setting = await ctx.storage.transact(async (tx): Promise<PitrSetting | undefined> => {
    const current = await loadPitrSetting(tx, tableId)
    if (!enabled) {
      if (current) await deletePitrSetting(tx, tableId)
      return undefined
    }
    const next: PitrSetting = {
      recoveryPeriodInDays: period ?? recoveryPeriodDaysDefault,
      enabledAtMs: current?.enabledAtMs ?? nowMs,
    }
    await savePitrSetting(tx, tableId, next)
    return next
  })
  return { ContinuousBackupsDescription: continuousBackupsDescription(setting, nowMs) }
}
