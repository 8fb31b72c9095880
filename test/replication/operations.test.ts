/** The other global-table operations: replica auto scaling, and the legacy 2017.11.29 API. */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  CreateGlobalTableCommand, CreateTableCommand, DescribeGlobalTableCommand, DescribeGlobalTableSettingsCommand, DescribeTableCommand,
  DescribeTableReplicaAutoScalingCommand, DescribeTimeToLiveCommand, UpdateTimeToLiveCommand, GetItemCommand, ListGlobalTablesCommand, PutItemCommand, UpdateGlobalTableCommand,
  UpdateGlobalTableSettingsCommand, UpdateTableCommand, UpdateTableReplicaAutoScalingCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { uniqueTableName } from '../helpers/server.js'
import { expectError } from '../helpers/errors.js'
import { createKeyTable, eventually } from './helpers.js'
import { threeRegions, type RegionsUnderTest } from './helpers.js'

describe('global table operations', () => {
  let regions: RegionsUnderTest
  let east: DynamoDBClient
  let west: DynamoDBClient
  let europe: DynamoDBClient

  before(async () => {
    // The legacy API is on here; 'as AWS does today' below starts a server without it.
    regions = await threeRegions({ legacyGlobalTables: true })
    ;({ east, west, europe } = regions)
  })
  after(() => regions.close())

  const createStreamTable = (client: DynamoDBClient, name: string) => client.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  }))

  it('answers DescribeTableReplicaAutoScaling and UpdateTableReplicaAutoScaling with every replica', async () => {
    const table = uniqueTableName('autoscaling')
    await createKeyTable(east, table)
    // Only a global table has them: a table without replicas is not found, as a missing one.
    for (const name of [table, 'missing-table']) {
      for (const command of [new DescribeTableReplicaAutoScalingCommand({ TableName: name }), new UpdateTableReplicaAutoScalingCommand({ TableName: name })]) {
        await expectError(east.send(command as DescribeTableReplicaAutoScalingCommand), 'ResourceNotFoundException', `Global table with name: '${name}' does not exist.`)
      }
    }
    await east.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }))
    const described = await west.send(new DescribeTableReplicaAutoScalingCommand({ TableName: table }))
    assert.deepEqual(described.TableAutoScalingDescription?.Replicas?.map((replica) => replica.RegionName), ['us-east-1', 'us-west-2'])
    const updated = await east.send(new UpdateTableReplicaAutoScalingCommand({ TableName: table }))
    assert.equal(updated.TableAutoScalingDescription?.TableName, table)
  })

  it('refuses CreateGlobalTable as AWS does today, and finds no 2017.11.29 group, unless started with --legacy-global-tables', async () => {
    const current = await threeRegions()
    try {
      const table = uniqueTableName('legacy-off')
      await createStreamTable(current.east, table)
      await createStreamTable(current.west, table)
      await expectError(current.east.send(new CreateGlobalTableCommand({ GlobalTableName: table, ReplicationGroup: [{ RegionName: 'us-west-2' }] })),
        'ValidationException', 'One or more parameter values were invalid: DynamoDB global tables version 2017.11.29 is not supported. We recommend using DynamoDB global tables version 2019.11.21, instead of version 2017.11.29 (Legacy).')
      // Nothing was grouped, and a 2019.11.21 global table is no 2017.11.29 group either.
      await current.east.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }))
      await expectError(current.east.send(new DescribeGlobalTableCommand({ GlobalTableName: table })), 'GlobalTableNotFoundException',
        `Global table not found: Global table with name: '${table}' does not exist.`)
      await expectError(current.east.send(new UpdateGlobalTableCommand({ GlobalTableName: table, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] })),
        'ValidationException', /^One or more parameter values were invalid: DynamoDB global tables version 2017.11.29 is not supported/)
      await expectError(current.east.send(new UpdateGlobalTableCommand({ GlobalTableName: table, ReplicaUpdates: [{ Delete: { RegionName: 'us-west-2' } }] })),
        'GlobalTableNotFoundException', `Global table with name: '${table}' does not exist.`)
      await expectError(current.east.send(new UpdateGlobalTableCommand({ GlobalTableName: table, ReplicaUpdates: [] })),
        'ValidationException', 'One or more parameter values were invalid')
      assert.deepEqual((await current.east.send(new ListGlobalTablesCommand({}))).GlobalTables, [])
    } finally {
      await current.close()
    }
  })

  it('groups identical empty tables with CreateGlobalTable (2017.11.29) and replicates between them', async () => {
    const table = uniqueTableName('legacy')
    await createStreamTable(east, table)
    await createStreamTable(west, table)
    const created = await east.send(new CreateGlobalTableCommand({ GlobalTableName: table, ReplicationGroup: [{ RegionName: 'us-east-1' }, { RegionName: 'us-west-2' }] }))
    assert.equal(created.GlobalTableDescription?.GlobalTableArn, `arn:aws:dynamodb::000000000000:global-table/${table}`)
    const described = await west.send(new DescribeGlobalTableCommand({ GlobalTableName: table }))
    assert.deepEqual(described.GlobalTableDescription?.ReplicationGroup?.map((replica) => replica.RegionName), ['us-east-1', 'us-west-2'])
    assert.equal(described.GlobalTableDescription?.GlobalTableStatus, 'ACTIVE')
    assert.ok((await east.send(new ListGlobalTablesCommand({}))).GlobalTables?.some((each) => each.GlobalTableName === table))
    await east.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'x' } } }))
    await eventually(async () => (await west.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'x' } } }))).Item !== undefined, 'legacy replication')
    await expectError(east.send(new CreateGlobalTableCommand({ GlobalTableName: table, ReplicationGroup: [{ RegionName: 'us-east-1' }] })),
      'GlobalTableAlreadyExistsException')

    await expectError(east.send(new UpdateGlobalTableCommand({ GlobalTableName: table, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] })),
      'ReplicaAlreadyExistsException')
    await expectError(east.send(new UpdateGlobalTableCommand({ GlobalTableName: table, ReplicaUpdates: [{ Delete: { RegionName: 'eu-west-1' } }] })),
      'ReplicaNotFoundException')
    await expectError(east.send(new UpdateGlobalTableCommand({ GlobalTableName: table, ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] })),
      'TableNotFoundException')
    await createStreamTable(europe, table)
    const grown = await east.send(new UpdateGlobalTableCommand({ GlobalTableName: table, ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }))
    assert.equal(grown.GlobalTableDescription?.ReplicationGroup?.length, 3)
    const settings = await europe.send(new DescribeGlobalTableSettingsCommand({ GlobalTableName: table }))
    assert.deepEqual(settings.ReplicaSettings?.map((replica) => replica.RegionName), ['us-east-1', 'us-west-2', 'eu-west-1'])
    for (const replica of settings.ReplicaSettings!) {
      assert.deepEqual(replica.ReplicaProvisionedReadCapacityAutoScalingSettings, { AutoScalingDisabled: true })
      assert.deepEqual(replica.ReplicaProvisionedWriteCapacityAutoScalingSettings, { AutoScalingDisabled: true })
    }
    const updatedSettings = await east.send(new UpdateGlobalTableSettingsCommand({ GlobalTableName: table }))
    assert.equal(updatedSettings.GlobalTableName, table)
    // The model's list constraints come first, before the global table is looked up.
    await expectError(east.send(new UpdateGlobalTableSettingsCommand({ GlobalTableName: 'no-such-global-table', ReplicaSettingsUpdate: [] })), 'ValidationException',
      "1 validation error detected: Value '[]' at 'replicaSettingsUpdate' failed to satisfy constraint: Member must have length greater than or equal to 1")
    await expectError(east.send(new UpdateGlobalTableSettingsCommand({ GlobalTableName: 'no-such-global-table', ReplicaSettingsUpdate: [{} as never] })), 'ValidationException',
      "1 validation error detected: Value null at 'replicaSettingsUpdate.1.member.regionName' failed to satisfy constraint: Member must not be null")
    await expectError(east.send(new UpdateTableCommand({ TableName: table, GlobalTableWitnessUpdates: [] })), 'ValidationException',
      "1 validation error detected: Value '[]' at 'globalTableWitnessUpdates' failed to satisfy constraint: Member must have length greater than or equal to 1")
    await east.send(new UpdateGlobalTableCommand({ GlobalTableName: table, ReplicaUpdates: [{ Delete: { RegionName: 'eu-west-1' } }] }))
    await expectError(europe.send(new DescribeGlobalTableCommand({ GlobalTableName: table })), 'GlobalTableNotFoundException',
      `Global table not found: Global table with name: '${table}' does not exist.`)
  })

  it('keeps a group made with --legacy-global-tables replicating after a restart without the option', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'eddydb-legacy-'))
    const table = uniqueTableName('legacy-kept')
    try {
      const before = await threeRegions({ legacyGlobalTables: true, inMemory: false, dataDir })
      try {
        await createStreamTable(before.east, table)
        await createStreamTable(before.west, table)
        await before.east.send(new CreateGlobalTableCommand({ GlobalTableName: table, ReplicationGroup: [{ RegionName: 'us-east-1' }, { RegionName: 'us-west-2' }] }))
      } finally {
        await before.close()
      }
      const after = await threeRegions({ inMemory: false, dataDir })
      try {
        const described = await after.west.send(new DescribeGlobalTableCommand({ GlobalTableName: table }))
        assert.deepEqual(described.GlobalTableDescription?.ReplicationGroup?.map((replica) => replica.RegionName), ['us-east-1', 'us-west-2'])
        await after.east.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'after-restart' } } }))
        await eventually(async () => (await after.west.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'after-restart' } } }))).Item !== undefined,
          'replication after the restart')
      } finally {
        await after.close()
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('refuses a legacy group of tables with items or without the right stream', async () => {
    const table = uniqueTableName('legacy-bad')
    await createStreamTable(east, table)
    await createKeyTable(west, table)
    await expectError(east.send(new CreateGlobalTableCommand({ GlobalTableName: table, ReplicationGroup: [{ RegionName: 'us-east-1' }, { RegionName: 'us-west-2' }] })),
      'ValidationException', /NEW_AND_OLD_IMAGES/)
    await east.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'x' } } }))
    await expectError(east.send(new CreateGlobalTableCommand({ GlobalTableName: table, ReplicationGroup: [{ RegionName: 'us-east-1' }] })),
      'ValidationException', /must be empty/)
    await expectError(east.send(new DescribeGlobalTableCommand({ GlobalTableName: table })), 'GlobalTableNotFoundException')
    await expectError(east.send(new DescribeGlobalTableSettingsCommand({ GlobalTableName: table })), 'GlobalTableNotFoundException')
  })

  it('refuses a legacy group of tables whose keys differ, and the current replica API on a legacy group', async () => {
    const table = uniqueTableName('legacy-keys')
    await createStreamTable(east, table)
    await west.send(new CreateTableCommand({
      TableName: table, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'N' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }))
    await expectError(east.send(new CreateGlobalTableCommand({ GlobalTableName: table, ReplicationGroup: [{ RegionName: 'us-east-1' }, { RegionName: 'us-west-2' }] })),
      'ValidationException', /Table .* in region us-west-2 must have the same key schema and global secondary indexes/)
    await expectError(east.send(new DescribeGlobalTableCommand({ GlobalTableName: table })), 'GlobalTableNotFoundException')
    const group = await east.send(new CreateGlobalTableCommand({ GlobalTableName: table, ReplicationGroup: [{ RegionName: 'us-east-1' }] }))
    assert.equal(group.GlobalTableDescription?.ReplicationGroup?.length, 1)
    await expectError(east.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] })),
      'ValidationException', /ReplicaUpdates only apply to global tables version 2019.11.21/)
    await expectError(europe.send(new DescribeTableCommand({ TableName: table })), 'ResourceNotFoundException')
  })

  it('keeps the TTL setting the same on every replica', async () => {
    const table = uniqueTableName('ttl-sync')
    await createKeyTable(east, table)
    await east.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }))
    await west.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }))
    // The other replica takes it asynchronously, as in DynamoDB.
    const inEast = async () => (await east.send(new DescribeTimeToLiveCommand({ TableName: table }))).TimeToLiveDescription
    await eventually(async () => (await inEast())?.TimeToLiveStatus === 'ENABLED', 'TTL enabled in us-east-1')
    assert.deepEqual(await inEast(), { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' })
  })
})
