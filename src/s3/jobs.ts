/**
 * What exports and imports share as long-running jobs: their ids, their records in the storage's
 * state store (so they survive restarts and work the same on SQLite and PostgreSQL), and the
 * NextToken of their list operations.
 */
import type { StorageEngine } from '../storage/engine.js'
import { ValidationException } from '../errors.js'


/** The last segment of an export or import ARN. */
export function jobIdOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1)
}

/** A job's ARN: `<tableArn>/<kind>/<id>`, as tools split it. */
export const jobArnPattern = (kind: 'export' | 'import') =>
  new RegExp(`^arn:aws[\\w-]*:dynamodb:[\\w-]+:\\d{12}:table/[a-zA-Z0-9_.-]{3,255}/${kind}/\\d{14}-[0-9a-f]{8}$`)

export async function readJob<T>(storage: StorageEngine, namespace: string, arn: string): Promise<T | undefined> {
  const json = await storage.read((view) => view.getState(namespace, arn))
  return json === undefined ? undefined : JSON.parse(json) as T
}

export async function writeJob(storage: StorageEngine, namespace: string, arn: string, job: object): Promise<void> {
  const json = JSON.stringify(job)
  await storage.transact((tx) => tx.putState(namespace, arn, json))
}

/**
 * Stores a new job unless `replayOf` finds, among the namespace's jobs, an earlier one that the
 * request's ClientToken replays; that one is then returned and nothing is stored. Looked up in the
 * transaction that stores the job, so two requests with one token sent together make one job.
 */
export async function writeJobUnlessReplayed<T extends object>(
  storage: StorageEngine, namespace: string, arn: string, job: T, replayOf: (jobs: T[]) => T | undefined,
): Promise<T> {
  return storage.transact(async (tx) => {
    const earlier = replayOf((await tx.listState(namespace)).map((entry) => JSON.parse(entry.value) as T))
    if (earlier) return earlier
    await tx.putState(namespace, arn, JSON.stringify(job))
    return job
  })
}

export async function listJobs<T>(storage: StorageEngine, namespace: string): Promise<T[]> {
  const entries = await storage.read((view) => view.listState(namespace))
  return entries.map((entry) => JSON.parse(entry.value) as T)
}

/**
 * A list operation's NextToken: the last ARN listed, in hex padded to whole 16-digit groups and
 * at least 112 digits (ListImports' declared pattern and length).
 */
export function pageToken(lastArn: string): string {
  let hex = Buffer.from(lastArn, 'utf8').toString('hex')
  const length = Math.max(112, Math.ceil(hex.length / 16) * 16)
  hex = hex.padEnd(length, '0')
  return hex
}

/** The ARN a NextToken continues after; ValidationException (with `message`) when it is not one. */
export function afterToken(token: string, message: string): string {
  if (!/^([0-9a-f]{16})+$/.test(token)) throw new ValidationException(message)
  const arn = Buffer.from(token, 'hex').toString('utf8').replace(/\0+$/, '')
  if (!arn.startsWith('arn:')) throw new ValidationException(message)
  return arn
}

/** A table's ARN, as exports and imports name their tables. */
export const jobTableArnPattern = /^arn:aws[\w-]*:dynamodb:[\w-]+:\d{12}:table\/([a-zA-Z0-9_.-]{3,255})$/

/** ListExports' and ListImports' TableArn filter must be a table's ARN (the same catalogue). */
export function checkTableArnFilter(tableArn: string | undefined): void {
  if (tableArn !== undefined && !jobTableArnPattern.test(tableArn)) throw new ValidationException('tableArn is not a valid ARN')
}

/** ISO-8601 with milliseconds and Z, as the export manifests write times. */
export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString()
}

/**
 * One page of jobs, newest first (ids start with their start time, so ARN order is time order
 * within a table), after the ARN a NextToken names; with the NextToken of the next page if any.
 */
export function newestFirstPage<T>(
  jobs: T[], arnOf: (job: T) => string, nextToken: string | undefined, pageSize: number,
): { page: T[]; nextToken?: string } {
  // DynamoDB's words for a token it did not give (the API-quirks lab's catalogue, 2026-10).
  const after = nextToken === undefined ? undefined : afterToken(nextToken, `Invalid Request: Provided nextToken is invalid: ${nextToken}`)
  const sorted = [...jobs].sort((a, b) => (arnOf(a) < arnOf(b) ? 1 : arnOf(a) > arnOf(b) ? -1 : 0))
  const start = after === undefined ? 0 : sorted.findIndex((job) => arnOf(job) < after)
  const page = start < 0 ? [] : sorted.slice(start, start + pageSize)
  const more = start >= 0 && start + pageSize < sorted.length
  return more ? { page, nextToken: pageToken(arnOf(page[page.length - 1]!)) } : { page }
}
