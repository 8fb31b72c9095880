/**
 * An export or an import that a SIGKILL interrupts does not stay IN_PROGRESS: at the next start
 * the export is done again (the data files of the killed run are removed, so the export's data
 * folder holds exactly the files its manifest lists) and the import goes on from its last
 * stored batch (no line is counted, imported or logged twice). The bucket is a local directory
 * (file://), the storage a data directory or, under run-on-postgres, a new PostgreSQL database.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { gunzipSync, gzipSync } from 'node:zlib'
import {
  BatchWriteItemCommand, DescribeExportCommand, DescribeImportCommand, DescribeTableCommand, DynamoDBClient,
  ExportTableToPointInTimeCommand, ImportTableCommand,
} from '@aws-sdk/client-dynamodb'
import { testCredentials } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { cliMissingReason, killHard, startCli, type CliServer } from '../helpers/cli.js'
import { createDatabaseAt } from '../helpers/postgres.js'
import { errorLogPath } from '../../src/imports/error-log.js'
import { enablePitr } from '../backups/helpers.js'
import { waitForExport, waitForImport } from './helpers.js'

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

    const second = await startCli(flags)
    const after = newClient(second.url)
    try {
      const finished = await waitForExport(after, exportArn)
      assert.equal(finished.ExportStatus, 'COMPLETED')
      assert.equal(finished.ItemCount, items)
      const exportDir = join(bucketDir, 'AWSDynamoDB', exportArn.split('/export/')[1]!)
      const manifest = readFileSync(join(exportDir, 'manifest-files.json'), 'utf8').trim().split('\n').map((line) => JSON.parse(line))
      const listed: string[] = manifest.map((entry: { dataFileS3Key: string }) => entry.dataFileS3Key.split('/').at(-1)!).sort()
      assert.deepEqual(readdirSync(join(exportDir, 'data')).sort(), listed)
      const keys = new Set<string>()
      for (const file of listed) {
        for (const line of gunzipSync(readFileSync(join(exportDir, 'data', file))).toString('utf8').trim().split('\n')) {
          keys.add(JSON.parse(line).Item.pk.S)
        }
      }
      assert.equal(keys.size, items)
    } finally {
      after.destroy()
      await killHard(second.process)
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(bucketDir, { recursive: true, force: true })
  }
})
