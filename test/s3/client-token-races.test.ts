/**
 * Requests with one ClientToken sent together get one job, as one sent later does. Two
 * ExportTableToPointInTime: the token is looked up again in the transaction that stores the
 * export (writeJobUnlessReplayed); before, both could miss each other and start two exports. Two
 * ImportTable: the import is stored with its table, and the one refused because the table is
 * being created answers with that import; before, it answered "Table already exists". Each race
 * is held in the storage's write queue until both requests reach it (helpers/hold-writes.ts).
 */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ExportTableToPointInTimeCommand, ImportTableCommand, ListExportsCommand, type ImportTableCommandInput } from '@aws-sdk/client-dynamodb'
import { holdWrites, holdWritesSkipReason, sent } from '../helpers/hold-writes.js'
import { startBackupTestServer, type BackupTestServer } from '../backups/helpers.js'
import { newExportableTable, putObject, waitForExport, waitForImport, withS3Server } from './helpers.js'

const bucket = 'export-races'

describe('ClientToken requests sent twice at once', () => {
  let server: BackupTestServer
  let s3: { client: import('@aws-sdk/client-s3').S3Client }
  // On a file: reads go through their own connection, which the held write queue does not block.
  const dataDir = mkdtempSync(join(tmpdir(), 'eddydb-export-races-'))
  withS3Server((settings) => startBackupTestServer({ ...settings, inMemory: false, dataDir }), [bucket], (startedS3, started) => { s3 = startedS3; server = started })
  after(() => rmSync(dataDir, { recursive: true, force: true }))

  test('with one ClientToken makes one export', { skip: holdWritesSkipReason }, async () => {
    const table = await newExportableTable(server.client, 'export-race')
    const request = { TableArn: table.arn, S3Bucket: bucket, S3Prefix: 'race', ClientToken: 'one-token-for-both' }
    const hold = holdWrites(await server.region())
    const first = sent(server.client.send(new ExportTableToPointInTimeCommand(request)))
    await hold.transactions(1)
    const second = sent(server.client.send(new ExportTableToPointInTimeCommand(request)))
    await hold.transactions(2)
    await hold.release()
    const [a, b] = [(await first).ExportDescription!, (await second).ExportDescription!]
    assert.equal(b.ExportArn, a.ExportArn)
    assert.equal((await waitForExport(server.client, a.ExportArn!)).ExportStatus, 'COMPLETED')
    const { ExportSummaries } = await server.client.send(new ListExportsCommand({ TableArn: table.arn }))
    assert.deepEqual(ExportSummaries!.map((summary) => summary.ExportArn), [a.ExportArn])
  })

  test('ImportTable with one ClientToken makes one import, the same answer to both', { skip: holdWritesSkipReason }, async () => {
    await putObject(s3.client, bucket, 'import-race/data.json', '{"Item":{"pk":{"S":"a"}}}\n')
    const request: ImportTableCommandInput = {
      ClientToken: 'one-import-token', InputFormat: 'DYNAMODB_JSON',
      S3BucketSource: { S3Bucket: bucket, S3KeyPrefix: 'import-race/' },
      TableCreationParameters: {
        TableName: 'import-race', BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      },
    }
    const hold = holdWrites(await server.region())
    const first = sent(server.client.send(new ImportTableCommand(request)))
    await hold.catalogChanges('create', 1)
    const second = sent(server.client.send(new ImportTableCommand(request)))
    await hold.catalogChanges('create', 2)
    await hold.release()
    const [a, b] = [(await first).ImportTableDescription!, (await second).ImportTableDescription!]
    assert.equal(b.ImportArn, a.ImportArn)
    assert.equal((await waitForImport(server.client, a.ImportArn!)).ImportStatus, 'COMPLETED')
  })
})
