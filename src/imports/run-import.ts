/**
 * Running one import: every object under the prefix is streamed, decompressed and read line by
 * line into the new table, in batches of one storage transaction each. As in DynamoDB:
 *  - blank lines are skipped; the first bad line of an object is logged and counted, and the
 *    rest of that object is abandoned;
 *  - items are written without capacity and without change records (so not to the stream), by
 *    the bulk load path: nobody else can write the table while it is CREATING;
 *  - any bad line makes the import FAILED (ItemValidationError) but keeps the table and its good
 *    items; an S3 failure before anything was imported leaves no table behind.
 * The table stays CREATING until the import ends, then becomes ACTIVE; the table's state and the
 * import's final record commit together.
 *
 * Each batch commits with a checkpoint (import-checkpoint.ts): a restart finds the import still
 * IN_PROGRESS (resumeImports) and goes on after the last line stored. A bad line is logged
 * before its checkpoint commits, so a kill in between may log it twice; nothing else repeats.
 */
import type { RegionContext } from '../api/context.js'
import { jobsOf } from '../backups/jobs.js'
import { applyWrite } from '../items/write-item.js'
import { openBucket } from '../s3/buckets.js'
import { ObjectStoreError, type Bucket } from '../s3/object-store.js'
import { decompressed } from '../s3/object-lines.js'
import type { TableSchema } from '../tables/schema.js'
import type { LoadedItem, StoredItem, Transaction } from '../storage/engine.js'
import { isTransientStorageError } from '../storage/errors.js'
import type { Item } from '../values/types.js'
import { keyFromItem } from '../items/keys.js'
import { openErrorLog, type ImportErrorLog } from './error-log.js'
import { deleteCheckpoint, loadCheckpoint, saveCheckpoint, type ImportCheckpoint } from './import-checkpoint.js'
import { WrittenKeys } from './written-keys.js'
import { importsNamespace, listImports, readImport, runningImports, type ImportDescription, type ImportProgress } from './import-record.js'
import type { ParsedLines } from './object-parser.js'
import { ParserThread } from './parser-thread.js'

/**
 * Items per storage transaction, as restores copy them (restore-table.ts): a commit costs about
 * as much as loading a few hundred rows.
 */
const batchItems = 1000

export const itemValidationFailure =
  'Some of the items failed validation checks and were not imported. Please check CloudWatch error logs for more details.'

/** The server is stopping: the import ends here and goes on at the next start. */
class ImportStopped extends Error {}

/**
 * Decompressed chunks (64 KiB, about 150 items of 400 B) handed to the parser thread ahead of
 * the rows being loaded: more than a batch's worth, so the parser keeps busy while one commits.
 */
const chunksInFlight = 8

/** One import as it runs: its counters, where it is in the source, and the batch not yet stored. */
class ImportRun {
  readonly progress: ImportProgress
  /** Where the lines consumed so far end: what a checkpoint saves. */
  position: Pick<ImportCheckpoint, 'objectKey' | 'linesDone' | 'lineItemsDone' | 'objectDone'>
  /** Uncompressed bytes of the objects finished (see ImportCheckpoint.bytesRead). */
  bytesRead: number
  readonly parser = new ParserThread()
  #batch = new Map<string, LoadedItem>()
  /** Which keys a batch must look up; without a checkpoint the import started on an empty table. */
  readonly #written: WrittenKeys

  constructor(
    readonly ctx: RegionContext, readonly description: ImportDescription, readonly table: TableSchema,
    readonly errorLog: ImportErrorLog, from: ImportCheckpoint | undefined,
  ) {
    this.progress = {
      processedItems: from?.processedItems ?? 0, importedItems: from?.importedItems ?? 0, errors: from?.errors ?? 0, bytes: from?.bytesRead ?? 0,
    }
    this.position = {
      objectKey: from?.objectKey ?? '', linesDone: from?.linesDone ?? 0, lineItemsDone: from?.lineItemsDone ?? 0, objectDone: from?.objectDone ?? false,
    }
    this.bytesRead = from?.bytesRead ?? 0
    this.#written = new WrittenKeys(from === undefined)
    runningImports.set(description.ImportArn, this.progress)
  }

  /** Adds a row to the batch; true when the batch is full and due to be stored (flush). */
  add(row: LoadedItem): boolean {
    // The last line for a key wins, as the later write would.
    const id = row.key.toString('latin1')
    this.#batch.delete(id)
    this.#batch.set(id, row)
    return this.#batch.size >= batchItems
  }

  /** Stores the batch with a checkpoint of the lines consumed so far, in one transaction. */
  async flush(): Promise<void> {
    const rows = [...this.#batch.values()]
    this.#batch = new Map()
    const { processedItems, importedItems, errors } = this.progress
    const checkpoint: ImportCheckpoint = { processedItems, importedItems, errors, bytesRead: this.bytesRead, ...this.position }
    // Keys new to the table (nearly all) go in by the bulk load path; a key an earlier batch
    // wrote is overwritten through the write path, which replaces its index rows.
    const maybeStored = rows.filter((row) => this.#written.mayHave(row.key))
    await this.ctx.storage.transact(async (tx) => {
      const found = maybeStored.length === 0 ? [] : await tx.getStoredItems(this.table.tableId, maybeStored.map((row) => row.key))
      const stored = new Map<LoadedItem, StoredItem>()
      for (const [index, row] of found.entries()) if (row !== undefined) stored.set(maybeStored[index]!, row)
      await tx.loadItems(this.table.tableId, stored.size === 0 ? rows : rows.filter((row) => !stored.has(row)))
      for (const [row, current] of stored) {
        const item = JSON.parse(row.json) as Item
        await applyWrite(tx, this.ctx, this.table, keyFromItem(this.table, item), { replaceWith: item }, { current, recordChange: false })
      }
      await saveCheckpoint(tx, this.description.ImportArn, checkpoint)
    })
    for (const row of rows) this.#written.add(row.key)
    if (jobsOf(this.ctx).stopping) throw new ImportStopped()
  }

  /** Takes in what the parser made of a chunk; returns the object's bad line when it has one. */
  async consume(parsed: ParsedLines): Promise<ParsedLines['error']> {
    for (const { line, item, row } of parsed.rows) {
      this.progress.processedItems++
      this.progress.importedItems++
      // A line may hold several items: a batch stored in the middle of one records how many.
      this.position.linesDone = line
      this.position.lineItemsDone = item + 1
      if (this.add(row)) await this.flush()
    }
    if (parsed.error) {
      this.progress.processedItems++
      this.progress.errors++
    } else if (parsed.linesSeen > this.position.linesDone) {
      this.position.linesDone = parsed.linesSeen
      this.position.lineItemsDone = 0
    }
    return parsed.error
  }
}

/**
 * Reads one object into the run, skipping what a restart found stored: its first `linesDone`
 * lines and the first `lineItemsDone` items of the next. Decompressed chunks go to the parser thread, up to chunksInFlight ahead of the rows
 * being stored; its answers are taken in order.
 */
async function importObject(run: ImportRun, bucket: Bucket, key: string, linesDone = 0, lineItemsDone = 0): Promise<void> {
  const { description } = run
  const body = await bucket.get(key)
  const stream = decompressed(body, description.InputCompressionType)
  let streamError: unknown
  const remember = (error: unknown) => { streamError ??= error }
  body.on('error', remember)
  await run.parser.startObject({ format: description.InputFormat, csv: description.InputFormatOptions?.Csv, table: run.table, linesDone, lineItemsDone })
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  run.position = { objectKey: key, linesDone, lineItemsDone, objectDone: false }
  const inFlight: Array<Promise<ParsedLines>> = []
  let linesSeen = linesDone
  let badLine: ParsedLines['error']
  try {
    for (let ended = false; !ended && !badLine;) {
      try {
        const next = await chunks.next()
        ended = next.done === true
        inFlight.push(ended ? run.parser.end() : run.parser.parse(next.value))
      } catch (error) {
        // Bytes that do not decompress (or a body cut short): the chunks before still count.
        remember(error)
        ended = true
      }
      run.progress.bytes = run.bytesRead + stream.bytes
      while (!badLine && inFlight.length > (ended ? 0 : chunksInFlight - 1)) {
        const parsed = await inFlight.shift()!
        linesSeen = Math.max(linesSeen, parsed.linesSeen)
        badLine = await run.consume(parsed)
      }
    }
  } finally {
    stream.destroy()
    body.destroy()
  }
  if (badLine) {
    await run.errorLog.append({ bucket: description.S3BucketSource.S3Bucket, key, itemIndex: badLine.line }, [badLine.message])
  } else if (streamError) {
    // An object that cannot be read to its end ends like a bad line: the line it could not read,
    // the one after the last whole line.
    run.progress.processedItems++
    run.progress.errors++
    await run.errorLog.append({ bucket: description.S3BucketSource.S3Bucket, key, itemIndex: linesSeen }, [
      `Unable to read the object as ${description.InputCompressionType}: ${(streamError as Error).message}`,
    ])
  }
  run.progress.bytes = run.bytesRead + stream.bytes
  run.bytesRead = run.progress.bytes
  run.position = { objectKey: key, linesDone: linesSeen, lineItemsDone: 0, objectDone: true }
  // A counted error is stored at once, so that a restart does not count (or log) it again.
  if (badLine || streamError) await run.flush()
}

/**
 * Every object under the prefix, from where `from` left off, then the last batch stored. Throws
 * ObjectStoreError when S3 fails (that object gone after a restart, or one deleted after the
 * listing), once the items read before are stored: ImportedItemCount has counted them, and an
 * S3 failure keeps the partly imported table, as DynamoDB documents.
 */
async function importObjects(run: ImportRun, bucket: Bucket, from: ImportCheckpoint | undefined): Promise<void> {
  try {
    await importListedObjects(run, bucket, from)
  } catch (error) {
    // Only an S3 failure: after a storage failure the batch the failed flush took is gone.
    if (error instanceof ObjectStoreError) await run.flush()
    throw error
  }
  await run.flush()
}

/**
 * The objects before `from`'s object are skipped, and that object too when it was done. Throws
 * ObjectStoreError when that object is gone.
 */
async function importListedObjects(run: ImportRun, bucket: Bucket, from: ImportCheckpoint | undefined): Promise<void> {
  const source = run.description.S3BucketSource
  // An empty objectKey: the checkpoint was saved before any object was read.
  let skipping = from !== undefined && from.objectKey !== ''
  for await (const object of bucket.list(source.S3KeyPrefix ?? '')) {
    if (object.key.endsWith('/')) continue
    if (skipping) {
      if (object.key !== from!.objectKey) continue
      skipping = false
      if (!from!.objectDone) await importObject(run, bucket, object.key, from!.linesDone, from!.lineItemsDone)
      continue
    }
    await importObject(run, bucket, object.key)
  }
  if (skipping) {
    throw new ObjectStoreError('S3NoSuchKey', `The object ${from!.objectKey} that the import had reached before a restart is no longer in ${bucket.description}`)
  }
}

/** The import's record as it ends: COMPLETED, or FAILED with DynamoDB's code. */
function finishedDescription(run: ImportRun, failure: ObjectStoreError | undefined): ImportDescription {
  const { description, progress, ctx } = run
  const finished: ImportDescription = {
    ...description,
    ImportStatus: failure || progress.errors > 0 ? 'FAILED' : 'COMPLETED',
    EndTime: ctx.clock.now() / 1000,
    ProcessedSizeBytes: progress.bytes,
    ProcessedItemCount: progress.processedItems,
    ImportedItemCount: progress.importedItems,
    ErrorCount: progress.errors,
  }
  if (failure) {
    finished.FailureCode = failure.failureCode
    finished.FailureMessage = failure.message
  } else if (progress.errors > 0) {
    finished.FailureCode = 'ItemValidationError'
    finished.FailureMessage = itemValidationFailure
    ctx.log.info('import finished with item errors', { importArn: description.ImportArn, errorLog: run.errorLog.location })
  }
  return finished
}

/** Stores the import's final record, and drops its checkpoint, in the caller's transaction. */
async function endImport(tx: Transaction, finished: ImportDescription): Promise<void> {
  await tx.putState(importsNamespace, finished.ImportArn, JSON.stringify(finished))
  await deleteCheckpoint(tx, finished.ImportArn)
}

/**
 * Runs the import to its end, from its checkpoint when a restart interrupted it. A failure is
 * recorded as the import's status, except a storage error, which it throws for the job to run it
 * again. When the server stops meanwhile, it stays IN_PROGRESS and goes on at the next start.
 */
export async function runImport(ctx: RegionContext, description: ImportDescription): Promise<void> {
  const tableName = description.TableCreationParameters.TableName
  try {
    const table = ctx.catalog.get(tableName)
    if (table?.tableId !== description.TableId) return await failOrphan(ctx, description)
    const from = await ctx.storage.read((view) => loadCheckpoint(view, description.ImportArn))
    const run = new ImportRun(ctx, description, table, openErrorLog(ctx.config, description), from)
    const source = description.S3BucketSource
    let failure: ObjectStoreError | undefined
    try {
      const bucket = openBucket(ctx.config, source.S3Bucket, source.S3BucketOwner)
      await bucket.checkExists()
      await importObjects(run, bucket, from)
    } catch (error) {
      if (error instanceof ImportStopped) return
      if (isTransientStorageError(error)) throw error
      failure = error instanceof ObjectStoreError ? error : new ObjectStoreError('UnknownError', (error as Error).message)
      if (!(error instanceof ObjectStoreError)) ctx.log.error('import failed', { importArn: description.ImportArn, error: String(error) })
    } finally {
      await run.parser.close()
    }
    const finished = finishedDescription(run, failure)
    // An S3 failure once items are in keeps the partly imported table, as DynamoDB documents.
    if (!failure || run.progress.importedItems > 0) {
      await ctx.catalog.update(tableName, (draft) => { draft.settlesAtMs = ctx.clock.now() }, (tx) => endImport(tx, finished))
    } else {
      await ctx.catalog.remove(tableName, (tx) => endImport(tx, finished))
    }
  } catch (error) {
    // A storage error: the job runs the import again, from its checkpoint (startImport).
    if (isTransientStorageError(error) && !jobsOf(ctx).stopping) throw error
    // The server is shutting down (storage closed): nothing more to record.
    ctx.log.error('import could not finish', { importArn: description.ImportArn, error: String(error) })
  } finally {
    runningImports.delete(description.ImportArn)
  }
}

/** An import whose table is gone (deleted while the server was down) cannot go on: FAILED. */
async function failOrphan(ctx: RegionContext, description: ImportDescription): Promise<void> {
  const failed: ImportDescription = {
    ...description,
    ImportStatus: 'FAILED',
    EndTime: ctx.clock.now() / 1000,
    FailureCode: 'UnknownError',
    FailureMessage: `The import was interrupted by a restart and its table ${description.TableCreationParameters.TableName} no longer exists`,
  }
  await ctx.storage.transact((tx) => endImport(tx, failed))
}

const jobId = (description: ImportDescription): string => `import/${description.ImportArn}`

/**
 * Starts an import as one of the region's background jobs (stopped between batches on shutdown).
 * A run that storage stopped goes on as after a restart, from the import as saved, while it is
 * IN_PROGRESS.
 */
export function startImport(ctx: RegionContext, description: ImportDescription): void {
  void jobsOf(ctx).run(ctx, jobId(description), async (again) => {
    const saved = again ? await readImport(ctx, description.ImportArn) : description
    if (saved?.ImportStatus === 'IN_PROGRESS') await runImport(ctx, saved)
  })
}

/** At startup: takes up every import a stop or a crash interrupted. */
export async function resumeImports(ctx: RegionContext): Promise<void> {
  for (const description of await listImports(ctx)) {
    if (description.ImportStatus === 'IN_PROGRESS') startImport(ctx, description)
  }
}
