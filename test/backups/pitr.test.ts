/**
 * Point-in-time recovery through the AWS SDK: UpdateContinuousBackups and
 * DescribeContinuousBackups, RestoreTableToPointInTime and its errors
 * (/work/shared/spec/backup-export.md §2–§3).
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  DescribeContinuousBackupsCommand, DescribeTableCommand, DeleteItemCommand, PutItemCommand,
  RestoreTableToPointInTimeCommand, UpdateContinuousBackupsCommand, UpdateTableCommand, GetItemCommand,
} from '@aws-sdk/client-dynamodb'
import { uniqueTableName } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'
import { enablePitr, scanAll, startBackupTestServer, waitUntilRestored, type BackupTestServer } from './helpers.js'

let server: BackupTestServer
before(async () => { server = await startBackupTestServer() })
after(async () => { await server?.close() })

const put = (table: string, pk: string, v: string) =>
  server.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, v: { S: v } } }))

/** An instant strictly between the writes before and after it. */
function between(): Date {
  server.clock.advance(10)
  const instant = new Date(server.clock.now())
  server.clock.advance(10)
  return instant
}

test('UpdateContinuousBackups turns PITR on with a 35-day default and off again', async () => {
  const table = await createKeyTable(server.client, 'pitr-settings')
  const enabledAt = server.clock.now()
  const { ContinuousBackupsDescription: on } = await server.client.send(new UpdateContinuousBackupsCommand({
    TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  }))
  assert.equal(on?.ContinuousBackupsStatus, 'ENABLED')
  assert.equal(on?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus, 'ENABLED')
  assert.equal(on?.PointInTimeRecoveryDescription?.RecoveryPeriodInDays, 35)
  const earliest = on!.PointInTimeRecoveryDescription!.EarliestRestorableDateTime!.getTime()
  assert.ok(earliest >= Math.floor(enabledAt / 1000) * 1000, 'the window starts in the second PITR was enabled')
  assert.ok(on!.PointInTimeRecoveryDescription!.LatestRestorableDateTime!.getTime() >= earliest)

  // Described by name or by ARN alike; the period can change without moving the window's start.
  const { Table } = await server.client.send(new DescribeTableCommand({ TableName: table }))
  await server.client.send(new UpdateContinuousBackupsCommand({
    TableName: Table!.TableArn, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 },
  }))
  const { ContinuousBackupsDescription: seven } = await server.client.send(new DescribeContinuousBackupsCommand({ TableName: Table!.TableArn }))
  assert.equal(seven?.PointInTimeRecoveryDescription?.RecoveryPeriodInDays, 7)
  assert.equal(seven?.PointInTimeRecoveryDescription?.EarliestRestorableDateTime?.getTime(), earliest)

  const { ContinuousBackupsDescription: off } = await server.client.send(new UpdateContinuousBackupsCommand({
    TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
  }))
  assert.deepEqual(off, { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } })
  const { ContinuousBackupsDescription: described } = await server.client.send(new DescribeContinuousBackupsCommand({ TableName: table }))
  assert.deepEqual(described, off)
})

test('UpdateContinuousBackups validates the period and names a missing table', async () => {
  const table = await createKeyTable(server.client, 'pitr-invalid')
  for (const days of [0, 36]) {
    await expectError(server.client.send(new UpdateContinuousBackupsCommand({
      TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: days },
    })), 'ValidationException', /recoveryPeriodInDays/)
  }
  const missing = uniqueTableName('missing')
  await expectError(server.client.send(new UpdateContinuousBackupsCommand({
    TableName: missing, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  })), 'TableNotFoundException', `Table not found: ${missing}`)
})

test('a restore to an instant between two writes has the items of that instant', async () => {
  const table = await createKeyTable(server.client, 'pitr-source')
  await enablePitr(server.client, table)
  await put(table, 'a', '1')
  await put(table, 'b', '1')
  const instant = between()
  await put(table, 'a', '2')
  await server.client.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'b' } } }))
  await put(table, 'c', '2')

  const target = uniqueTableName('pitr-target')
  const { TableDescription } = await server.client.send(new RestoreTableToPointInTimeCommand({
    SourceTableName: table, TargetTableName: target, RestoreDateTime: instant,
  }))
  assert.equal(TableDescription?.TableStatus, 'CREATING')
  assert.equal(TableDescription?.TableName, target)
  assert.equal(TableDescription?.RestoreSummary?.RestoreInProgress, true)
  assert.equal(TableDescription?.RestoreSummary?.RestoreDateTime?.getTime(), instant.getTime())
  assert.equal(TableDescription?.RestoreSummary?.SourceBackupArn, undefined)

  const restored = await waitUntilRestored(server.client, target)
  assert.match(TableDescription?.RestoreSummary?.SourceTableArn ?? '', new RegExp(`:table/${table}$`))
  assert.equal(restored.RestoreSummary, undefined)
  assert.equal(restored.ItemCount, 2)
  const items = await scanAll(server.client, target)
  assert.deepEqual([...items.values()].map((item) => [item.pk!.S, item.v!.S]).sort(), [['a', '1'], ['b', '1']])
  // Not restored: PITR itself, streams.
  const { ContinuousBackupsDescription } = await server.client.send(new DescribeContinuousBackupsCommand({ TableName: target }))
  assert.equal(ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus, 'DISABLED')
  assert.equal(restored.StreamSpecification, undefined)
})

test('UseLatestRestorableTime restores the table as it is now, by ARN', async () => {
  const table = await createKeyTable(server.client, 'pitr-latest')
  await enablePitr(server.client, table)
  await put(table, 'x', '1')
  await put(table, 'y', '1')
  await server.client.send(new UpdateTableCommand({ TableName: table, TableClass: 'STANDARD_INFREQUENT_ACCESS' }))
  const { Table } = await server.client.send(new DescribeTableCommand({ TableName: table }))
  const target = uniqueTableName('pitr-latest-target')
  await server.client.send(new RestoreTableToPointInTimeCommand({
    SourceTableArn: Table!.TableArn, TargetTableName: target, UseLatestRestorableTime: true,
  }))
  const restored = await waitUntilRestored(server.client, target)
  const { Item } = await server.client.send(new GetItemCommand({ TableName: target, Key: { pk: { S: 'y' } } }))
  assert.equal(Item?.v?.S, '1')
  // The class is not restored, as from a backup: the new table is STANDARD (DynamoDB's DDB-TABLE-215).
  assert.equal(restored.TableClassSummary, undefined)
})

test('RestoreTableToPointInTime errors', async () => {
  const table = await createKeyTable(server.client, 'pitr-errors')
  const target = uniqueTableName('pitr-errors-target')
  await expectError(server.client.send(new RestoreTableToPointInTimeCommand({
    SourceTableName: table, TargetTableName: target, UseLatestRestorableTime: true,
  })), 'PointInTimeRecoveryUnavailableException')
  // Recovery and time are checked before the target's name, as DynamoDB does.
  await expectError(server.client.send(new RestoreTableToPointInTimeCommand({
    SourceTableName: table, TargetTableName: table, UseLatestRestorableTime: true,
  })), 'PointInTimeRecoveryUnavailableException')
  const missing = uniqueTableName('missing')
  await expectError(server.client.send(new RestoreTableToPointInTimeCommand({
    SourceTableName: missing, TargetTableName: target, UseLatestRestorableTime: true,
  })), 'TableNotFoundException')
  // A SourceTableArn that is not a table's ARN of this account is refused, not looked up.
  const fromArn = (SourceTableArn: string) => server.client.send(new RestoreTableToPointInTimeCommand({ SourceTableArn, TargetTableName: target, UseLatestRestorableTime: true }))
  await expectError(fromArn('not-an-arn'), 'ValidationException', "One or more parameter values were invalid: ARNs must start with 'arn:': not-an-arn")
  await expectError(fromArn('arn:aws:dynamodb:us-east-1:000000000000:backup/x'), 'ValidationException', 'sourceTableArn is not a valid ARN')
  await expectError(fromArn(`arn:aws:dynamodb:us-east-1:111122223333:table/${table}`), 'ValidationException',
    'This action is only supported by accounts that match the resource owner’s account.')

  const enabledAt = server.clock.now()
  await enablePitr(server.client, table)
  await expectError(server.client.send(new RestoreTableToPointInTimeCommand({
    SourceTableName: table, TargetTableName: target, RestoreDateTime: new Date(enabledAt - 60_000),
  })), 'InvalidRestoreTimeException', 'RestoreDateTime must be between EarliestRestorableDateTime and LatestRestorableDateTime')
  await expectError(server.client.send(new RestoreTableToPointInTimeCommand({
    SourceTableName: table, TargetTableName: target, RestoreDateTime: new Date(server.clock.now() + 3_600_000),
  })), 'InvalidRestoreTimeException')
  await expectError(server.client.send(new RestoreTableToPointInTimeCommand({
    SourceTableName: table, TargetTableName: table, RestoreDateTime: new Date(server.clock.now() + 3_600_000),
  })), 'InvalidRestoreTimeException')
  await expectError(server.client.send(new RestoreTableToPointInTimeCommand({
    SourceTableName: table, TargetTableName: table, UseLatestRestorableTime: true,
  })), 'TableAlreadyExistsException', `Table already exists: ${table}`)
  await expectError(server.client.send(new RestoreTableToPointInTimeCommand({
    SourceTableName: table, TargetTableName: target,
  })), 'ValidationException', 'Invalid Request: Either one of RestoreDateTime or UseLatestRestorableTime must be specified, but not both')
  await expectError(server.client.send(new RestoreTableToPointInTimeCommand({
    SourceTableName: table, TargetTableName: target, UseLatestRestorableTime: true, RestoreDateTime: new Date(),
  })), 'ValidationException')
  await expectError(server.client.send(new RestoreTableToPointInTimeCommand({
    TargetTableName: target, UseLatestRestorableTime: true,
  })), 'ValidationException', "The parameter 'TableName' is required but was not present in the request")
  await expectError(server.client.send(new RestoreTableToPointInTimeCommand({
    SourceTableName: table, SourceTableArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`, TargetTableName: target, UseLatestRestorableTime: true,
  })), 'ValidationException', 'Must provide exactly one of: sourceTableArn, sourceTableName')
})
