/** DescribeBackup: the backup, and the source table's settings it recorded. */
import type { OperationHandler } from '../api/context.js'
import { requireBackup } from '../backups/backup-lookup.js'
import { backupDescription } from '../backups/describe.js'
import type { BackupArnInput } from '../shapes/backups.js'

export const describeBackup: OperationHandler<BackupArnInput> = async (ctx, input) => ({
  BackupDescription: backupDescription(await requireBackup(ctx, input.BackupArn)),
})
