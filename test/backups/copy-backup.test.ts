/**
 * `eddydb backup copy ARN --to-region R`: what AWS Backup's cross-Region copy gives, on one
 * server (/work/shared/spec/backup-export.md §4.5). The copy is a USER backup of region R with an
 * ARN of that region; ListBackups in R lists it and RestoreTableFromBackup in R restores it, GSI
 * included, while the original stays where it was and the copy outlives it. Checked through
 * the CLI (which posts to /_eddydb/backups/copy) and then the SDK in each region.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  BatchWriteItemCommand, CreateBackupCommand, DeleteBackupCommand, DescribeBackupCommand, ListBackupsCommand,
  QueryCommand, RestoreTableFromBackupCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { uniqueTableName } from '../helpers/server.js'
import { createTable } from '../helpers/tables.js'
import { cliMissingReason, runCli } from '../helpers/cli.js'
import { scanAll, startBackupTestServer, waitUntilRestored, type BackupTestServer } from './helpers.js'

let server: BackupTestServer
let west: DynamoDBClient
before(async () => {
  server = await startBackupTestServer()
  west = server.newClient({ region: 'eu-west-1' })
})
after(async () => { await server?.close() })

const items = 1500

/** A table with a GSI on `color` and `items` items, backed up; its backup ARN. */
async function backedUpTable(): Promise<{ table: string; backupArn: string }> {
  const table = uniqueTableName('copy-source')
  await createTable(server.client, {
    TableName: table,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'color', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byColor', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
  })
  for (let start = 0; start < items; start += 25) {
    await server.client.send(new BatchWriteItemCommand({
      RequestItems: { [table]: Array.from({ length: 25 }, (_, offset) => ({
        PutRequest: { Item: { pk: { S: `k${start + offset}` }, color: { S: (start + offset) % 3 === 0 ? 'red' : 'blue' } } },
      })) },
    }))
  }
  const { BackupDetails } = await server.client.send(new CreateBackupCommand({ TableName: table, BackupName: 'to-copy' }))
  return { table, backupArn: BackupDetails!.BackupArn! }
}

const cli = (...args: string[]) => runCli([...args, '--endpoint', server.endpoint])

test('a backup copied to another region is listed and restored there, and outlives the original', { skip: cliMissingReason }, async () => {
  const { table, backupArn } = await backedUpTable()
  const run = await cli('backup', 'copy', backupArn, '--to-region', 'eu-west-1')
  assert.equal(run.code, 0, run.stderr)
  const [copyArn, status] = run.stdout.trim().split(' ')
  assert.match(copyArn!, new RegExp(`^arn:aws:dynamodb:eu-west-1:\\d{12}:table/${table}/backup/\\d{14}-[0-9a-f]{8}$`))
  assert.equal(status, 'AVAILABLE')

  const { BackupSummaries: westBackups } = await west.send(new ListBackupsCommand({ TableName: table }))
  assert.deepEqual(westBackups?.map((summary) => [summary.BackupArn, summary.BackupName, summary.BackupType, summary.BackupStatus]),
    [[copyArn, 'to-copy', 'USER', 'AVAILABLE']])
  const { BackupDescription: original } = await server.client.send(new DescribeBackupCommand({ BackupArn: backupArn }))
  const { BackupDescription: copy } = await west.send(new DescribeBackupCommand({ BackupArn: copyArn }))
  assert.equal(copy?.BackupDetails?.BackupSizeBytes, original?.BackupDetails?.BackupSizeBytes)
  assert.equal(copy?.SourceTableDetails?.ItemCount, items)
  // The items are as of the original's instant.
  assert.equal(copy?.BackupDetails?.BackupCreationDateTime?.getTime(), original?.BackupDetails?.BackupCreationDateTime?.getTime())
  // The source region keeps its one backup; the copy's ARN is unknown there.
  const { BackupSummaries: eastBackups } = await server.client.send(new ListBackupsCommand({ TableName: table }))
  assert.deepEqual(eastBackups?.map((summary) => summary.BackupArn), [backupArn])

  await server.client.send(new DeleteBackupCommand({ BackupArn: backupArn }))
  const restored = uniqueTableName('copy-restored')
  const { TableDescription } = await west.send(new RestoreTableFromBackupCommand({ TargetTableName: restored, BackupArn: copyArn }))
  assert.equal(TableDescription?.RestoreSummary?.SourceBackupArn, copyArn)
  assert.match(TableDescription!.TableArn!, /^arn:aws:dynamodb:eu-west-1:/)
  const active = await waitUntilRestored(west, restored)
  assert.equal(active.ItemCount, items)
  assert.equal((await scanAll(west, restored)).size, items)
  const { Count } = await west.send(new QueryCommand({
    TableName: restored, IndexName: 'byColor', KeyConditionExpression: 'color = :c', ExpressionAttributeValues: { ':c': { S: 'red' } }, Select: 'COUNT',
  }))
  assert.equal(Count, items / 3)
})

test('backup copy errors: same region, unknown backup, unknown region, no --to-region', { skip: cliMissingReason }, async () => {
  const { table, backupArn } = await backedUpTable()
  const sameRegion = await cli('backup', 'copy', backupArn, '--to-region', 'us-east-1')
  assert.notEqual(sameRegion.code, 0)
  assert.match(sameRegion.stderr, /ValidationException: The backup is already in region us-east-1/)
  const unknownArn = `${backupArn.slice(0, backupArn.lastIndexOf('/backup/'))}/backup/01000000000000-00000000`
  const notFound = await cli('backup', 'copy', unknownArn, '--to-region', 'eu-west-1')
  assert.notEqual(notFound.code, 0)
  assert.match(notFound.stderr, /BackupNotFoundException: Backup not found/)
  const nowhere = await cli('backup', 'copy', backupArn, '--to-region', 'xx-nowhere-1')
  assert.notEqual(nowhere.code, 0)
  assert.match(nowhere.stderr, /ValidationException: TargetRegion xx-nowhere-1 is not a region this server serves/)
  const noRegion = await cli('backup', 'copy', backupArn)
  assert.notEqual(noRegion.code, 0)
  assert.match(noRegion.stderr, /--to-region/)
  // Nothing was copied anywhere.
  const { BackupSummaries } = await west.send(new ListBackupsCommand({ TableName: table }))
  assert.deepEqual(BackupSummaries, [])
})
