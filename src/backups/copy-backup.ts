/**
 * Copying a backup into another region's namespace on this server: what AWS Backup's
 * cross-Region copy gives (the DynamoDB API itself has no copy). The copy is a USER backup of the
 * target region, with its own id and an ARN of that region (`arn:aws:dynamodb:<target>:…:table/
 * <name>/backup/<id>`), the same items and the same source-table details; its creation time is
 * the original's, the instant its items are as of, so a restore from it reports that instant.
 * ListBackups and RestoreTableFromBackup in the target region see it like any other backup.
 *
 * The items are copied in the background, a page per transaction, from the source region's
 * storage into the target's (a SQLite file or PostgreSQL schema each); the copy is CREATING until
 * they are all in. A copy a restart interrupts is dropped at the next start (resumeBackups): the
 * caller sees it vanish and runs the copy again.
 */
import { randomUUID } from 'node:crypto'
import { newJobId } from '../job-ids.js'
import type { RegionContext } from '../api/context.js'
import { BackupInUseException, ValidationException } from '../errors.js'
import { itemRowOnly } from '../items/loaded-items.js'
import { tableArn } from '../tables/describe.js'
import { requireBackup } from './backup-lookup.js'
import { backupArnOf, deleteBackupAndItems, loadBackup, saveBackup, type BackupRecord } from './backup-store.js'
import { copyInPages } from './copy-pages.js'
import { jobsOf } from './jobs.js'
import { storedPages } from './stored-rows.js'
import { untilCopiedOrAnswerTime } from './take-backup.js'

/** Rows written per transaction (see copyPageItems in restore-table.ts). */
const copyPageRows = 1000

/** The region and account a backup ARN names (`arn:<partition>:dynamodb:<region>:<account>:…`), or undefined. */
export function placeOfBackupArn(backupArn: string): { region: string; accountId: string } | undefined {
  const match = /^arn:[^:]+:dynamodb:([a-z0-9-]+):(\d{12}):table\/[^/]+\/backup\/[^/]+$/.exec(backupArn)
  return match ? { region: match[1]!, accountId: match[2]! } : undefined
}

/** Starts the copy of `backupArn` from `source` into `target`; the copy as recorded so far. */
export async function copyBackup(source: RegionContext, target: RegionContext, backupArn: string): Promise<BackupRecord> {
  if (source.storage === target.storage) {
    throw new ValidationException(`The backup is already in region ${target.region}: a copy needs another region`)
  }
  const original = await requireBackup(source, backupArn)
  if (original.status === 'CREATING') throw new BackupInUseException(`Backup is still being created: ${backupArn}`)
  const backupId = newJobId(target.clock.now())
  const tableName = original.source.description.TableName
  const copy: BackupRecord = {
    backupId,
    backupArn: backupArnOf(tableArn(target.region, target.accountId, tableName), backupId),
    backupName: original.backupName,
    backupType: 'USER',
    status: 'CREATING',
    createdMs: original.createdMs,
    storageId: randomUUID(),
    source: original.source,
    copiedFrom: original.backupArn,
  }
  await target.storage.transact((tx) => saveBackup(tx, copy))
  const job = jobsOf(target).run(target, `backup/${backupId}`, () => copyItems(source, target, original, copy))
  await untilCopiedOrAnswerTime(job)
  return (await target.storage.read((view) => loadBackup(view, backupId))) ?? copy
}

/** The copy, from the start each run (a run a storage error stopped left rows behind), while it is CREATING. */
async function copyItems(source: RegionContext, target: RegionContext, original: BackupRecord, copy: BackupRecord): Promise<void> {
  const started = await target.storage.transact(async (tx) => {
    if ((await loadBackup(tx, copy.backupId))?.status !== 'CREATING') return false
    await tx.dropTableData(copy.storageId)
    return true
  })
  if (!started) return
  const copied = await copyInPages(target, storedPages(source, original.storageId), copyPageRows, (page) => {
    const items = page.map(itemRowOnly)
    return target.storage.transact((tx) => tx.loadItems(copy.storageId, items))
  })
  if (!copied) return
  // A DeleteBackup of the original during the copy may have cut it short: the copy goes too.
  const originalKept = await source.storage.read((view) => loadBackup(view, original.backupId))
  await target.storage.transact(async (tx) => {
    const current = await loadBackup(tx, copy.backupId)
    if (!current || !originalKept) return current ? deleteBackupAndItems(tx, current) : tx.dropTableData(copy.storageId)
    const stats = await tx.itemStats(copy.storageId)
    await saveBackup(tx, { ...current, status: 'AVAILABLE', sizeBytes: stats.bytes, itemCount: stats.count })
  })
}
