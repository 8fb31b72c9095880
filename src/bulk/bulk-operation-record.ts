/**
 * A bulk operation (StartBulkPutItems) as DescribeBulkOperation shows it
 * (BulkOperationDescription, wire spelling), kept in the storage's state store under its ARN,
 * and the progress and cancellation of the operations this process runs.
 */
import type { RegionContext } from '../api/context.js'
import { jobsOf } from '../backups/jobs.js'
import { ValidationException } from '../errors.js'
import { listJobs, readJob, writeJob } from '../s3/jobs.js'
import type { BulkInputS3Configuration, BulkOutputS3Configuration } from '../shapes/bulk-operations.js'

export const bulkOperationsNamespace = 'bulk-operations'

export type BulkOperationStatus = 'IN_PROGRESS' | 'COMPLETED' | 'COMPLETED_WITH_ERRORS' | 'CANCELLING' | 'CANCELLED' | 'FAILED'

export interface BulkOperationDescription {
  BulkOperationArn: string
  BulkOperationStatus: BulkOperationStatus
  TableDetails: Array<{ TableName: string; TableId: string }>
  ClientToken: string
  InputS3Configuration: BulkInputS3Configuration
  OutputS3Configuration: BulkOutputS3Configuration
  /** Epoch seconds, as every time on the wire. */
  StartTime: number
  EndTime?: number
  ProcessedItemCount: number
  ProcessedInputBytes: number
  TotalInputBytes?: number
  FailedItemCount: number
  BulkOperationUsage?: Array<{ TableName: string; BulkPutBytes: number; Table: { BulkPutBytes: number } }>
  FailureCode?: string
  FailureMessage?: string
  MaxWriteRequestUnits?: number
  PerformanceTier: 'STANDARD' | 'ACCELERATED'
}

/** Live counters of an operation this process runs, and whether a cancellation was asked for. */
export interface BulkProgress {
  processedItems: number
  failedItems: number
  /** Uncompressed bytes read so far. */
  bytes: number
  /** Bytes of the items written (the table's BulkPutBytes). */
  putBytes: number
  totalBytes?: number
  cancelled: boolean
}

/** The operations running in this process, by ARN. */
export const runningBulkOperations = new Map<string, BulkProgress>()

export function readBulkOperation(ctx: RegionContext, arn: string): Promise<BulkOperationDescription | undefined> {
  return readJob<BulkOperationDescription>(ctx.storage, bulkOperationsNamespace, arn)
}

export function writeBulkOperation(ctx: RegionContext, description: BulkOperationDescription): Promise<void> {
  return writeJob(ctx.storage, bulkOperationsNamespace, description.BulkOperationArn, description)
}

export function listBulkOperations(ctx: RegionContext): Promise<BulkOperationDescription[]> {
  return listJobs<BulkOperationDescription>(ctx.storage, bulkOperationsNamespace)
}

/** The usage DescribeBulkOperation reports: the bytes of the items put, all of them to the table. */
export function bulkUsage(tableName: string, putBytes: number): NonNullable<BulkOperationDescription['BulkOperationUsage']> {
  return [{ TableName: tableName, BulkPutBytes: putBytes, Table: { BulkPutBytes: putBytes } }]
}

/** The description with a running operation's live counters and a cancellation under way. */
export function withLiveProgress(description: BulkOperationDescription): BulkOperationDescription {
  const progress = runningBulkOperations.get(description.BulkOperationArn)
  const status = description.BulkOperationStatus
  if (!progress || (status !== 'IN_PROGRESS' && status !== 'CANCELLING')) return description
  const live: BulkOperationDescription = {
    ...description,
    BulkOperationStatus: progress.cancelled ? 'CANCELLING' : status,
    ProcessedItemCount: progress.processedItems,
    FailedItemCount: progress.failedItems,
    ProcessedInputBytes: progress.bytes,
    BulkOperationUsage: bulkUsage(description.TableDetails[0]!.TableName, progress.putBytes),
  }
  if (progress.totalBytes !== undefined) live.TotalInputBytes = progress.totalBytes
  return live
}

/** The id of an operation's background job (and of its lease on shared storage). */
export function bulkJobId(description: BulkOperationDescription): string {
  return `bulk-put/${description.BulkOperationArn}`
}

/**
 * At startup (and in the rescans on shared storage): an operation left IN_PROGRESS or CANCELLING
 * that nobody runs was interrupted by a stop or a crash. It ends FAILED rather than being taken up
 * again: putting its records again could make their conditions answer otherwise.
 */
export async function failInterruptedBulkOperations(ctx: RegionContext): Promise<void> {
  for (const description of await listBulkOperations(ctx)) {
    if (description.BulkOperationStatus !== 'IN_PROGRESS' && description.BulkOperationStatus !== 'CANCELLING') continue
    if (await jobsOf(ctx).isRunningAnywhere(ctx, bulkJobId(description))) continue
    await writeBulkOperation(ctx, {
      ...description,
      BulkOperationStatus: 'FAILED',
      EndTime: ctx.clock.now() / 1000,
      FailureCode: 'InternalServerError',
      FailureMessage: 'The bulk operation was interrupted by a restart of the server; the items written before it stay',
    })
  }
}

/**
 * DynamoDB does not add a replica to a table while a bulk put items operation runs on it (its
 * Developer Guide; the message is EddyDB's).
 */
export async function checkNoBulkPutRunning(ctx: RegionContext, tableId: string, tableName: string): Promise<void> {
  const running = (await listBulkOperations(ctx)).some((operation) => operation.TableDetails[0]?.TableId === tableId &&
    (operation.BulkOperationStatus === 'IN_PROGRESS' || operation.BulkOperationStatus === 'CANCELLING'))
  if (running) throw new ValidationException(`Cannot add a replica to table ${tableName} while a bulk put items operation is in progress on it`)
}
