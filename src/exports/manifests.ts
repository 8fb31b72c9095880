/**
 * manifest-summary.json and manifest-files.json with their .md5 companions, byte for byte as a
 * real DynamoDB export writes them (spec §6.2-6.3): compact JSON, keys in DynamoDB's order, the
 * summary on one line without a newline, the files manifest one line per data file each ending
 * in a newline, and each .md5 the base64 MD5 of its JSON file without a newline.
 */
import type { Bucket } from '../s3/object-store.js'
import { isoTime } from '../s3/jobs.js'
import { md5Base64, type DataFileEntry } from './data-files.js'
import type { ExportDescription } from './export-record.js'

/** The billing minimum of an incremental export, which DynamoDB reports as its billed size. */
export const incrementalBilledBytesMin = 10_000_000

export function manifestFilesText(entries: DataFileEntry[]): string {
  return entries.map((entry) => JSON.stringify({
    itemCount: entry.itemCount, md5Checksum: entry.md5Checksum, etag: entry.etag, dataFileS3Key: entry.dataFileS3Key,
  }) + '\n').join('')
}

export function manifestSummaryText(description: ExportDescription, manifestFilesKey: string, endMs: number): string {
  const incremental = description.ExportType === 'INCREMENTAL_EXPORT'
  const summary: Record<string, unknown> = {
    version: incremental ? '2023-08-01' : '2020-06-30',
    exportArn: description.ExportArn,
    startTime: isoTime(description.StartTime * 1000),
    endTime: isoTime(endMs),
    tableArn: description.TableArn,
    tableId: description.TableId,
  }
  const spec = description.IncrementalExportSpecification
  if (incremental && spec) {
    summary.exportFromTime = isoTime(spec.ExportFromTime! * 1000)
    summary.exportToTime = isoTime(spec.ExportToTime! * 1000)
  } else {
    summary.exportTime = isoTime(description.ExportTime * 1000)
  }
  Object.assign(summary, {
    s3Bucket: description.S3Bucket,
    s3Prefix: description.S3Prefix ?? null,
    s3SseAlgorithm: description.S3SseAlgorithm ?? 'AES256',
    s3SseKmsKeyId: description.S3SseKmsKeyId ?? null,
    manifestFilesS3Key: manifestFilesKey,
    billedSizeBytes: description.BilledSizeBytes ?? 0,
    itemCount: description.ItemCount ?? 0,
    outputFormat: description.ExportFormat,
  })
  if (incremental) {
    summary.outputView = spec?.ExportViewType ?? 'NEW_AND_OLD_IMAGES'
    summary.exportType = 'INCREMENTAL_EXPORT'
  }
  return JSON.stringify(summary)
}

/** Writes a JSON manifest and its .md5 (same name, .md5 instead of .json). */
export async function putWithMd5(bucket: Bucket, jsonKey: string, text: string): Promise<void> {
  await bucket.put(jsonKey, text)
  await bucket.put(jsonKey.replace(/\.json$/, '.md5'), md5Base64(text))
}
