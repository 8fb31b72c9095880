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
import { loadedNewItem } from '../items/loaded-items.js'
import { applyWrite } from '../items/write-item.js'
import { openBucket } from '../s3/buckets.js'
import { ObjectStoreError, type Bucket } from '../s3/object-store.js'
import { ByteCounter, decompressed, LineSplitter } from '../s3/object-lines.js'
import type { TableSchema } from '../tables/schema.js'
import type { Transaction } from '../storage/engine.js'
import type { Item, ScalarKeyType } from '../values/types.js'
import type { PrimaryKey } from '../items/keys.js'
import { csvFields, csvItem } from './csv.js'
import { openErrorLog, type ImportErrorLog } from './error-log.js'
import { deleteCheckpoint, loadCheckpoint, saveCheckpoint, type ImportCheckpoint } from './import-checkpoint.js'
import { WrittenKeys } from './written-keys.js'
import { importsNamespace, listImports, runningImports, type ImportDescription, type ImportProgress } from './import-record.js'
import { checkedItem, itemFromIonLine, itemFromJsonLine, lineErrorMessage } from './item-lines.js'

/**
 * Items per storage transaction, as restores copy them (restore-table.ts): a commit costs about
 * as much as loading a few hundred rows.
 */
const batchItems = 1000

export const itemValidationFailure =
  'Some of the items failed validation checks and were not imported. Please check CloudWatch error logs for more details.'

/** The server is stopping: the import ends here and goes on at the next start. */
class ImportStopped extends Error {}

/** Turns one line into an item; CSV keeps its header between lines. */
interface LineReader {
  read(line: string): unknown | undefined
  /** Whether the next non-blank line is a header (CSV without HeaderList, before its first line). */
  wantsHeader(): boolean
}

function lineReaderFor(description: ImportDescription, table: TableSchema): LineReader {
  const noHeader = () => false
  if (description.InputFormat === 'DYNAMODB_JSON') return { read: itemFromJsonLine, wantsHeader: noHeader }
  if (description.InputFormat === 'ION') return { read: itemFromIonLine, wantsHeader: noHeader }
  const options = description.InputFormatOptions?.Csv ?? {}
  const delimiter = options.Delimiter ?? ','
  const keyTypes: Record<string, ScalarKeyType> = table.attributeTypes
  // Without a HeaderList, each object's first line is its header.
  let header = options.HeaderList
  return {
    read(line) {
      const fields = csvFields(line, delimiter)
      if (!header) {
        header = fields
        return undefined
      }
      return csvItem(fields, header, keyTypes)
    },
    wantsHeader: () => header === undefined,
  }
}

/** One import as it runs: its counters, where it is in the source, and the batch not yet stored. */
class ImportRun {
  readonly progress: ImportProgress
  /** Where the lines consumed so far end: what a checkpoint saves. */
  position: Pick<ImportCheckpoint, 'objectKey' | 'linesDone' | 'objectDone'>
  /** Uncompressed bytes of the objects finished (see ImportCheckpoint.bytesRead). */
  bytesRead: number
  #batch = new Map<string, { key: PrimaryKey; item: Item }>()
  /** Which keys a batch must look up; without a checkpoint the import started on an empty table. */
  readonly #written: WrittenKeys

  constructor(
    readonly ctx: RegionContext, readonly description: ImportDescription, readonly table: TableSchema,
    readonly errorLog: ImportErrorLog, from: ImportCheckpoint | undefined,
  ) {
    this.progress = {
      processedItems: from?.processedItems ?? 0, importedItems: from?.importedItems ?? 0, errors: from?.errors ?? 0, bytes: from?.bytesRead ?? 0,
    }
    this.position = { objectKey: from?.objectKey ?? '', linesDone: from?.linesDone ?? 0, objectDone: from?.objectDone ?? false }
    this.bytesRead = from?.bytesRead ?? 0
    this.#written = new WrittenKeys(from === undefined)
    runningImports.set(description.ImportArn, this.progress)
  }

  /** Adds an item to the batch; true when the batch is full and due to be stored (flush). */
  add(key: PrimaryKey, item: Item): boolean {
    // The last line for a key wins, as the later write would.
    const id = key.encoded.toString('latin1')
    this.#batch.delete(id)
    this.#batch.set(id, { key, item })
    return this.#batch.size >= batchItems
  }

  /** Stores the batch with a checkpoint of the lines consumed so far, in one transaction. */
  async flush(): Promise<void> {
    const writes = [...this.#batch.values()]
    this.#batch = new Map()
    const { processedItems, importedItems, errors } = this.progress
    const checkpoint: ImportCheckpoint = { processedItems, importedItems, errors, bytesRead: this.bytesRead, ...this.position }
    // Keys new to the table (nearly all) go in by the bulk load path; a key an earlier batch
    // wrote is overwritten through the write path, which replaces its index rows.
    const loaded = writes.map(({ key, item }) => loadedNewItem(this.table, key.encoded, item))
    const maybeStored = writes.filter(({ key }) => this.#written.mayHave(key.encoded))
    await this.ctx.storage.transact(async (tx) => {
      const found = maybeStored.length === 0 ? [] : await tx.getItems(this.table.tableId, maybeStored.map(({ key }) => key.encoded))
      const stored = new Map<PrimaryKey, string>()
      for (const [index, json] of found.entries()) if (json !== undefined) stored.set(maybeStored[index]!.key, json)
      await tx.loadItems(this.table.tableId, stored.size === 0 ? loaded : loaded.filter((_, index) => !stored.has(writes[index]!.key)))
      for (const { key, item } of writes) {
        const currentJson = stored.get(key)
        if (currentJson !== undefined) await applyWrite(tx, this.ctx, this.table, key, () => item, { currentJson, recordChange: false })
      }
      await saveCheckpoint(tx, this.description.ImportArn, checkpoint)
    })
    for (const { key } of writes) this.#written.add(key.encoded)
    if (jobsOf(this.ctx).stopping) throw new ImportStopped()
  }
}

/**
 * Handles one line, synchronously (no async step per line): its item goes into the batch, or
 * its error message comes back (the line is counted; the caller logs it and abandons the object).
 */
function importLine(run: ImportRun, reader: LineReader, index: number, line: string): { full: boolean } | { error: string } {
  if (line.trim() === '') return { full: false }
  let checked: ReturnType<typeof checkedItem>
  try {
    const raw = reader.read(line)
    if (raw === undefined) return { full: false }
    checked = checkedItem(run.table, raw)
  } catch (error) {
    const message = lineErrorMessage(error)
    if (message === undefined) throw error
    run.progress.processedItems++
    run.progress.errors++
    return { error: message }
  }
  run.progress.processedItems++
  run.progress.importedItems++
  run.position.linesDone = index + 1
  return { full: run.add(checked.key, checked.item) }
}

/**
 * Reads one object into the run, skipping its first `linesDone` lines (stored before a
 * restart). Lines come a decompressed chunk at a time, handled in one loop: no async step per
 * line unless a batch is due.
 */
async function importObject(run: ImportRun, bucket: Bucket, key: string, linesDone: number): Promise<void> {
  const { description } = run
  const body = await bucket.get(key)
  const counter = new ByteCounter()
  const stream = decompressed(body, description.InputCompressionType).pipe(counter)
  let streamError: unknown
  const remember = (error: unknown) => { streamError ??= error }
  body.on('error', remember)
  const reader = lineReaderFor(description, run.table)
  const splitter = new LineSplitter()
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  run.position = { objectKey: key, linesDone, objectDone: false }
  let index = -1
  let abandoned = false
  try {
    for (let ended = false; !ended && !abandoned;) {
      let lines: string[]
      try {
        const next = await chunks.next()
        ended = next.done === true
        lines = ended ? splitter.end() : splitter.push(next.value)
      } catch (error) {
        remember(error)
        break
      }
      run.progress.bytes = run.bytesRead + counter.bytes
      for (const line of lines) {
        index++
        if (index < linesDone) {
          // Stored before the restart; a CSV object's header is still read.
          if (reader.wantsHeader() && line.trim() !== '') reader.read(line)
          continue
        }
        const handled = importLine(run, reader, index, line)
        if ('error' in handled) {
          await run.errorLog.append({ bucket: description.S3BucketSource.S3Bucket, key, itemIndex: index }, [handled.error])
          abandoned = true
          break
        }
        run.position.linesDone = index + 1
        if (handled.full) await run.flush()
      }
    }
  } finally {
    stream.destroy()
    body.destroy()
  }
  if (streamError && !abandoned) {
    // Bytes that do not decompress (or a body cut short) end the object like a bad line.
    run.progress.processedItems++
    run.progress.errors++
    await run.errorLog.append({ bucket: description.S3BucketSource.S3Bucket, key, itemIndex: Math.max(index, 0) }, [
      `Unable to read the object as ${description.InputCompressionType}: ${(streamError as Error).message}`,
    ])
  }
  run.progress.bytes = run.bytesRead + counter.bytes
  run.bytesRead = run.progress.bytes
  run.position = { objectKey: key, linesDone: Math.max(index + 1, linesDone), objectDone: true }
  // A counted error is stored at once, so that a restart does not count (or log) it again.
  if (abandoned || streamError) await run.flush()
}

/**
 * Every object under the prefix, from where `from` left off: the objects before its object are
 * skipped, and that object too when it was done. Throws ObjectStoreError when that object is gone.
 */
async function importObjects(run: ImportRun, bucket: Bucket, from: ImportCheckpoint | undefined): Promise<void> {
  const source = run.description.S3BucketSource
  // An empty objectKey: the checkpoint was saved before any object was read.
  let skipping = from !== undefined && from.objectKey !== ''
  for await (const object of bucket.list(source.S3KeyPrefix ?? '')) {
    if (object.key.endsWith('/')) continue
    if (skipping) {
      if (object.key !== from!.objectKey) continue
      skipping = false
      if (!from!.objectDone) await importObject(run, bucket, object.key, from!.linesDone)
      continue
    }
    await importObject(run, bucket, object.key, 0)
  }
  if (skipping) {
    throw new ObjectStoreError('S3NoSuchKey', `The object ${from!.objectKey} that the import had reached before a restart is no longer in ${bucket.description}`)
  }
  await run.flush()
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
 * Runs the import to its end, from its checkpoint when a restart interrupted it; never throws (a
 * failure is recorded as the import's status). When the server stops meanwhile, it stays
 * IN_PROGRESS and goes on at the next start.
 */
export async function runImport(ctx: RegionContext, description: ImportDescription): Promise<void> {
  const tableName = description.TableCreationParameters.TableName
  try {
    const table = ctx.catalog.get(tableName)
    if (table?.tableId !== description.TableId) return await failOrphan(ctx, description)
    const from = await ctx.storage.read((view) => loadCheckpoint(view, description.ImportArn))
    const run = new ImportRun(ctx, description, table, openErrorLog(ctx.config, description.ImportArn), from)
    const source = description.S3BucketSource
    let failure: ObjectStoreError | undefined
    try {
      const bucket = openBucket(ctx.config, source.S3Bucket, source.S3BucketOwner)
      await bucket.checkExists()
      await importObjects(run, bucket, from)
    } catch (error) {
      if (error instanceof ImportStopped) return
      failure = error instanceof ObjectStoreError ? error : new ObjectStoreError('UnknownError', (error as Error).message)
      if (!(error instanceof ObjectStoreError)) ctx.log.error('import failed', { importArn: description.ImportArn, error: String(error) })
    }
    const finished = finishedDescription(run, failure)
    // An S3 failure once items are in keeps the partly imported table, as DynamoDB documents.
    if (!failure || run.progress.importedItems > 0) {
      await ctx.catalog.update(tableName, (draft) => { draft.settlesAtMs = ctx.clock.now() }, (tx) => endImport(tx, finished))
    } else {
      await ctx.catalog.remove(tableName, (tx) => endImport(tx, finished))
    }
  } catch (error) {
    // The server is shutting down (storage closed) or storage failed: nothing more to record.
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

/** Starts an import as one of the region's background jobs (stopped between batches on shutdown). */
export function startImport(ctx: RegionContext, description: ImportDescription): void {
  void jobsOf(ctx).run(ctx, jobId(description), () => runImport(ctx, description))
}

/** At startup: takes up every import a stop or a crash interrupted. */
export async function resumeImports(ctx: RegionContext): Promise<void> {
  for (const description of await listImports(ctx)) {
    if (description.ImportStatus === 'IN_PROGRESS') startImport(ctx, description)
  }
}
