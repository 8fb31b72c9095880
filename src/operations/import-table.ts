/**
 * ImportTable: creates the table (CREATING until the import ends), records the import and starts
 * it in the background (src/imports/run-import.ts). ClientToken behaves as DynamoDB's was
 * observed to (spec §7.2): while an import with the token runs, the same request returns it and
 * one for another table is an ImportConflictException; afterwards the table exists, so a replay
 * is a ResourceInUseException.
 */
import type { OperationHandler } from '../api/context.js'
import { ImportConflictException, LimitExceededException, ResourceInUseException } from '../errors.js'
import { logGroupArn } from '../imports/error-log.js'
import { listImports, runningImports, saveImport, withLiveCounters, type ImportDescription } from '../imports/import-record.js'
import { startImport } from '../imports/run-import.js'
import { newJobId } from '../job-ids.js'
import type { ImportTableInput } from '../shapes/imports.js'
import { checkTableDefinition } from '../tables/definition-checks.js'
import { newTableRecord, type CreateTableInput } from '../tables/new-table.js'
import { filledByJobSettlesAtMs } from '../tables/record.js'
import { checkSseSpecification } from './create-table.js'

/** DynamoDB's quota of concurrent imports per account and region. */
export const concurrentImportsMax = 50

export const importTable: OperationHandler<ImportTableInput> = async (ctx, input) => {
  const parameters = input.TableCreationParameters
  checkTableDefinition(parameters as CreateTableInput)
  checkSseSpecification(parameters.SSESpecification)
  const clientToken = input.ClientToken
  const running = (await listImports(ctx)).filter((each) => each.ImportStatus === 'IN_PROGRESS')
  const replayed = replayOf(running, clientToken, parameters.TableName)
  if (replayed) return { ImportTableDescription: withLiveCounters(replayed) }
  if (running.filter((each) => runningImports.has(each.ImportArn)).length >= concurrentImportsMax) {
    throw new LimitExceededException(`Subscriber limit exceeded: There is a limit of ${concurrentImportsMax} concurrent imports per account`)
  }
  const nowMs = ctx.clock.now()
  const placement = { region: ctx.region, accountId: ctx.accountId, nowMs }
  const record = newTableRecord(parameters as CreateTableInput, placement, 0)
  // CREATING, and closed to the data plane, until the import ends (run-import.ts settles it).
  record.settlesAtMs = filledByJobSettlesAtMs
  const table = record.description
  const description: ImportDescription = {
    ImportArn: `${table.TableArn}/import/${newJobId(nowMs)}`,
    ImportStatus: 'IN_PROGRESS',
    TableArn: table.TableArn,
    TableId: table.TableId,
    ClientToken: clientToken,
    S3BucketSource: input.S3BucketSource,
    ErrorCount: 0,
    CloudWatchLogGroupArn: logGroupArn(ctx.region, ctx.accountId),
    InputFormat: input.InputFormat,
    InputCompressionType: input.InputCompressionType ?? 'NONE',
    TableCreationParameters: parameters,
    StartTime: nowMs / 1000,
    ProcessedItemCount: 0,
    ImportedItemCount: 0,
  }
  if (input.InputFormatOptions) description.InputFormatOptions = input.InputFormatOptions
  try {
    // The import is stored with its table, so whoever finds the table finds the import.
    await ctx.catalog.create(record, (tx) => saveImport(tx, description))
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error
    // A request with the same token, sent at the same moment, may have created the table: the
    // answer is then its import, as for a replay sent later.
    await ctx.catalog.createEnded(parameters.TableName)
    const replay = replayOf((await listImports(ctx)).filter((each) => each.ImportStatus === 'IN_PROGRESS'), clientToken, parameters.TableName)
    if (replay) return { ImportTableDescription: withLiveCounters(replay) }
    throw error
  }
  startImport(ctx, description)
  return { ImportTableDescription: description }
}

/** The running import a request's ClientToken replays: the same table, or ImportConflictException. */
function replayOf(running: ImportDescription[], clientToken: string, tableName: string): ImportDescription | undefined {
  const replayed = running.find((each) => each.ClientToken === clientToken)
  if (replayed && replayed.TableCreationParameters.TableName !== tableName) {
    throw new ImportConflictException('Duplicate request detected with conflicting parameters')
  }
  return replayed
}
