/** CreateBackup: a full backup of the table as of the request (backups/take-backup.ts). */
import type { OperationHandler } from '../api/context.js'
import { backupDetails } from '../backups/describe.js'
import { requireTable } from '../backups/table-ref.js'
import { takeBackup } from '../backups/take-backup.js'
import { TableInUseException } from '../errors.js'
import type { CreateBackupInput } from '../shapes/backups.js'

export const createBackup: OperationHandler<CreateBackupInput> = async (ctx, input) => {
  const table = requireTable(ctx, input.TableName)
  if (table.description.TableStatus !== 'ACTIVE') {
    throw new TableInUseException(`Table is not active: ${table.description.TableName}`)
  }
  return { BackupDetails: backupDetails(await takeBackup(ctx, table, input.BackupName)) }
}
