/**
 * DeleteBackup: forgets the backup and drops its items; BackupInUseException while it is being
 * created or a restore from it is in progress. A SYSTEM backup (a deleted table's) is not the
 * caller's to delete: it expires after 35 days.
 */
import type { OperationHandler } from '../api/context.js'
import { requireBackup } from '../backups/backup-lookup.js'
import { deleteBackupAndItems, loadBackup } from '../backups/backup-store.js'
import { backupDescription } from '../backups/describe.js'
import { restoringFromBackup } from '../backups/restore-table.js'
import { BackupInUseException, BackupNotFoundException, ValidationException } from '../errors.js'
import type { BackupArnInput } from '../shapes/backups.js'

export const deleteBackup: OperationHandler<BackupArnInput> = async (ctx, input) => {
  const backup = await requireBackup(ctx, input.BackupArn)
  // The backup a deleted table leaves expires by itself and no caller may delete it (an API-quirks lab, against AWS, 2026-10).
  if (backup.backupType === 'SYSTEM') {
    const expiry = backup.expiresMs === undefined ? '' : ` It will automatically expire on ${new Date(backup.expiresMs).toISOString()}`
    throw new ValidationException(`Invalid Request: User is not allowed to delete the system backup with arn ${backup.backupArn}.${expiry}`)
  }
  if (backup.status === 'CREATING') throw new BackupInUseException(`Backup is in use: ${backup.backupArn}`)
  await ctx.storage.transact(async (tx) => {
    // In the deleting transaction: a restore from this backup stored since the request began
    // must refuse the delete, not lose its source (restoringFromBackup).
    // DynamoDB's words while a restore reads it (DDB-BACKUP-010 of an API-quirks lab, against AWS, 2026-10).
    if (await restoringFromBackup(tx, backup.backupId)) throw new BackupInUseException(`Backup is being used to restore table: ${backup.backupArn}`)
    if (!(await loadBackup(tx, backup.backupId))) throw new BackupNotFoundException(`Backup not found: ${backup.backupArn}`)
    await deleteBackupAndItems(tx, backup)
  })
  return { BackupDescription: backupDescription(backup, 'DELETED') }
}
