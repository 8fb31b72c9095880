/**
 * Running one export to its end, in the order DynamoDB writes the objects: `_started`, the data
 * files, manifest-files.json (+ .md5), then manifest-summary.json (+ .md5), whose presence says
 * the export is complete. A full export reads the table as of ExportTime (history/table-as-of.ts);
 * an incremental one reads the change log of its window. Neither goes through the data plane, so
 * neither consumes read capacity. Any failure (S3's included) becomes FAILED with DynamoDB's
 * FailureCode, and the objects already written stay, as DynamoDB never deletes S3 objects.
 */
import type { RegionContext } from '../api/context.js'
import { lastSequenceAtOrBefore, rowsAsOf } from '../history/table-as-of.js'
import { openBucket } from '../s3/buckets.js'
import { jobIdOf } from '../s3/jobs.js'
import { ObjectStoreError } from '../s3/object-store.js'
import { itemSizeBytes } from '../values/size.js'
import type { Item } from '../values/types.js'
import { DataFiles } from './data-files.js'
import { dataFileExtension, fullExportLine, incrementalExportLine, type CompactedChange } from './export-lines.js'
import { runningExports, writeExport, type ExportDescription, type ExportJob } from './export-record.js'
import { incrementalBilledBytesMin, manifestFilesText, manifestSummaryText, putWithMd5 } from './manifests.js'

/** Items per data file before a new one is started. */
export const itemsPerDataFile = 500_000
const changesPerRead = 1000

/** `<S3Prefix>/AWSDynamoDB/`, or `AWSDynamoDB/` without a prefix. */
export function exportRoot(prefix: string | undefined): string {
  if (!prefix) return 'AWSDynamoDB/'
  return `${prefix.endsWith('/') ? prefix : `${prefix}/`}AWSDynamoDB/`
}

export function manifestSummaryKey(description: Pick<ExportDescription, 'S3Prefix' | 'ExportArn'>): string {
  return `${exportRoot(description.S3Prefix)}${jobIdOf(description.ExportArn)}/manifest-summary.json`
}

interface Totals { items: number; bytes: number }

async function writeFullExport(ctx: RegionContext, description: ExportDescription, files: DataFiles, totals: Totals): Promise<void> {
  for await (const row of rowsAsOf(ctx, description.TableId, Math.round(description.ExportTime * 1_000_000))) {
    await files.write(fullExportLine(row.json, description.ExportFormat))
    totals.items++
    totals.bytes += itemSizeBytes(JSON.parse(row.json) as Item)
  }
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
  for (const change of changes.values()) {
    const line = incrementalExportLine(change, description.ExportFormat, spec.ExportViewType ?? 'NEW_AND_OLD_IMAGES')
    if (line === undefined) continue
    await files.write(line)
    totals.items++
    totals.bytes += Buffer.byteLength(line)
  }
}

/** Runs the export; never throws (a failure is recorded as the export's status). */
export async function runExport(ctx: RegionContext, job: ExportJob): Promise<void> {
  const description = job.description
  const totals: Totals = { items: 0, bytes: 0 }
  runningExports.set(description.ExportArn, totals)
  let finished: ExportDescription
  try {
    const bucket = openBucket(ctx.config, description.S3Bucket, description.S3BucketOwner)
    await bucket.checkExists()
    const root = exportRoot(description.S3Prefix)
    const exportDirectory = `${root}${jobIdOf(description.ExportArn)}/`
    await bucket.put(`${exportDirectory}_started`, '')
    const incremental = description.ExportType === 'INCREMENTAL_EXPORT'
    // Incremental exports share one data folder under the prefix, as DynamoDB's do.
    const files = new DataFiles(bucket, incremental ? `${root}data/` : `${exportDirectory}data/`,
      dataFileExtension(description.ExportFormat), itemsPerDataFile)
    if (incremental) await writeIncrementalExport(ctx, description, files, totals)
    else await writeFullExport(ctx, description, files, totals)
    const manifestFilesKey = `${exportDirectory}manifest-files.json`
    await putWithMd5(bucket, manifestFilesKey, manifestFilesText(await files.finish()))
    const endMs = ctx.clock.now()
    finished = {
      ...description,
      ExportStatus: 'COMPLETED',
      EndTime: endMs / 1000,
      ExportManifest: `${exportDirectory}manifest-summary.json`,
      ItemCount: totals.items,
      BilledSizeBytes: incremental ? Math.max(incrementalBilledBytesMin, totals.bytes) : totals.bytes,
    }
    await putWithMd5(bucket, finished.ExportManifest!, manifestSummaryText(finished, manifestFilesKey, endMs))
  } catch (error) {
    if (!(error instanceof ObjectStoreError)) ctx.log.error('export failed', { exportArn: description.ExportArn, error: String(error) })
    finished = {
      ...description,
      ExportStatus: 'FAILED',
      EndTime: ctx.clock.now() / 1000,
      FailureCode: error instanceof ObjectStoreError ? error.failureCode : 'UnknownError',
      FailureMessage: error instanceof Error ? error.message : String(error),
    }
  }
  try {
    await writeExport(ctx, { ...job, description: finished })
  } catch (error) {
    // The server is shutting down (storage closed): nothing more to record.
    ctx.log.error('export could not be recorded', { exportArn: description.ExportArn, error: String(error) })
  } finally {
    runningExports.delete(description.ExportArn)
  }
}
