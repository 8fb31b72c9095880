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

// The ARNs of China's, GovCloud's and the other partitions' regions name their partition
// (arn:aws-cn:..., arn:aws-us-gov:...), as DynamoDB's there do, and the operations that take an
// ARN take those.
test('a region of another partition names it in every ARN, and takes its ARNs back', localDiffers('its ARNs always say aws'), async () => {
  const {
    CreateBackupCommand, DescribeBackupCommand, DescribeTableCommand, GetResourcePolicyCommand, ListTagsOfResourceCommand,
    PutResourcePolicyCommand, TagResourceCommand, UpdateTableCommand,
  } = await import('@aws-sdk/client-dynamodb')
  const { arnPartition } = await import('../../src/region-names.js')
  assert.deepEqual(['us-east-1', 'cn-north-1', 'us-gov-west-1', 'us-isob-east-1', 'eusc-de-east-1', 'localhost'].map(arnPartition),
    ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso-b', 'aws-eusc', 'aws'])
  const server = await startTestServer()
  try {
    const china = server.newClient({ region: 'cn-north-1' })
    await createTable(china, 'orders')
    await china.send(new UpdateTableCommand({ TableName: 'orders', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }))
    const { Table } = await china.send(new DescribeTableCommand({ TableName: 'orders' }))
    assert.match(Table!.TableArn!, /^arn:aws-cn:dynamodb:cn-north-1:\d{12}:table\/orders$/)
    assert.match(Table!.LatestStreamArn!, /^arn:aws-cn:dynamodb:cn-north-1:\d{12}:table\/orders\/stream\//)
    await china.send(new TagResourceCommand({ ResourceArn: Table!.TableArn, Tags: [{ Key: 'team', Value: 'east' }] }))
    assert.deepEqual((await china.send(new ListTagsOfResourceCommand({ ResourceArn: Table!.TableArn }))).Tags, [{ Key: 'team', Value: 'east' }])
    // The aws partition's ARN is not this table's.
    await assert.rejects(china.send(new ListTagsOfResourceCommand({ ResourceArn: Table!.TableArn!.replace('arn:aws-cn:', 'arn:aws:') })),
      (error: Error) => error.name === 'ValidationException')
    const { BackupDetails } = await china.send(new CreateBackupCommand({ TableName: 'orders', BackupName: 'nightly' }))
    assert.match(BackupDetails!.BackupArn!, /^arn:aws-cn:dynamodb:cn-north-1:/)
    const { BackupDescription } = await china.send(new DescribeBackupCommand({ BackupArn: BackupDetails!.BackupArn }))
    assert.equal(BackupDescription!.SourceTableDetails!.TableArn, Table!.TableArn)
    // A resource policy naming an account: kept as that account's root, in the partition.
    const account = Table!.TableArn!.split(':')[4]
    await china.send(new PutResourcePolicyCommand({
      ResourceArn: Table!.TableArn,
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: account }, Action: 'dynamodb:GetItem', Resource: Table!.TableArn }] }),
    }))
    const stored = JSON.parse((await china.send(new GetResourcePolicyCommand({ ResourceArn: Table!.TableArn }))).Policy!)
    assert.deepEqual(stored.Statement[0].Principal, { AWS: `arn:aws-cn:iam::${account}:root` })
  } finally {
    await server.close()
  }
})
