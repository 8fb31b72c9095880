/**
 * ExportTableToPointInTime: checks the table, its PITR window and the times (spec §5.2), records
 * the export IN_PROGRESS and runs it in the background (src/exports/run-export.ts). A missing
 * bucket is not an error here: the export fails later with S3NoSuchBucket, as on DynamoDB.
 */
import { randomUUID } from 'node:crypto'
import type { OperationHandler } from '../api/context.js'
import {
  ExportConflictException, InvalidExportTimeException, LimitExceededException, PointInTimeRecoveryUnavailableException,
  TableNotFoundException, ValidationException,
} from '../errors.js'
import { listExports, runningExports, writeExportUnlessReplayed, type ExportDescription, type ExportJob } from '../exports/export-record.js'
import { startExport } from '../exports/run-export.js'
import { instantInWindowMs, pitrWindow, type RecoveryWindow } from '../history/pitr.js'
import { newJobId } from '../job-ids.js'
import { isoTime, jobTableArnPattern } from '../s3/jobs.js'
import type { ExportTableToPointInTimeInput } from '../shapes/exports.js'
import { exportFilterOf } from '../exports/export-filter.js'
import { schemaOf } from '../tables/record.js'
import { canonicalJson } from '../values/canonical-json.js'

/** DynamoDB's quota of concurrent exports per account. */
export const concurrentExportsMax = 300
/** How long a ClientToken identifies its export (DynamoDB: 8 hours). */
const clientTokenWindowMs = 8 * 3600_000
const incrementalPeriodMinMs = 15 * 60_000
const incrementalPeriodMaxMs = 24 * 3600_000


function constraint(value: string, member: string, rule: string): ValidationException {
  return new ValidationException(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must ${rule}`)
}

/** The parameters a ClientToken replay must repeat, as canonical JSON. */
function requestFingerprint(input: ExportTableToPointInTimeInput): string {
  const { ClientToken: _token, ...parameters } = input
  return JSON.stringify(parameters, Object.keys(parameters).sort())
    + JSON.stringify(input.IncrementalExportSpecification ?? null)
    + (input.FilterSpecification ? canonicalJson(input.FilterSpecification, 40) ?? '' : '')
}

/** The request with its export times read as the window reads them (instantInWindowMs). */
function withTimesInWindow(input: ExportTableToPointInTimeInput, window: RecoveryWindow): ExportTableToPointInTimeInput {
  const spec = input.IncrementalExportSpecification
  return {
    ...input,
    ...(input.ExportTime !== undefined && { ExportTime: instantInWindowMs(input.ExportTime, window) / 1000 }),
    ...(spec?.ExportFromTime !== undefined && {
      IncrementalExportSpecification: { ...spec, ExportFromTime: instantInWindowMs(spec.ExportFromTime, window) / 1000 },
    }),
  }
}

function checkTimes(input: ExportTableToPointInTimeInput, window: RecoveryWindow, nowMs: number): void {
  const range = `${isoTime(window.earliestMs)} to ${isoTime(window.latestMs)}`
  if (input.ExportType !== 'INCREMENTAL_EXPORT') {
    if (input.IncrementalExportSpecification) {
      throw new ValidationException('IncrementalExportSpecification can only be specified when ExportType is INCREMENTAL_EXPORT')
    }
    const exportMs = input.ExportTime === undefined ? nowMs : instantInWindowMs(input.ExportTime, window)
    if (exportMs < window.earliestMs || exportMs > window.latestMs) {
      throw new InvalidExportTimeException(`ExportTime must be between EarliestRestorableDateTime and LatestRestorableDateTime: ${range}`)
    }
    return
  }
  const spec = input.IncrementalExportSpecification
  if (spec?.ExportFromTime === undefined) {
    throw new ValidationException('Invalid Request: ExportFromTime must be provided in IncrementalExportSpecification')
  }
  const fromMs = spec.ExportFromTime * 1000
  const toMs = (spec.ExportToTime ?? nowMs / 1000) * 1000
  if (fromMs >= toMs) {
    throw new InvalidExportTimeException('Incremental export period from time should not be greater or equal to incremental export period to time')
  }
  if (toMs - fromMs < incrementalPeriodMinMs) {
    throw new InvalidExportTimeException('Difference between export period from time and export period to time should be at least 15 minutes')
  }
  if (toMs - fromMs > incrementalPeriodMaxMs) {
    throw new InvalidExportTimeException('Difference between export period from time and export period to time should not exceed 24 hours')
  }
  // The period's rules above measure the times as sent; the window reads a start truncated to the
  // earliest time's second as the window's start (instantInWindowMs).
  if (instantInWindowMs(spec.ExportFromTime, window) < window.earliestMs || toMs > window.latestMs) {
    throw new InvalidExportTimeException(`Incremental export period is outside the PITR window: ${range}`)
  }
}

export const exportTableToPointInTime: OperationHandler<ExportTableToPointInTimeInput> = async (ctx, input) => {
  if (input.S3Prefix === '') throw constraint('', 's3Prefix', 'have length greater than or equal to 1')
  // The API-quirks lab's catalogue of DynamoDB's messages (2026-10).
  if (!jobTableArnPattern.test(input.TableArn)) throw new ValidationException('Invalid Request: Table ARN is invalid.')
  if (input.S3SseAlgorithm === 'AES256' && input.S3SseKmsKeyId !== undefined) {
    throw new ValidationException('Invalid Request: KMS Key Id is not supported for this encryption type')
  }
  const record = ctx.catalog.recordByArn(input.TableArn)
  // The message names the ARN as given (moto's test_export_from_missing_table, verified against AWS).
  if (!record) throw new TableNotFoundException(`Table not found: ${input.TableArn}`)
  if (input.FilterSpecification) exportFilterOf(input.FilterSpecification, schemaOf(record))
  const table = record.description
  const nowMs = ctx.clock.now()
  const fingerprint = requestFingerprint(input)
  // The export this request's ClientToken replays; the same parameters, or ExportConflictException.
  const replayOf = (jobs: ExportJob[]): ExportJob | undefined => {
    if (input.ClientToken === undefined) return undefined
    const earlier = jobs.find((job) =>
      job.description.ClientToken === input.ClientToken && nowMs - job.description.StartTime * 1000 < clientTokenWindowMs)
    if (earlier && earlier.request !== fingerprint) throw new ExportConflictException('Duplicate request detected with conflicting parameters')
    return earlier
  }
  const replayed = replayOf(await listExports(ctx))
  if (replayed) return { ExportDescription: replayed.description }
  const window = await pitrWindow(ctx, table.TableId)
  if (!window) throw new PointInTimeRecoveryUnavailableException(`Point in time recovery is not enabled for table '${table.TableName}'`)
  checkTimes(input, window, nowMs)
  const timed = withTimesInWindow(input, window)
  if (runningExports.size >= concurrentExportsMax) {
    throw new LimitExceededException(`Subscriber limit exceeded: There is a limit of ${concurrentExportsMax} concurrent exports`)
  }
  const incremental = input.ExportType === 'INCREMENTAL_EXPORT'
  const spec = timed.IncrementalExportSpecification
  // An incremental export starts on a whole second, in its id too (the spec's AWS observations, section 1).
  const startMs = incremental ? Math.floor(nowMs / 1000) * 1000 : nowMs
  const description: ExportDescription = {
    ExportArn: `${table.TableArn}/export/${newJobId(startMs)}`,
    ExportStatus: 'IN_PROGRESS',
    StartTime: startMs / 1000,
    TableArn: table.TableArn,
    TableId: table.TableId,
    ExportTime: incremental ? spec!.ExportToTime ?? nowMs / 1000 : timed.ExportTime ?? nowMs / 1000,
    ClientToken: input.ClientToken ?? randomUUID(),
    S3Bucket: input.S3Bucket,
    ExportFormat: input.ExportFormat ?? 'DYNAMODB_JSON',
  }
  if (input.S3BucketOwner !== undefined) description.S3BucketOwner = input.S3BucketOwner
  if (input.S3Prefix !== undefined) description.S3Prefix = input.S3Prefix
  // AWS answers with the encryption S3 uses when none is asked for (a real CLI session, 2026-08).
  description.S3SseAlgorithm = input.S3SseAlgorithm ?? 'AES256'
  if (input.S3SseKmsKeyId !== undefined) description.S3SseKmsKeyId = input.S3SseKmsKeyId
  if (input.ExportType !== undefined) description.ExportType = input.ExportType
  if (input.FilterSpecification !== undefined) description.FilterSpecification = input.FilterSpecification
  if (incremental) {
    description.IncrementalExportSpecification = {
      ExportFromTime: spec!.ExportFromTime,
      ExportToTime: description.ExportTime,
      ExportViewType: spec!.ExportViewType ?? 'NEW_AND_OLD_IMAGES',
    }
  }
  const job: ExportJob = { description, request: fingerprint }
  // Without ExportTime: every write acknowledged before the request, through the log's last
  // sequence now, rather than the changes its time finds there (a clock stepped back).
  if (!incremental && input.ExportTime === undefined) {
    job.asOfSequence = await ctx.storage.read((view) => view.lastChangeSequence(table.TableId))
  }
  // Looked up again where the export is stored: a request with the same token may have stored its
  // own since (two exports for one token, one of them out of the token's reach).
  const stored = await writeExportUnlessReplayed(ctx, job, replayOf)
  if (stored !== job) return { ExportDescription: stored.description }
  startExport(ctx, job)
  return { ExportDescription: description }
}
