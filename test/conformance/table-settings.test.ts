/**
 * Table settings changed after creation: what UpdateTable accepts on its own, and what
 * DescribeTable and the settings' own APIs report afterwards. The expectations are DynamoDB's
 * answers as an API-quirks lab recorded them against DynamoDB in 2026 (finding ids DDB-TABLE-nnn
 * in the comments).
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  DescribeTableCommand, UpdateTableCommand,
  type CreateTableCommandInput, type DynamoDBClient, type TableDescription,
} from '@aws-sdk/client-dynamodb'
import { startTestServer, uniqueTableName, type TestServer } from '../helpers/server.js'
import { createKeyTable, createTable, waitForActive } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
let client: DynamoDBClient
before(async () => { server = await startTestServer(); client = server.client })
after(async () => { await server?.close() })

const nothingToUpdate = (members: string) => `At least one of ${members} is required`
const everyMember = 'ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, ' +
  'SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, ' +
  'DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass'

// DDB-TABLE-015, -047, -359: an UpdateTable that changes nothing names every member that could
// change something, in DynamoDB's current list; an empty GlobalSecondaryIndexUpdates counts as
// absent there, but next to a real change it is refused as an empty list. WarmThroughput is a
// change of its own (it used to be taken for "nothing").
test('UpdateTable needs a change; WarmThroughput alone is one, an empty index update list is not', async () => {
  const table = await createKeyTable(client, 'nothing')
  await expectError(client.send(new UpdateTableCommand({ TableName: table })), 'ValidationException',
    nothingToUpdate(everyMember))
  await expectError(client.send(new UpdateTableCommand({ TableName: table, GlobalSecondaryIndexUpdates: [] })),
    'ValidationException', nothingToUpdate(everyMember))
  await expectError(client.send(new UpdateTableCommand({
    TableName: table, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  })), 'ValidationException', nothingToUpdate(everyMember))
  await expectError(client.send(new UpdateTableCommand({
    TableName: table, GlobalSecondaryIndexUpdates: [], DeletionProtectionEnabled: true,
  })), 'ValidationException', 'One or more parameter values were invalid: List of GlobalSecondaryIndexUpdates is empty')
  const { Table: unchanged } = await client.send(new DescribeTableCommand({ TableName: table }))
  assert.equal(unchanged!.DeletionProtectionEnabled, false)

  await client.send(new UpdateTableCommand({ TableName: table, WarmThroughput: { ReadUnitsPerSecond: 13000 } }))
  const warmed = await waitForActive(client, table)
  assert.equal(warmed.WarmThroughput?.ReadUnitsPerSecond, 13000)
})

// DDB-TABLE-044, -027: {SSEType: KMS} without Enabled turns KMS encryption on, with the account's
// AWS managed key (one key ARN for every such table); {} is the default encryption (no SSEDescription).
// DDB-TABLE-141, -082, -140: sending encryption again is accepted ({Enabled: true}, or the key by
// id), only the key in use named by its ARN is refused as a no-op; {Enabled: true} on a table with
// a customer key moves it back to the AWS managed key.
test('SSESpecification: KMS without Enabled, the shared AWS managed key, and which re-sends are refused', async () => {
  const managed = await createKeyTableWith('sse-type', { SSESpecification: { SSEType: 'KMS' } })
  const other = await createKeyTableWith('sse-on', { SSESpecification: { Enabled: true } })
  const plain = await createKeyTableWith('sse-none', { SSESpecification: {} })
  const awsKey = managed.SSEDescription?.KMSMasterKeyArn
  assert.deepEqual(managed.SSEDescription, { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: awsKey })
  assert.match(awsKey ?? '', /^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/)
  assert.equal(other.SSEDescription?.KMSMasterKeyArn, awsKey)
  assert.equal(plain.SSEDescription, undefined)

  const table = managed.TableName!
  await client.send(new UpdateTableCommand({ TableName: table, SSESpecification: { Enabled: true } }))
  await client.send(new UpdateTableCommand({ TableName: table, SSESpecification: { Enabled: true, SSEType: 'KMS' } }))
  await expectError(client.send(new UpdateTableCommand({
    TableName: table, SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: awsKey },
  })), 'ValidationException', 'One or more parameter values were invalid: Table is already encrypted with given ' +
    'KMSMasterKeyId. Use KMSMasterKeyId parameter if you want to change Master Key')
  const customerKey = awsKey!.replace(/key\/.*$/, 'key/11111111-2222-3333-4444-555555555555')
  await client.send(new UpdateTableCommand({ TableName: table, SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: customerKey } }))
  assert.equal((await waitForActive(client, table)).SSEDescription?.KMSMasterKeyArn, customerKey)
  await client.send(new UpdateTableCommand({ TableName: table, SSESpecification: { Enabled: true } }))
  assert.equal((await waitForActive(client, table)).SSEDescription?.KMSMasterKeyArn, awsKey)
})

async function createKeyTableWith(prefix: string, extra: Partial<CreateTableCommandInput>): Promise<TableDescription> {
  const tableName = uniqueTableName(prefix)
  return createTable(client, {
    TableName: tableName, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], ...extra,
  })
}

// DDB-TABLE-025, -058: a table created PROVISIONED has no BillingModeSummary, whether BillingMode
// was sent or not, and naming PROVISIONED again in UpdateTable adds none; one that was ever
// on-demand keeps the summary, with the time it last became so.
test('BillingModeSummary is absent on a table created PROVISIONED, until it goes on-demand', async () => {
  const throughput = { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }
  const created = await createKeyTableWith('billing', { BillingMode: 'PROVISIONED', ProvisionedThroughput: throughput })
  assert.equal(created.BillingModeSummary, undefined)
  const table = created.TableName!
  await client.send(new UpdateTableCommand({ TableName: table, BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } }))
  assert.equal((await waitForActive(client, table)).BillingModeSummary, undefined)
  await client.send(new UpdateTableCommand({ TableName: table, BillingMode: 'PAY_PER_REQUEST' }))
  const onDemand = await waitForActive(client, table)
  assert.equal(onDemand.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST')
  assert.ok(onDemand.BillingModeSummary?.LastUpdateToPayPerRequestDateTime instanceof Date)
  await client.send(new UpdateTableCommand({ TableName: table, BillingMode: 'PROVISIONED', ProvisionedThroughput: throughput }))
  const back = await waitForActive(client, table)
  assert.deepEqual(back.BillingModeSummary, { ...onDemand.BillingModeSummary, BillingMode: 'PROVISIONED' })
})

// DDB-TABLE-026, -177: TableClassSummary is there when a class was sent at create; UpdateTable
// TableClass=STANDARD on a table that never had one (so is STANDARD) changes nothing, and
// neither does asking for the class a table already has.
test('TableClass STANDARD on a table without a class, or the class it has, leaves TableClassSummary alone', async () => {
  const standard = await createKeyTableWith('class-std', { TableClass: 'STANDARD' })
  assert.deepEqual(standard.TableClassSummary, { TableClass: 'STANDARD' })
  const table = await createKeyTable(client, 'class')
  await client.send(new UpdateTableCommand({ TableName: table, TableClass: 'STANDARD' }))
  assert.equal((await waitForActive(client, table)).TableClassSummary, undefined)
  await client.send(new UpdateTableCommand({ TableName: table, TableClass: 'STANDARD_INFREQUENT_ACCESS' }))
  const infrequent = await waitForActive(client, table)
  assert.equal(infrequent.TableClassSummary?.TableClass, 'STANDARD_INFREQUENT_ACCESS')
  await client.send(new UpdateTableCommand({ TableName: table, TableClass: 'STANDARD_INFREQUENT_ACCESS' }))
  assert.deepEqual((await waitForActive(client, table)).TableClassSummary, infrequent.TableClassSummary)
})
