/**
 * What the export and import tests share: tables and requests, writing objects, waiting for jobs,
 * compressing fixtures, scanning tables.
 */
import { execFileSync } from 'node:child_process'
import { gzipSync } from 'node:zlib'
import {
  CreateTableCommand, DescribeBulkOperationCommand, DescribeExportCommand, DescribeImportCommand, ScanCommand,
  type BulkOperationDescription, type DynamoDBClient, type ExportDescription, type ImportTableCommandInput, type ImportTableDescription,
} from '@aws-sdk/client-dynamodb'
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type PutObjectCommandInput, type S3Client } from '@aws-sdk/client-s3'
import { after, before } from 'node:test'
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js'
import { enablePitr } from '../backups/helpers.js'
import { uniqueTableName } from '../helpers/server.js'
import { waitForActive } from '../helpers/tables.js'

/** How often, and at most how many times, a test looks at a running job. */
const pollMs = 50
const pollsMax = 2400

/** Looks at a job until it has left IN_PROGRESS (a bounded number of looks). */
async function waitForJob<T extends object>(name: string, look: () => Promise<T>, status: (job: T) => string | undefined): Promise<T> {
  for (let poll = 0; poll < pollsMax; poll++) {
    const job = await look()
    if (status(job) !== 'IN_PROGRESS') return job
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
  throw new Error(`${name} still IN_PROGRESS after ${pollsMax} looks`)
}

export function waitForImport(client: DynamoDBClient, importArn: string): Promise<ImportTableDescription> {
  return waitForJob(importArn, async () => (await client.send(new DescribeImportCommand({ ImportArn: importArn }))).ImportTableDescription!,
    (job) => job.ImportStatus)
}

export function waitForExport(client: DynamoDBClient, exportArn: string): Promise<ExportDescription> {
  return waitForJob(exportArn, async () => (await client.send(new DescribeExportCommand({ ExportArn: exportArn }))).ExportDescription!,
    (job) => job.ExportStatus)
}

/** Looks at a bulk operation until it has ended (a cancellation under way counts as running). */
export function waitForBulkOperation(client: DynamoDBClient, arn: string): Promise<BulkOperationDescription> {
  return waitForJob(arn, async () => (await client.send(new DescribeBulkOperationCommand({ BulkOperationArn: arn }))).BulkOperationDescription!,
    (job) => (job.BulkOperationStatus === 'CANCELLING' ? 'IN_PROGRESS' : job.BulkOperationStatus))
}

export function gzip(text: string): Buffer {
  return gzipSync(Buffer.from(text))
}

/** zstd through the zstd command-line tool (what users' files come from). */
export function zstd(text: string): Buffer {
  return execFileSync('zstd', ['-q', '-c', '-'], { input: Buffer.from(text) })
}

/** Every item of a table, sorted by their JSON, for comparing tables. */
export async function scanAll(client: DynamoDBClient, tableName: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = []
  let start: Record<string, any> | undefined
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }))
    items.push(...(page.Items ?? []))
    start = page.LastEvaluatedKey
  } while (start)
  return items.map(sortedDeep).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
}

/** A value with map keys sorted and set members sorted, so that equal items print alike. */
function sortedDeep(value: any): any {
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString('base64') }
  if (Array.isArray(value)) return value.map(sortedDeep)
  if (value && typeof value === 'object') {
    const result: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const member = value[key]
      result[key] = (key === 'SS' || key === 'NS') ? [...member].sort() : key === 'BS'
        ? member.map((each: Uint8Array) => Buffer.from(each).toString('base64')).sort() : sortedDeep(member)
    }
    return result
  }
  return value
}

export async function objectText(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
  return Buffer.from(await answer.Body!.transformToByteArray())
}

export async function objectKeys(s3: S3Client, bucket: string, prefix = ''): Promise<string[]> {
  const answer = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))
  return (answer.Contents ?? []).map((object) => object.Key!).sort()
}

/** A new table keyed by pk (S), ACTIVE and with point-in-time recovery on, as an export needs it. */
export async function newExportableTable(client: DynamoDBClient, prefix: string): Promise<{ name: string; arn: string }> {
  const name = uniqueTableName(prefix)
  await client.send(new CreateTableCommand({
    TableName: name, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  }))
  const table = await waitForActive(client, name)
  await enablePitr(client, name)
  return { name, arn: table.TableArn! }
}

export async function putObject(s3: S3Client, bucket: string, key: string, body: Buffer | string, extra: Partial<PutObjectCommandInput> = {}): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...extra }))
}

/** An import of DYNAMODB_JSON objects under `prefix` into a new table keyed by pk (S) and sk (N). */
export function importTableInput(bucket: string, tableName: string, prefix: string, extra: Partial<ImportTableCommandInput> = {}): ImportTableCommandInput {
  return {
    S3BucketSource: { S3Bucket: bucket, S3KeyPrefix: prefix },
    InputFormat: 'DYNAMODB_JSON',
    TableCreationParameters: {
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      BillingMode: 'PAY_PER_REQUEST',
    },
    ...extra,
  }
}

/**
 * The suite's before and after for most S3 tests: moto, an EddyDB server pointed at it (started
 * by `startServer`), and `buckets` made; `started` hands both to the suite's own variables.
 */
export function withS3Server<Server extends { close(): Promise<void> }>(
  startServer: (settings: S3TestServer['settings']) => Promise<Server>,
  buckets: string[],
  started: (s3: S3TestServer, server: Server) => void,
): void {
  let s3: S3TestServer | undefined
  let server: Server | undefined
  before(async () => {
    s3 = await startS3Server()
    server = await startServer({ ...s3.settings })
    for (const Bucket of buckets) await s3.client.send(new CreateBucketCommand({ Bucket }))
    started(s3, server)
  })
  after(async () => {
    await server?.close()
    await s3?.close()
  })
}
