/**
 * A restore killed with SIGKILL mid-copy leaves no table or a complete one, never a half-restored
 * ACTIVE table: at the next start the restore is taken up again (or its table removed). Backups
 * survive the kill and the restart, in the data directory or in PostgreSQL.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  BatchWriteItemCommand, CreateBackupCommand, DescribeBackupCommand, DescribeTableCommand, DynamoDBClient,
  RestoreTableFromBackupCommand, RestoreTableToPointInTimeCommand,
} from '@aws-sdk/client-dynamodb'
import { testCredentials, uniqueTableName } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { cliMissingReason, killHard, startCli } from '../helpers/cli.js'
import { createDatabaseAt } from '../helpers/postgres.js'
import { enablePitr, scanAll, waitUntilRestored } from './helpers.js'

const items = 6000
const newClient = (endpoint: string) =>
  new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 })

/** The server's storage flags: a new PostgreSQL database under run-on-postgres, else the data dir. */
async function storageFlags(dataDir: string): Promise<string[]> {
  const serverUrl = process.env.EDDYDB_TEST_STORAGE_URL
  if (!serverUrl) return ['--data-dir', dataDir]
  return ['--storage-url', await createDatabaseAt(serverUrl, `eddydb_kill9_restore_${process.pid}`)]
}

/** Polls (bounded) until the table exists, or is found gone; undefined when gone. */
async function tableAfterRestart(client: DynamoDBClient, name: string) {
  for (let attempt = 0; attempt < 1000; attempt++) {
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: name }))
      if (Table?.TableStatus === 'ACTIVE') return Table
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') return undefined
      throw error
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`${name} neither became ACTIVE nor went away`)
}

test('SIGKILL during a restore leaves no table or a complete one; backups survive', { skip: cliMissingReason, timeout: 300_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'eddydb-kill9-restore-'))
  try {
    const flags = ['--port', '0', ...await storageFlags(dataDir)]
    const first = await startCli(flags)
    const client = newClient(first.url)
    const table = await createKeyTable(client, 'kill9-restore')
    await enablePitr(client, table)
    for (let start = 0; start < items; start += 25) {
      await client.send(new BatchWriteItemCommand({
        RequestItems: { [table]: Array.from({ length: 25 }, (_, offset) => ({ PutRequest: { Item: { pk: { S: `k${start + offset}` }, pad: { S: 'x'.repeat(200) } } } })) },
      }))
    }
    const { BackupDetails } = await client.send(new CreateBackupCommand({ TableName: table, BackupName: 'before-kill' }))
    const target = uniqueTableName('kill9-target')
    await client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: table, TargetTableName: target, UseLatestRestorableTime: true }))
    // Kill once the copy is seen under way (or done): an event, polled a bounded number of times.
    for (let attempt = 0; attempt < 1000; attempt++) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: target }))
      if ((Table?.ItemCount ?? 0) > 0 || Table?.TableStatus === 'ACTIVE') break
    }
    await killHard(first.process)
    client.destroy()

    const second = await startCli(flags)
    const after = newClient(second.url)
    try {
      const restored = await tableAfterRestart(after, target)
      if (restored) {
        assert.equal(restored.RestoreSummary, undefined)
        assert.equal((await scanAll(after, target)).size, items)
      }
      const { BackupDescription } = await after.send(new DescribeBackupCommand({ BackupArn: BackupDetails!.BackupArn }))
      assert.equal(BackupDescription?.BackupDetails?.BackupStatus, 'AVAILABLE')
      const fromBackup = uniqueTableName('kill9-from-backup')
      await after.send(new RestoreTableFromBackupCommand({ TargetTableName: fromBackup, BackupArn: BackupDetails!.BackupArn }))
      await waitUntilRestored(after, fromBackup)
      assert.equal((await scanAll(after, fromBackup)).size, items)
    } finally {
      after.destroy()
      await killHard(second.process)
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
})
