/**
 * Replicated settings between two `eddydb serve` processes survive a partition and a crash:
 * a GSI, a billing mode or a TTL change made while the peer cannot be reached reaches it once
 * the link heals, and one acknowledged just before its server is killed -9 reaches the peer
 * after the restart. DynamoDB keeps these settings the same on every replica; after a partition
 * heals every replica converges (issue 13).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  CreateTableCommand, DescribeTimeToLiveCommand, PutItemCommand, QueryCommand, UpdateTableCommand,
  UpdateTimeToLiveCommand, type TableDescription,
} from '@aws-sdk/client-dynamodb'
import { cliMissingReason } from '../helpers/cli.js'
import { uniqueTableName } from '../helpers/server.js'
import { describeIn, eventually } from './helpers.js'
import { startPeerServers, type PeerServers } from './peer-servers.js'

const isActive = (description: TableDescription): boolean =>
  description.TableStatus === 'ACTIVE' && (description.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE')

/** The last error of the server's replication pair for `table`, from its status route. */
async function pairError(serverUrl: string, table: string): Promise<string | null | undefined> {
  const status = await (await fetch(`${serverUrl}/_eddydb/status`)).json() as { replication: Array<{ table: string; lastError: string | null }> }
  return status.replication.find((pair) => pair.table === table)?.lastError
}

describe('replicated settings across a partition and a crash', { skip: cliMissingReason }, () => {
  let servers: PeerServers
  const table = uniqueTableName('settings-partition')

  before(async () => {
    servers = await startPeerServers()
    await servers.east.send(new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    }))
    await eventually(async () => isActive(await describeIn(servers.east, table)), 'table ACTIVE')
    await servers.east.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }))
    await eventually(async () => {
      const inEast = await describeIn(servers.east, table)
      return isActive(inEast) && inEast.Replicas?.[0]?.ReplicaStatus === 'ACTIVE' && isActive(await describeIn(servers.west, table))
    }, 'replica ACTIVE on both sides')
    await servers.east.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'a' }, v: { S: 'red' } } }))
  })
  after(() => servers?.close())

  it('delivers a billing mode switch and a new GSI made while cut off once the link heals, and a TTL change the other way', async () => {
    const { east, west } = servers
    servers.cut()
    await east.send(new UpdateTableCommand({ TableName: table, BillingMode: 'PAY_PER_REQUEST' }))
    await eventually(async () => isActive(await describeIn(east, table)), 'billing switch settled in us-east-1')
    await east.send(new UpdateTableCommand({
      TableName: table,
      AttributeDefinitions: [{ AttributeName: 'v', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byV', KeySchema: [{ AttributeName: 'v', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
    }))
    await west.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true } }))
    // us-east-1 has tried to deliver and failed: the peer is cut off.
    await eventually(async () => Boolean(await pairError(servers.eastServer.url, table)), 'a failed delivery to us-west-2')
    // Until us-west-2 has the change, us-east-1 shows it UPDATING, as DynamoDB shows a replica a settings change is reaching.
    assert.equal((await describeIn(east, table)).Replicas?.[0]?.ReplicaStatus, 'UPDATING')
    const cutOff = await describeIn(west, table)
    assert.equal(cutOff.BillingModeSummary?.BillingMode ?? 'PROVISIONED', 'PROVISIONED')
    assert.equal(cutOff.GlobalSecondaryIndexes, undefined)

    servers.heal()
    await eventually(async () => {
      const inWest = await describeIn(west, table)
      return isActive(inWest) && inWest.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST' && inWest.GlobalSecondaryIndexes?.[0]?.IndexName === 'byV'
    }, 'us-west-2 on demand with byV ACTIVE', 800)
    await eventually(async () => (await describeIn(east, table)).Replicas?.[0]?.ReplicaStatus === 'ACTIVE', 'us-west-2 ACTIVE again in us-east-1')
    const inWest = await describeIn(west, table)
    assert.deepEqual([inWest.ProvisionedThroughput?.ReadCapacityUnits, inWest.ProvisionedThroughput?.WriteCapacityUnits], [0, 0])
    // The peer built the index from its own copy of the items.
    const byV = await west.send(new QueryCommand({
      TableName: table, IndexName: 'byV', KeyConditionExpression: 'v = :v', ExpressionAttributeValues: { ':v': { S: 'red' } },
    }))
    assert.deepEqual(byV.Items?.map((item) => item.pk!.S), ['a'])
    await eventually(async () =>
      (await east.send(new DescribeTimeToLiveCommand({ TableName: table }))).TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED',
    'TTL set in us-west-2 enabled in us-east-1')
  })

  it('delivers a change acknowledged just before its server was killed -9, after the restart', async () => {
    await eventually(async () => isActive(await describeIn(servers.east, table)), 'us-east-1 ACTIVE')
    servers.cut()
    await servers.east.send(new UpdateTableCommand({ TableName: table, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byV' } }] }))
    await servers.kill('east')
    servers.heal()
    // Nothing could have reached us-west-2: the link was cut until us-east-1 died.
    assert.equal((await describeIn(servers.west, table)).GlobalSecondaryIndexes?.[0]?.IndexName, 'byV')
    await servers.restart('east')
    await eventually(async () => (await describeIn(servers.west, table)).GlobalSecondaryIndexes === undefined, 'byV deleted in us-west-2', 800)
    assert.equal((await describeIn(servers.east, table)).GlobalSecondaryIndexes, undefined)
  })
})
