/**
 * What a restore in progress refuses: another restore to its name (TableInUseException), deleting
 * the backup it reads (BackupInUseException), deleting the table (ResourceInUseException), and
 * data-plane calls (ResourceNotFoundException) until it is ACTIVE. The region's background jobs
 * are held while the calls below are made, so the restore is surely still in progress then.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  BatchWriteItemCommand, CreateBackupCommand, DeleteBackupCommand, DeleteTableCommand, DescribeTableCommand, GetItemCommand,
  RestoreTableFromBackupCommand,
} from '@aws-sdk/client-dynamodb'
import { uniqueTableName } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'
import { jobsOf } from '../../src/backups/jobs.js'
import { startBackupTestServer, waitUntilRestored, type BackupTestServer } from './helpers.js'

let server: BackupTestServer
before(async () => { server = await startBackupTestServer() })
after(async () => { await server?.close() })

test('a restore in progress refuses what would conflict with it', async () => {
  const table = await createKeyTable(server.client, 'in-progress')
  const items = 5000
  for (let start = 0; start < items; start += 25) {
    await server.client.send(new BatchWriteItemCommand({
      RequestItems: { [table]: Array.from({ length: 25 }, (_, offset) => ({ PutRequest: { Item: { pk: { S: `k${start + offset}` } } } })) },
    }))
  }
  const { BackupDetails } = await server.client.send(new CreateBackupCommand({ TableName: table, BackupName: 'busy' }))
  const target = uniqueTableName('in-progress-target')
  const release = jobsOf(await server.region()).hold()
  try {
    await server.client.send(new RestoreTableFromBackupCommand({ TargetTableName: target, BackupArn: BackupDetails!.BackupArn }))
    await expectError(server.client.send(new RestoreTableFromBackupCommand({ TargetTableName: target, BackupArn: BackupDetails!.BackupArn })),
      'TableInUseException')
    await expectError(server.client.send(new DeleteBackupCommand({ BackupArn: BackupDetails!.BackupArn })), 'BackupInUseException')
    await expectError(server.client.send(new GetItemCommand({ TableName: target, Key: { pk: { S: 'k1' } } })), 'ResourceNotFoundException')
    await expectError(server.client.send(new DeleteTableCommand({ TableName: target })), 'ResourceInUseException')
    // Nothing copied yet: DescribeTable counts the restore's progress.
    const { Table } = await server.client.send(new DescribeTableCommand({ TableName: target }))
    assert.equal(Table?.TableStatus, 'CREATING')
    assert.equal(Table?.ItemCount, 0)
  } finally {
    release()
  }

  const restored = await waitUntilRestored(server.client, target)
  assert.equal(restored.ItemCount, items)
  const { Item } = await server.client.send(new GetItemCommand({ TableName: target, Key: { pk: { S: 'k1' } } }))
  assert.equal(Item?.pk?.S, 'k1')
  await server.client.send(new DeleteBackupCommand({ BackupArn: BackupDetails!.BackupArn }))
})
