/**
 * The whole path with real parts: CreateCluster through @aws-sdk/client-dax starts real DAX nodes
 * (src/dax/node.ts, real TCP listeners) in front of EddyDB's own tables; the official DAX client
 * (@amazon-dax-sdk/client-dax) discovers every node from the cluster's discovery endpoint, writes
 * through the primary, and the replicas' item caches converge on that write; an item one node
 * fetched on a read miss reaches the others' caches too.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { CreateClusterCommand, DAXClient, DeleteClusterCommand } from '@aws-sdk/client-dax'
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { createDispatcher } from '../../src/api/dispatch.js'
import { dynamoDbOperations } from '../../src/api/operations.js'
import { systemClock } from '../../src/api/context.js'
import { defaultConfig } from '../../src/config.js'
import { createHttpServer } from '../../src/http/server.js'
import { Regions } from '../../src/regions.js'
import { startDaxNode } from '../../src/dax/node.js'
import { createInProcessUpstream } from '../../src/dax/upstream/in-process.js'
import { DaxClusters } from '../../src/dax/management/clusters.js'
import { daxManagementOperations } from '../../src/dax/management/operations.js'
import { clusterRequest, credentials, silentLog } from './management-fixtures.js'

const require = createRequire(import.meta.url)
const { Dax } = require('@amazon-dax-sdk/client-dax')

let regions: Regions
let clusters: DaxClusters
let http: ReturnType<typeof createHttpServer>
let endpoint: string

before(async () => {
  const config = { ...defaultConfig, inMemory: true, logLevel: 'silent' as const }
  regions = new Regions({ config, clock: systemClock, log: silentLog })
  clusters = new DaxClusters({
    startNode: startDaxNode,
    upstreamFor: (region) => createInProcessUpstream({ regions, region }),
    host: '127.0.0.1', basePort: 0, cacheSizeBytes: 1 << 20, replicationLagMs: 5, clock: systemClock, log: silentLog,
  })
  const dispatch = createDispatcher({
    services: { DynamoDB_20120810: dynamoDbOperations, AmazonDAXV3: daxManagementOperations(clusters) },
    regions, defaultRegion: 'us-east-1',
  })
  http = createHttpServer({ dispatch, log: silentLog, healthText: 'healthy' })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  endpoint = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
})

after(async () => {
  await clusters.close()
  await new Promise<void>((resolve) => { http.close(() => resolve()); http.closeAllConnections() })
  await regions.close()
})

/** Clients of the management API and of DynamoDB, and a table keyed by pk. */
async function clientsWithTable(TableName: string): Promise<{ management: DAXClient; dynamodb: DynamoDBClient }> {
  const management = new DAXClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 })
  const dynamodb = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 })
  await dynamodb.send(new CreateTableCommand({
    TableName, BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  }))
  return { management, dynamodb }
}

test('the official DAX client uses a cluster created through the management API', async () => {
  const { management, dynamodb } = await clientsWithTable('e2e')
  const { Cluster } = await management.send(new CreateClusterCommand(clusterRequest('live', 3)))
  const discovery = Cluster!.ClusterDiscoveryEndpoint!
  const dax = new Dax({ endpoints: [`${discovery.Address}:${discovery.Port}`], region: 'us-east-1', credentials })
  try {
    await dax.putItem({ TableName: 'e2e', Item: { pk: { S: 'k' }, v: { S: 'written' } } })
    const cluster = clusters.get('us-east-1', 'live')
    await cluster.replication.settled()
    // Every node now answers from its item cache, without asking DynamoDB.
    for (const node of cluster.nodes) {
      const missesBefore = node.running.stats().ItemCacheMisses ?? 0
      const got = await node.running.executor.execute('GetItem', { TableName: 'e2e', Key: { pk: { S: 'k' } } })
      assert.deepEqual(got.Item, { pk: { S: 'k' }, v: { S: 'written' } }, node.nodeId)
      assert.equal(node.running.stats().ItemCacheMisses ?? 0, missesBefore, `${node.nodeId} served from its cache`)
    }
    const read = await dax.getItem({ TableName: 'e2e', Key: { pk: { S: 'k' } } })
    assert.equal(read.Item.v.S, 'written')
  } finally {
    dax.shutdown()
  }
  const ports = clusters.get('us-east-1', 'live').nodes.map((node) => node.running.wirePort)
  await management.send(new DeleteClusterCommand({ ClusterName: 'live' }))
  management.destroy()
  dynamodb.destroy()
  // The nodes' listeners are gone once DeleteCluster answers.
  for (const port of ports) {
    await assert.rejects(new Promise((resolve, reject) => {
      import('node:net').then(({ connect }) => {
        const socket = connect(port, '127.0.0.1', () => { socket.destroy(); resolve(undefined) })
        socket.on('error', reject)
      })
    }))
  }
})

test('an item one node fetched on a read miss is in every node\'s cache, so reads spread over the nodes agree', async () => {
  const { management, dynamodb } = await clientsWithTable('fills')
  await management.send(new CreateClusterCommand(clusterRequest('fills', 3)))
  const cluster = clusters.get('us-east-1', 'fills')
  const [primary, replica, otherReplica] = cluster.nodes
  await dynamodb.send(new PutItemCommand({ TableName: 'fills', Item: { pk: { S: 'k' }, v: { S: 'first' } } }))
  const read = (node: typeof primary, pk: string) => node!.running.executor.execute('GetItem', { TableName: 'fills', Key: { pk: { S: pk } } })

  // A miss on a replica, of an item and of a key with no item (a negative entry).
  assert.deepEqual((await read(replica, 'k')).Item, { pk: { S: 'k' }, v: { S: 'first' } })
  assert.equal((await read(replica, 'absent')).Item, undefined)
  await cluster.replication.settled()
  // Changed outside DAX: every node still answers what the miss cached, from its cache.
  await dynamodb.send(new PutItemCommand({ TableName: 'fills', Item: { pk: { S: 'k' }, v: { S: 'second' } } }))
  await dynamodb.send(new PutItemCommand({ TableName: 'fills', Item: { pk: { S: 'absent' } } }))
  for (const node of [primary, otherReplica]) {
    const missesBefore = node!.running.stats().ItemCacheMisses ?? 0
    assert.deepEqual((await read(node, 'k')).Item, { pk: { S: 'k' }, v: { S: 'first' } }, node!.nodeId)
    assert.equal((await read(node, 'absent')).Item, undefined, node!.nodeId)
    assert.equal(node!.running.stats().ItemCacheMisses ?? 0, missesBefore, `${node!.nodeId} served from its cache`)
  }

  // A fill never undoes a write through DAX that came after the miss, whichever reaches a node first.
  await dynamodb.send(new PutItemCommand({ TableName: 'fills', Item: { pk: { S: 'w' }, v: { S: 'before' } } }))
  assert.deepEqual((await read(replica, 'w')).Item, { pk: { S: 'w' }, v: { S: 'before' } })
  await primary!.running.executor.execute('PutItem', { TableName: 'fills', Item: { pk: { S: 'w' }, v: { S: 'written' } } })
  await cluster.replication.settled()
  for (const node of cluster.nodes) assert.deepEqual((await read(node, 'w')).Item, { pk: { S: 'w' }, v: { S: 'written' } }, node.nodeId)
  // Nor one that dropped its entry (an UpdateItem asking for old values): the fill read before it
  // must not put the replaced value back on the node that wrote it.
  await dynamodb.send(new PutItemCommand({ TableName: 'fills', Item: { pk: { S: 'u' }, v: { N: '1' } } }))
  assert.deepEqual((await read(replica, 'u')).Item, { pk: { S: 'u' }, v: { N: '1' } })
  await primary!.running.executor.execute('UpdateItem', {
    TableName: 'fills', Key: { pk: { S: 'u' } }, UpdateExpression: 'SET v = :two', ExpressionAttributeValues: { ':two': { N: '2' } }, ReturnValues: 'UPDATED_OLD',
  })
  await cluster.replication.settled()
  for (const node of cluster.nodes) assert.deepEqual((await read(node, 'u')).Item, { pk: { S: 'u' }, v: { N: '2' } }, node.nodeId)
  await management.send(new DeleteClusterCommand({ ClusterName: 'fills' }))
  management.destroy()
  dynamodb.destroy()
})
