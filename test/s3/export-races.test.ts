/**
 * Two ExportTableToPointInTime requests with one ClientToken, sent together, make one export: the
 * token is looked up again in the transaction that stores the export (writeJobUnlessReplayed).
 * Before, both could miss each other and start two exports, one out of the token's reach. The
 * race is held in the storage's write queue until both requests reach it (helpers/hold-writes.ts).
 */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ExportTableToPointInTimeCommand, ListExportsCommand } from '@aws-sdk/client-dynamodb'
import { holdWrites, sent } from '../helpers/hold-writes.js'
import { startBackupTestServer, type BackupTestServer } from '../backups/helpers.js'
import { newExportableTable, waitForExport, withS3Server } from './helpers.js'

const bucket = 'export-races'

describe('ExportTableToPointInTime sent twice at once', () => {
  let server: BackupTestServer
  // On a file: reads go through their own connection, which the held write queue does not block.
  const dataDir = mkdtempSync(join(tmpdir(), 'eddydb-export-races-'))
  withS3Server((settings) => startBackupTestServer({ ...settings, inMemory: false, dataDir }), [bucket], (_s3, started) => { server = started })
  after(() => rmSync(dataDir, { recursive: true, force: true }))

  test('with one ClientToken makes one export', async () => {
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
})
