/**
 * The stored record of each on-demand or system backup, in the storage state store under its
 * backup id (ids start with the zero-padded creation time, so the store lists them oldest
 * first). The backup's items are rows of a storage table id of their own (`storageId`) that no
 * catalog entry points to: the same storage as the tables, SQLite or PostgreSQL, with nothing
 * added to either engine.
 */
import type { ReadView, TableId, Transaction } from '../storage/engine.js'
import type { StoredDescription, TimeToLiveSetting } from '../tables/record.js'

const namespace = 'backups'

export type BackupType = 'USER' | 'SYSTEM'
export type BackupStatus = 'CREATING' | 'AVAILABLE'

export interface BackupRecord {
  backupId: string
  backupArn: string
  backupName: string
  backupType: BackupType
  status: BackupStatus
  /** When the backup was requested (ms); the items are the table as of this instant. */
  createdMs: number
  /** System backups of deleted tables expire; user backups live until deleted. */
  expiresMs?: number
  /** Set once AVAILABLE: the summed item sizes and the number of items. */
  sizeBytes?: number
  itemCount?: number
  /** Where the items are stored. */
  storageId: TableId
  /** The source table as it was when the backup was requested. */
  source: { description: StoredDescription; timeToLive?: TimeToLiveSetting }
  /** For a copy made from another region's backup (copy-backup.ts): that backup's ARN. */
  copiedFrom?: string
}

export function backupArnOf(tableArn: string, backupId: string): string {
  return `${tableArn}/backup/${backupId}`
}

/** The backup id an ARN names, or undefined when it is not a backup ARN. */
export function backupIdOf(backupArn: string): string | undefined {
  const marker = backupArn.lastIndexOf('/backup/')
  return marker < 0 ? undefined : backupArn.slice(marker + '/backup/'.length)
}

export async function loadBackup(view: ReadView, backupId: string): Promise<BackupRecord | undefined> {
  const value = await view.getState(namespace, backupId)
  return value === undefined ? undefined : JSON.parse(value) as BackupRecord
}

export function saveBackup(tx: Transaction, backup: BackupRecord): Promise<void> {
  return tx.putState(namespace, backup.backupId, JSON.stringify(backup))
}

/** Forgets a backup and drops its items. */
export async function deleteBackupAndItems(tx: Transaction, backup: BackupRecord): Promise<void> {
  await tx.deleteState(namespace, backup.backupId)
  await tx.dropTableData(backup.storageId)
}

/** Every backup of the region, oldest first. */
export async function listBackupRecords(view: ReadView): Promise<BackupRecord[]> {
  return (await view.listState(namespace)).map((entry) => JSON.parse(entry.value) as BackupRecord)
}
