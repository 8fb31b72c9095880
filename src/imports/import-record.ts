/**
 * An import as DescribeImport shows it (ImportTableDescription, wire spelling), kept in the
 * storage's state store under its ARN, and the progress of the imports this process runs.
 */
import type { RegionContext } from '../api/context.js'
import type { Transaction } from '../storage/engine.js'
import type { ImportTableInput, InputCompressionType, InputFormat, S3BucketSource, TableCreationParameters } from '../shapes/imports.js'
import { listJobs, readJob, writeJob } from '../s3/jobs.js'

export const importsNamespace = 'imports'

export type ImportStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'CANCELLING' | 'CANCELLED'

export interface ImportDescription {
  ImportArn: string
  ImportStatus: ImportStatus
  TableArn: string
  TableId: string
  ClientToken: string
  S3BucketSource: S3BucketSource
  ErrorCount: number
  CloudWatchLogGroupArn: string
  InputFormat: InputFormat
  InputFormatOptions?: ImportTableInput['InputFormatOptions']
  InputCompressionType: InputCompressionType
  TableCreationParameters: TableCreationParameters
  /** Epoch seconds, as every time on the wire. */
  StartTime: number
  EndTime?: number
  ProcessedSizeBytes?: number
  ProcessedItemCount: number
  ImportedItemCount: number
  FailureCode?: string
  FailureMessage?: string
}

/** Live counters of an import this process is running. */
export interface ImportProgress {
  processedItems: number
  importedItems: number
  errors: number
  /** Uncompressed bytes read so far. */
  bytes: number
}

/** The imports running in this process, by ARN. */
export const runningImports = new Map<string, ImportProgress>()

export function readImport(ctx: RegionContext, arn: string): Promise<ImportDescription | undefined> {
  return readJob<ImportDescription>(ctx.storage, importsNamespace, arn)
}

/** Inside the transaction that creates the import's table, so the two are seen together. */
export function saveImport(tx: Transaction, description: ImportDescription): Promise<void> {
  return tx.putState(importsNamespace, description.ImportArn, JSON.stringify(description))
}

export function writeImport(ctx: RegionContext, description: ImportDescription): Promise<void> {
  return writeJob(ctx.storage, importsNamespace, description.ImportArn, description)
}

export function listImports(ctx: RegionContext): Promise<ImportDescription[]> {
  return listJobs<ImportDescription>(ctx.storage, importsNamespace)
}

/** The description with a running import's live counters (DynamoDB shows 0 until the end; EddyDB counts as it goes). */
export function withLiveCounters(description: ImportDescription): ImportDescription {
  const progress = runningImports.get(description.ImportArn)
  if (!progress || description.ImportStatus !== 'IN_PROGRESS') return description
  return {
    ...description,
    ProcessedItemCount: progress.processedItems,
    ImportedItemCount: progress.importedItems,
    ErrorCount: progress.errors,
    ProcessedSizeBytes: progress.bytes,
  }
}
