/**
 * Deleting a table with point-in-time recovery on leaves a SYSTEM backup of it as it was when
 * deleted, restorable for 35 days (ListBackups shows it with BackupType SYSTEM or ALL). The
 * backup takes over the deleted table's item rows instead of copying them; its index rows go.
 */
import { newJobId } from '../job-ids.js'
import type { RegionContext } from '../api/context.js'
import { deletePitrSetting, loadPitrSetting } from '../history/pitr.js'
import type { Transaction } from '../storage/engine.js'
import type { TableRecord } from '../tables/record.js'
import { backupArnOf, saveBackup, type BackupRecord } from './backup-store.js'

export const systemBackupLifetimeMs = 35 * 86_400_000

/** Inside DeleteTable's transaction: true when the table's rows now belong to a system backup. */
export async function keepSystemBackup(tx: Transaction, ctx: RegionContext, table: TableRecord): Promise<boolean> {
  const { description, timeToLive } = table
  if (!(await loadPitrSetting(tx, description.TableId))) return false
  await deletePitrSetting(tx, description.TableId)
  const indexNames = [...description.LocalSecondaryIndexes ?? [], ...description.GlobalSecondaryIndexes ?? []].map((index) => index.IndexName)
  for (const name of indexNames) await tx.dropIndexData(description.TableId, name)
  const stats = await tx.itemStats(description.TableId)
  const createdMs = ctx.clock.now()
  const backupId = newJobId(createdMs)
  const backup: BackupRecord = {
    backupId,
    backupArn: backupArnOf(description.TableArn, backupId),
    backupName: `${description.TableName}$DeletedTableBackup`,
    backupType: 'SYSTEM',
    status: 'AVAILABLE',
    createdMs,
    expiresMs: createdMs + systemBackupLifetimeMs,
    sizeBytes: stats.bytes,
    itemCount: stats.count,
    storageId: description.TableId,
    source: timeToLive ? { description, timeToLive } : { description },
  }
  await saveBackup(tx, backup)
  return true
}
