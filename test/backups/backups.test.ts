/**
 * On-demand backups through the AWS SDK: CreateBackup, DescribeBackup, ListBackups,
 * DeleteBackup, RestoreTableFromBackup and their errors, the system backup a deleted PITR table
 * leaves, and restores of tables with secondary indexes (/work/shared/spec/backup-export.md §2.3, §4).
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  CreateBackupCommand, DeleteBackupCommand, DeleteTableCommand, DescribeBackupCommand, ListBackupsCommand,
  PutItemCommand, QueryCommand, RestoreTableFromBackupCommand, type BackupDetails, type ListBackupsCommandInput,
  type RestoreTableFromBackupCommandInput,
} from '@aws-sdk/client-dynamodb'
import { uniqueTableName } from '../helpers/server.js'
import { createKeyTable, createTable } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'
import { enablePitr, scanAll, startBackupTestServer, waitUntilRestored, type BackupTestServer } from './helpers.js'

let server: BackupTestServer
before(async () => { server = await startBackupTestServer() })
after(async () => { await server?.close() })

const put = (table: string, pk: string, v: string) =>
  server.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, v: { S: v } } }))

async function backup(table: string, name = 'nightly'): Promise<BackupDetails> {
  const { BackupDetails } = await server.client.send(new CreateBackupCommand({ TableName: table, BackupName: name }))
  return BackupDetails!
}

async function values(table: string): Promise<string[]> {
  return [...(await scanAll(server.client, table)).values()].map((item) => `${item.pk!.S}=${item.v!.S}`).sort()
}

test('a backup keeps the table as of its request, and restores into a new table', async () => {
  const table = await createKeyTable(server.client, 'backup-source')
  await put(table, 'a', '1')
  await put(table, 'b', '1')
  const details = await backup(table)
  assert.match(details.BackupArn!, new RegExp(`:table/${table}/backup/\\d{14}-[0-9a-f]{8}$`))
  assert.equal(details.BackupName, 'nightly')
  assert.equal(details.BackupType, 'USER')
  assert.equal(details.BackupStatus, 'AVAILABLE')
  assert.ok(details.BackupSizeBytes! > 0)
  await put(table, 'a', '2')
  await put(table, 'c', '2')

  const { BackupDescription } = await server.client.send(new DescribeBackupCommand({ BackupArn: details.BackupArn }))
  assert.equal(BackupDescription?.BackupDetails?.BackupArn, details.BackupArn)
  assert.equal(BackupDescription?.SourceTableDetails?.TableName, table)
  assert.equal(BackupDescription?.SourceTableDetails?.ItemCount, 2)
  assert.equal(BackupDescription?.SourceTableDetails?.BillingMode, 'PAY_PER_REQUEST')
  assert.deepEqual(BackupDescription?.SourceTableDetails?.KeySchema, [{ AttributeName: 'pk', KeyType: 'HASH' }])

  const target = uniqueTableName('backup-target')
  const { TableDescription } = await server.client.send(new RestoreTableFromBackupCommand({ TargetTableName: target, BackupArn: details.BackupArn }))
  assert.equal(TableDescription?.TableStatus, 'CREATING')
  assert.equal(TableDescription?.RestoreSummary?.SourceBackupArn, details.BackupArn)
  assert.equal(TableDescription?.RestoreSummary?.RestoreInProgress, true)
  const restored = await waitUntilRestored(server.client, target)
  // Once ACTIVE, nothing marks the table as restored, as in DynamoDB.
  assert.equal(restored.RestoreSummary, undefined)
  assert.deepEqual(await values(target), ['a=1', 'b=1'])
})

test('a backup outlives its table', async () => {
  const table = await createKeyTable(server.client, 'backup-outlives')
  await put(table, 'k', 'v')
  const details = await backup(table)
  await server.client.send(new DeleteTableCommand({ TableName: table }))
  const { BackupDescription } = await server.client.send(new DescribeBackupCommand({ BackupArn: details.BackupArn }))
  assert.equal(BackupDescription?.BackupDetails?.BackupStatus, 'AVAILABLE')
  const { BackupSummaries } = await server.client.send(new ListBackupsCommand({ TableName: table }))
  assert.deepEqual(BackupSummaries?.map((summary) => summary.BackupArn), [details.BackupArn])
  await server.client.send(new RestoreTableFromBackupCommand({ TargetTableName: table, BackupArn: details.BackupArn }))
  await waitUntilRestored(server.client, table)
  assert.deepEqual(await values(table), ['k=v'])
})

test('ListBackups filters by table, time and type, and pages', async () => {
  const table = await createKeyTable(server.client, 'backup-list')
  const other = await createKeyTable(server.client, 'backup-list-other')
  const first = await backup(table, 'first')
  server.clock.advance(2000)
  const second = await backup(table, 'second')
  server.clock.advance(2000)
  const third = await backup(table, 'third')
  await backup(other, 'elsewhere')

  const list = async (input: ListBackupsCommandInput) =>
    server.client.send(new ListBackupsCommand(input))
  const all = await list({ TableName: table })
  assert.deepEqual(all.BackupSummaries?.map((summary) => summary.BackupName), ['first', 'second', 'third'])
  assert.equal(all.LastEvaluatedBackupArn, undefined)
  const summary = all.BackupSummaries![0]!
  assert.equal(summary.TableName, table)
  assert.equal(summary.BackupStatus, 'AVAILABLE')
  assert.equal(summary.BackupType, 'USER')

  // Lower bound inclusive, upper bound exclusive.
  const middle = await list({
    TableName: table, TimeRangeLowerBound: second.BackupCreationDateTime, TimeRangeUpperBound: third.BackupCreationDateTime,
  })
  assert.deepEqual(middle.BackupSummaries?.map((each) => each.BackupName), ['second'])
  await expectError(list({ TableName: table, TimeRangeLowerBound: third.BackupCreationDateTime, TimeRangeUpperBound: second.BackupCreationDateTime }),
    'ValidationException', 'One or more parameter values were invalid: Time range lower bound must be less than or equal to upper bound')

  const names: string[] = []
  let start: string | undefined
  for (let page = 0; page < 10; page++) {
    const result = await list({ TableName: table, Limit: 1, ExclusiveStartBackupArn: start })
    names.push(...result.BackupSummaries!.map((each) => each.BackupName!))
    start = result.LastEvaluatedBackupArn
    if (!start) break
  }
  assert.deepEqual(names, ['first', 'second', 'third'])
  // Another region's cursor is refused, in DynamoDB's words (the API-quirks lab's message catalogue).
  const elsewhere = first.BackupArn!.replace(/^(arn:[^:]+:dynamodb:)[^:]+:/, '$1eu-west-3:')
  assert.notEqual(elsewhere, first.BackupArn)
  await expectError(list({ ExclusiveStartBackupArn: elsewhere }), 'ValidationException',
    'Invalid Request: The supplied ExclusiveStartBackupArn does not match the region')
  assert.equal(first.BackupArn! < third.BackupArn!, true)
  assert.deepEqual((await list({ TableName: table, BackupType: 'SYSTEM' })).BackupSummaries, [])
  await expectError(list({ Limit: 0 }), 'ValidationException', /limit/)
})

test('DeleteBackup answers DELETED, then the backup is gone', async () => {
  const table = await createKeyTable(server.client, 'backup-delete')
  await put(table, 'k', 'v')
  const details = await backup(table)
  const { BackupDescription } = await server.client.send(new DeleteBackupCommand({ BackupArn: details.BackupArn }))
  assert.equal(BackupDescription?.BackupDetails?.BackupStatus, 'DELETED')
  await expectError(server.client.send(new DescribeBackupCommand({ BackupArn: details.BackupArn })),
    'BackupNotFoundException', `Backup not found: ${details.BackupArn}`)
  await expectError(server.client.send(new DeleteBackupCommand({ BackupArn: details.BackupArn })), 'BackupNotFoundException')
  await expectError(server.client.send(new RestoreTableFromBackupCommand({
    TargetTableName: uniqueTableName('never'), BackupArn: details.BackupArn,
  })), 'BackupNotFoundException')
  assert.deepEqual((await server.client.send(new ListBackupsCommand({ TableName: table }))).BackupSummaries, [])
})

test('backup errors', async () => {
  const missing = uniqueTableName('missing')
  await expectError(server.client.send(new CreateBackupCommand({ TableName: missing, BackupName: 'nightly' })),
    'TableNotFoundException', `Table not found: ${missing}`)
  const table = await createKeyTable(server.client, 'backup-errors')
  await expectError(server.client.send(new CreateBackupCommand({ TableName: table, BackupName: 'b' })), 'ValidationException', /backupName/)
  await expectError(server.client.send(new CreateBackupCommand({ TableName: table, BackupName: 'no spaces' })), 'ValidationException', /backupName/)
  const details = await backup(table)
  await expectError(server.client.send(new RestoreTableFromBackupCommand({ TargetTableName: table, BackupArn: details.BackupArn })),
    'TableAlreadyExistsException', `Table already exists: ${table}`)
  await expectError(server.client.send(new DescribeBackupCommand({ BackupArn: `${details.BackupArn!.slice(0, -8)}00000000` })),
    'BackupNotFoundException')
  // An ARN is read as DynamoDB reads it: the backup's id decides, within the caller's partition, service and account.
  const describeArn = (arn: string) => server.client.send(new DescribeBackupCommand({ BackupArn: arn }))
  const tableArnOf = details.BackupArn!.slice(0, details.BackupArn!.indexOf('/backup/'))
  await expectError(describeArn(tableArnOf), 'ValidationException', 'Invalid Backup ARN')
  await expectError(describeArn(details.BackupArn!.replace(':dynamodb:', ':s3:')), 'ValidationException', 'BackupArn is not valid')
  await expectError(describeArn(details.BackupArn!.replace(':us-east-1:', ':us-fake-1:')), 'ValidationException', 'BackupArn is not valid')
  await expectError(describeArn(details.BackupArn!.replace(/:\d{12}:/, ':111122223333:')), 'AccessDeniedException', 'Access is denied')
  const renamed = details.BackupArn!.replace(`:table/${table}/`, ':table/another-name/')
  assert.equal((await describeArn(renamed)).BackupDescription?.BackupDetails?.BackupArn, details.BackupArn)
})

test('deleting a table with PITR on leaves a SYSTEM backup of it', async () => {
  const table = await createKeyTable(server.client, 'backup-system')
  await enablePitr(server.client, table)
  await put(table, 'kept', 'yes')
  await server.client.send(new DeleteTableCommand({ TableName: table }))
  assert.deepEqual((await server.client.send(new ListBackupsCommand({ TableName: table }))).BackupSummaries, [])
  const { BackupSummaries } = await server.client.send(new ListBackupsCommand({ TableName: table, BackupType: 'SYSTEM' }))
  assert.equal(BackupSummaries?.length, 1)
  const system = BackupSummaries![0]!
  assert.equal(system.BackupName, `${table}$DeletedTableBackup`)
  assert.equal(system.BackupType, 'SYSTEM')
  const days = (system.BackupExpiryDateTime!.getTime() - system.BackupCreationDateTime!.getTime()) / 86_400_000
  assert.equal(days, 35)
  const { BackupSummaries: everything } = await server.client.send(new ListBackupsCommand({ TableName: table, BackupType: 'ALL' }))
  assert.equal(everything?.length, 1)

  // It is not the caller's to delete: it expires by itself.
  await expectError(server.client.send(new DeleteBackupCommand({ BackupArn: system.BackupArn })), 'ValidationException',
    `Invalid Request: User is not allowed to delete the system backup with arn ${system.BackupArn}. It will automatically expire on ${system.BackupExpiryDateTime!.toISOString()}`)

  const target = uniqueTableName('backup-system-target')
  await server.client.send(new RestoreTableFromBackupCommand({ TargetTableName: target, BackupArn: system.BackupArn }))
  await waitUntilRestored(server.client, target)
  assert.deepEqual(await values(target), ['kept=yes'])
})

async function createIndexedTable(): Promise<string> {
  const table = uniqueTableName('backup-indexed')
  await createTable(server.client, {
    TableName: table,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' },
      { AttributeName: 'g', AttributeType: 'S' }, { AttributeName: 'l', AttributeType: 'N' },
    ],
    GlobalSecondaryIndexes: [{ IndexName: 'by-g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    LocalSecondaryIndexes: [{
      IndexName: 'by-l', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    }],
  })
  for (let index = 0; index < 12; index++) {
    await server.client.send(new PutItemCommand({
      TableName: table,
      Item: { pk: { S: `p${index % 3}` }, sk: { N: String(index) }, g: { S: `g${index % 2}` }, l: { N: String(100 - index) } },
    }))
  }
  return table
}

const queryKeys = async (table: string, index: string, condition: string, values: Record<string, { S: string }>) => {
  const { Items } = await server.client.send(new QueryCommand({
    TableName: table, IndexName: index, KeyConditionExpression: condition, ExpressionAttributeValues: values,
  }))
  return Items!.map((item) => `${item.pk!.S}/${item.sk!.N}`)
}

test('a restore of a table with a GSI and an LSI answers index queries as the source did', async () => {
  const table = await createIndexedTable()
  const details = await backup(table)
  const target = uniqueTableName('backup-indexed-target')
  await server.client.send(new RestoreTableFromBackupCommand({ TargetTableName: target, BackupArn: details.BackupArn }))
  const restored = await waitUntilRestored(server.client, target)
  assert.deepEqual(restored.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.IndexStatus, index.ItemCount]), [['by-g', 'ACTIVE', 6 + 6]])
  assert.deepEqual(restored.LocalSecondaryIndexes?.map((index) => index.IndexName), ['by-l'])
  for (const g of ['g0', 'g1']) {
    assert.deepEqual(await queryKeys(target, 'by-g', 'g = :g', { ':g': { S: g } }), await queryKeys(table, 'by-g', 'g = :g', { ':g': { S: g } }))
  }
  assert.deepEqual(await queryKeys(target, 'by-l', 'pk = :p', { ':p': { S: 'p1' } }), ['p1/10', 'p1/7', 'p1/4', 'p1/1'])
})

test('restore overrides drop indexes and change billing', async () => {
  const table = await createIndexedTable()
  await enablePitr(server.client, table)
  const details = await backup(table)
  const target = uniqueTableName('backup-override-target')
  const { TableDescription } = await server.client.send(new RestoreTableFromBackupCommand({
    TargetTableName: target, BackupArn: details.BackupArn,
    GlobalSecondaryIndexOverride: [],
    BillingModeOverride: 'PROVISIONED',
    ProvisionedThroughputOverride: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 },
    SSESpecificationOverride: { Enabled: true, SSEType: 'KMS' },
  }))
  assert.equal(TableDescription?.GlobalSecondaryIndexes, undefined)
  assert.equal(TableDescription?.BillingModeSummary?.BillingMode, 'PROVISIONED')
  assert.equal(TableDescription?.ProvisionedThroughput?.ReadCapacityUnits, 7)
  assert.equal(TableDescription?.SSEDescription?.Status, 'ENABLED')
  const restored = await waitUntilRestored(server.client, target)
  assert.equal(restored.ItemCount, 12)
  assert.deepEqual(restored.AttributeDefinitions?.map((definition) => definition.AttributeName).sort(), ['l', 'pk', 'sk'])
  await expectError(server.client.send(new QueryCommand({
    TableName: target, IndexName: 'by-g', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'g0' } },
  })), 'ValidationException')

})

test('restore overrides are checked as DynamoDB checks them, and an index may be kept under a new name', async () => {
  const table = await createIndexedTable()
  const details = await backup(table)
  const restore = (overrides: Omit<RestoreTableFromBackupCommandInput, 'TargetTableName' | 'BackupArn'>, target = uniqueTableName('never')) =>
    server.client.send(new RestoreTableFromBackupCommand({ TargetTableName: target, BackupArn: details.BackupArn, ...overrides }))
  const byG = { KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' as const } }
  const cases: Array<[Omit<RestoreTableFromBackupCommandInput, 'TargetTableName' | 'BackupArn'>, string]> = [
    [{ ProvisionedThroughputOverride: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }, 'Cannot override ProvisionedThroughput unless BillingMode is PROVISIONED'],
    [{ BillingModeOverride: 'PROVISIONED' }, 'Must override ProvisionedThroughput if BillingMode is overridden to PROVISIONED'],
    [{ BillingModeOverride: 'PROVISIONED', ProvisionedThroughputOverride: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }, OnDemandThroughputOverride: { MaxReadRequestUnits: 5 } },
      'Cannot override MaxReadRequestUnits for OnDemandThroughput unless BillingModeOverride is PAY_PER_REQUEST'],
    [{ OnDemandThroughputOverride: { MaxReadRequestUnits: 0, MaxWriteRequestUnits: 0 } }, 'Requested MaxReadRequestUnits for OnDemandThroughput is outside of valid range'],
    [{ BillingModeOverride: 'PROVISIONED', ProvisionedThroughputOverride: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }, GlobalSecondaryIndexOverride: [{ IndexName: 'by-g', ...byG }] },
      'Must specify provisioned throughput for index by-g'],
    [{ BillingModeOverride: 'PAY_PER_REQUEST', GlobalSecondaryIndexOverride: [{ IndexName: 'by-g', ...byG, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }] },
      'Cannot override ProvisionedThroughput if BillingMode is overridden to PAY_PER_REQUEST for index by-g'],
    [{ GlobalSecondaryIndexOverride: [{ IndexName: 'by-g', KeySchema: byG.KeySchema, Projection: { ProjectionType: 'KEYS_ONLY' } }] },
      'Index by-g does not match a secondary index that existed in the source table and cannot be created during the restore operation'],
    [{ GlobalSecondaryIndexOverride: [{ IndexName: 'by-h', KeySchema: [{ AttributeName: 'h', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }] },
      'Index by-h does not match a secondary index that existed in the source table and cannot be created during the restore operation'],
  ]
  for (const [overrides, message] of cases) await expectError(restore(overrides), 'ValidationException', `Invalid Request: ${message}`)
  // An index override is CreateTable's index: its WarmThroughput is checked too (it was dropped unread).
  await expectError(restore({ GlobalSecondaryIndexOverride: [{ IndexName: 'by-g', ...byG, WarmThroughput: { ReadUnitsPerSecond: 'many' as unknown as number } }] }),
    'SerializationException')
  // The same keys and projection under another name: the index, renamed. `{}` sets no on-demand maximum.
  const target = uniqueTableName('backup-renamed')
  await restore({ GlobalSecondaryIndexOverride: [{ IndexName: 'by-g-renamed', ...byG }], OnDemandThroughputOverride: {} }, target)
  const restored = await waitUntilRestored(server.client, target)
  assert.deepEqual(restored.GlobalSecondaryIndexes?.map((index) => index.IndexName), ['by-g-renamed'])
  assert.equal(restored.OnDemandThroughput, undefined)
  assert.deepEqual(await queryKeys(target, 'by-g-renamed', 'g = :g', { ':g': { S: 'g0' } }), await queryKeys(table, 'by-g', 'g = :g', { ':g': { S: 'g0' } }))
})
