/**
 * Global tables across two `eddydb serve` processes on loopback, each told of the other with
 * --peer, replicating through proxies the test can cut: create a replica on the peer, write in
 * both regions, converge after a partition heals and after one process is killed -9 under writes
 * and restarted, with no deleted item coming back.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  CreateTableCommand, DeleteItemCommand, DeleteTableCommand, DescribeTableCommand, GetItemCommand, ListTablesCommand, PutItemCommand, QueryCommand, UpdateTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { cliMissingReason } from '../helpers/cli.js'
import { uniqueTableName } from '../helpers/server.js'
import { createKeyTable, eventually, expectedBoto3Result, regionClient, runBoto3GlobalTable, sameContents } from './helpers.js'
import { expectError } from '../helpers/errors.js'
import { startPeerServers, type PeerServers } from './peer-servers.js'

const collectionLimitBytes = 20_000

describe('global tables between two processes', { skip: cliMissingReason }, () => {
  let servers: PeerServers
  let east: DynamoDBClient
  let west: DynamoDBClient

  before(async () => {
    // A small item collection limit for the LSI test below; no other table here has an LSI.
    servers = await startPeerServers(['--item-collection-size-limit-bytes', String(collectionLimitBytes)])
    ;({ east, west } = servers)
  })
  after(() => servers?.close())

  const get = async (client: DynamoDBClient, table: string, pk: string) =>
    (await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } }, ConsistentRead: true }))).Item
  const put = (client: DynamoDBClient, table: string, pk: string, value: string) =>
    client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, v: { S: value } } }))

  let table: string

  it('creates a replica on the peer and replicates writes both ways', async () => {
    table = uniqueTableName('peer')
    await createKeyTable(east, table)
    await put(east, table, 'old', 'east')
    const updated = await east.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }))
    assert.deepEqual(updated.TableDescription?.Replicas?.map((replica) => replica.RegionName), ['us-west-2'])
    assert.ok((await west.send(new ListTablesCommand({}))).TableNames?.includes(table))
    await eventually(async () => (await get(west, table, 'old'))?.v?.S === 'east', 'existing item copied to the peer')
    await eventually(async () => (await east.send(new DescribeTableCommand({ TableName: table }))).Table?.Replicas?.[0]?.ReplicaStatus === 'ACTIVE', 'replica ACTIVE')
    const inWest = (await west.send(new DescribeTableCommand({ TableName: table }))).Table!
    assert.deepEqual(inWest.Replicas?.map((replica) => replica.RegionName), ['us-east-1'])
    await put(west, table, 'w', 'west')
    await eventually(async () => (await get(east, table, 'w'))?.v?.S === 'west', 'peer write replicated back')
    // A client of us-west-2 sent to the us-east-1 server is told so, not given an empty us-west-2 of its own.
    const misrouted = regionClient(servers.eastServer.url, 'us-west-2')
    try {
      await expectError(misrouted.send(new ListTablesCommand({})), 'InvalidSignatureException', "Credential should be scoped to a valid region, not 'us-west-2'. ")
    } finally {
      misrouted.destroy()
    }
  })

  it('builds a GSI created in one process in the peer\'s replica from its items, and deletes it from both', async () => {
    const indexStatus = async (client: DynamoDBClient) =>
      (await client.send(new DescribeTableCommand({ TableName: table }))).Table?.GlobalSecondaryIndexes?.[0]?.IndexStatus
    await east.send(new UpdateTableCommand({
      TableName: table,
      AttributeDefinitions: [{ AttributeName: 'v', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byV', KeySchema: [{ AttributeName: 'v', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
    }))
    await eventually(async () => (await indexStatus(west)) === 'ACTIVE', 'index ACTIVE on the peer')
    const inWest = await west.send(new QueryCommand({
      TableName: table, IndexName: 'byV', KeyConditionExpression: 'v = :v', ExpressionAttributeValues: { ':v': { S: 'east' } },
    }))
    // 'old' was written in us-east-1 before the replica existed: the peer indexed its own copy.
    assert.deepEqual(inWest.Items?.map((item) => item.pk!.S), ['old'])
    await west.send(new UpdateTableCommand({ TableName: table, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byV' } }] }))
    await eventually(async () => (await indexStatus(east)) === undefined, 'index deleted in us-east-1')
  })

  /** us-east-1's replication of the table to us-west-2, as its status route shows it. */
  const eastPair = async (): Promise<{ lastError: string | null; pendingReplicationCount: number } | undefined> => {
    const status = await (await fetch(`${servers.eastServer.url}/_eddydb/status`)).json() as
      { replication: Array<{ table: string; lastError: string | null; pendingReplicationCount: number }> }
    return status.replication.find((pair) => pair.table === table)
  }

  it('converges after a partition heals, without resurrecting deleted items, even those deleted before they arrived', async () => {
    await put(east, table, 'gone', 'east')
    await eventually(async () => (await get(west, table, 'gone')) !== undefined, 'item replicated before the partition')
    servers.cut()
    await west.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'gone' } } }))
    // A delete of an item us-west-2 has not received yet is still the later write: it wins too.
    await put(east, table, 'unseen', 'east')
    await west.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'unseen' } } }))
    for (let i = 0; i < 20; i++) {
      await put(east, table, `e${i}`, 'east')
      await put(west, table, `w${i}`, 'west')
      await put(i % 2 ? east : west, table, 'contested', `${i}`)
    }
    // Neither side sees the other's writes while cut.
    assert.equal(await get(east, table, 'w0'), undefined)
    try {
      // A send that failed leaves the 31 writes made here since the cut pending (the count used to
      // leave out the batch that failed).
      await eventually(async () => {
        const pair = await eastPair()
        return pair?.lastError != null && pair.pendingReplicationCount >= 31
      }, 'us-east-1 failed to send, with its writes still pending', 1200)
    } finally {
      servers.heal()
    }
    await eventually(() => sameContents([east, west], table), 'replicas converge after healing', 800)
    assert.equal(await get(east, table, 'gone'), undefined)
    assert.equal(await get(east, table, 'unseen'), undefined, 'a delete of an item not yet replicated is not undone')
    assert.equal((await get(east, table, 'w19'))?.v?.S, 'west')
  })

  it('converges after the peer is killed -9 under writes and restarted', async () => {
    const writes: Array<Promise<unknown>> = []
    let stop = false
    let n = 0
    const writer = (async () => {
      while (!stop) {
        n++
        writes.push(put(east, table, `k${n % 30}`, `east-${n}`).catch(() => undefined))
        await writes.at(-1)
      }
    })()
    await eventually(async () => n > 20, 'writes under way')
    await servers.kill('west')
    await eventually(async () => n > 60, 'writes while the peer is down')
    await servers.restart('west')
    west = servers.west
    await put(west, table, 'after-restart', 'west')
    stop = true
    await writer
    await eventually(() => sameContents([east, west], table), 'replicas converge after the restart', 800)
    assert.equal((await get(east, table, 'after-restart'))?.v?.S, 'west')
  })

  it('serves boto3 across the two processes: create a replica, write in both, read back, delete it', async () => {
    const result = await runBoto3GlobalTable(servers.eastServer.url, servers.westServer.url, uniqueTableName('boto3-peer'))
    assert.deepEqual(result, expectedBoto3Result)
  })

  it('disassociates the peer\'s replica once the writes of both processes are replicated', async () => {
    const leaving = uniqueTableName('peer-disassociate')
    await createKeyTable(east, leaving)
    await east.send(new UpdateTableCommand({ TableName: leaving, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }))
    await eventually(async () => (await east.send(new DescribeTableCommand({ TableName: leaving }))).Table?.Replicas?.[0]?.ReplicaStatus === 'ACTIVE', 'replica ACTIVE')
    await west.send(new UpdateTableCommand({ TableName: leaving, DisassociationProtectionEnabled: false }))
    await Promise.all([put(east, leaving, 'from-east', 'east'), put(west, leaving, 'from-west', 'west')])
    await west.send(new UpdateTableCommand({
      TableName: leaving, ReplicaUpdates: [{ Disassociate: { RegionName: 'us-west-2', DisassociationMode: 'WAIT_FOR_REPLICATION' } }],
    }))
    for (const client of [east, west]) assert.equal((await client.send(new DescribeTableCommand({ TableName: leaving }))).Table?.Replicas, undefined)
    assert.equal((await get(west, leaving, 'from-east'))?.v?.S, 'east')
    assert.equal((await get(east, leaving, 'from-west'))?.v?.S, 'west')
  })

  // DeleteTable on a replica tells the other members once; one that could not be told finds out
  // when its writes are refused there, and lets the replica go (a replica can be made there again).
  it('drops a replica deleted on the peer while the link was cut, once the link heals', async () => {
    const deleted = uniqueTableName('peer-deleted-cut')
    await createKeyTable(east, deleted)
    await east.send(new UpdateTableCommand({ TableName: deleted, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }))
    await eventually(async () => (await east.send(new DescribeTableCommand({ TableName: deleted }))).Table?.Replicas?.[0]?.ReplicaStatus === 'ACTIVE', 'replica ACTIVE')
    await eventually(async () => (await west.send(new DescribeTableCommand({ TableName: deleted }))).Table?.TableStatus === 'ACTIVE', 'us-west-2 ACTIVE')
    servers.cut()
    try {
      await west.send(new DeleteTableCommand({ TableName: deleted }))
    } finally {
      servers.heal()
    }
    await put(east, deleted, 'after', 'east')
    await eventually(async () => (await east.send(new DescribeTableCommand({ TableName: deleted }))).Table?.Replicas === undefined,
      'us-east-1 no longer lists the deleted replica', 800)
    await eventually(async () => !(await west.send(new ListTablesCommand({}))).TableNames?.includes(deleted), 'us-west-2 table gone')
    await east.send(new UpdateTableCommand({ TableName: deleted, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }))
    await eventually(async () => (await get(west, deleted, 'after'))?.v?.S === 'east', 'a new replica made there has the items')
  })

  // DynamoDB documents a disassociation that did not complete: ACTIVE again, Replicas still listed.
  it('leaves the replica in its group when the peer cannot confirm that replication has caught up', async () => {
    const staying = uniqueTableName('peer-disassociate-cut')
    await createKeyTable(east, staying)
    await east.send(new UpdateTableCommand({ TableName: staying, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }))
    await eventually(async () => (await east.send(new DescribeTableCommand({ TableName: staying }))).Table?.Replicas?.[0]?.ReplicaStatus === 'ACTIVE', 'replica ACTIVE')
    await west.send(new UpdateTableCommand({ TableName: staying, DisassociationProtectionEnabled: false }))
    servers.cut()
    try {
      const answer = await west.send(new UpdateTableCommand({
        TableName: staying, ReplicaUpdates: [{ Disassociate: { RegionName: 'us-west-2', DisassociationMode: 'WAIT_FOR_REPLICATION' } }],
      }))
      assert.equal(answer.TableDescription?.TableStatus, 'UPDATING')
    } finally {
      servers.heal()
    }
    await eventually(async () => (await west.send(new DescribeTableCommand({ TableName: staying }))).Table?.TableStatus === 'ACTIVE', 'us-west-2 ACTIVE again')
    const inWest = (await west.send(new DescribeTableCommand({ TableName: staying }))).Table!
    assert.deepEqual(inWest.Replicas?.map((replica) => replica.RegionName), ['us-east-1'])
    await put(west, staying, 'still-replicated', 'west')
    await eventually(async () => (await get(east, staying, 'still-replicated'))?.v?.S === 'west', 'replication goes on')
  })

  it('answers a write to a strongly consistent table only once the peer has it, so not while the link is cut', async () => {
    const strong = uniqueTableName('peer-mrsc')
    await createKeyTable(east, strong)
    await east.send(new UpdateTableCommand({
      TableName: strong, MultiRegionConsistency: 'STRONG',
      ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }], GlobalTableWitnessUpdates: [{ Create: { RegionName: 'us-east-2' } }],
    }))
    await eventually(async () => (await east.send(new DescribeTableCommand({ TableName: strong }))).Table?.Replicas?.[0]?.ReplicaStatus === 'ACTIVE', 'replica ACTIVE')
    const inWest = (await west.send(new DescribeTableCommand({ TableName: strong }))).Table!
    assert.equal(inWest.MultiRegionConsistency, 'STRONG')
    assert.deepEqual(inWest.GlobalTableWitnesses, [{ RegionName: 'us-east-2', WitnessStatus: 'ACTIVE' }])
    servers.cut()
    let answered = false
    const write = put(east, strong, 'held', 'east').then(() => { answered = true })
    // Committed in us-east-1 (its own reads see it), but not answered while us-west-2 cannot have it.
    await eventually(async () => (await get(east, strong, 'held')) !== undefined, 'write committed in us-east-1')
    assert.equal(answered, false, 'answered before the peer had the write')
    assert.equal(await get(west, strong, 'held'), undefined)
    servers.heal()
    await write
    assert.equal((await get(west, strong, 'held'))?.v?.S, 'east')
  })

  // The limit answers the client that writes: two regions that each fill the last room of one
  // item collection while cut off from each other both succeed, and each applies the other's write.
  it('applies a replicated write that passes the item collection limit, and replication goes on', async () => {
    const collections = uniqueTableName('peer-collections')
    await east.send(new CreateTableCommand({
      TableName: collections, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'l', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      LocalSecondaryIndexes: [{
        IndexName: 'by-l', Projection: { ProjectionType: 'ALL' },
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }],
      }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }))
    await east.send(new UpdateTableCommand({ TableName: collections, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }))
    await eventually(async () => (await east.send(new DescribeTableCommand({ TableName: collections }))).Table?.Replicas?.[0]?.ReplicaStatus === 'ACTIVE', 'replica ACTIVE')
    // Each item counts twice (item and ALL-projected entry): about 2 × 6,000 bytes, so a
    // collection holds one of them and not two.
    const item = (sk: string) => ({ pk: { S: 'full' }, sk: { S: sk }, l: { S: sk }, d: { S: 'x'.repeat(6_000) } })
    const keys = async (client: DynamoDBClient) => ((await client.send(new QueryCommand({
      TableName: collections, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'full' } }, ConsistentRead: true,
    }))).Items ?? []).map((found) => found.sk!.S).sort()
    servers.cut()
    try {
      await east.send(new PutItemCommand({ TableName: collections, Item: item('east') }))
      await west.send(new PutItemCommand({ TableName: collections, Item: item('west') }))
    } finally {
      servers.heal()
    }
    await eventually(async () => (await keys(east)).join() === 'east,west' && (await keys(west)).join() === 'east,west', 'both writes in both regions', 800)
    const later = { pk: { S: 'other' }, sk: { S: 'after' } }
    await west.send(new PutItemCommand({ TableName: collections, Item: later }))
    await eventually(async () => (await east.send(new GetItemCommand({ TableName: collections, Key: later, ConsistentRead: true }))).Item !== undefined,
      'later writes still replicate')
  })
})
