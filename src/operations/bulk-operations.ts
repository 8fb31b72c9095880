/**
 * StartBulkPutItems, DescribeBulkOperation, ListBulkOperations and CancelBulkOperation: bulk put
 * items into an existing table from S3 (src/bulk/run-bulk-put.ts). The rules are DynamoDB's
 * documented ones (the table ACTIVE with no index being built, no global table, MaxWriteRequestUnits
 * of at least 1,024, a ClientToken that starts one operation for 8 hours); their messages were not
 * recorded from DynamoDB and are EddyDB's. MaxWriteRequestUnits and PerformanceTier are kept and
 * shown; EddyDB does not pace the writes.
 */
import { randomUUID } from 'node:crypto'
import type { OperationHandler, RequestContext } from '../api/context.js'
import { IdempotentParameterMismatchException, ResourceInUseException, ResourceNotFoundException, ValidationException } from '../errors.js'
import {
  listBulkOperations as storedBulkOperations, readBulkOperation, runningBulkOperations, withLiveProgress, writeBulkOperation,
  type BulkOperationDescription,
} from '../bulk/bulk-operation-record.js'
import { startBulkPut } from '../bulk/run-bulk-put.js'
import { newJobId } from '../job-ids.js'
import { newestFirstPage } from '../s3/jobs.js'
import { canonicalJson } from '../values/canonical-json.js'
import type { ListBulkOperationsInput, StartBulkPutItemsInput } from '../shapes/bulk-operations.js'

/** How long a ClientToken keeps naming the operation it started (DynamoDB's 8 hours). */
const clientTokenLifetimeMs = 8 * 60 * 60 * 1000

const bulkOperationArnPattern = /^arn:aws[\w-]*:dynamodb:[\w-]+:\d{12}:table\/[a-zA-Z0-9_.-]{3,255}\/bulk-operation\/\d{14}-[0-9a-f]{8}$/

/** The request's parameters, defaults filled in, as a ClientToken's replay must repeat them. */
function parametersOf(input: StartBulkPutItemsInput): string | undefined {
  return canonicalJson({
    input: { ...input.InputS3Configuration, InputCompressionType: input.InputS3Configuration.InputCompressionType ?? 'NONE' },
    output: input.OutputS3Configuration,
    table: input.TableName,
    maxWriteRequestUnits: input.MaxWriteRequestUnits ?? null,
    performanceTier: input.PerformanceTier ?? 'STANDARD',
  }, 8)
}

export const startBulkPutItems: OperationHandler<StartBulkPutItemsInput> = async (ctx, input) => {
  const table = ctx.catalog.requireRecord(input.TableName)
  const nowMs = ctx.clock.now()
  const clientToken = input.ClientToken ?? randomUUID()
  const parameters = parametersOf(input)
  const replayed = (await storedBulkOperations(ctx)).find((each) =>
    each.ClientToken === clientToken && nowMs - each.StartTime * 1000 < clientTokenLifetimeMs)
  if (replayed) {
    if (parametersOf(replayedInput(replayed)) !== parameters) {
      throw new IdempotentParameterMismatchException('The request uses the same client token as a previous, but non-identical request.')
    }
    return { BulkOperationDescription: withLiveProgress(replayed) }
  }
  const description = table.description
  if (table.replication) throw new ValidationException(`Bulk put items does not support global tables: table ${input.TableName} is part of one`)
  const building = (description.GlobalSecondaryIndexes ?? []).some((index) => index.IndexStatus === 'CREATING')
  if (description.TableStatus === 'CREATING' || description.TableStatus === 'DELETING' || building) {
    throw new ResourceInUseException(`Table ${input.TableName} is not ready for a bulk put items operation: ${building ? 'an index is being created' : `its status is ${description.TableStatus}`}`)
  }
  const started: BulkOperationDescription = {
    BulkOperationArn: `${description.TableArn}/bulk-operation/${newJobId(nowMs)}`,
    BulkOperationStatus: 'IN_PROGRESS',
    TableDetails: [{ TableName: description.TableName, TableId: description.TableId }],
    ClientToken: clientToken,
    InputS3Configuration: { ...input.InputS3Configuration, InputCompressionType: input.InputS3Configuration.InputCompressionType ?? 'NONE' },
    OutputS3Configuration: input.OutputS3Configuration,
    StartTime: nowMs / 1000,
    ProcessedItemCount: 0,
    ProcessedInputBytes: 0,
    FailedItemCount: 0,
    PerformanceTier: input.PerformanceTier ?? 'STANDARD',
  }
  if (input.MaxWriteRequestUnits !== undefined) started.MaxWriteRequestUnits = input.MaxWriteRequestUnits
  await writeBulkOperation(ctx, started)
  startBulkPut(ctx, started)
  return { BulkOperationDescription: started }
}

/** The request a stored operation was started with (to compare a ClientToken's replay). */
function replayedInput(stored: BulkOperationDescription): StartBulkPutItemsInput {
  const input: StartBulkPutItemsInput = {
    InputS3Configuration: stored.InputS3Configuration,
    OutputS3Configuration: stored.OutputS3Configuration,
    TableName: stored.TableDetails[0]!.TableName,
    PerformanceTier: stored.PerformanceTier,
  }
  if (stored.MaxWriteRequestUnits !== undefined) input.MaxWriteRequestUnits = stored.MaxWriteRequestUnits
  return input
}

async function requireBulkOperation(ctx: RequestContext, arn: string): Promise<BulkOperationDescription> {
  const stored = bulkOperationArnPattern.test(arn) ? await readBulkOperation(ctx, arn) : undefined
  if (!stored) throw new ResourceNotFoundException(`Requested resource not found: Bulk operation: ${arn} not found`)
  return stored
}

export const describeBulkOperation: OperationHandler<{ BulkOperationArn: string }> = async (ctx, input) =>
  ({ BulkOperationDescription: withLiveProgress(await requireBulkOperation(ctx, input.BulkOperationArn)) })

export const cancelBulkOperation: OperationHandler<{ BulkOperationArn: string }> = async (ctx, input) => {
  const stored = await requireBulkOperation(ctx, input.BulkOperationArn)
  if (stored.BulkOperationStatus !== 'IN_PROGRESS' && stored.BulkOperationStatus !== 'CANCELLING') {
    throw new ValidationException(`Bulk operation ${input.BulkOperationArn} cannot be cancelled: its status is ${stored.BulkOperationStatus}`)
  }
  const running = runningBulkOperations.get(stored.BulkOperationArn)
  if (running) running.cancelled = true
  // Stored too, for the node that runs it if it is another one (it looks now and then).
  await writeBulkOperation(ctx, { ...stored, BulkOperationStatus: 'CANCELLING' })
  return { BulkOperationArn: stored.BulkOperationArn, BulkOperationStatus: 'CANCELLING' }
}

export const listBulkOperations: OperationHandler<ListBulkOperationsInput> = async (ctx, input) => {
  const { page, nextToken } = newestFirstPage(await storedBulkOperations(ctx), (each) => each.BulkOperationArn, input.NextToken, input.MaxResults ?? 10)
  return {
    BulkOperationsSummaryList: page.map((each) => {
      const live = withLiveProgress(each)
      return {
        BulkOperationArn: live.BulkOperationArn,
        BulkOperationStatus: live.BulkOperationStatus,
        StartTime: live.StartTime,
        ...(live.EndTime === undefined ? {} : { EndTime: live.EndTime }),
      }
    }),
    ...(nextToken === undefined ? {} : { NextToken: nextToken }),
  }
}
