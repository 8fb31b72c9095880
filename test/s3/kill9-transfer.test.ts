/**
 * An export, an import or a bulk put that a SIGKILL interrupts does not stay IN_PROGRESS: at the
 * next start a bulk put ends FAILED (keeping what it wrote), the export is done again (the data files of the killed run are removed, so the export's data
 * folder holds exactly the files its manifest lists) and the import goes on from its last
 * stored batch (no line is counted, imported or logged twice). The bucket is a local directory
 * (file://) or moto_server's S3, the storage a data directory or, under run-on-postgres, a new
 * PostgreSQL database. The killed export's unfinished upload (a multipart upload on S3, a partial
 * file in a directory) is aborted by the run that does it again.
 */
import { test } from 'node:test'
import { randomBytes } from 'node:crypto'
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { gunzipSync, gzipSync } from 'node:zlib'
import {
  BatchWriteItemCommand, DescribeBulkOperationCommand, DescribeExportCommand, DescribeImportCommand, DescribeTableCommand, DynamoDBClient,
  ExportTableToPointInTimeCommand, ImportTableCommand, ScanCommand, StartBulkPutItemsCommand,
} from '@aws-sdk/client-dynamodb'
import {
  CreateBucketCommand, CreateMultipartUploadCommand, ListMultipartUploadsCommand, type S3Client,
} from '@aws-sdk/client-s3'
import { testCredentials } from '../helpers/server.js'
import { startS3Server } from '../helpers/s3-server.js'
import { createKeyTable } from '../helpers/tables.js'
import { cliMissingReason, killHard, startCli, type CliServer } from '../helpers/cli.js'
import { createDatabaseAt } from '../helpers/postgres.js'
import { errorLogPath } from '../../src/imports/error-log.js'
import { enablePitr } from '../backups/helpers.js'
import { objectKeys, objectText, waitForBulkOperation, waitForExport, waitForImport } from './helpers.js'

const newClient = (endpoint: string) =>
  new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 })

/** The server's storage flags: a new PostgreSQL database under run-on-postgres, else the data dir. */
async function storageFlags(dataDir: string, name: string): Promise<string[]> {
  const serverUrl = process.env.EDDYDB_TEST_STORAGE_URL
  if (!serverUrl) return ['--data-dir', dataDir]
  return ['--storage-url', await createDatabaseAt(serverUrl, `eddydb_kill9_${name}_${process.pid}`)]
}

/**
 * Looks (a bounded number of times) until `seen` is true of the job, kills the server with
 * SIGKILL, and returns what it saw last.
 */
async function killWhen<T>(server: CliServer, look: () => Promise<T>, seen: (job: T) => boolean): Promise<T> {
  let job = await look()
  for (let attempt = 0; attempt < 2000 && !seen(job); attempt++) job = await look()
  await killHard(server.process)
  return job
}

test('SIGKILL during an import: the import goes on from its last batch after the restart', { skip: cliMissingReason, timeout: 300_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'eddydb-kill9-import-'))
  const bucketDir = mkdtempSync(join(tmpdir(), 'eddydb-kill9-import-bucket-'))
  const objects = 4
  const linesPerObject = 10_000
  try {
    for (let object = 0; object < objects; object++) {
      const lines = Array.from({ length: linesPerObject }, (_, line) =>
        JSON.stringify({ Item: { pk: { S: `k${object}-${line}` }, pad: { S: 'x'.repeat(300) } } }))
      // One bad line in the last object, read after the kill: logged and counted exactly once.
      if (object === objects - 1) lines.push('{"Item":{"pad":{"S":"no key"}}}')
      writeFileSync(join(bucketDir, `part-${object}.json.gz`), gzipSync(lines.join('\n')))
    }
    const flags = ['--port', '0', ...await storageFlags(dataDir, 'import')]
    const first = await startCli(flags)
    const client = newClient(first.url)
    const { ImportTableDescription: started } = await client.send(new ImportTableCommand({
      S3BucketSource: { S3Bucket: pathToFileURL(bucketDir).href }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP',
      TableCreationParameters: {
        TableName: 'kill9-imported', BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      },
    }))
    const importArn = started!.ImportArn!
    // Kill once a few batches are in (the live count runs ahead of the stored batches).
    const killed = await killWhen(first, async () => (await client.send(new DescribeImportCommand({ ImportArn: importArn }))).ImportTableDescription!,
      (job) => job.ImportStatus !== 'IN_PROGRESS' || (job.ImportedItemCount ?? 0) >= 5000)
    client.destroy()
    // The kill came mid-import (40,000 lines take far longer than a few DescribeImport calls).
    assert.equal(killed.ImportStatus, 'IN_PROGRESS')

    const second = await startCli(flags)
    const after = newClient(second.url)
    try {
      const finished = await waitForImport(after, importArn)
      assert.equal(finished.ImportStatus, 'FAILED')
      assert.equal(finished.FailureCode, 'ItemValidationError')
      assert.equal(finished.ImportedItemCount, objects * linesPerObject)
      assert.equal(finished.ErrorCount, 1)
      assert.equal(finished.ProcessedItemCount, objects * linesPerObject + 1)
      const { Table } = await after.send(new DescribeTableCommand({ TableName: 'kill9-imported' }))
      assert.equal(Table?.TableStatus, 'ACTIVE')
      assert.equal(Table?.ItemCount, objects * linesPerObject)
      if (!process.env.EDDYDB_TEST_STORAGE_URL) {
        const log = readFileSync(errorLogPath({ dataDir, inMemory: false }, importArn), 'utf8').trim().split('\n')
        assert.equal(log.length, 1)
        assert.equal(JSON.parse(log[0]!).itemS3Pointer.key, `part-${objects - 1}.json.gz`)
      }
    } finally {
      after.destroy()
      await killHard(second.process)
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(bucketDir, { recursive: true, force: true })
  }
})

test('SIGKILL during a bulk put: the operation ends FAILED after the restart, keeping every item it had acknowledged', { skip: cliMissingReason, timeout: 300_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'eddydb-kill9-bulk-'))
  const bucketDir = mkdtempSync(join(tmpdir(), 'eddydb-kill9-bulk-bucket-'))
  // Far more than a few DescribeBulkOperation calls take (about 11,500 records a second).
  const lines = 50_000
  try {
    writeFileSync(join(bucketDir, 'items.json'), Array.from({ length: lines }, (_, line) =>
      JSON.stringify({ Item: { pk: { S: `k${line}` }, pad: { S: 'x'.repeat(100) } } })).join('\n'))
    const flags = ['--port', '0', ...await storageFlags(dataDir, 'bulk')]
    const first = await startCli(flags)
    const client = newClient(first.url)
    const table = await createKeyTable(client, 'kill9-bulk')
    const bucket = pathToFileURL(bucketDir).href
    const { BulkOperationDescription: started } = await client.send(new StartBulkPutItemsCommand({
      TableName: table, InputS3Configuration: { S3Bucket: bucket, InputFormat: 'DYNAMODB_JSON' },
      OutputS3Configuration: { S3Bucket: bucket, S3KeyPrefix: 'report', OutputType: ['ERROR'] },
    }))
    const arn = started!.BulkOperationArn!
    const killed = await killWhen(first, async () => (await client.send(new DescribeBulkOperationCommand({ BulkOperationArn: arn }))).BulkOperationDescription!,
      (job) => job.BulkOperationStatus !== 'IN_PROGRESS' || (job.ProcessedItemCount ?? 0) >= 2000)
    client.destroy()
    assert.equal(killed.BulkOperationStatus, 'IN_PROGRESS')

    const second = await startCli(flags)
    const after = newClient(second.url)
    try {
      const finished = await waitForBulkOperation(after, arn)
      assert.deepEqual([finished.BulkOperationStatus, finished.FailureCode], ['FAILED', 'InternalServerError'])
      // Every record counted before the kill had been put (the one being put when it came may be there or not).
      const { Count } = await after.send(new ScanCommand({ TableName: table, Select: 'COUNT' }))
      assert.ok(Count! >= killed.ProcessedItemCount! - 1 && Count! < lines, `${Count} items after ${killed.ProcessedItemCount} processed`)
    } finally {
      after.destroy()
      await killHard(second.process)
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(bucketDir, { recursive: true, force: true })
  }
})

test('SIGKILL during an export: the export is done again after the restart, with only its own files', { skip: cliMissingReason, timeout: 300_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'eddydb-kill9-export-'))
  const bucketDir = mkdtempSync(join(tmpdir(), 'eddydb-kill9-export-bucket-'))
  const items = 20_000
  try {
    const flags = ['--port', '0', ...await storageFlags(dataDir, 'export')]
    const first = await startCli(flags)
    const client = newClient(first.url)
    const table = await createKeyTable(client, 'kill9-export')
    await enablePitr(client, table)
    for (let start = 0; start < items; start += 25) {
      await client.send(new BatchWriteItemCommand({
        RequestItems: { [table]: Array.from({ length: 25 }, (_, offset) => ({ PutRequest: { Item: { pk: { S: `k${start + offset}` }, pad: { S: 'x'.repeat(300) } } } })) },
      }))
    }
    const { ExportDescription: started } = await client.send(new ExportTableToPointInTimeCommand({
      TableArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`, S3Bucket: pathToFileURL(bucketDir).href,
    }))
    const exportArn = started!.ExportArn!
    const killed = await killWhen(first, async () => (await client.send(new DescribeExportCommand({ ExportArn: exportArn }))).ExportDescription!,
      (job) => job.ExportStatus !== 'IN_PROGRESS' || (job.ItemCount ?? 0) > 0)
    client.destroy()
    // The kill came mid-export: its first pages were written, not its manifests.
    assert.equal(killed.ExportStatus, 'IN_PROGRESS')

    await exportCompletesAfterRestart(flags, exportArn, items, () => {
      const exportDir = join(bucketDir, 'AWSDynamoDB', exportArn.split('/export/')[1]!)
      const manifest = readFileSync(join(exportDir, 'manifest-files.json'), 'utf8').trim().split('\n').map((line) => JSON.parse(line))
      const listed: string[] = manifest.map((entry: { dataFileS3Key: string }) => entry.dataFileS3Key.split('/').at(-1)!).sort()
      // Nothing else: neither the killed run's data file nor its partial (unfinished upload) file.
      assert.deepEqual(readdirSync(join(exportDir, 'data')).sort(), listed)
      const keys = new Set<string>()
      for (const file of listed) {
        for (const line of gunzipSync(readFileSync(join(exportDir, 'data', file))).toString('utf8').trim().split('\n')) {
          keys.add(JSON.parse(line).Item.pk.S)
        }
      }
      assert.equal(keys.size, items)
    })
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(bucketDir, { recursive: true, force: true })
  }
})

/** Starts the server again on `flags`, waits for the export to complete with all its items, then runs `check`. */
async function exportCompletesAfterRestart(flags: string[], exportArn: string, items: number, check: () => void | Promise<void>): Promise<void> {
  const second = await startCli(flags)
  const after = newClient(second.url)
  try {
    const finished = await waitForExport(after, exportArn)
    assert.equal(finished.ExportStatus, 'COMPLETED')
    assert.equal(finished.ItemCount, items)
    await check()
  } finally {
    after.destroy()
    await killHard(second.process)
  }
}

/** The keys of the bucket's unfinished multipart uploads under `prefix`. */
async function unfinishedUploads(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const { Uploads } = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix }))
  return (Uploads ?? []).map((upload) => upload.Key!).sort()
}

test('SIGKILL during an export to S3: the restarted export aborts the multipart upload the killed run left open, and only that', { skip: cliMissingReason, timeout: 300_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'eddydb-kill9-s3-export-'))
  const s3 = await startS3Server()
  const bucket = 'kill9-exports'
  // About 600 B of gzip per item (random padding), so a data file passes S3's 5 MiB minimum part
  // size, and lib-storage opens a multipart upload, long before the export ends.
  const items = 40_000
  try {
    await s3.client.send(new CreateBucketCommand({ Bucket: bucket }))
    // Another job's unfinished uploads in the same bucket, which the export must leave alone.
    const foreignKeys = ['AWSDynamoDB/01700000000000-0000abcd/data/other.json.gz', 'elsewhere/file.json.gz']
    for (const key of foreignKeys) await s3.client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }))
    const s3Flags = ['--s3-endpoint', s3.endpoint, '--s3-access-key-id', s3.settings.s3AccessKeyId,
      '--s3-secret-access-key', s3.settings.s3SecretAccessKey, '--s3-region', s3.settings.s3Region]
    const flags = ['--port', '0', ...s3Flags, ...await storageFlags(dataDir, 's3_export')]
    const first = await startCli(flags)
    const client = newClient(first.url)
    const table = await createKeyTable(client, 'kill9-s3-export')
    await enablePitr(client, table)
    for (let start = 0; start < items; start += 100) {
      await Promise.all([0, 25, 50, 75].map((offset) => client.send(new BatchWriteItemCommand({
        RequestItems: {
          [table]: Array.from({ length: 25 }, (_, index) => ({
            PutRequest: { Item: { pk: { S: `k${start + offset + index}` }, pad: { S: randomBytes(600).toString('base64') } } },
          })),
        },
      }))))
    }
    const { ExportDescription: started } = await client.send(new ExportTableToPointInTimeCommand({
      TableArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`, S3Bucket: bucket,
    }))
    const exportArn = started!.ExportArn!
    const exportDirectory = `AWSDynamoDB/${exportArn.split('/export/')[1]!}/`
    // Killed as soon as the export's multipart upload is open.
    const killed = await killWhen(first, async () => ({
      job: (await client.send(new DescribeExportCommand({ ExportArn: exportArn }))).ExportDescription!,
      uploads: await unfinishedUploads(s3.client, bucket, exportDirectory),
    }), ({ job, uploads }) => job.ExportStatus !== 'IN_PROGRESS' || uploads.length > 0)
    client.destroy()
    assert.equal(killed.job.ExportStatus, 'IN_PROGRESS')
    assert.equal(killed.uploads.length, 1)
    // The kill left the upload open (nothing aborts it until the export runs again).
    assert.deepEqual(await unfinishedUploads(s3.client, bucket, exportDirectory), killed.uploads)

    await exportCompletesAfterRestart(flags, exportArn, items, async () => {
      assert.deepEqual(await unfinishedUploads(s3.client, bucket, exportDirectory), [])
      assert.deepEqual(await unfinishedUploads(s3.client, bucket, ''), foreignKeys.sort())
      // The data folder holds exactly the files of the manifest.
      const manifest = (await objectText(s3.client, bucket, `${exportDirectory}manifest-files.json`)).toString('utf8')
        .trim().split('\n').map((line) => JSON.parse(line) as { dataFileS3Key: string; itemCount: number })
      assert.deepEqual(await objectKeys(s3.client, bucket, `${exportDirectory}data/`), manifest.map((entry) => entry.dataFileS3Key).sort())
      assert.equal(manifest.reduce((sum, entry) => sum + entry.itemCount, 0), items)
    })
  } finally {
    await s3.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
