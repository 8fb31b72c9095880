/**
 * A restore from a backup meeting a DeleteBackup, or another restore from the same backup, that
 * committed after the request began. Both check the backup and the restores from it in the
 * transaction that acts on the answer, so one of the two is refused: never a restore acknowledged
 * whose source is then deleted (its table vanished), nor two restores from one backup at once.
 * Each race is held in the storage's write queue until both requests reach it (helpers/hold-writes.ts).
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  BatchWriteItemCommand, CreateBackupCommand, DeleteBackupCommand, DescribeBackupCommand, DescribeTableCommand,
  RestoreTableFromBackupCommand,
} from '@aws-sdk/client-dynamodb'
import { uniqueTableName } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'
import { holdWrites, holdWritesSkipReason, sent } from '../helpers/hold-writes.js'
import { scanAll, startBackupTestServer, waitUntilRestored, type BackupTestServer } from './helpers.js'

let server: BackupTestServer
let dataDir: string
// On a file: reads go through their own connection, which the held write queue does not block.
before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eddydb-backup-races-'))
  server = await startBackupTestServer({ inMemory: false, dataDir })
})
after(async () => {
  await server?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

const itemCount = 60

async function backupOfItems(prefix: string): Promise<string> {
  const TableName = await createKeyTable(server.client, prefix)
  for (let start = 0; start < itemCount; start += 20) {
    const writes = Array.from({ length: 20 }, (_, offset) => ({ PutRequest: { Item: { pk: { S: `k${start + offset}` } } } }))
    await server.client.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: writes } }))
  }
  const { BackupDetails } = await server.client.send(new CreateBackupCommand({ TableName, BackupName: 'race-source' }))
  assert.equal(BackupDetails!.BackupStatus, 'AVAILABLE')
  return BackupDetails!.BackupArn!
}

test('a restore stored before a DeleteBackup refuses the delete, and restores every item', { skip: holdWritesSkipReason }, async () => {
  const BackupArn = await backupOfItems('restore-first')
  const target = uniqueTableName('restore-first-target')
  const hold = holdWrites(await server.region())
  const restoring = sent(server.client.send(new RestoreTableFromBackupCommand({ BackupArn, TargetTableName: target })))
  await hold.transactions(1)
  const deleting = sent(server.client.send(new DeleteBackupCommand({ BackupArn })))
  await hold.transactions(2)
  await hold.release()
  assert.equal((await restoring).TableDescription!.TableStatus, 'CREATING')
  await expectError(deleting, 'BackupInUseException', `Backup is being used to restore table: ${BackupArn}`)
  await waitUntilRestored(server.client, target)
  assert.equal((await scanAll(server.client, target)).size, itemCount)
  assert.equal((await server.client.send(new DescribeBackupCommand({ BackupArn }))).BackupDescription!.BackupDetails!.BackupStatus, 'AVAILABLE')
})

test('a DeleteBackup stored before a restore refuses the restore, which creates no table', { skip: holdWritesSkipReason }, async () => {
  const BackupArn = await backupOfItems('delete-first')
  const target = uniqueTableName('delete-first-target')
  const hold = holdWrites(await server.region())
  const deleting = sent(server.client.send(new DeleteBackupCommand({ BackupArn })))
  await hold.transactions(1)
  const restoring = sent(server.client.send(new RestoreTableFromBackupCommand({ BackupArn, TargetTableName: target })))
  await hold.catalogChanges('create', 1)
  await hold.release()
  assert.equal((await deleting).BackupDescription!.BackupDetails!.BackupStatus, 'DELETED')
  await expectError(restoring, 'BackupNotFoundException', `Backup not found: ${BackupArn}`)
  await expectError(server.client.send(new DescribeTableCommand({ TableName: target })), 'ResourceNotFoundException')
})

test('two restores from one backup at once: the second is refused', { skip: holdWritesSkipReason }, async () => {
  const BackupArn = await backupOfItems('two-restores')
  const [first, second] = [uniqueTableName('two-restores-a'), uniqueTableName('two-restores-b')]
  const hold = holdWrites(await server.region())
  const restoringFirst = sent(server.client.send(new RestoreTableFromBackupCommand({ BackupArn, TargetTableName: first })))
  await hold.catalogChanges('create', 1)
  const restoringSecond = sent(server.client.send(new RestoreTableFromBackupCommand({ BackupArn, TargetTableName: second })))
  await hold.catalogChanges('create', 2)
  await hold.release()
  assert.equal((await restoringFirst).TableDescription!.TableStatus, 'CREATING')
  await expectError(restoringSecond, 'BackupInUseException', `Backup is being used to restore another table: ${BackupArn}`)
  await waitUntilRestored(server.client, first)
  await expectError(server.client.send(new DescribeTableCommand({ TableName: second })), 'ResourceNotFoundException')
})
