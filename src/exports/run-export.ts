/**
 * Running one export to its end, in the order DynamoDB writes the objects: `_started`, the data
 * files, manifest-files.json (+ .md5), then manifest-summary.json (+ .md5), whose presence says
 * the export is complete. A full export reads the table as of ExportTime (history/table-as-of.ts);
 * an incremental one reads the change log of its window. Neither goes through the data plane, so
 * neither consumes read capacity. Any failure (S3's included) becomes FAILED with DynamoDB's
 * FailureCode, and the objects already written stay, as DynamoDB never deletes S3 objects.
 *
 * An export that a restart (or a kill) interrupted is done again from the start (resumeExports):
 * as of the same time, the result is the same. The only objects it removes are the data files
 * the interrupted run began, whose keys it saved before writing them (ExportJob.dataFilesStarted),
 * and the uploads a killed run left unfinished under its own keys (multipart uploads on S3,
 * partial files in a directory; see uploadPrefixes).
 */
import type { RegionContext } from '../api/context.js'
import { lastSequenceAtOrBefore, pagesAsOf } from '../history/table-as-of.js'
import { jobsOf } from '../backups/jobs.js'
import { pitrWindow } from '../history/pitr.js'
import { openBucket } from '../s3/buckets.js'
import { jobIdOf } from '../s3/jobs.js'
import { ObjectStoreError, type Bucket } from '../s3/object-store.js'
import { itemSizeBytes } from '../values/size.js'
import type { Item } from '../values/types.js'
import { DataFiles } from './data-files.js'
import { dataFileExtension, fullExportLines, incrementalExportLine, type CompactedChange } from './export-lines.js'
import { listExports, readExport, runningExports, writeExport, type ExportDescription, type ExportJob } from './export-record.js'
import { isTransientStorageError } from '../storage/errors.js'
import { exportFilterOf, exportsItem, projectedForExport, type ExportFilter } from './export-filter.js'
import { ExportPacer } from './pacing.js'
import { incrementalBilledBytesMin, manifestFilesText, manifestSummaryText, putWithMd5 } from './manifests.js'

/** Items per data file before a new one is started. */
export const itemsPerDataFile = 500_000
const changesPerRead = 1000
/** Incremental lines handed to the data files at once (a full export hands them a page). */
const linesPerWrite = 500

/** `<S3Prefix>/AWSDynamoDB/`, or `AWSDynamoDB/` without a prefix. */
export function exportRoot(prefix: string | undefined): string {
  if (!prefix) return 'AWSDynamoDB/'
  return `${prefix.endsWith('/') ? prefix : `${prefix}/`}AWSDynamoDB/`
}

export function manifestSummaryKey(description: Pick<ExportDescription, 'S3Prefix' | 'ExportArn'>): string {
  return `${exportRoot(description.S3Prefix)}${jobIdOf(description.ExportArn)}/manifest-summary.json`
}

/**
 * Between two pages: a stopping server ends the export here, and requests take the loop for as
 * long as the pacer says (pacing.ts).
 */
async function betweenPages(ctx: RegionContext, pacer: ExportPacer): Promise<void> {
  if (jobsOf(ctx).stopping) throw new ExportStopped()
  await pacer.betweenPages()
  if (jobsOf(ctx).stopping) throw new ExportStopped()
}

interface Totals { items: number; bytes: number }

async function writeFullExport(ctx: RegionContext, job: ExportJob, files: DataFiles, totals: Totals): Promise<void> {
  const { description } = job
  const pacer = new ExportPacer()
  const { prefix, suffix, encode } = fullExportLines(description.ExportFormat)
  const filter = description.FilterSpecification && exportFilterOf(description.FilterSpecification)
  const point = job.asOfSequence === undefined
    ? { micros: Math.round(description.ExportTime * 1_000_000) }
    : { sequence: job.asOfSequence }
  for await (const read of pagesAsOf(ctx, description.TableId, point)) {
    const page = filter ? filteredRows(filter, read) : read
    await files.write(page.map((row) => (encode ? encode(row.json) : row.json)), prefix, suffix)
    totals.items += page.length
    // An item row carries its size; only an old image from the log is parsed to size it.
    for (const row of page) totals.bytes += row.size ?? itemSizeBytes(JSON.parse(row.json) as Item)
    await betweenPages(ctx, pacer)
  }
}

/** The rows of a page a filtered export writes, projected (sized as written). */
function filteredRows(filter: ExportFilter, rows: ReadonlyArray<{ json: string; size?: number }>): Array<{ json: string; size?: number }> {
  const kept: Array<{ json: string; size?: number }> = []
  for (const row of rows) {
    const item = JSON.parse(row.json) as Item
    if (!exportsItem(filter, item)) continue
    kept.push(filter.projection ? { json: JSON.stringify(projectedForExport(filter, item)) } : row)
  }
  return kept
}

/** Each key changed in [from, to), with its state before and after the window. */
async function compactedChanges(ctx: RegionContext, tableId: string, fromMicros: number, toMicros: number): Promise<Map<string, CompactedChange>> {
  const [after, through] = await ctx.storage.read(async (view) => [
    await lastSequenceAtOrBefore(view, tableId, fromMicros - 1),
    await lastSequenceAtOrBefore(view, tableId, toMicros - 1),
  ])
  const byKey = new Map<string, CompactedChange>()
  let sequence = after
  while (sequence < through) {
    const changes = await ctx.storage.read((view) => view.readChanges(tableId, sequence, changesPerRead))
    if (changes.length === 0) break
    for (const change of changes) {
      if (change.sequence > through) return byKey
      const id = change.key.toString('hex')
      const seen = byKey.get(id)
      if (seen) {
        seen.newImageJson = change.newImageJson
        seen.lastWriteMicros = change.timeMicros
      } else {
        byKey.set(id, {
          keysJson: change.keysJson, oldImageJson: change.oldImageJson, newImageJson: change.newImageJson, lastWriteMicros: change.timeMicros,
        })
      }
    }
    sequence = changes.at(-1)!.sequence
  }
  return byKey
}

async function writeIncrementalExport(ctx: RegionContext, description: ExportDescription, files: DataFiles, totals: Totals): Promise<void> {
  const spec = description.IncrementalExportSpecification!
  const changes = await compactedChanges(ctx, description.TableId,
    Math.round(spec.ExportFromTime! * 1_000_000), Math.round(spec.ExportToTime! * 1_000_000))
  const pacer = new ExportPacer()
  const filter = description.FilterSpecification && exportFilterOf(description.FilterSpecification)
  let lines: string[] = []
  const writeLines = async () => {
    await files.write(lines)
    totals.items += lines.length
    lines = []
    await betweenPages(ctx, pacer)
  }
  for (const compacted of changes.values()) {
    const change = filter ? filteredChange(filter, compacted) : compacted
    if (change === undefined) continue
    const line = incrementalExportLine(change, description.ExportFormat, spec.ExportViewType ?? 'NEW_AND_OLD_IMAGES')
    if (line === undefined) continue
    lines.push(line)
    totals.bytes += Buffer.byteLength(line)
    if (lines.length >= linesPerWrite) await writeLines()
  }
  await writeLines()
}

/**
 * A changed key as a filtered incremental export writes it, or undefined when it is left out: the
 * filter looks at the latest image (the old one for a deleted item); the projection shapes both.
 */
function filteredChange(filter: ExportFilter, change: CompactedChange): CompactedChange | undefined {
  const latest = change.newImageJson ?? change.oldImageJson
  if (latest === undefined || !exportsItem(filter, JSON.parse(latest) as Item)) return undefined
  if (!filter.projection) return change
  const projected = (json: string | undefined) => json && JSON.stringify(projectedForExport(filter, JSON.parse(json) as Item))
  return { ...change, oldImageJson: projected(change.oldImageJson), newImageJson: projected(change.newImageJson) }
}

/** The server is stopping: the export ends here and starts over at the next start. */
class ExportStopped extends Error {}

/**
 * Why an export a restart interrupted cannot be done again, if it cannot: its table is gone, or
 * the log no longer reaches back to its time (PITR turned off, or the window has passed it).
 */
async function redoProblem(ctx: RegionContext, description: ExportDescription): Promise<string | undefined> {
  const record = ctx.catalog.recordByArn(description.TableArn)
  if (record?.description.TableId !== description.TableId) return 'its table no longer exists'
  const window = await pitrWindow(ctx, description.TableId)
  const spec = description.IncrementalExportSpecification
  const earliestSeconds = description.ExportType === 'INCREMENTAL_EXPORT' ? spec!.ExportFromTime! : description.ExportTime
  if (!window || earliestSeconds * 1000 < window.earliestMs) return 'point-in-time recovery no longer covers its export time'
  return undefined
}

/** `<P>AWSDynamoDB/<ExportId>/`: the export's own folder. */
function exportDirectoryOf(description: ExportDescription): string {
  return `${exportRoot(description.S3Prefix)}${jobIdOf(description.ExportArn)}/`
}

/**
 * Where this export's unfinished uploads can be: a full export's own folder, whose every key is
 * its own; an incremental export's data files share a folder with other exports', so there only
 * the keys it recorded before starting them.
 */
function uploadPrefixes(description: ExportDescription, dataFilesStarted: readonly string[]): string[] {
  return description.ExportType === 'INCREMENTAL_EXPORT' ? [...dataFilesStarted] : [exportDirectoryOf(description)]
}

/**
 * Aborts the uploads an earlier run of this export left unfinished (a kill, a crash). No run
 * continues an upload (an export is done again from the start), so every one found is abandoned.
 */
async function abortUnfinishedUploads(ctx: RegionContext, bucket: Bucket, description: ExportDescription, dataFilesStarted: readonly string[]): Promise<void> {
  for (const prefix of uploadPrefixes(description, dataFilesStarted)) {
    const aborted = await bucket.abortUploads(prefix)
    if (aborted.length > 0) ctx.log.info('export: aborted unfinished uploads of an interrupted run', { exportArn: description.ExportArn, keys: aborted })
  }
}

/** The export's objects, written in DynamoDB's order; the finished description. */
async function writeObjects(ctx: RegionContext, job: ExportJob, totals: Totals): Promise<ExportDescription> {
  const description = job.description
  const bucket = openBucket(ctx.config, description.S3Bucket, description.S3BucketOwner)
  await bucket.checkExists()
  if (job.dataFilesStarted !== undefined) {
    // Started over after a restart: what the interrupted run began is not part of this run.
    await abortUnfinishedUploads(ctx, bucket, description, job.dataFilesStarted)
    for (const key of job.dataFilesStarted) await bucket.delete(key)
  }
  const started: string[] = []
  const recordStart = async (key: string) => {
    started.push(key)
    await writeExport(ctx, { ...job, dataFilesStarted: [...started] })
  }
  const root = exportRoot(description.S3Prefix)
  const exportDirectory = exportDirectoryOf(description)
  await bucket.put(`${exportDirectory}_started`, '')
  const incremental = description.ExportType === 'INCREMENTAL_EXPORT'
  // Incremental exports share one data folder under the prefix, as DynamoDB's do.
  const files = new DataFiles(bucket, incremental ? `${root}data/` : `${exportDirectory}data/`,
    dataFileExtension(description.ExportFormat), itemsPerDataFile, recordStart)
  try {
    if (incremental) await writeIncrementalExport(ctx, description, files, totals)
    else await writeFullExport(ctx, job, files, totals)
  } catch (error) {
    // The open file's upload ends with an error, and lib-storage (or the directory) aborts it.
    await files.abandon()
    // A failed run leaves no unfinished upload behind, whatever ended it (a stopping server's
    // export is swept when it starts over).
    if (!(error instanceof ExportStopped)) {
      await abortUnfinishedUploads(ctx, bucket, description, started)
        .catch((sweepError: unknown) => ctx.log.warn('export: unfinished uploads not aborted', { exportArn: description.ExportArn, error: String(sweepError) }))
    }
    throw error
  }
  const manifestFilesKey = `${exportDirectory}manifest-files.json`
  await putWithMd5(bucket, manifestFilesKey, manifestFilesText(await files.finish()))
  const endMs = ctx.clock.now()
  const finished: ExportDescription = {
    ...description,
    ExportStatus: 'COMPLETED',
    EndTime: endMs / 1000,
    ExportManifest: `${exportDirectory}manifest-summary.json`,
    ItemCount: totals.items,
    BilledSizeBytes: incremental ? Math.max(incrementalBilledBytesMin, totals.bytes) : totals.bytes,
  }
  await putWithMd5(bucket, finished.ExportManifest!, manifestSummaryText(finished, manifestFilesKey, endMs))
  return finished
}

/** An interrupted export that cannot be done again still leaves no unfinished upload (best effort). */
async function abortInterruptedUploads(ctx: RegionContext, job: ExportJob): Promise<void> {
  const description = job.description
  try {
    const bucket = openBucket(ctx.config, description.S3Bucket, description.S3BucketOwner)
    await abortUnfinishedUploads(ctx, bucket, description, job.dataFilesStarted ?? [])
  } catch (error) {
    ctx.log.warn('export: unfinished uploads not aborted', { exportArn: description.ExportArn, error: String(error) })
  }
}

function failed(ctx: RegionContext, description: ExportDescription, failureCode: string, message: string): ExportDescription {
  return { ...description, ExportStatus: 'FAILED', EndTime: ctx.clock.now() / 1000, FailureCode: failureCode, FailureMessage: message }
}

/**
 * Runs the export (again from the start when a restart interrupted it). A failure is recorded as
 * the export's status, except a storage error, which it throws for the job to run it again. When
 * the server stops meanwhile, it stays IN_PROGRESS.
 */
export async function runExport(ctx: RegionContext, job: ExportJob): Promise<void> {
  const description = job.description
  const totals: Totals = { items: 0, bytes: 0 }
  runningExports.set(description.ExportArn, totals)
  let finished: ExportDescription
  try {
    const problem = job.dataFilesStarted === undefined ? undefined : await redoProblem(ctx, description)
    if (problem) {
      await abortInterruptedUploads(ctx, job)
      finished = failed(ctx, description, 'UnknownError', `The export was interrupted by a restart and cannot be done again: ${problem}`)
    } else {
      finished = await writeObjects(ctx, job, totals)
    }
  } catch (error) {
    if (error instanceof ExportStopped || isTransientStorageError(error)) {
      runningExports.delete(description.ExportArn)
      // Stopped, it is done again at the next start; a storage error is not the export's, and
      // the job runs it again (startExport).
      if (error instanceof ExportStopped) return
      throw error
    }
    if (!(error instanceof ObjectStoreError)) ctx.log.error('export failed', { exportArn: description.ExportArn, error: String(error) })
    finished = failed(ctx, description, error instanceof ObjectStoreError ? error.failureCode : 'UnknownError',
      error instanceof Error ? error.message : String(error))
  }
  try {
    await writeExport(ctx, { description: finished, request: job.request })
  } catch (error) {
    if (isTransientStorageError(error) && !jobsOf(ctx).stopping) throw error
    // The server is shutting down (storage closed): nothing more to record.
    ctx.log.error('export could not be recorded', { exportArn: description.ExportArn, error: String(error) })
  } finally {
    runningExports.delete(description.ExportArn)
  }
}

const jobId = (job: ExportJob): string => `export/${job.description.ExportArn}`

/** An interrupted export as it is done again: what its run started is removed first. */
const interrupted = (job: ExportJob): ExportJob => ({ ...job, dataFilesStarted: job.dataFilesStarted ?? [] })

/**
 * Starts an export as one of the region's background jobs (stopped between pages on shutdown).
 * A run that storage stopped is done again as after a restart, from the export as saved, while
 * it is IN_PROGRESS.
 */
export function startExport(ctx: RegionContext, job: ExportJob): void {
  void jobsOf(ctx).run(ctx, jobId(job), async (again) => {
    const saved = again ? await readExport(ctx, job.description.ExportArn) : job
    if (saved?.description.ExportStatus === 'IN_PROGRESS') await runExport(ctx, again ? interrupted(saved) : saved)
  })
}

/** At startup: does again every export a stop or a crash interrupted. */
export async function resumeExports(ctx: RegionContext): Promise<void> {
  for (const job of await listExports(ctx)) {
    if (job.description.ExportStatus === 'IN_PROGRESS') startExport(ctx, interrupted(job))
  }
}
