/**
 * Where a new recovery window starts. A table that no stream, trigger, replica or Kinesis
 * destination reads logs no changes until PITR comes on, so the window must start at that very
 * millisecond: an earlier instant (the start of its second, as it once was) was restored with
 * the writes made after it, before PITR came on, already in. The server's clock is a manual one,
 * set inside a second, so the case is the same at every run. SDKs that send timestamps in whole
 * seconds truncate the earliest time they were given; that instant is read as the window's start.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  DescribeContinuousBackupsCommand, DescribeTableCommand, ExportTableToPointInTimeCommand, PutItemCommand, RestoreTableToPointInTimeCommand,
} from '@aws-sdk/client-dynamodb'
import { startTestServer, uniqueTableName, type TestServer } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'
import { ManualClock } from '../ttl/fixtures.js'
import { enablePitr, scanAll, waitUntilRestored } from './helpers.js'

// Today's date (so that nothing is years away from the wall clock), 400 ms into a second; the
// test moves it by hand from there, so its outcome never depends on how fast anything runs.
const clock = new ManualClock(Math.floor(Date.now() / 1000) * 1000 + 400)
let server: TestServer
before(async () => { server = await startTestServer({ clock }) })
after(async () => { await server?.close() })

test('a new window starts at the millisecond PITR came on, and restores there exactly', async () => {
  const table = await createKeyTable(server.client, 'pitr-window')
  await server.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'old' }, v: { S: '1' } } }))
  clock.nowMs += 100
  await server.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'old' }, v: { S: '2' } } }))
  await server.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'new' }, v: { S: '1' } } }))
  clock.nowMs += 100
  const enabledAtMs = clock.nowMs
  await enablePitr(server.client, table)
  clock.nowMs += 100
  await server.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'later' }, v: { S: '1' } } }))

  const { ContinuousBackupsDescription } = await server.client.send(new DescribeContinuousBackupsCommand({ TableName: table }))
  const earliest = ContinuousBackupsDescription!.PointInTimeRecoveryDescription!.EarliestRestorableDateTime!
  assert.equal(earliest.getTime(), enabledAtMs)
  await expectError(server.client.send(new RestoreTableToPointInTimeCommand({
    SourceTableName: table, TargetTableName: uniqueTableName('pitr-too-early'), RestoreDateTime: new Date(Math.floor(enabledAtMs / 1000) * 1000 - 1),
  })), 'InvalidRestoreTimeException')

  // The earliest time as sent back exactly, and as boto3 and the AWS CLI send it back: in whole
  // seconds, truncated to the start of its second, which is read as the window's start.
  const exact = uniqueTableName('pitr-window-target')
  const truncated = uniqueTableName('pitr-window-truncated')
  await server.client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: table, TargetTableName: exact, RestoreDateTime: earliest }))
  const { TableDescription } = await server.client.send(new RestoreTableToPointInTimeCommand({
    SourceTableName: table, TargetTableName: truncated, RestoreDateTime: new Date(Math.floor(enabledAtMs / 1000) * 1000),
  }))
  assert.equal(TableDescription!.RestoreSummary!.RestoreDateTime!.getTime(), enabledAtMs)
  clock.nowMs += 1000
  for (const target of [exact, truncated]) {
    await waitUntilRestored(server.client, target)
    const items = await scanAll(server.client, target)
    assert.deepEqual([...items.values()].map((item) => [item.pk!.S, item.v!.S]).sort(), [['new', '1'], ['old', '2']])
  }
})

test('exports read an ExportTime or ExportFromTime truncated to the start of the earliest second as the window start', async () => {
  const table = await createKeyTable(server.client, 'pitr-window-export')
  clock.nowMs += 250
  const enabledAtMs = clock.nowMs
  await enablePitr(server.client, table)
  const { Table } = await server.client.send(new DescribeTableCommand({ TableName: table }))
  const truncatedSeconds = Math.floor(enabledAtMs / 1000)
  const full = await server.client.send(new ExportTableToPointInTimeCommand({
    TableArn: Table!.TableArn, S3Bucket: 'pitr-window-no-bucket', ExportTime: new Date(truncatedSeconds * 1000),
  }))
  assert.equal(full.ExportDescription!.ExportTime!.getTime(), enabledAtMs)
  clock.nowMs += 16 * 60_000
  const incremental = await server.client.send(new ExportTableToPointInTimeCommand({
    TableArn: Table!.TableArn, S3Bucket: 'pitr-window-no-bucket', ExportType: 'INCREMENTAL_EXPORT',
    IncrementalExportSpecification: { ExportFromTime: new Date(truncatedSeconds * 1000) },
  }))
  assert.equal(incremental.ExportDescription!.IncrementalExportSpecification!.ExportFromTime!.getTime(), enabledAtMs)
  // The period's 15 minutes are measured as sent: the first 15 minutes of the window, in whole seconds.
  const firstQuarter = await server.client.send(new ExportTableToPointInTimeCommand({
    TableArn: Table!.TableArn, S3Bucket: 'pitr-window-no-bucket', ExportType: 'INCREMENTAL_EXPORT',
    IncrementalExportSpecification: { ExportFromTime: new Date(truncatedSeconds * 1000), ExportToTime: new Date((truncatedSeconds + 900) * 1000) },
  }))
  assert.equal(firstQuarter.ExportDescription!.ExportStatus, 'IN_PROGRESS')
  await expectError(server.client.send(new ExportTableToPointInTimeCommand({
    TableArn: Table!.TableArn, S3Bucket: 'pitr-window-no-bucket', ExportTime: new Date(truncatedSeconds * 1000 - 1),
  })), 'InvalidExportTimeException')
})
