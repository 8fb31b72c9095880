/**
 * Table settings changed after creation: what UpdateTable accepts on its own, and what
 * DescribeTable and the settings' own APIs report afterwards. The expectations are DynamoDB's
 * answers as an API-quirks lab recorded them against DynamoDB in 2026 (finding ids DDB-TABLE-nnn
 * in the comments).
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { DescribeTableCommand, UpdateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { createKeyTable, waitForActive } from '../helpers/tables.js'
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
