/**
 * An export as DescribeExport shows it (ExportDescription, wire spelling), kept in the storage's
 * state store under its ARN.
 */
import type { RegionContext } from '../api/context.js'
import { listJobs, readJob, writeJob, writeJobUnlessReplayed } from '../s3/jobs.js'
import type { ExportFormat, ExportViewType } from './export-lines.js'
import type { FilterSpecification } from './export-filter.js'

export const exportsNamespace = 'exports'

export type ExportStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED'
export type ExportType = 'FULL_EXPORT' | 'INCREMENTAL_EXPORT'

export interface IncrementalExportSpecification {
  /** Epoch seconds. */
  ExportFromTime?: number
  ExportToTime?: number
  ExportViewType?: ExportViewType
}

export interface ExportDescription {
  ExportArn: string
  ExportStatus: ExportStatus
  StartTime: number
  EndTime?: number
  ExportManifest?: string
  TableArn: string
  TableId: string
  /** Epoch seconds; for an incremental export, its ExportToTime. */
  ExportTime: number
  ClientToken: string
  S3Bucket: string
  S3BucketOwner?: string
  S3Prefix?: string
  S3SseAlgorithm?: 'AES256' | 'KMS'
  S3SseKmsKeyId?: string
  FailureCode?: string
  FailureMessage?: string
  ExportFormat: ExportFormat
  BilledSizeBytes?: number
  ItemCount?: number
  /** Echoed only when the request sent it, as DynamoDB does. */
  ExportType?: ExportType
  IncrementalExportSpecification?: IncrementalExportSpecification
  /** As the request sent it (exports/export-filter.ts). */
  FilterSpecification?: FilterSpecification
}

/** Live counters of the exports this process is running, by ARN. */
export const runningExports = new Map<string, { items: number }>()

/** What is stored: the description, and the request it came from (for ClientToken replays). */
export interface ExportJob {
  description: ExportDescription
  /** The request's parameters as canonical JSON: a replay with other parameters is a conflict. */
  request: string
  /**
   * The keys of the data files this run has started, saved before each is written: an export
   * that a restart interrupts removes them and starts over.
   */
  dataFilesStarted?: string[]
  /**
   * A full export asked for without ExportTime: the table's log's last sequence when it was asked
   * for, which it exports through (every write acknowledged before, whatever the clock did).
   */
  asOfSequence?: number
}

export function readExport(ctx: RegionContext, arn: string): Promise<ExportJob | undefined> {
  return readJob<ExportJob>(ctx.storage, exportsNamespace, arn)
}

export function writeExport(ctx: RegionContext, job: ExportJob): Promise<void> {
  return writeJob(ctx.storage, exportsNamespace, job.description.ExportArn, job)
}

/** Stores a new export unless `replayOf` finds the earlier one its ClientToken replays (writeJobUnlessReplayed). */
export function writeExportUnlessReplayed(ctx: RegionContext, job: ExportJob, replayOf: (jobs: ExportJob[]) => ExportJob | undefined): Promise<ExportJob> {
  return writeJobUnlessReplayed(ctx.storage, exportsNamespace, job.description.ExportArn, job, replayOf)
}

export function listExports(ctx: RegionContext): Promise<ExportJob[]> {
  return listJobs<ExportJob>(ctx.storage, exportsNamespace)
}
