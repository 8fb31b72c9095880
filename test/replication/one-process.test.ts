/** Global tables (2019.11.21) with every region in one process, through the AWS SDK. */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  DeleteItemCommand, DeleteTableCommand, DescribeTableCommand, GetItemCommand, ListTablesCommand, PutItemCommand,
  UpdateTableCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { uniqueTableName } from '../helpers/server.js'
import { expectError } from '../helpers/errors.js'
import { createKeyTable, eventually, expectedBoto3Result, runBoto3GlobalTable, sameContents } from './helpers.js'
import { threeRegions, type RegionsUnderTest } from './helpers.js'

describe('global tables in one process', () => {
  let regions: RegionsUnderTest
  let east: DynamoDBClient
  let west: DynamoDBClient
  let europe: DynamoDBClient

  before(async () => {
    regions = await threeRegions()
    ;({ east, west, europe } = regions)
  })
  after(() => regions.close())

  const get = async (client: DynamoDBClient, table: string, pk: string) =>
    (await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } }, ConsistentRead: true }))).Item

  it('creates a replica with the existing items, then replicates writes both ways', async () => {
    const table = uniqueTableName('global')
    await createKeyTable(east, table)
    await east.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'before' }, n: { N: '1' } } }))
    const updated = await east.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }))
    assert.equal(updated.TableDescription?.TableStatus, 'UPDATING')
    assert.equal(updated.TableDescription?.GlobalTableVersion, '2019.11.21')
    assert.deepEqual(updated.TableDescription?.Replicas?.map((replica) => replica.RegionName), ['us-west-2'])
    assert.equal(updated.TableDescription?.StreamSpecification?.StreamViewType, 'NEW_AND_OLD_IMAGES')
    assert.ok((await west.send(new ListTablesCommand({}))).TableNames?.includes(table))
    await eventually(async () => (await get(west, table, 'before'))?.n?.N === '1', 'existing item copied to us-west-2')
    await eventually(async () => {
      const described = (await east.send(new DescribeTableCommand({ TableName: table }))).Table
      return described?.Replicas?.[0]?.ReplicaStatus === 'ACTIVE'
    }, 'replica ACTIVE')
    const inWest = (await west.send(new DescribeTableCommand({ TableName: table }))).Table!
    assert.deepEqual(inWest.Replicas?.map((replica) => [replica.RegionName, replica.ReplicaStatus]), [['us-east-1', 'ACTIVE']])
    // DynamoDB's settings replication mode, at the table's level and the replica's, and the replica's warm throughput.
    assert.equal(inWest.GlobalTableSettingsReplicationMode, 'ENABLED_WITH_OVERRIDES')
    assert.equal(inWest.Replicas?.[0]?.GlobalTableSettingsReplicationMode, 'ENABLED_WITH_OVERRIDES')
    assert.deepEqual(inWest.Replicas?.[0]?.WarmThroughput, { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000, Status: 'ACTIVE' })
    assert.match(inWest.TableArn!, /:us-west-2:/)
    assert.match(inWest.LatestStreamArn!, /:us-west-2:/)

    await west.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'from-west' } } }))
    await east.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'from-east' } } }))
    await eventually(async () => (await get(east, table, 'from-west')) !== undefined, 'west write in east')
    await eventually(async () => (await get(west, table, 'from-east')) !== undefined, 'east write in west')
    await west.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'before' } } }))
    await eventually(async () => (await get(east, table, 'before')) === undefined, 'delete replicated')
    await eventually(() => sameContents([east, west], table), 'replicas equal')

    // The status route shows each replication pair's backlog and lag.
    const pairStatus = async () => {
      const status = await (await fetch(`${regions.server.endpoint}/_eddydb/status`)).json() as { replication: Array<Record<string, unknown>> }
      return status.replication.find((each) => each.table === table && each.source === 'us-west-2' && each.target === 'us-east-1')!
    }
    await eventually(async () => (await pairStatus()).pendingReplicationCount === 0, 'no backlog left')
    const pair = await pairStatus()
    assert.equal(pair.replicatedChanges, 2)
    assert.equal(typeof pair.replicationLatencyMs, 'number')
  })

  it('refuses the local region, unknown members and stream disabling with DynamoDB\'s errors', async () => {
    const table = uniqueTableName('global-errors')
    await createKeyTable(east, table)
    await expectError(east.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'us-east-1' } }] })),
      'ValidationException', 'Cannot add or delete the local region through ReplicaUpdates. Use CreateTable, DeleteTable, or UpdateTable as required.')
    await expectError(east.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Delete: { RegionName: 'eu-west-1' } }] })),
      'ValidationException', 'Update global table operation failed because one or more replicas were not part of the global table. Please retry the request without these replicas: [eu-west-1].')
    await createKeyTable(europe, table)
    await expectError(east.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] })),
      'ValidationException', `Failed to create a the new replica of table with name: ‘${table}’ because one or more replicas already existed as tables.`)
    await east.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }))
    await expectError(east.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: false } })),
      'ValidationException', 'One or more parameter values were invalid: Disabling Stream is not allowed for a Global Table replica.')
    await expectError(east.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } })),
      'ValidationException', `Table already has an enabled stream: TableName: ${table}`)
  })

  it('deletes a replica; the last one left is a plain table that keeps its stream', async () => {
    const table = uniqueTableName('global-delete')
    await createKeyTable(east, table)
    await east.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }))
    await east.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }))
    const inEurope = (await europe.send(new DescribeTableCommand({ TableName: table }))).Table!
    assert.deepEqual(inEurope.Replicas?.map((replica) => replica.RegionName).sort(), ['us-east-1', 'us-west-2'])
    await east.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Delete: { RegionName: 'us-west-2' } }] }))
    await expectError(west.send(new DescribeTableCommand({ TableName: table })), 'ResourceNotFoundException')
    // DeleteTable in a replica's own region takes it out of the group too.
    await europe.send(new DeleteTableCommand({ TableName: table }))
    const alone = (await east.send(new DescribeTableCommand({ TableName: table }))).Table!
    assert.equal(alone.Replicas, undefined)
    assert.equal(alone.GlobalTableVersion, undefined)
    assert.equal(alone.GlobalTableSettingsReplicationMode, undefined)
    assert.equal(alone.StreamSpecification?.StreamEnabled, true)
  })

  it('serves boto3: create a replica, write in both regions, read back, delete the replica', async () => {
    const result = await runBoto3GlobalTable(regions.server.endpoint, regions.server.endpoint, uniqueTableName('boto3-global'))
    assert.deepEqual(result, expectedBoto3Result)
  })
})
