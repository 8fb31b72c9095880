/**
 * Restoring into a new table, from a point in time or from a backup.
 *
 * The new table's catalog row (CREATING, RestoreSummary.RestoreInProgress) and the restore job
 * are stored in one transaction; the items are then copied in the background by the bulk load
 * path (Transaction.loadItems: item rows and index rows, no reads, no conditions, no change
 * records: nobody can write the table yet, and it starts with no stream and no PITR), a page
 * per transaction. The data plane does not see the table until the last page is in; then the
 * table becomes ACTIVE.
 *
 * Each page commits with the job's progress (the last key copied), so a restart during the copy
 * finds the job at startup (resumeRestores) and goes on after that key; when the source is gone
 * it removes the new table instead: never a half-restored ACTIVE table.
 */
import type { RegionContext } from '../api/context.js'
import { deleteCursor, loadCursor, saveCursor } from '../changes/cursors.js'
import { LimitExceededException, ResourceInUseException, TableAlreadyExistsException, TableInUseException } from '../errors.js'
import { pagesAsOf, lastSequenceAtOrBefore, type HistoryPoint, type RowAsOf } from '../history/table-as-of.js'
import { loadedItemOf, takesPlainRows } from '../items/loaded-items.js'
import { copyInStorage, type CopyInStorage } from '../history/copy-in-storage.js'
import type { ReadView, TableId, Transaction } from '../storage/engine.js'
import { describeRecord, emptyStats, type LiveStats } from '../tables/describe.js'
import { schemaOf, type TableRecord } from '../tables/record.js'
import type { TableSchema } from '../tables/schema.js'
import { loadBackup } from './backup-store.js'
import { jobsOf } from './jobs.js'
import { storedPages } from './stored-rows.js'
import { copyInPages } from './copy-pages.js'

const namespace = 'restore-jobs'
/**
 * DynamoDB's limit on restores in progress per account (it used to be 4); here per region, whose
 * storage the restore jobs live in. The project has no limit on other table operations.
 */
export const concurrentRestoresMax = 50
/**
 * Items copied per transaction: large pages cost less per item, but hold SQLite's write lock
 * longer (about 5 ms for 1000 items of 400 B), which other writers wait out.
 */
const copyPageItems = 1000

export type RestoreSource = PointInTimeSource | { kind: 'backup'; backupId: string; storageId: TableId }

/**
 * `latest`: UseLatestRestorableTime, restored through the log's last sequence when asked for
 * (every write acknowledged before), not through the changes that `asOfMicros` finds.
 */
type PointInTimeSource = { kind: 'point-in-time'; tableId: TableId; asOfMicros: number; latest?: boolean }

export interface RestoreJob {
  targetName: string
  targetTableId: TableId
  source: RestoreSource
  /**
   * The encoded key (hex) of the last item copied, saved with each page: a resumed copy goes on
   * after it. Absent before the first page (and in jobs stored by EddyDB before it resumed).
   */
  copiedThroughKey?: string
  /** The items copied so far and their summed sizes (DescribeTable's counts meanwhile). */
  itemsCopied?: number
  bytesCopied?: number
}

/** The change cursor that keeps a point-in-time source's log from being trimmed meanwhile. */
const cursorId = (job: RestoreJob): string => `restore/${job.targetTableId}`
const jobId = (targetTableId: TableId): string => `restore/${targetTableId}`

/**
 * The errors for a target name that is taken: in use while it is being created (in DynamoDB's
 * words when a backup is being restored into it), and already there otherwise, a table being
 * deleted included (DDB-TABLE-219 and -275 of an API-quirks lab, against AWS, 2026-10).
 */
export function checkTargetName(ctx: RegionContext, name: string): void {
  const existing = ctx.catalog.record(name)
  if (!existing) return
  if (existing.description.TableStatus === 'CREATING') {
    const backupArn = existing.description.RestoreSummary?.SourceBackupArn
    throw new TableInUseException(backupArn === undefined
      ? `Table is being created or deleted: ${name}` : `Table: ${name} is already being restored from backup: ${backupArn}`)
  }
  throw new TableAlreadyExistsException(`Table already exists: ${name}`)
}

/**
 * Stores the new table and its job, starts the copy, and answers with the CREATING table.
 * `checkSource` runs in that transaction: what the source must still be when the job is stored
 * (a backup not deleted, not being restored from), whatever committed since the request began.
 */
export async function startRestore(
  ctx: RegionContext, record: TableRecord, source: RestoreSource, checkSource?: (tx: Transaction) => Promise<void>,
): Promise<object> {
  const name = record.description.TableName
  checkTargetName(ctx, name)
  const job: RestoreJob = { targetName: name, targetTableId: record.description.TableId, source }
  let stored: TableRecord
  try {
    stored = await ctx.catalog.create(record, async (tx) => {
      // Counted in the transaction that adds the job: two restores started at once (on two
      // nodes, too) cannot both take the last place.
      if ((await tx.listState(namespace)).length >= concurrentRestoresMax) {
        throw new LimitExceededException(`Subscriber limit exceeded: There is a limit of ${concurrentRestoresMax} concurrent restores per account`)
      }
      await checkSource?.(tx)
      await saveJob(tx, job)
      if (source.kind === 'point-in-time') {
        const sequence = source.latest
          ? await tx.lastChangeSequence(source.tableId)
          : await lastSequenceAtOrBefore(tx, source.tableId, source.asOfMicros)
        await saveCursor(tx, source.tableId, cursorId(job), sequence)
      }
    })
  } catch (error) {
    if (error instanceof ResourceInUseException) throw new TableAlreadyExistsException(`Table already exists: ${name}`)
    throw error
  }
  startCopy(ctx, job.targetTableId)
  return { TableDescription: describeRecord(stored, undefined, 'CREATING') }
}

function saveJob(tx: Transaction, job: RestoreJob): Promise<void> {
  return tx.putState(namespace, job.targetTableId, JSON.stringify(job))
}

/** The restore's job with the progress its last page saved; undefined once it has ended. */
async function savedJob(ctx: RegionContext, targetTableId: TableId): Promise<RestoreJob | undefined> {
  const value = await ctx.storage.read((view) => view.getState(namespace, targetTableId))
  return value === undefined ? undefined : JSON.parse(value) as RestoreJob
}

/**
 * Runs the copy as a background job. Each run (the first, one after a storage error, one at the
 * next start) goes on from the progress the job saved.
 */
function startCopy(ctx: RegionContext, targetTableId: TableId): void {
  void jobsOf(ctx).run(ctx, jobId(targetTableId), async () => {
    const job = await savedJob(ctx, targetTableId)
    if (job) await copyIn(ctx, job)
  })
}

/**
 * Where a point-in-time restore reads its source's history: through the sequence its cursor
 * holds, found when the restore was asked for (a job stored before cursors held it: its time).
 */
async function restorePoint(ctx: RegionContext, job: RestoreJob, source: PointInTimeSource): Promise<HistoryPoint> {
  const sequence = await ctx.storage.read((view) => loadCursor(view, source.tableId, cursorId(job)))
  return sequence === undefined ? { micros: source.asOfMicros } : { sequence }
}

/** The rows to restore after `after` (all when undefined), or undefined when the source is gone. */
async function sourcePages(ctx: RegionContext, job: RestoreJob, after: Buffer | undefined): Promise<AsyncIterable<RowAsOf[]> | undefined> {
  const source = job.source
  if (source.kind === 'point-in-time') {
    return pagesAsOf(ctx, source.tableId, await restorePoint(ctx, job, source), { after, pageItems: copyPageItems })
  }
  const backup = await ctx.storage.read((view) => loadBackup(view, source.backupId))
  return backup ? storedPages(ctx, source.storageId, after) : undefined
}

async function copyIn(ctx: RegionContext, job: RestoreJob): Promise<void> {
  const record = ctx.catalog.record(job.targetName)
  if (record?.description.TableId !== job.targetTableId) return forgetJob(ctx, job)
  const after = job.copiedThroughKey === undefined ? undefined : Buffer.from(job.copiedThroughKey, 'hex')
  const pages = await sourcePages(ctx, job, after)
  if (!pages) return abandon(ctx, job)
  // A copy with no progress saved starts from an empty table (a job of an earlier EddyDB may
  // have left rows it copied before it stopped).
  if (after === undefined) await ctx.storage.transact((tx) => tx.dropTableData(job.targetTableId))
  const table = schemaOf(record)
  // Each page is written only while this node holds the job (jobs.ts, fence).
  const fence = jobsOf(ctx).fence()
  const copied = takesPlainRows(table) ? await copyInsideStorage(ctx, job, after, fence) : await copyWithIndexRows(ctx, job, table, pages, fence)
  if (!copied) return
  await ctx.catalog.update(job.targetName, (draft) => {
    // Once ACTIVE, DynamoDB shows no RestoreSummary: nothing marks a table as born of a restore (DDB-TABLE-216 of an API-quirks lab).
    delete draft.description.RestoreSummary
    draft.settlesAtMs = ctx.clock.now()
  }, (tx) => endJob(tx, job))
}

/** A table that takes plain rows: copied without the rows leaving storage (history/copy-in-storage.ts). */
async function copyInsideStorage(
  ctx: RegionContext, job: RestoreJob, after: Buffer | undefined, fence: (view: ReadView) => Promise<void>,
): Promise<boolean> {
  const source = job.source
  const from: Pick<CopyInStorage, 'from' | 'asOf'> = source.kind === 'point-in-time'
    ? { from: source.tableId, asOf: await restorePoint(ctx, job, source) }
    : { from: source.storageId }
  return copyInStorage(ctx, {
    ...from, to: job.targetTableId, after, pageRows: copyPageItems, stopping: () => jobsOf(ctx).stopping, beforePage: fence,
    copiedBefore: { count: job.itemsCopied ?? 0, bytes: job.bytesCopied ?? 0 },
    savePage: (tx, progress) => saveJob(tx, {
      ...job, copiedThroughKey: progress.lastKey?.toString('hex'), itemsCopied: progress.count, bytesCopied: progress.bytes,
    }),
  })
}

/** A table with index rows (or TTL) to derive from each item: the rows pass through here. */
function copyWithIndexRows(
  ctx: RegionContext, job: RestoreJob, table: TableSchema, pages: AsyncIterable<RowAsOf[]>, fence: (view: ReadView) => Promise<void>,
): Promise<boolean> {
  let saved = job
  return copyInPages(ctx, pages, copyPageItems, async (page) => {
    const items = page.map((row) => loadedItemOf(table, row))
    const progress: RestoreJob = {
      ...saved,
      copiedThroughKey: page.at(-1)!.key.toString('hex'),
      itemsCopied: (saved.itemsCopied ?? 0) + items.length,
      bytesCopied: items.reduce((sum, item) => sum + item.sizeBytes, saved.bytesCopied ?? 0),
    }
    await ctx.storage.transact(async (tx) => {
      await fence(tx)
      await tx.loadItems(job.targetTableId, items)
      await saveJob(tx, progress)
    })
    saved = progress
  })
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

/**
 * The counts of a table being restored, from its job's progress: O(1), where counting its rows
 * (what DescribeTable does for other tables) would slow the copy that scripts and the CLI's
 * progress bar poll.
 */
export async function restoreProgress(ctx: RegionContext, targetTableId: TableId): Promise<LiveStats> {
  const job = await savedJob(ctx, targetTableId)
  if (job === undefined) return emptyStats
  return { table: { count: job.itemsCopied ?? 0, bytes: job.bytesCopied ?? 0 }, indexes: {} }
}

/** At startup: takes up every restore a stop interrupted. */
export async function resumeRestores(ctx: RegionContext): Promise<void> {
  const entries = await ctx.storage.read((view) => view.listState(namespace))
  for (const entry of entries) startCopy(ctx, (JSON.parse(entry.value) as RestoreJob).targetTableId)
}

/**
 * Whether a restore from this backup is in progress (it cannot be deleted, nor restored from
 * again, meanwhile). Read it in the transaction that acts on the answer: on PostgreSQL two such
 * transactions then conflict, and the one that runs again sees the other.
 */
export async function restoringFromBackup(view: ReadView, backupId: string): Promise<boolean> {
  const entries = await view.listState(namespace)
  return entries.some((entry) => {
    const job = JSON.parse(entry.value) as RestoreJob
    return job.source.kind === 'backup' && job.source.backupId === backupId
  })
}
