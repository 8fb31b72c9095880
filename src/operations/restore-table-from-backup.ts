/**
 * RestoreTableFromBackup: a new table with the backup's items and the settings recorded in the
 * backup, with the request's overrides (backups/restored-table-record.ts); always STANDARD.
 */
import type { OperationHandler } from '../api/context.js'
import { requireBackup } from '../backups/backup-lookup.js'
import { restoredTableRecord } from '../backups/restored-table-record.js'
import { checkTargetName, restoringFromBackup, startRestore } from '../backups/restore-table.js'
import { loadBackup } from '../backups/backup-store.js'
import { BackupInUseException, BackupNotFoundException } from '../errors.js'
import type { RestoreTableFromBackupInput } from '../shapes/backups.js'

export const restoreTableFromBackup: OperationHandler<RestoreTableFromBackupInput> = async (ctx, input) => {
  const backup = await requireBackup(ctx, input.BackupArn)
  if (backup.status === 'CREATING') throw new BackupInUseException(`Backup is still being created: ${backup.backupArn}`)
  checkTargetName(ctx, input.TargetTableName)
  // One restore from a backup at a time (an API-quirks lab, against AWS, 2026-10, DDB-BACKUP-010).
  const inUse = () => new BackupInUseException(`Backup is being used to restore another table: ${backup.backupArn}`)
  if (await ctx.storage.read((view) => restoringFromBackup(view, backup.backupId))) throw inUse()
  const placement = { region: ctx.region, accountId: ctx.accountId, nowMs: ctx.clock.now() }
  const record = restoredTableRecord(backup.source.description, input, placement, {
    summary: {
      SourceBackupArn: backup.backupArn,
      SourceTableArn: backup.source.description.TableArn,
      RestoreDateTime: backup.createdMs / 1000,
      RestoreInProgress: true,
    },
  })
  return startRestore(ctx, record, { kind: 'backup', backupId: backup.backupId, storageId: backup.storageId }, async (tx) => {
    // Again as the restore is stored: a DeleteBackup or another restore from this backup may have
    // committed since (both acknowledged, the restore then had nothing to copy and vanished).
    if (!(await loadBackup(tx, backup.backupId))) throw new BackupNotFoundException(`Backup not found: ${backup.backupArn}`)
    if (await restoringFromBackup(tx, backup.backupId)) throw inUse()
  })
}
