/**
 * DeleteBackup: forgets the backup and drops its items; BackupInUseException while it is being
 * created or a restore from it is in progress.
 */
import type { OperationHandler } from '../api/context.js'
import { requireBackup } from '../backups/backup-lookup.js'
import { deleteBackupAndItems } from '../backups/backup-store.js'
import { backupDescription } from '../backups/describe.js'
import { restoringFromBackup } from '../backups/restore-table.js'
import { BackupInUseException } from '../errors.js'
import type { BackupArnInput } from '../shapes/backups.js'

export const deleteBackup: OperationHandler<BackupArnInput> = async (ctx, input) => {
  const backup = await requireBackup(ctx, input.BackupArn)
  if (backup.status === 'CREATING' || await restoringFromBackup(ctx, backup.backupId)) {
    throw new BackupInUseException(`Backup is in use: ${backup.backupArn}`)
  }
  await ctx.storage.transact((tx) => deleteBackupAndItems(tx, backup))
  return { BackupDescription: backupDescription(backup, 'DELETED') }
}
