/**
 * The backup a request names by BackupArn. DynamoDB reads the ARN as an API-quirks lab saw it do
 * (against AWS, 2026-10, DDB-TABLE-273 and DDB-BACKUP-012): what is not a backup's ARN at all is
 * "Invalid Backup ARN"; one of another partition, service or an unknown region "BackupArn is not
 * valid"; one of another account AccessDeniedException; otherwise the backup is found by its id
 * (the region and table name in the ARN are not compared), or BackupNotFoundException. Expired
 * backups are gone.
 */
import type { RegionContext } from '../api/context.js'
import { AccessDeniedException, BackupNotFoundException, ValidationException } from '../errors.js'
import { knownRegionNames, arnPartition } from '../region-names.js'
import { backupIdOf, loadBackup, type BackupRecord } from './backup-store.js'

const backupArnPattern = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):table\/[^/]+\/backup\/[^/]+$/

export function isExpired(backup: BackupRecord, nowMs: number): boolean {
  return backup.expiresMs !== undefined && backup.expiresMs <= nowMs
}

export async function requireBackup(ctx: RegionContext, backupArn: string): Promise<BackupRecord> {
  const parts = backupArnPattern.exec(backupArn)
  if (!parts) throw new ValidationException('Invalid Backup ARN')
  const [, partition, service, region, account] = parts
  if (partition !== arnPartition(region!) || service !== 'dynamodb' || !(knownRegionNames.has(region!) || region === ctx.region)) {
    throw new ValidationException('BackupArn is not valid')
  }
  if (account !== ctx.accountId) throw new AccessDeniedException('Access is denied')
  const backupId = backupIdOf(backupArn)
  const backup = backupId === undefined ? undefined : await ctx.storage.read((view) => loadBackup(view, backupId))
  if (!backup || isExpired(backup, ctx.clock.now())) throw new BackupNotFoundException(`Backup not found: ${backupArn}`)
  return backup
}
