/**
 * ListBackups: the region's backups oldest first, by table (name or ARN, deleted tables
 * included), creation time (lower bound inclusive, upper exclusive) and type (USER by default;
 * EddyDB has no AWS_BACKUP backups), a page of Limit at a time.
 */
import type { OperationHandler } from '../api/context.js'
import { isExpired } from '../backups/backup-lookup.js'
import { backupIdOf, listBackupRecords, type BackupRecord } from '../backups/backup-store.js'
import { backupSummary } from '../backups/describe.js'
import type { ListBackupsInput } from '../shapes/backups.js'
import { ValidationException } from '../errors.js'
import { regionOfArn } from '../replication/replica-set.js'

/** DynamoDB pages ListBackups by size (1 MB); a count keeps pages well under that. */
const pageBackupsMax = 100

function matches(backup: BackupRecord, input: ListBackupsInput, nowMs: number): boolean {
  const source = backup.source.description
  const createdSeconds = backup.createdMs / 1000
  const type = input.BackupType ?? 'USER'
  return !isExpired(backup, nowMs) &&
    (type === 'ALL' || type === backup.backupType) &&
    (input.TableName === undefined || input.TableName === source.TableName || input.TableName === source.TableArn) &&
    (input.TimeRangeLowerBound === undefined || createdSeconds >= input.TimeRangeLowerBound) &&
    (input.TimeRangeUpperBound === undefined || createdSeconds < input.TimeRangeUpperBound)
}

export const listBackups: OperationHandler<ListBackupsInput> = async (ctx, input) => {
  const nowMs = ctx.clock.now()
  let backups = (await ctx.storage.read(listBackupRecords)).filter((backup) => matches(backup, input, nowMs))
  // Ids start with the creation time, so "after the start" holds even if that backup was deleted since.
  // A cursor from another region's list is refused (the API-quirks lab's catalogue of DynamoDB's messages, 2026-10).
  const start = input.ExclusiveStartBackupArn
  if (start !== undefined && start.startsWith('arn:') && regionOfArn(start) !== ctx.region) {
    throw new ValidationException('Invalid Request: The supplied ExclusiveStartBackupArn does not match the region')
  }
  const startId = input.ExclusiveStartBackupArn === undefined ? undefined : backupIdOf(input.ExclusiveStartBackupArn)
  if (startId !== undefined) backups = backups.filter((backup) => backup.backupId > startId)
  const limit = Math.min(input.Limit ?? pageBackupsMax, pageBackupsMax)
  const page = backups.slice(0, limit)
  const output: Record<string, unknown> = { BackupSummaries: page.map(backupSummary) }
  if (backups.length > limit) output.LastEvaluatedBackupArn = page.at(-1)!.backupArn
  return output
}
