/** The backup a request names by BackupArn, or BackupNotFoundException. Expired backups are gone. */
import type { RegionContext } from '../api/context.js'
import { BackupNotFoundException } from '../errors.js'
import { loadBackupByArn, type BackupRecord } from './backup-store.js'

export function isExpired(backup: BackupRecord, nowMs: number): boolean {
  return backup.expiresMs !== undefined && backup.expiresMs <= nowMs
}

export async function requireBackup(ctx: RegionContext, backupArn: string): Promise<BackupRecord> {
  const backup = await ctx.storage.read((view) => loadBackupByArn(view, backupArn))
  if (!backup || isExpired(backup, ctx.clock.now())) throw new BackupNotFoundException(`Backup not found: ${backupArn}`)
  return backup
}
