/**
 * Restoring into a new table, from a point in time or from a backup.
 *
 * The new table's catalog row (CREATING, RestoreSummary.RestoreInProgress) and the restore job
 * are stored in one transaction; the items are then copied in the background, a page per
 * transaction, through the one write path (so every index is built) without change records
 * (the table has no stream and no PITR yet). The data plane does not see the table until the
 * last page is in; then the table becomes ACTIVE.
 *
 * A restart during the copy finds the job at startup (resumeRestores) and copies again from
 * the start into an emptied table, or, when the source is gone, removes the new table: never a
 * half-restored ACTIVE table.
 */
import type { RegionContext } from '../api/context.js'
import { deleteCursor, saveCursor } from '../changes/cursors.js'
import { LimitExceededException, ResourceInUseException, TableAlreadyExistsException, TableInUseException } from '../errors.js'
import { rowsAsOf, lastSequenceAtOrBefore, type RowAsOf } from '../history/table-as-of.js'
import { applyWrite } from '../operations/write-item.js'
import { keyAttributesOf } from '../operations/keys.js'
import type { TableId, Transaction } from '../storage/engine.js'
import { describeRecord } from '../tables/describe.js'
import { schemaOf, type TableRecord } from '../tables/record.js'
import type { Item } from '../values/types.js'
import { loadBackup } from './backup-store.js'
import { jobsOf } from './jobs.js'
import { storedRows } from './stored-rows.js'
import { copyInPages } from './copy-pages.js'

const namespace = 'restore-jobs'
/** DynamoDB's limit on restores in progress per account (it used to be 4). */
export const concurrentRestoresMax = 50
/** Items copied per transaction. */
const copyPageItems = 250

export type RestoreSource =
  | { kind: 'point-in-time'; tableId: TableId; asOfMicros: number }
  | { kind: 'backup'; backupId: string; storageId: TableId }

export interface RestoreJob {
  targetName: string
  targetTableId: TableId
  source: RestoreSource
}

/** The change cursor that keeps a point-in-time source's log from being trimmed meanwhile. */
const cursorId = (job: RestoreJob): string => `restore/${job.targetTableId}`
const jobId = (targetTableId: TableId): string => `restore/${targetTableId}`

/** The errors for a target name that is taken: in use while being created or deleted. */
export function checkTargetName(ctx: RegionContext, name: string): void {
  const existing = ctx.catalog.record(name)
  if (!existing) return
  if (existing.description.TableStatus === 'CREATING' || existing.description.TableStatus === 'DELETING') {
    throw new TableInUseException(`Table is being created or deleted: ${name}`)
  }
  throw new TableAlreadyExistsException(`Table already exists: ${name}`)
}

function restoresInProgress(ctx: RegionContext): number {
  return ctx.catalog.names().filter((name) => ctx.catalog.record(name)?.description.RestoreSummary?.RestoreInProgress).length
}

/** Stores the new table and its job, starts the copy, and answers with the CREATING table. */
export async function startRestore(ctx: RegionContext, record: TableRecord, source: RestoreSource): Promise<object> {
  const name = record.description.TableName
  checkTargetName(ctx, name)
  if (restoresInProgress(ctx) >= concurrentRestoresMax) {
    throw new LimitExceededException(`Too many restores in progress: the limit is ${concurrentRestoresMax}`)
  }
  const job: RestoreJob = { targetName: name, targetTableId: record.description.TableId, source }
  let stored: TableRecord
  try {
    stored = await ctx.catalog.create(record, async (tx) => {
      await tx.putState(namespace, job.targetTableId, JSON.stringify(job))
      if (source.kind === 'point-in-time') {
        await saveCursor(tx, source.tableId, cursorId(job), await lastSequenceAtOrBefore(tx, source.tableId, source.asOfMicros))
      }
    })
  } catch (error) {
    if (error instanceof ResourceInUseException) throw new TableAlreadyExistsException(`Table already exists: ${name}`)
    throw error
  }
  void jobsOf(ctx).run(ctx, jobId(job.targetTableId), () => copyIn(ctx, job))
  return { TableDescription: describeRecord(stored, undefined, 'CREATING') }
}

/** The rows to restore, or undefined when the source is gone. */
async function sourceRows(ctx: RegionContext, source: RestoreSource): Promise<AsyncIterable<RowAsOf> | undefined> {
  if (source.kind === 'point-in-time') return rowsAsOf(ctx, source.tableId, source.asOfMicros)
  const backup = await ctx.storage.read((view) => loadBackup(view, source.backupId))
  return backup ? storedRows(ctx, source.storageId) : undefined
}

async function copyIn(ctx: RegionContext, job: RestoreJob): Promise<void> {
  const record = ctx.catalog.record(job.targetName)
  if (record?.description.TableId !== job.targetTableId) return forgetJob(ctx, job)
  const rows = await sourceRows(ctx, job.source)
  if (!rows) return abandon(ctx, job)
  // From the start into an empty table: a resumed copy must not keep what it wrote before.
  await ctx.storage.transact((tx) => tx.dropTableData(job.targetTableId))
  const table = schemaOf(record)
  const copied = await copyInPages(ctx, rows, copyPageItems, (page) => ctx.storage.transact(async (tx) => {
    for (const row of page) {
      const item = JSON.parse(row.json) as Item
      const key = { attributes: keyAttributesOf(table, item), encoded: row.key }
      await applyWrite(tx, ctx, table, key, () => item, { currentJson: null, recordChange: false })
    }
  }))
  if (!copied) return
  await ctx.catalog.update(job.targetName, (draft) => {
    draft.description.RestoreSummary!.RestoreInProgress = false
    draft.settlesAtMs = ctx.clock.now()
  }, (tx) => endJob(tx, job))
}

async function endJob(tx: Transaction, job: RestoreJob): Promise<void> {
  await tx.deleteState(namespace, job.targetTableId)
  if (job.source.kind === 'point-in-time') await deleteCursor(tx, job.source.tableId, cursorId(job))
}

function forgetJob(ctx: RegionContext, job: RestoreJob): Promise<void> {
  return ctx.storage.transact((tx) => endJob(tx, job))
}

/** The source is gone: the half-made table goes too. */
async function abandon(ctx: RegionContext, job: RestoreJob): Promise<void> {
  ctx.log.warn('restore abandoned: its source is gone', { table: job.targetName })
  await ctx.catalog.remove(job.targetName, (tx) => endJob(tx, job))
}

/** At startup: takes up every restore a stop interrupted. */
export async function resumeRestores(ctx: RegionContext): Promise<void> {
  const entries = await ctx.storage.read((view) => view.listState(namespace))
  for (const entry of entries) {
    const job = JSON.parse(entry.value) as RestoreJob
    void jobsOf(ctx).run(ctx, jobId(job.targetTableId), () => copyIn(ctx, job))
  }
}

/** Whether a restore from this backup is in progress (it cannot be deleted meanwhile). */
export async function restoringFromBackup(ctx: RegionContext, backupId: string): Promise<boolean> {
  const entries = await ctx.storage.read((view) => view.listState(namespace))
  return entries.some((entry) => {
    const job = JSON.parse(entry.value) as RestoreJob
    return job.source.kind === 'backup' && job.source.backupId === backupId
  })
}
