/**
 * DeleteTable meeting a change that committed after the request began. Its checks (deletion
 * protection, an index being built, a backup being taken) are made on the table and the backups
 * as they are in the deleting transaction, and CreateBackup checks the table in its own: one of
 * the two is refused, never both acknowledged with one undoing the other (an UpdateTable that turned
 * protection on, then the table deleted; a backup AVAILABLE and empty). Contributor Insights
 * turned on for an index deleted just before is refused, not kept for an index made later under
 * its name.
 *
 * Each race is made deterministic by holding the storage's write queue while both requests reach
 * it (helpers/hold-writes.ts), then letting go: the first one queued commits first.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  BatchWriteItemCommand, CreateBackupCommand, CreateTableCommand, DeleteTableCommand, DescribeBackupCommand, DescribeContributorInsightsCommand,
  DescribeTableCommand, ListBackupsCommand, UpdateContributorInsightsCommand, UpdateTableCommand,
} from '@aws-sdk/client-dynamodb'
import { startTestServer, uniqueTableName, type TestServer } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'
import { holdWrites, holdWritesSkipReason, sent } from '../helpers/hold-writes.js'
import type { RegionContext } from '../../src/api/context.js'

let server: TestServer
let dataDir: string
let region: RegionContext
before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eddydb-delete-races-'))
  server = await startTestServer({ inMemory: false, dataDir })
  region = await server.running!.regions.get('us-east-1')
})
after(async () => {
  await server?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

async function tableWithItems(prefix: string, count: number): Promise<string> {
  const TableName = await createKeyTable(server.client, prefix)
  for (let start = 0; start < count; start += 25) {
    const writes = Array.from({ length: 25 }, (_, offset) => ({ PutRequest: { Item: { pk: { S: `k${start + offset}` } } } }))
    await server.client.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: writes } }))
  }
  return TableName
}

test('deletion protection turned on just before a DeleteTable refuses it', { skip: holdWritesSkipReason }, async () => {
  const TableName = await createKeyTable(server.client, 'protect-race')
  const hold = holdWrites(region)
  const protecting = server.client.send(new UpdateTableCommand({ TableName, DeletionProtectionEnabled: true }))
  await hold.transactions(1)
  const deleting = sent(server.client.send(new DeleteTableCommand({ TableName })))
  await hold.catalogChanges('remove', 1)
  await hold.release()
  assert.equal((await protecting).TableDescription!.DeletionProtectionEnabled, true)
  await expectError(deleting, 'ValidationException', /currently protected against deletion/)
  assert.equal((await server.client.send(new DescribeTableCommand({ TableName }))).Table!.DeletionProtectionEnabled, true)
})

test('a backup requested just before a DeleteTable refuses it, and holds every item', { skip: holdWritesSkipReason }, async () => {
  const TableName = await tableWithItems('backup-first', 100)
  const hold = holdWrites(region)
  const backingUp = server.client.send(new CreateBackupCommand({ TableName, BackupName: 'first' }))
  await hold.transactions(1)
  const deleting = sent(server.client.send(new DeleteTableCommand({ TableName })))
  await hold.catalogChanges('remove', 1)
  await hold.release()
  const { BackupDetails } = await backingUp
  await expectError(deleting, 'BackupInUseException')
  const described = await server.client.send(new DescribeBackupCommand({ BackupArn: BackupDetails!.BackupArn }))
  assert.equal(described.BackupDescription!.SourceTableDetails!.ItemCount, 100)
})

test('a backup requested just after a DeleteTable is refused, not left empty', { skip: holdWritesSkipReason }, async () => {
  const TableName = await tableWithItems('delete-first', 100)
  const hold = holdWrites(region)
  const deleting = server.client.send(new DeleteTableCommand({ TableName }))
  await hold.transactions(1)
  const backingUp = sent(server.client.send(new CreateBackupCommand({ TableName, BackupName: 'after' })))
  await hold.transactions(2)
  await hold.release()
  await deleting
  await expectError(backingUp, 'TableNotFoundException', `Table not found: ${TableName}`)
  assert.deepEqual((await server.client.send(new ListBackupsCommand({ TableName }))).BackupSummaries, [])
})

test('Contributor Insights turned on for an index deleted just before is refused', { skip: holdWritesSkipReason }, async () => {
  const TableName = uniqueTableName('insights-race')
  const gsi = { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'KEYS_ONLY' as const } }
  await server.client.send(new CreateTableCommand({
    TableName, BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [gsi],
  }))
  const hold = holdWrites(region)
  const deleting = sent(server.client.send(new UpdateTableCommand({ TableName, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byG' } }] })))
  await hold.catalogChanges('update', 1)
  const enabling = sent(server.client.send(new UpdateContributorInsightsCommand({ TableName, IndexName: 'byG', ContributorInsightsAction: 'ENABLE' })))
  await hold.catalogChanges('update', 2)
  await hold.release()
  await deleting
  await expectError(enabling, 'ResourceNotFoundException', /Index: byG not found/)
  // An index made again under the name starts with Contributor Insights off.
  await server.client.send(new UpdateTableCommand({
    TableName, AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }], GlobalSecondaryIndexUpdates: [{ Create: gsi }],
  }))
  const described = await server.client.send(new DescribeContributorInsightsCommand({ TableName, IndexName: 'byG' }))
  assert.equal(described.ContributorInsightsStatus, 'DISABLED')
})
