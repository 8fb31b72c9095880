/**
 * Taking an on-demand backup: the table as of the request instant, copied inside storage
 * (history/copy-in-storage.ts) into the backup's own storage rows in the background, a page per
 * transaction (the rows are new and nobody else writes them), while writes go on. A change cursor
 * held at the request's sequence keeps the log the copy needs.
 * The backup is CREATING until the copy is done, then AVAILABLE with its exact size.
 */
import { randomUUID } from 'node:crypto'
import { newJobId } from '../job-ids.js'
import type { RegionContext } from '../api/context.js'
import { deleteCursor, loadCursor, saveCursor } from '../changes/cursors.js'
import { BackupInUseException, TableNotFoundException } from '../errors.js'
import { copyInStorage } from '../history/copy-in-storage.js'
import type { Transaction } from '../storage/engine.js'
import type { TableRecord } from '../tables/record.js'
import {
  backupArnOf, deleteBackupAndItems, listBackupRecords, loadBackup, saveBackup, type BackupRecord,
} from './backup-store.js'
import { jobsOf } from './jobs.js'

/** Rows written per transaction (see copyPageItems in restore-table.ts). */
const copyPageRows = 1000
/**
 * How long CreateBackup waits for a small table's copy to finish, so that it can answer
 * AVAILABLE (scripts often restore right away); a bigger table answers CREATING.
 */
const answerWaitMs = 2000

const cursorId = (backup: BackupRecord): string => `backup/${backup.backupId}`
const jobId = (backup: BackupRecord): string => `backup/${backup.backupId}`

export async function takeBackup(ctx: RegionContext, table: TableRecord, backupName: string): Promise<BackupRecord> {
  const createdMs = ctx.clock.now()
  const backupId = newJobId(createdMs)
  const { description, timeToLive } = table
  const backup: BackupRecord = {
    backupId,
    backupArn: backupArnOf(description.TableArn, backupId),
    backupName,
    backupType: 'USER',
    status: 'CREATING',
    createdMs,
    storageId: randomUUID(),
    source: timeToLive ? { description, timeToLive } : { description },
  }
  await ctx.storage.transact(async (tx) => {
    // The table as this transaction sees it: a DeleteTable that committed since the request began
    // left nothing to back up; on PostgreSQL, one committing meanwhile conflicts with this read,
    // and whichever runs again sees the other (refuseWhileBackingUp).
    if (!(await tx.listCatalog()).some((entry) => entry.name === description.TableName && entry.tableId === description.TableId)) {
      throw new TableNotFoundException(`Table not found: ${description.TableName}`)
    }
    await saveBackup(tx, backup)
    // The backup holds every change committed so far: the log's last sequence, not the one its
    // time finds there, which a clock stepped back would put before writes already acknowledged.
    await saveCursor(tx, description.TableId, cursorId(backup), await tx.lastChangeSequence(description.TableId))
  })
  await untilCopiedOrAnswerTime(jobsOf(ctx).run(ctx, jobId(backup), () => copySnapshot(ctx, backup)))
  return (await ctx.storage.read((view) => loadBackup(view, backupId))) ?? backup
}

/** Waits for a backup's copy job, but no longer than answerWaitMs. */
export async function untilCopiedOrAnswerTime(copy: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([copy, new Promise((resolve) => { timer = setTimeout(resolve, answerWaitMs) })])
  clearTimeout(timer)
}

/**
 * The backup's copy, from the start each run (the first, one after a storage error, one at the
 * next start), while the backup is still CREATING.
 */
async function copySnapshot(ctx: RegionContext, backup: BackupRecord): Promise<void> {
  if ((await ctx.storage.read((view) => loadBackup(view, backup.backupId)))?.status !== 'CREATING') return
  const tableId = backup.source.description.TableId
  // From the start: a copy resumed after a restart must not keep what it wrote before.
  await ctx.storage.transact((tx) => tx.dropTableData(backup.storageId))
  // A backup keeps plain item rows: they are copied without leaving storage.
  const cursor = await ctx.storage.read((view) => loadCursor(view, tableId, cursorId(backup)))
  const copied = await copyInStorage(ctx, {
    from: tableId, to: backup.storageId, asOf: cursor === undefined ? { micros: backup.createdMs * 1000 } : { sequence: cursor },
    pageRows: copyPageRows, stopping: () => jobsOf(ctx).stopping,
  })
  if (!copied) return
  await ctx.storage.transact(async (tx) => {
    await deleteCursor(tx, tableId, cursorId(backup))
    const current = await loadBackup(tx, backup.backupId)
    if (!current) return tx.dropTableData(backup.storageId)
    const stats = await tx.itemStats(backup.storageId)
    await saveBackup(tx, { ...current, status: 'AVAILABLE', sizeBytes: stats.bytes, itemCount: stats.count })
  })
}

/** At startup (and again on shared storage): takes up the copies a stop interrupted, or drops them when their table is gone. */
export async function resumeBackups(ctx: RegionContext): Promise<void> {
  const creating = (await ctx.storage.read(listBackupRecords)).filter((backup) => backup.status === 'CREATING')
  for (const backup of creating) {
    const tableId = backup.source.description.TableId
    const live = ctx.catalog.names().some((name) => ctx.catalog.record(name)?.description.TableId === tableId)
    // A copy from another region is not taken up again (copy-backup.ts): it goes, as below.
    if (live && backup.copiedFrom === undefined) {
      void jobsOf(ctx).run(ctx, jobId(backup), () => copySnapshot(ctx, backup))
      continue
    }
    // Being copied here or by another node (a scan runs again while the copy goes on).
    if (await jobsOf(ctx).isRunningAnywhere(ctx, jobId(backup))) continue
    await ctx.storage.transact(async (tx) => {
      await deleteCursor(tx, tableId, cursorId(backup))
      await deleteBackupAndItems(tx, backup)
    })
  }
}

/**
 * Inside DeleteTable's transaction: a table with a backup being taken is not deleted. Read in
 * that transaction, so a CreateBackup committing meanwhile is seen, or (on PostgreSQL) the two
 * conflict and one runs again (takeBackup checks the table in its own transaction).
 */
export async function refuseWhileBackingUp(tx: Transaction, table: TableRecord): Promise<void> {
  const backups = await listBackupRecords(tx)
  const tableId = table.description.TableId
  if (backups.some((backup) => backup.status === 'CREATING' && backup.source.description.TableId === tableId)) {
    throw new BackupInUseException(`Backup is being created for table: ${table.description.TableName}`)
  }
}
