/**
 * DescribeContinuousBackups reports a table's backup settings; Terraform's aws_dynamodb_table reads
 * it on every refresh, so it must answer for every table.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeContinuousBackups.html
 * EddyDB has no point-in-time recovery yet, so it is always reported DISABLED.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { DescribeContinuousBackupsCommand, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb'
import { startTestServer, uniqueTableName, localDiffers, type TestServer } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
before(async () => { server = await startTestServer() })
after(async () => { await server?.close() })

// A new table has continuous backups ENABLED and point-in-time recovery DISABLED.
test('a table reports continuous backups enabled and PITR disabled', localDiffers('DescribeContinuousBackups is an unknown operation'), async () => {
  const table = await createKeyTable(server.client, 'backups')
  const { ContinuousBackupsDescription } = await server.client.send(new DescribeContinuousBackupsCommand({ TableName: table }))
  assert.equal(ContinuousBackupsDescription?.ContinuousBackupsStatus, 'ENABLED')
  assert.equal(ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus, 'DISABLED')
})

// Backup APIs name a missing table with TableNotFoundException, not ResourceNotFoundException.
test('a missing table is TableNotFoundException', localDiffers('DescribeContinuousBackups is an unknown operation'), async () => {
  const name = uniqueTableName('missing')
  await expectError(server.client.send(new DescribeContinuousBackupsCommand({ TableName: name })),
    'TableNotFoundException', `Table not found: ${name}`)
})

// DynamoDB refuses a recovery period sent with the switch-off (an API-quirks lab finding verified
// against DynamoDB, 2026: DDB-TABLE-084); the setting stays as it was.
test('turning point-in-time recovery off with a recovery period is refused', localDiffers('DescribeContinuousBackups is an unknown operation'), async () => {
  const table = await createKeyTable(server.client, 'pitr-period')
  await server.client.send(new UpdateContinuousBackupsCommand({
    TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 },
  }))
  await expectError(server.client.send(new UpdateContinuousBackupsCommand({
    TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false, RecoveryPeriodInDays: 7 },
  })), 'ValidationException', 'Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.')
  const { ContinuousBackupsDescription } = await server.client.send(new DescribeContinuousBackupsCommand({ TableName: table }))
  assert.equal(ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.RecoveryPeriodInDays, 7)
})
