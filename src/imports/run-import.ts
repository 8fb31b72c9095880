/**
 * Running one import: every object under the prefix is streamed, decompressed and read line by
 * line into the new table, in batches of one storage transaction each. As in DynamoDB:
 *  - blank lines are skipped; the first bad line of an object is logged and counted, and the
 *    rest of that object is abandoned;
 *  - items are written without capacity and without change records (so not to the stream), by
 *    the bulk load path: nobody else can write the table while it is CREATING;
 *  - any bad line makes the import FAILED (ItemValidationError) but keeps the table and its good
 *    items; an S3 failure before anything was imported leaves no table behind.
 * The table stays CREATING until the import ends, then becomes ACTIVE.
 */
import type { RegionContext } from '../api/context.js'
import { loadedNewItem } from '../operations/loaded-items.js'
import { applyWrite } from '../operations/write-item.js'
import { openBucket } from '../s3/buckets.js'
import { ObjectStoreError, type Bucket } from '../s3/object-store.js'
import { ByteCounter, decompressed, linesOf } from '../s3/object-lines.js'
import type { TableSchema } from '../tables/schema.js'
import type { Item, ScalarKeyType } from '../values/types.js'
import type { PrimaryKey } from '../operations/keys.js'
import { csvFields, csvItem } from './csv.js'
import { openErrorLog, type ImportErrorLog } from './error-log.js'
import { runningImports, writeImport, type ImportDescription, type ImportProgress } from './import-record.js'
import { checkedItem, itemFromIonLine, itemFromJsonLine, lineErrorMessage } from './item-lines.js'

/** Items per storage transaction. */
const batchItems = 200

export const itemValidationFailure =
  'Some of the items failed validation checks and were not imported. Please check CloudWatch error logs for more details.'

/** Turns one line into an item; CSV keeps its header between lines. */
type LineReader = (line: string) => unknown | undefined

function lineReaderFor(description: ImportDescription, table: TableSchema): LineReader {
  if (description.InputFormat === 'DYNAMODB_JSON') return itemFromJsonLine
  if (description.InputFormat === 'ION') return itemFromIonLine
  const options = description.InputFormatOptions?.Csv ?? {}
  const delimiter = options.Delimiter ?? ','
  const keyTypes: Record<string, ScalarKeyType> = table.attributeTypes
  // Without a HeaderList, each object's first line is its header.
  let header = options.HeaderList
  return (line) => {
    const fields = csvFields(line, delimiter)
    if (!header) {
      header = fields
      return undefined
    }
    return csvItem(fields, header, keyTypes)
  }
}

class ImportWriter {
  #batch = new Map<string, { key: PrimaryKey; item: Item }>()

  constructor(readonly ctx: RegionContext, readonly table: TableSchema) {}

  async add(key: PrimaryKey, item: Item): Promise<void> {
    // The last line for a key wins, as the later write would.
    const id = key.encoded.toString('hex')
    this.#batch.delete(id)
    this.#batch.set(id, { key, item })
    if (this.#batch.size >= batchItems) await this.flush()
  }

  async flush(): Promise<void> {
    if (this.#batch.size === 0) return
    const writes = [...this.#batch.values()]
    this.#batch = new Map()
    // Keys new to the table (nearly all) go in by the bulk load path; a key an earlier batch
    // wrote is overwritten through the write path, which replaces its index rows.
    const loaded = writes.map(({ key, item }) => loadedNewItem(this.table, key.encoded, item))
    await this.ctx.storage.transact(async (tx) => {
      const current = await tx.getItems(this.table.tableId, writes.map(({ key }) => key.encoded))
      await tx.loadItems(this.table.tableId, loaded.filter((_, index) => current[index] === undefined))
      for (const [index, { key, item }] of writes.entries()) {
        const currentJson = current[index]
        if (currentJson !== undefined) await applyWrite(tx, this.ctx, this.table, key, () => item, { currentJson, recordChange: false })
      }
    })
  }
}

async function importObject(
  bucket: Bucket, key: string, description: ImportDescription, table: TableSchema,
  writer: ImportWriter, progress: ImportProgress, errorLog: ImportErrorLog,
): Promise<void> {
  const body = await bucket.get(key)
  const counter = new ByteCounter()
  const stream = decompressed(body, description.InputCompressionType).pipe(counter)
  let streamError: unknown
  const remember = (error: unknown) => { streamError ??= error }
  body.on('error', remember)
  counter.on('error', remember)
  const readLine = lineReaderFor(description, table)
  const countedBefore = progress.bytes
  let index = -1
  let abandoned = false
  try {
    for await (const line of linesOf(stream)) {
      index++
      progress.bytes = countedBefore + counter.bytes
      if (line.trim() === '') continue
      let checked: ReturnType<typeof checkedItem>
      try {
        const raw = readLine(line)
        if (raw === undefined) continue
        checked = checkedItem(table, raw)
      } catch (error) {
        const message = lineErrorMessage(error)
        if (message === undefined) throw error
        progress.processedItems++
        progress.errors++
        await errorLog.append({ bucket: description.S3BucketSource.S3Bucket, key, itemIndex: index }, [message])
        abandoned = true
        break
      }
      progress.processedItems++
      progress.importedItems++
      await writer.add(checked.key, checked.item)
    }
  } finally {
    stream.destroy()
    body.destroy()
  }
  if (streamError && !abandoned) {
    // Bytes that do not decompress (or a body cut short) end the object like a bad line.
    progress.processedItems++
    progress.errors++
    await errorLog.append({ bucket: description.S3BucketSource.S3Bucket, key, itemIndex: Math.max(index, 0) }, [
      `Unable to read the object as ${description.InputCompressionType}: ${(streamError as Error).message}`,
    ])
  }
  progress.bytes = countedBefore + counter.bytes
}

/** Runs the import to its end; never throws (a failure is recorded as the import's status). */
export async function runImport(ctx: RegionContext, description: ImportDescription): Promise<void> {
  const progress: ImportProgress = { processedItems: 0, importedItems: 0, errors: 0, bytes: 0 }
  runningImports.set(description.ImportArn, progress)
  const tableName = description.TableCreationParameters.TableName
  const errorLog = openErrorLog(ctx.config, description.ImportArn)
  let failure: ObjectStoreError | undefined
  try {
    const table = ctx.catalog.get(tableName)!
    const source = description.S3BucketSource
    const bucket = openBucket(ctx.config, source.S3Bucket, source.S3BucketOwner)
    const writer = new ImportWriter(ctx, table)
    try {
      await bucket.checkExists()
      for await (const object of bucket.list(source.S3KeyPrefix ?? '')) {
        if (object.key.endsWith('/')) continue
        await importObject(bucket, object.key, description, table, writer, progress, errorLog)
      }
      await writer.flush()
    } catch (error) {
      failure = error instanceof ObjectStoreError ? error : new ObjectStoreError('UnknownError', (error as Error).message)
      if (!(error instanceof ObjectStoreError)) ctx.log.error('import failed', { importArn: description.ImportArn, error: String(error) })
    }
    const keepTable = !failure || progress.importedItems > 0
    if (keepTable) {
      await ctx.catalog.update(tableName, (draft) => { draft.settlesAtMs = ctx.clock.now() })
    } else {
      await ctx.catalog.remove(tableName)
    }
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
      ctx.log.info('import finished with item errors', { importArn: description.ImportArn, errorLog: errorLog.location })
    }
    await writeImport(ctx, finished)
  } catch (error) {
    // The server is shutting down (storage closed) or storage failed: nothing more to record.
    ctx.log.error('import could not finish', { importArn: description.ImportArn, error: String(error) })
  } finally {
    runningImports.delete(description.ImportArn)
  }
}
