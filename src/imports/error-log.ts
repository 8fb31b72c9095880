/**
 * An import's error log: one message per bad item, the JSON DynamoDB puts in CloudWatch Logs
 * (log group /aws-dynamodb/imports, stream <importId>/error). It goes to CloudWatch Logs when
 * the server has --cloudwatch-logs-endpoint, else one line each to
 * `<dataDir>/imports/<importId>/error.log` (under the system's temporary directory for a
 * server in memory or on PostgreSQL). Either is opened only when the first error comes.
 */
import { appendFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Config } from '../config.js'
import { cloudWatchLogsClient, type CloudWatchLogsClient } from './cloudwatch-logs.js'
import { jobIdOf } from '../s3/jobs.js'
import { arnPartition } from '../region-names.js'
import type { ImportDescription } from './import-record.js'

export const importLogGroup = '/aws-dynamodb/imports'

export function logGroupArn(region: string, accountId: string): string {
  return `arn:${arnPartition(region)}:logs:${region}:${accountId}:log-group:${importLogGroup}:*`
}

/** The region of a logGroupArn: the import's own, where its error log goes. */
function regionOfLogGroupArn(arn: string): string {
  return arn.split(':')[3]!
}

/** Where an import's error log file goes: the data directory's, or the system's temporary one for a server that has none (in memory, or on PostgreSQL). */
export function errorLogPath(config: Pick<Config, 'dataDir' | 'inMemory' | 'storageUrl'>, importArn: string): string {
  const hasDataDir = !config.inMemory && config.storageUrl === undefined
  const root = hasDataDir ? join(resolve(config.dataDir), 'imports') : join(tmpdir(), 'eddydb-imports')
  return join(root, jobIdOf(importArn), 'error.log')
}

export interface ItemPointer {
  bucket: string
  key: string
  itemIndex: number
}

export interface ImportErrorLog {
  /** Where the messages go, for the server's log. */
  readonly location: string
  append(pointer: ItemPointer, messages: string[]): Promise<void>
}

function errorMessage(importArn: string, pointer: ItemPointer, messages: string[]): string {
  return JSON.stringify({ itemS3Pointer: pointer, importArn, errorMessages: messages })
}

class FileErrorLog implements ImportErrorLog {
  #opened = false

  constructor(readonly location: string, readonly importArn: string) {}

  async append(pointer: ItemPointer, messages: string[]): Promise<void> {
    if (!this.#opened) {
      await mkdir(join(this.location, '..'), { recursive: true })
      this.#opened = true
    }
    await appendFile(this.location, errorMessage(this.importArn, pointer, messages) + '\n')
  }
}

class CloudWatchErrorLog implements ImportErrorLog {
  readonly location: string
  readonly #stream: string
  #opened = false

  constructor(readonly client: CloudWatchLogsClient, readonly importArn: string) {
    this.#stream = `${jobIdOf(importArn)}/error`
    this.location = `CloudWatch Logs ${importLogGroup} ${this.#stream}`
  }

  async append(pointer: ItemPointer, messages: string[]): Promise<void> {
    if (!this.#opened) {
      await this.client.openStream(importLogGroup, this.#stream)
      this.#opened = true
    }
    await this.client.call('PutLogEvents', {
      logGroupName: importLogGroup, logStreamName: this.#stream,
      logEvents: [{ timestamp: Date.now(), message: errorMessage(this.importArn, pointer, messages) }],
    })
  }
}

export function openErrorLog(config: Config, description: Pick<ImportDescription, 'ImportArn' | 'CloudWatchLogGroupArn'>): ImportErrorLog {
  const importArn = description.ImportArn
  const client = cloudWatchLogsClient(config, regionOfLogGroupArn(description.CloudWatchLogGroupArn))
  return client ? new CloudWatchErrorLog(client, importArn) : new FileErrorLog(errorLogPath(config, importArn), importArn)
}
