/**
 * An import's error log: one JSON line per bad item, the same message DynamoDB puts in
 * CloudWatch Logs (log group /aws-dynamodb/imports, stream <importId>/error), written to
 * `<dataDir>/imports/<importId>/error.log` (under the system's temporary directory for an
 * in-memory server). Opened only when the first error comes.
 */
import { appendFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Config } from '../config.js'
import { jobIdOf } from '../s3/jobs.js'

export const importLogGroup = '/aws-dynamodb/imports'

export function logGroupArn(region: string, accountId: string): string {
  return `arn:aws:logs:${region}:${accountId}:log-group:${importLogGroup}:*`
}

export function errorLogPath(config: Pick<Config, 'dataDir' | 'inMemory'>, importArn: string): string {
  const root = config.inMemory ? join(tmpdir(), 'eddydb-imports') : join(resolve(config.dataDir), 'imports')
  return join(root, jobIdOf(importArn), 'error.log')
}

export interface ItemPointer {
  bucket: string
  key: string
  itemIndex: number
}

export class ImportErrorLog {
  #opened = false

  constructor(readonly path: string, readonly importArn: string) {}

  async append(pointer: ItemPointer, messages: string[]): Promise<void> {
    if (!this.#opened) {
      await mkdir(join(this.path, '..'), { recursive: true })
      this.#opened = true
    }
    const line = JSON.stringify({ itemS3Pointer: pointer, importArn: this.importArn, errorMessages: messages })
    await appendFile(this.path, line + '\n')
  }
}
