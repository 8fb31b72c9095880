/**
 * What a restore in progress refuses: another restore to its name (TableInUseException), another
 * restore from its backup and deleting the backup it reads (BackupInUseException), deleting the table (ResourceInUseException), and
 * data-plane calls (ResourceNotFoundException), and calls on its settings (TTL, tags, Contributor
 * Insights, backups, UpdateTable: not found, as DynamoDB answers) until it is ACTIVE. The region's background jobs
 * are held while the calls below are made, so the restore is surely still in progress then.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  BatchWriteItemCommand, CreateBackupCommand, DeleteBackupCommand, DeleteTableCommand, DescribeContinuousBackupsCommand, DescribeTableCommand,
  DescribeTimeToLiveCommand, GetItemCommand, RestoreTableFromBackupCommand, TagResourceCommand, UpdateContributorInsightsCommand,
  UpdateTableCommand, UpdateTimeToLiveCommand,
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
    // DynamoDB's words (DDB-TABLE-219 of an API-quirks lab, against AWS, 2026-10).
    await expectError(server.client.send(new RestoreTableFromBackupCommand({ TargetTableName: target, BackupArn: BackupDetails!.BackupArn })),
      'TableInUseException', `Table: ${target} is already being restored from backup: ${BackupDetails!.BackupArn}`)
    await expectError(server.client.send(new DeleteBackupCommand({ BackupArn: BackupDetails!.BackupArn })), 'BackupInUseException',
      `Backup is being used to restore table: ${BackupDetails!.BackupArn}`)
    await expectError(server.client.send(new RestoreTableFromBackupCommand({ TargetTableName: `${target}-2`, BackupArn: BackupDetails!.BackupArn })),
      'BackupInUseException', `Backup is being used to restore another table: ${BackupDetails!.BackupArn}`)
    await expectError(server.client.send(new GetItemCommand({ TableName: target, Key: { pk: { S: 'k1' } } })), 'ResourceNotFoundException')
    await expectError(server.client.send(new DeleteTableCommand({ TableName: target })), 'ResourceInUseException')
    // Nor is it there for its settings yet, as DynamoDB answers: TTL, tags, Contributor Insights, backups, UpdateTable.
    const notFound = `Requested resource not found: Table: ${target} not found`
    await expectError(server.client.send(new UpdateTimeToLiveCommand({ TableName: target, TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true } })),
      'ResourceNotFoundException', notFound)
    await expectError(server.client.send(new DescribeTimeToLiveCommand({ TableName: target })), 'ResourceNotFoundException', notFound)
    await expectError(server.client.send(new UpdateContributorInsightsCommand({ TableName: target, ContributorInsightsAction: 'ENABLE' })),
      'ResourceNotFoundException', notFound)
    await expectError(server.client.send(new UpdateTableCommand({ TableName: target, DeletionProtectionEnabled: true })), 'ResourceNotFoundException', notFound)
    const { Table: restoring } = await server.client.send(new DescribeTableCommand({ TableName: target }))
    await expectError(server.client.send(new TagResourceCommand({ ResourceArn: restoring!.TableArn, Tags: [{ Key: 'k', Value: 'v' }] })), 'ResourceNotFoundException')
    await expectError(server.client.send(new CreateBackupCommand({ TableName: target, BackupName: 'too-early' })), 'TableNotFoundException', `Table not found: ${target}`)
    await expectError(server.client.send(new DescribeContinuousBackupsCommand({ TableName: target })), 'TableNotFoundException', `Table not found: ${target}`)
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
