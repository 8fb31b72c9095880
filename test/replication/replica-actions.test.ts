/**
 * ReplicaUpdates' actions one by one, in DynamoDB's words as an API-quirks lab recorded them
 * against AWS (October 2026): malformed actions, unknown regions, deletion protection on a
 * replica, and per-replica overrides that reach the replica's own table.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  CreateTableCommand, DeleteTableCommand, DescribeTableCommand, ListTablesCommand, UpdateTableCommand,
  type DynamoDBClient, type UpdateTableCommandInput,
} from '@aws-sdk/client-dynamodb'
import { uniqueTableName } from '../helpers/server.js'
import { expectError } from '../helpers/errors.js'
import { addWestReplica, createKeyTable, describeIn, eventually, threeRegions, type RegionsUnderTest } from './helpers.js'

describe('replica actions', () => {
  let regions: RegionsUnderTest
  let east: DynamoDBClient
  let west: DynamoDBClient

  before(async () => {
    regions = await threeRegions()
    ;({ east, west } = regions)
  })
  after(() => regions.close())

  const update = (table: string, input: Omit<UpdateTableCommandInput, 'TableName'>) => east.send(new UpdateTableCommand({ TableName: table, ...input }))

  it('refuses malformed actions, unknown regions and other changes alongside, in DynamoDB\'s words', async () => {
    const table = uniqueTableName('replica-actions')
    await createKeyTable(east, table)
    const noAction = 'There are no actions specified in the Replica Update Action of the request.'
    await expectError(update(table, { ReplicaUpdates: [{}] }), 'ValidationException', noAction)
    await expectError(update(table, { ReplicaUpdates: [{ Update: { RegionName: 'us-west-2' } }] }), 'ValidationException', noAction)
    await expectError(update(table, { ReplicaUpdates: [{ Update: { RegionName: 'us-west-2', GlobalSecondaryIndexes: [{ IndexName: 'byOther' }] } }] }),
      'ValidationException', noAction)
    await expectError(update(table, { ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' }, Delete: { RegionName: 'eu-west-1' } }] }),
      'ValidationException', 'Update table operation with more than one type of replica actions not allowed.')
    const unsupported = await expectError(update(table, { ReplicaUpdates: [{ Create: { RegionName: 'us-fake-1' } }] }), 'ValidationException',
      /^Region us-fake-1 is not supported\. The latest version of global tables are only supported in the following regions: \[.*\bus-west-2\b.*\]\.$/)
    assert.ok(!unsupported.message.includes('localhost'))
    // A global table stays in its account's partition: from us-east-1, no replica in China or GovCloud, nor in localhost.
    assert.ok(!unsupported.message.includes('cn-north-1') && !unsupported.message.includes('us-gov-west-1'))
    for (const region of ['cn-north-1', 'us-gov-west-1', 'localhost']) {
      await expectError(update(table, { ReplicaUpdates: [{ Create: { RegionName: region } }] }), 'ValidationException',
        unsupported.message.replace('us-fake-1', region))
    }
    await expectError(update(table, { ReplicaUpdates: [{ Update: { RegionName: 'ca-central-1', TableClassOverride: 'STANDARD' } }] }),
      'ValidationException', 'Update global table operation failed because one or more replicas were not part of the global table. Please retry the request without these replicas: [ca-central-1].')
    for (const other of [{ DeletionProtectionEnabled: true }, { TableClass: 'STANDARD_INFREQUENT_ACCESS' as const }, { SSESpecification: { Enabled: true } }]) {
      await expectError(update(table, { ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }], ...other }),
        'ValidationException', 'One or more parameter values were invalid: Replica modification must be the only operation in the request')
    }
    // The same Create twice is one Create.
    await update(table, { ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }, { Create: { RegionName: 'us-west-2' } }] })
    assert.deepEqual((await describeIn(east, table)).Replicas?.map((replica) => replica.RegionName), ['us-west-2'])
  })

  it('keeps a replica with deletion protection from a Delete made in any region', async () => {
    const table = uniqueTableName('replica-protected')
    await createKeyTable(east, table)
    // Deletion protection is each replica's own: the source's is not copied to a new replica.
    await east.send(new UpdateTableCommand({ TableName: table, DeletionProtectionEnabled: true }))
    await addWestReplica(east, table)
    assert.equal((await describeIn(west, table)).DeletionProtectionEnabled, false)
    assert.equal((await describeIn(east, table)).DeletionProtectionEnabled, true)
    await west.send(new UpdateTableCommand({ TableName: table, DeletionProtectionEnabled: true }))
    const refusal = `Cannot delete table ${table} in region us-west-2 because it has deletion protection enabled. Disable deletion protection first.`
    await expectError(update(table, { ReplicaUpdates: [{ Delete: { RegionName: 'us-west-2' } }] }), 'ValidationException', refusal)
    await expectError(west.send(new DeleteTableCommand({ TableName: table })), 'ValidationException', refusal)
    assert.ok((await west.send(new ListTablesCommand({}))).TableNames?.includes(table))
    assert.deepEqual((await describeIn(east, table)).Replicas?.map((replica) => replica.RegionName), ['us-west-2'])
    await west.send(new UpdateTableCommand({ TableName: table, DeletionProtectionEnabled: false }))
    await update(table, { ReplicaUpdates: [{ Delete: { RegionName: 'us-west-2' } }] })
    await expectError(west.send(new DescribeTableCommand({ TableName: table })), 'ResourceNotFoundException')
    await east.send(new UpdateTableCommand({ TableName: table, DeletionProtectionEnabled: false }))
  })

  it('applies an Update\'s overrides to the replica\'s own table, merging index overrides per index', async () => {
    const table = uniqueTableName('replica-overrides')
    const index = (name: string) => ({
      IndexName: name, KeySchema: [{ AttributeName: name, KeyType: 'HASH' as const }], Projection: { ProjectionType: 'KEYS_ONLY' as const },
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    })
    await east.send(new CreateTableCommand({
      TableName: table, BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'gsi1', AttributeType: 'S' }, { AttributeName: 'gsi2', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [index('gsi1'), index('gsi2')],
    }))
    await addWestReplica(east, table)
    await expectError(update(table, { ReplicaUpdates: [{ Update: { RegionName: 'us-west-2', OnDemandThroughputOverride: { MaxReadRequestUnits: 100 } } }] }),
      'ValidationException', 'MaxReadRequestUnits for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED')
    await update(table, { ReplicaUpdates: [{ Update: { RegionName: 'us-west-2', ProvisionedThroughputOverride: { ReadCapacityUnits: 10 } } }] })
    await update(table, { ReplicaUpdates: [{ Update: { RegionName: 'us-west-2', GlobalSecondaryIndexes: [
      { IndexName: 'gsi1', ProvisionedThroughputOverride: { ReadCapacityUnits: 6 } }, { IndexName: 'gsi2', ProvisionedThroughputOverride: { ReadCapacityUnits: 7 } },
    ] } }] })
    await update(table, { ReplicaUpdates: [{ Update: { RegionName: 'us-west-2', GlobalSecondaryIndexes: [{ IndexName: 'gsi1', ProvisionedThroughputOverride: { ReadCapacityUnits: 8 } }] } }] })
    await update(table, { ReplicaUpdates: [{ Update: { RegionName: 'us-west-2', TableClassOverride: 'STANDARD_INFREQUENT_ACCESS' } }] })
    const inWest = await describeIn(west, table)
    assert.deepEqual([inWest.ProvisionedThroughput?.ReadCapacityUnits, inWest.ProvisionedThroughput?.WriteCapacityUnits], [10, 5])
    assert.deepEqual(inWest.GlobalSecondaryIndexes?.map((each) => [each.IndexName, each.ProvisionedThroughput?.ReadCapacityUnits]).sort(), [['gsi1', 8], ['gsi2', 7]])
    assert.equal(inWest.TableClassSummary?.TableClass, 'STANDARD_INFREQUENT_ACCESS')
    const entry = (await describeIn(east, table)).Replicas?.[0]
    assert.deepEqual(entry?.GlobalSecondaryIndexes?.map((each) => [each.IndexName, each.ProvisionedThroughputOverride?.ReadCapacityUnits]).sort(), [['gsi1', 8], ['gsi2', 7]])
    // The table in the region asked keeps its own capacity.
    assert.equal((await describeIn(east, table)).ProvisionedThroughput?.ReadCapacityUnits, 5)
  })

  it('applies an on-demand read maximum to an on-demand replica, and refuses read capacity there', async () => {
    const table = uniqueTableName('replica-on-demand')
    await createKeyTable(east, table)
    // A Create's overrides are checked as an Update's: an on-demand replica with read capacity, or
    // an override of an index the table does not have, would describe what DynamoDB never does.
    await expectError(update(table, { ReplicaUpdates: [{ Create: { RegionName: 'us-west-2', ProvisionedThroughputOverride: { ReadCapacityUnits: 5 } } }] }),
      'ValidationException', 'Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST')
    await expectError(update(table, { ReplicaUpdates: [{ Create: { RegionName: 'us-west-2', GlobalSecondaryIndexes: [{ IndexName: 'nope' }] } }] }),
      'ValidationException', `One or more parameter values were invalid: Global Secondary Index nope does not exist on table ${table}`)
    assert.equal((await describeIn(east, table)).Replicas, undefined, 'a refused Create adds no replica')
    await addWestReplica(east, table)
    await expectError(update(table, { ReplicaUpdates: [{ Update: { RegionName: 'us-west-2', ProvisionedThroughputOverride: { ReadCapacityUnits: 10 } } }] }),
      'ValidationException', 'Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST')
    await update(table, { ReplicaUpdates: [{ Update: { RegionName: 'us-west-2', OnDemandThroughputOverride: { MaxReadRequestUnits: 100 } } }] })
    assert.equal((await describeIn(west, table)).OnDemandThroughput?.MaxReadRequestUnits, 100)
    assert.equal((await describeIn(east, table)).OnDemandThroughput?.MaxReadRequestUnits, undefined)
  })

  // DDB-TABLE-313, -309, -295 of the lab: every replica is encrypted as the table is, with a key of its own region.
  it('gives each replica a KMS key of its region, of the kind the table has', async () => {
    const keyed = async (prefix: string, SSESpecification?: { Enabled: boolean; SSEType: 'KMS'; KMSMasterKeyId?: string }) => {
      const table = uniqueTableName(prefix)
      await east.send(new CreateTableCommand({
        TableName: table, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST', SSESpecification,
      }))
      return table
    }
    const create = (table: string, KMSMasterKeyId?: string) => update(table, { ReplicaUpdates: [{ Create: { RegionName: 'us-west-2', KMSMasterKeyId } }] })
    const eachReplica = 'One or more parameter values were invalid: KMSMasterKeyId must be specified for each replica.'
    const mixed = 'One or more parameter values were invalid: All replica keys must either be Customer Managed CMK or AWS Managed CMK.'

    // A customer managed key: each replica names one of its region, never the AWS managed key.
    const customer = await keyed('replica-cmk', { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'east-key' })
    const eastKey = (await describeIn(east, customer)).SSEDescription!.KMSMasterKeyArn!
    await expectError(create(customer), 'ValidationException', eachReplica)
    await expectError(create(customer, 'alias/aws/dynamodb'), 'ValidationException', mixed)
    await expectError(create(customer, eastKey), 'ValidationException', /^KMS validation error for region us-west-2: .*Invalid arn us-east-1 /)
    await create(customer, 'west-key')
    const westKey = eastKey.replace(':us-east-1:', ':us-west-2:').replace('/east-key', '/west-key')
    assert.equal((await describeIn(west, customer)).SSEDescription?.KMSMasterKeyArn, westKey)
    assert.deepEqual((await describeIn(east, customer)).Replicas?.map((replica) => replica.KMSMasterKeyId), [westKey])
    assert.deepEqual((await describeIn(west, customer)).Replicas?.map((replica) => replica.KMSMasterKeyId), [eastKey])
    await expectError(update(customer, { ReplicaUpdates: [{ Update: { RegionName: 'us-west-2', KMSMasterKeyId: 'other-key' } }] }), 'ValidationException', eachReplica)

    // The AWS managed key: each replica has its own region's; a customer key would mix the kinds.
    const managed = await keyed('replica-managed', { Enabled: true, SSEType: 'KMS' })
    await expectError(create(managed, 'west-key'), 'ValidationException', mixed)
    await create(managed)
    const westManaged = (await describeIn(west, managed)).SSEDescription!.KMSMasterKeyArn!
    assert.match(westManaged, /^arn:aws:kms:us-west-2:/)
    assert.notEqual(westManaged, (await describeIn(east, managed)).SSEDescription!.KMSMasterKeyArn)

    // DynamoDB's own key: no replica takes a key.
    const owned = await keyed('replica-owned')
    await expectError(create(owned, 'west-key'), 'ValidationException', eachReplica)
    await create(owned)
    assert.equal((await describeIn(west, owned)).SSEDescription, undefined)
  })

  // DDB-TABLE-295 of the lab, and the global tables guide: "The encryption setting on the replica
  // tables must be consistent across Regions".
  it('carries a change of encryption made on any replica to every replica, each with its own region\'s key', async () => {
    const table = uniqueTableName('replica-sse')
    await createKeyTable(east, table)
    await addWestReplica(east, table)
    const keyOf = async (client: DynamoDBClient) => (await describeIn(client, table)).SSEDescription?.KMSMasterKeyArn
    const listedKeys = async (client: DynamoDBClient) => (await describeIn(client, table)).Replicas?.map((replica) => replica.KMSMasterKeyId)
    const settled = async () => (await describeIn(east, table)).TableStatus === 'ACTIVE' && (await describeIn(west, table)).TableStatus === 'ACTIVE'

    // To the AWS managed key, asked on the replica: the table in us-east-1 takes its region's.
    await west.send(new UpdateTableCommand({ TableName: table, SSESpecification: { Enabled: true, SSEType: 'KMS' } }))
    await eventually(async () => (await keyOf(east)) !== undefined, 'us-east-1 encrypted with a KMS key')
    const [eastKey, westKey] = [await keyOf(east), await keyOf(west)]
    assert.match(eastKey!, /^arn:aws:kms:us-east-1:/)
    assert.match(westKey!, /^arn:aws:kms:us-west-2:/)
    assert.deepEqual(await listedKeys(east), [westKey])
    assert.deepEqual(await listedKeys(west), [eastKey])
    await eventually(settled, 'both replicas ACTIVE')

    // A customer managed key would need one of each member's region: refused, nothing changes.
    await expectError(update(table, { SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'east-key' } }),
      'ValidationException', 'One or more parameter values were invalid: KMSMasterKeyId must be specified for each replica.')
    assert.equal(await keyOf(east), eastKey)

    // Back to DynamoDB's own key, asked in us-east-1: no member keeps a key.
    await update(table, { SSESpecification: { Enabled: false } })
    await eventually(async () => (await keyOf(west)) === undefined, 'us-west-2 back on DynamoDB\'s own key')
    assert.equal(await keyOf(east), undefined)
    assert.deepEqual(await listedKeys(east), [undefined])
    assert.deepEqual(await listedKeys(west), [undefined])
  })
})
