/**
 * `eddydb export` and `eddydb import`: start an export or import on a running server through its
 * public API (ExportTableToPointInTime / ImportTable) and follow it with a progress bar (items,
 * bytes, rate, ETA) until it ends. `--to DIR` / `--from DIR` use a local directory instead of an
 * S3 bucket (a `file://` bucket: the server writes and reads it, so it must run on this machine).
 */
import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ConfigError } from '../config.js'
import { StartupError } from '../startup-error.js'
import type { HttpUpstream } from '../dax/upstream/http.js'
import { call, openUpstream, parseAdminOptions, type AdminOptions } from './admin.js'
import { progressBar } from './progress.js'

export const transferUsage = `Export and import (against a running server):
  eddydb export TABLE (--bucket NAME | --to DIR) [--prefix P] [--format DYNAMODB_JSON|ION]
                [--export-time SECONDS] [--from-time SECONDS [--to-time SECONDS]]
                                  export the table (as of a time, or changes between two) to S3 or
                                  a directory; the table needs point-in-time recovery on
  eddydb import TABLE (--bucket NAME | --from DIR) [--prefix P] --key pk:S[,sk:N]
                [--format DYNAMODB_JSON|ION|CSV] [--compression GZIP|ZSTD|NONE]
                [--delimiter C] [--header a,b,c]
                                  create TABLE from the files under the prefix
  (times are epoch seconds; both commands also take --endpoint, --region and --json)
`

const exportFlags = ['--bucket', '--to', '--prefix', '--format', '--export-time', '--from-time', '--to-time']
const importFlags = ['--bucket', '--from', '--prefix', '--key', '--format', '--compression', '--delimiter', '--header']

/** How often the job is looked at, and at most how many times (a bound: about 2 days). */
const pollMs = 250
const pollsMax = 700_000

/** The bucket a command names: an S3 bucket, or a directory as a file:// bucket. */
function bucketOf(options: AdminOptions, directoryFlag: '--to' | '--from'): string {
  const bucket = options.values['--bucket']
  const directory = options.values[directoryFlag]
  if ((bucket === undefined) === (directory === undefined)) throw new ConfigError(`give one of --bucket and ${directoryFlag}`)
  if (bucket !== undefined) return bucket
  const path = resolve(directory!)
  if (directoryFlag === '--to') mkdirSync(path, { recursive: true })
  return pathToFileURL(path).href
}

function seconds(options: AdminOptions, flag: string): number | undefined {
  const text = options.values[flag]
  if (text === undefined) return undefined
  const value = Number(text)
  if (text === '' || !Number.isFinite(value)) throw new ConfigError(`${flag} must be epoch seconds, got ${text}`)
  return value
}

function tableNameOf(options: AdminOptions, command: string): string {
  if (options.positional.length !== 1) throw new ConfigError(`eddydb ${command} takes one table name`)
  return options.positional[0]!
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = -1
  do { value /= 1024; unit++ } while (value >= 1024 && unit < units.length - 1)
  return `${value.toFixed(1)} ${units[unit]}`
}

/** "12.0 MiB, 5230 items/s, ETA 0:42" from what is known so far. */
export function progressDetail(done: number, total: number | undefined, bytes: number | undefined, elapsedMs: number): string {
  const parts: string[] = []
  if (bytes !== undefined) parts.push(formatBytes(bytes))
  const rate = elapsedMs > 0 ? done / (elapsedMs / 1000) : 0
  parts.push(`${Math.round(rate)} items/s`)
  if (total !== undefined && rate > 0 && total > done) {
    const left = Math.ceil((total - done) / rate)
    parts.push(`ETA ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`)
  }
  return parts.join(', ')
}

/** Polls `describe` until the job leaves IN_PROGRESS, drawing its progress; returns its last description. */
async function follow(
  label: string, describe: () => Promise<Record<string, any>>, status: (job: Record<string, any>) => string,
  counts: (job: Record<string, any>) => { done: number; total?: number; bytes?: number },
): Promise<Record<string, any>> {
  const bar = progressBar(label)
  const startedMs = Date.now()
  for (let poll = 0; poll < pollsMax; poll++) {
    const job = await describe()
    const { done, total, bytes } = counts(job)
    if (status(job) !== 'IN_PROGRESS') {
      bar.finish(`${status(job)}, ${done} items${bytes === undefined ? '' : `, ${formatBytes(bytes)}`}`)
      return job
    }
    bar.update(done, total, progressDetail(done, total, bytes, Date.now() - startedMs))
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
  throw new StartupError(`${label} is still running after ${pollsMax} looks`)
}

function finish(job: Record<string, any>, failureKey: string, options: AdminOptions, out: NodeJS.WritableStream, summary: string): void {
  out.write(options.json ? JSON.stringify(job, null, 2) + '\n' : summary)
  if (job[failureKey] === 'FAILED') throw new StartupError(`${job.FailureCode}: ${job.FailureMessage}`)
}

export async function runExportCommand(argv: string[], env: NodeJS.ProcessEnv = process.env, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const options = parseAdminOptions(argv, env, exportFlags)
  const tableName = tableNameOf(options, 'export')
  const bucket = bucketOf(options, '--to')
  const upstream: HttpUpstream = openUpstream(options)
  try {
    const { Table: table } = await call(upstream, options, 'DescribeTable', { TableName: tableName })
    const fromTime = seconds(options, '--from-time')
    const request: Record<string, unknown> = { TableArn: table.TableArn, S3Bucket: bucket }
    if (options.values['--prefix'] !== undefined) request.S3Prefix = options.values['--prefix']
    if (options.values['--format'] !== undefined) request.ExportFormat = options.values['--format']
    if (seconds(options, '--export-time') !== undefined) request.ExportTime = seconds(options, '--export-time')
    if (fromTime !== undefined) {
      request.ExportType = 'INCREMENTAL_EXPORT'
      request.IncrementalExportSpecification = { ExportFromTime: fromTime, ExportToTime: seconds(options, '--to-time') }
    }
    const started = (await call(upstream, options, 'ExportTableToPointInTime', request)).ExportDescription
    const job = await follow(`export ${tableName}`,
      async () => (await call(upstream, options, 'DescribeExport', { ExportArn: started.ExportArn })).ExportDescription,
      (each) => each.ExportStatus,
      (each) => ({ done: each.ItemCount ?? 0, total: fromTime === undefined ? table.ItemCount : undefined }))
    finish(job, 'ExportStatus', options, out,
      `${job.ExportArn}\n  ${job.ExportStatus}: ${job.ItemCount ?? 0} items to ${bucket}, manifest ${job.ExportManifest ?? '-'}\n`)
  } finally {
    upstream.close()
  }
}

/** `pk:S,sk:N` as KeySchema and AttributeDefinitions (the first is the partition key). */
function keyDefinition(text: string | undefined): { KeySchema: object[]; AttributeDefinitions: object[] } {
  const parts = (text ?? '').split(',').filter(Boolean)
  if (parts.length < 1 || parts.length > 2) throw new ConfigError('--key must be NAME:TYPE, or NAME:TYPE,NAME:TYPE with a sort key (types S, N or B)')
  const keys = parts.map((part) => {
    const match = /^(.+):([SNB])$/.exec(part)
    if (!match) throw new ConfigError(`--key: ${part} is not NAME:S, NAME:N or NAME:B`)
    return { name: match[1]!, type: match[2]! }
  })
  return {
    KeySchema: keys.map((key, index) => ({ AttributeName: key.name, KeyType: index === 0 ? 'HASH' : 'RANGE' })),
    AttributeDefinitions: keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type })),
  }
}

export async function runImportCommand(argv: string[], env: NodeJS.ProcessEnv = process.env, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const options = parseAdminOptions(argv, env, importFlags)
  const tableName = tableNameOf(options, 'import')
  const bucket = bucketOf(options, '--from')
  const format = options.values['--format'] ?? 'DYNAMODB_JSON'
  const request: Record<string, unknown> = {
    // ImportTable requires one, as DynamoDB does (the SDKs make one up).
    ClientToken: randomUUID(),
    S3BucketSource: { S3Bucket: bucket, ...(options.values['--prefix'] === undefined ? {} : { S3KeyPrefix: options.values['--prefix'] }) },
    InputFormat: format,
    InputCompressionType: options.values['--compression'] ?? 'NONE',
    TableCreationParameters: { TableName: tableName, BillingMode: 'PAY_PER_REQUEST', ...keyDefinition(options.values['--key']) },
  }
  const delimiter = options.values['--delimiter']
  const header = options.values['--header']
  if (delimiter !== undefined || header !== undefined) {
    request.InputFormatOptions = { Csv: { ...(delimiter === undefined ? {} : { Delimiter: delimiter }), ...(header === undefined ? {} : { HeaderList: header.split(',') }) } }
  }
  const upstream = openUpstream(options)
  try {
    const started = (await call(upstream, options, 'ImportTable', request)).ImportTableDescription
    const job = await follow(`import ${tableName}`,
      async () => (await call(upstream, options, 'DescribeImport', { ImportArn: started.ImportArn })).ImportTableDescription,
      (each) => each.ImportStatus,
      (each) => ({ done: each.ProcessedItemCount ?? 0, bytes: each.ProcessedSizeBytes }))
    finish(job, 'ImportStatus', options, out,
      `${job.ImportArn}\n  ${job.ImportStatus}: ${job.ImportedItemCount} items imported, ${job.ErrorCount} errors\n`)
  } finally {
    upstream.close()
  }
}
