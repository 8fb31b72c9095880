/**
 * DynamoDB allows at most 50 restores in progress per account ("any number of users can execute
 * up to 50 concurrent restores (any type of restore)"); the 51st, of either kind, is refused
 * with LimitExceededException, and once restores finish there is room again
 * (/work/shared/spec/backup-export.md §3, §4.4). EddyDB counts per region. The region's
 * background jobs are held meanwhile, so the 50 restores are surely still in progress.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  CreateBackupCommand, DescribeTableCommand, PutItemCommand, RestoreTableFromBackupCommand, RestoreTableToPointInTimeCommand,
} from '@aws-sdk/client-dynamodb'
import { jobsOf } from '../../src/backups/jobs.js'
import { concurrentRestoresMax } from '../../src/backups/restore-table.js'
import { uniqueTableName } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'
import { enablePitr, scanAll, startBackupTestServer, waitUntilRestored, type BackupTestServer } from './helpers.js'

let server: BackupTestServer
before(async () => { server = await startBackupTestServer() })
after(async () => { await server?.close() })

test('the restore past 50 in progress gets LimitExceededException, of either kind, until one finishes', { timeout: 300_000 }, async () => {
  assert.equal(concurrentRestoresMax, 50)
  const table = await createKeyTable(server.client, 'restore-limit')
  await enablePitr(server.client, table)
  await server.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'k' } } }))
  // A backup serves one restore at a time, so each restore from a backup has its own.
  const backups: string[] = []
  for (let index = 0; index <= concurrentRestoresMax / 2; index++) {
    const { BackupDetails } = await server.client.send(new CreateBackupCommand({ TableName: table, BackupName: `limit-${index}` }))
    backups.push(BackupDetails!.BackupArn!)
  }
  const fromBackup = (target: string, backup = backups.at(-1)!) =>
    server.client.send(new RestoreTableFromBackupCommand({ TargetTableName: target, BackupArn: backup }))
  const toPointInTime = (target: string) =>
    server.client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: table, TargetTableName: target, UseLatestRestorableTime: true }))

  const targets = Array.from({ length: concurrentRestoresMax }, (_, index) => uniqueTableName(`limit-${index}`))
  const release = jobsOf(await server.region()).hold()
  try {
    // Half of each kind, a few at a time: the limit counts both.
    for (let start = 0; start < targets.length; start += 5) {
      await Promise.all(targets.slice(start, start + 5).map((target, offset) =>
        (start + offset) % 2 === 0 ? fromBackup(target, backups[(start + offset) / 2]) : toPointInTime(target)))
    }
    const message = 'Subscriber limit exceeded: There is a limit of 50 concurrent restores per account'
    const refused = uniqueTableName('limit-over')
    await expectError(fromBackup(refused), 'LimitExceededException', message)
    await expectError(toPointInTime(refused), 'LimitExceededException', message)
    // A refused restore leaves no table behind.
    await expectError(server.client.send(new DescribeTableCommand({ TableName: refused })), 'ResourceNotFoundException')
  } finally {
    release()
  }
  for (const target of targets) await waitUntilRestored(server.client, target)
  assert.equal((await scanAll(server.client, targets[0]!)).size, 1)
  const later = uniqueTableName('limit-later')
  await fromBackup(later)
  await waitUntilRestored(server.client, later)
})
