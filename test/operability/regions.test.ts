/**
 * Regions are namespaces, and only real ones. A request signed for a region that does not exist
 * (a typo such as `us-east1`) gets the error AWS gives for it — InvalidSignatureException,
 * "Credential should be scoped to a valid region, not 'us-east1'. " — instead of a fresh, empty
 * database. `localhost` (which local GUI tools sign with) and names given with --regions are
 * accepted. With --shared-regions every region name sees the same tables (DynamoDB Local's
 * -sharedDb). https://docs.aws.amazon.com/general/latest/gr/signature-v4-troubleshooting.html
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CreateTableCommand, ListTablesCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { startTestServer, inProcessOnly, localDiffers } from '../helpers/server.js'

async function createTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: name, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  }))
}

const tableNames = async (client: DynamoDBClient) => (await client.send(new ListTablesCommand({}))).TableNames

test('a region name that does not exist is refused as AWS refuses it', localDiffers('it accepts any region name'), async () => {
  const server = await startTestServer()
  try {
    await assert.rejects(server.newClient({ region: 'us-east1' }).send(new ListTablesCommand({})), (error: Error & { $metadata: { httpStatusCode: number } }) =>
      error.name === 'InvalidSignatureException' && error.message === "Credential should be scoped to a valid region, not 'us-east1'. " &&
      error.$metadata.httpStatusCode === 400)
  } finally {
    await server.close()
  }
})

test('localhost and configured names are their own namespaces', inProcessOnly('it configures region names'), async () => {
  const server = await startTestServer({ regions: ['moon-base-1'] })
  try {
    await createTable(server.newClient({ region: 'localhost' }), 'gui')
    await createTable(server.newClient({ region: 'moon-base-1' }), 'lunar')
    assert.deepEqual(await tableNames(server.newClient({ region: 'localhost' })), ['gui'])
    assert.deepEqual(await tableNames(server.newClient({ region: 'moon-base-1' })), ['lunar'])
    assert.deepEqual(await tableNames(server.client), [])
  } finally {
    await server.close()
  }
})

test('with shared regions every region name sees the same tables', inProcessOnly('it configures shared regions'), async () => {
  const server = await startTestServer({ sharedRegions: true })
  try {
    await createTable(server.client, 'everywhere')
    for (const region of ['eu-west-1', 'localhost', 'us-east1', 'anything-at-all']) {
      assert.deepEqual(await tableNames(server.newClient({ region })), ['everywhere'], region)
    }
  } finally {
    await server.close()
  }
})
