/**
 * Running one bulk put items operation (StartBulkPutItems): every object under the input prefix is
 * streamed, decompressed and read line by line, and each record is put into the existing table
 * through PutItem itself (its validation, its condition, its write path: indexes, the table's
 * stream and the other change-log readers see every item, as after any PutItem).
 *
 * A DYNAMODB_JSON line is one record, `{"Item": {...}}` as S3 exports and imports write items,
 * optionally with PutItem's `ConditionExpression`, `ExpressionAttributeNames` and
 * `ExpressionAttributeValues` beside the Item; an ION line is one item struct, as imports read.
 * A record that cannot be read or put (malformed, a key missing, an item too large) counts in
 * FailedItemCount and makes the operation COMPLETED_WITH_ERRORS; a false condition skips the item
 * and counts only as processed, as DynamoDB documents. An object that cannot be decompressed or
 * read to its end counts as one failed record. When the operation ends, the records asked for by
 * OutputType go to the output location as JSON lines (`<prefix>/<operation id>/errors.json` and
 * `condition-check-failures.json`, with a `manifest.json`): DynamoDB names its report's files
 * differently (its layout was not recorded).
 *
 * Items are written one after another, so a later record for a key replaces an earlier one. A
 * cancellation stops between records; what was written stays. An operation a restart interrupts
 * ends FAILED (failInterruptedBulkOperations): it is not taken up again, since putting its records
 * again could make their conditions answer otherwise.
 */
import { runOperation, type RegionContext } from '../api/context.js'
import { operationNamed } from '../api/operation.js'
import { dynamoDbOperations } from '../api/operations.js'
import { jobsOf } from '../backups/jobs.js'
import { ConditionalCheckFailedException, DynamoError } from '../errors.js'
import { nextRequestId } from '../http/request-id.js'
import { openBucket } from '../s3/buckets.js'
import { ItemFormatError, itemFromIonLine } from '../s3/ion-items.js'
import { decompressed, LineSplitter, pendingLineBytesMax } from '../s3/object-lines.js'
import { ObjectStoreError, type Bucket } from '../s3/object-store.js'
import { jobIdOf } from '../s3/jobs.js'
import { itemTooLargeMessage } from '../validate/attribute-checks.js'
import { itemSizeBytes } from '../values/size.js'
import type { Item } from '../values/types.js'
import {
  bulkJobId, bulkUsage, readBulkOperation, runningBulkOperations, writeBulkOperation,
  type BulkOperationDescription, type BulkProgress,
} from './bulk-operation-record.js'

/** How many records go by between two looks at the stored status (a cancellation by another node). */
const recordsBetweenStatusChecks = 1000
/**
 * The report keeps at most this much of each kind of record (its JSON lines), held in memory until
 * the operation ends: an input that fails throughout, or with huge lines, must not exhaust the
 * server. The counts stay exact; the manifest says when a file was cut short.
 */
export const reportBytesMax = 64 * 1024 * 1024

/** One kind of record of the report: its JSON lines, as many as fit in `bytesMax`. */
export class ReportFile {
  readonly lines: string[] = []
  bytes = 0
  truncated = false

  constructor(readonly bytesMax = reportBytesMax) {}

  keep(record: ReportedRecord): void {
    if (this.truncated) return
    const line = `${JSON.stringify(record)}\n`
    if (this.bytes + line.length > this.bytesMax) {
      this.truncated = true
      return
    }
    this.lines.push(line)
    this.bytes += line.length
  }
}

/** The server is stopping: the operation ends here, and FAILED at the next start. */
class BulkStopped extends Error {}

/** One record of the input. */
interface BulkRecord {
  Item: unknown
  ConditionExpression?: unknown
  ExpressionAttributeNames?: unknown
  ExpressionAttributeValues?: unknown
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The record of one non-blank line; ItemFormatError when it is not one. */
export function recordOfLine(line: string, format: 'DYNAMODB_JSON' | 'ION'): BulkRecord {
  if (format === 'ION') return { Item: itemFromIonLine(line) }
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch (error) {
    throw new ItemFormatError(`Invalid JSON: ${(error as Error).message}`)
  }
  if (!isObject(parsed) || !isObject(parsed.Item)) throw new ItemFormatError('Missing the Item field')
  const { Item, ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues } = parsed
  return { Item, ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues }
}

/** What the output report holds of one record. */
export interface ReportedRecord {
  objectKey: string
  lineNumber: number
  Item?: unknown
  ExistingItem?: Item
  errorCode?: string
  errorMessage?: string
}

class BulkRun {
  readonly progress: BulkProgress
  readonly errors = new ReportFile()
  readonly conditionFailures = new ReportFile()
  readonly #putItem = operationNamed(dynamoDbOperations, 'PutItem')!
  /** The first record looks: a cancellation may have come before the run started. */
  #sinceStatusCheck = recordsBetweenStatusChecks - 1

  constructor(readonly ctx: RegionContext, readonly description: BulkOperationDescription) {
    this.progress = { processedItems: 0, failedItems: 0, bytes: 0, putBytes: 0, cancelled: false }
    runningBulkOperations.set(description.BulkOperationArn, this.progress)
  }

  get tableName(): string {
    return this.description.TableDetails[0]!.TableName
  }

  /** Puts one line's record; a failure is counted and kept for the report, never thrown. */
  async put(objectKey: string, lineNumber: number, line: string): Promise<void> {
    this.progress.processedItems++
    let record: BulkRecord | undefined
    try {
      record = recordOfLine(line, this.description.InputS3Configuration.InputFormat)
      const accepted = this.#putItem.accept({
        TableName: this.tableName, ...withoutUndefined(record), ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      })
      await runOperation(this.ctx, nextRequestId(), accepted)
      this.progress.putBytes += itemSizeBytes(record.Item as Item)
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        this.conditionFailures.keep({ objectKey, lineNumber, Item: record?.Item, ...(error.item ? { ExistingItem: error.item } : {}) })
        return
      }
      if (!(error instanceof DynamoError || error instanceof ItemFormatError)) throw error
      this.fail({ objectKey, lineNumber, Item: record?.Item, errorCode: errorCodeOf(error), errorMessage: error.message })
    }
  }

  fail(record: ReportedRecord): void {
    this.progress.failedItems++
    this.errors.keep(record)
  }

  /**
   * Whether a cancellation was asked for, here or (looked up now and then) on another node.
   * Throws BulkStopped when the server is stopping.
   */
  async cancelled(): Promise<boolean> {
    if (jobsOf(this.ctx).stopping) throw new BulkStopped()
    if (this.progress.cancelled) return true
    if (++this.#sinceStatusCheck < recordsBetweenStatusChecks) return false
    this.#sinceStatusCheck = 0
    const stored = await readBulkOperation(this.ctx, this.description.BulkOperationArn)
    this.progress.cancelled = stored?.BulkOperationStatus === 'CANCELLING'
    return this.progress.cancelled
  }
}

function withoutUndefined(record: BulkRecord): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined))
}

function errorCodeOf(error: DynamoError | ItemFormatError): string {
  return error instanceof DynamoError ? error.type : 'ValidationException'
}

/** Puts every record of one object; false when a cancellation stopped it. */
async function putObject(run: BulkRun, bucket: Bucket, key: string): Promise<boolean> {
  const body = await bucket.get(key)
  const stream = decompressed(body, run.description.InputS3Configuration.InputCompressionType ?? 'NONE')
  const splitter = new LineSplitter()
  const bytesBefore = run.progress.bytes
  let lineNumber = 0
  const putLines = async (lines: string[]): Promise<boolean> => {
    for (const line of lines) {
      lineNumber++
      if (line.trim() === '') continue
      if (await run.cancelled()) return false
      await run.put(key, lineNumber, line)
    }
    return true
  }
  try {
    for await (const chunk of stream) {
      run.progress.bytes = bytesBefore + stream.bytes
      if (!await putLines(splitter.push(chunk))) return false
      if (splitter.pendingBytes > pendingLineBytesMax) {
        // A line this long can only be an item over 400 KB: it fails now, and its object ends
        // here rather than be read to the line's end.
        run.progress.processedItems++
        run.fail({ objectKey: key, lineNumber: lineNumber + 1, errorCode: 'ValidationException', errorMessage: itemTooLargeMessage })
        return true
      }
    }
    return await putLines(splitter.end())
  } catch (error) {
    if (error instanceof ObjectStoreError || error instanceof BulkStopped) throw error
    // Bytes that do not decompress, or a body cut short: the records before still count.
    run.progress.processedItems++
    run.fail({ objectKey: key, lineNumber, errorCode: 'ValidationException', errorMessage: `Unable to read the object: ${(error as Error).message}` })
    return true
  } finally {
    run.progress.bytes = bytesBefore + stream.bytes
    stream.destroy()
    body.destroy()
  }
}

/** The report's objects, as JSON lines, under `<prefix>/<operation id>/`. */
async function writeReport(run: BulkRun): Promise<void> {
  const output = run.description.OutputS3Configuration
  if (output.S3Bucket === undefined) return
  const bucket = openBucket(run.ctx.config, output.S3Bucket, output.S3BucketOwner)
  const prefix = `${output.S3KeyPrefix ? `${output.S3KeyPrefix.replace(/\/+$/, '')}/` : ''}${jobIdOf(run.description.BulkOperationArn)}/`
  const files: Array<{ outputType: string; key: string; recordCount: number; truncated: boolean }> = []
  const write = async (outputType: string, name: string, report: ReportFile) => {
    await bucket.put(`${prefix}${name}`, report.lines.join(''))
    files.push({ outputType, key: `${prefix}${name}`, recordCount: report.lines.length, truncated: report.truncated })
  }
  if (output.OutputType.includes('ERROR')) await write('ERROR', 'errors.json', run.errors)
  if (output.OutputType.includes('CONDITION_CHECK_FAILURE')) await write('CONDITION_CHECK_FAILURE', 'condition-check-failures.json', run.conditionFailures)
  await bucket.put(`${prefix}manifest.json`, JSON.stringify({ bulkOperationArn: run.description.BulkOperationArn, files }))
}

/** Runs the operation to its end and stores how it ended; never throws. */
export async function runBulkPut(ctx: RegionContext, description: BulkOperationDescription): Promise<void> {
  const run = new BulkRun(ctx, description)
  let failure: ObjectStoreError | undefined
  let cancelled = false
  try {
    const input = description.InputS3Configuration
    const bucket = openBucket(ctx.config, input.S3Bucket, input.S3BucketOwner)
    await bucket.checkExists()
    const objects = []
    for await (const object of bucket.list(input.S3KeyPrefix ?? '')) if (!object.key.endsWith('/')) objects.push(object)
    run.progress.totalBytes = objects.reduce((sum, object) => sum + object.sizeBytes, 0)
    for (const object of objects) {
      if (!await putObject(run, bucket, object.key)) {
        cancelled = true
        break
      }
    }
    await writeReport(run)
  } catch (error) {
    if (error instanceof BulkStopped) {
      runningBulkOperations.delete(description.BulkOperationArn)
      return
    }
    failure = error instanceof ObjectStoreError ? error : new ObjectStoreError('UnknownError', (error as Error).message)
    if (!(error instanceof ObjectStoreError)) ctx.log.error('bulk put items failed', { bulkOperationArn: description.BulkOperationArn, error: String(error) })
  }
  const { progress } = run
  const finished: BulkOperationDescription = {
    ...description,
    BulkOperationStatus: failure ? 'FAILED' : cancelled ? 'CANCELLED' : progress.failedItems > 0 ? 'COMPLETED_WITH_ERRORS' : 'COMPLETED',
    EndTime: ctx.clock.now() / 1000,
    ProcessedItemCount: progress.processedItems,
    FailedItemCount: progress.failedItems,
    ProcessedInputBytes: progress.bytes,
    BulkOperationUsage: bulkUsage(run.tableName, progress.putBytes),
  }
  if (progress.totalBytes !== undefined) finished.TotalInputBytes = progress.totalBytes
  if (failure) {
    finished.FailureCode = failure.failureCode
    finished.FailureMessage = failure.message
  }
  try {
    await writeBulkOperation(ctx, finished)
  } catch (error) {
    ctx.log.error('bulk put items could not record its end', { bulkOperationArn: description.BulkOperationArn, error: String(error) })
  } finally {
    // Only now: until the end is stored, DescribeBulkOperation shows the live counters.
    runningBulkOperations.delete(description.BulkOperationArn)
  }
}

/** Starts an operation as one of the region's background jobs. */
export function startBulkPut(ctx: RegionContext, description: BulkOperationDescription): void {
  void jobsOf(ctx).run(ctx, bulkJobId(description), () => runBulkPut(ctx, description))
}
