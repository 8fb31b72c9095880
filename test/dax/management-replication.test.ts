/**
 * The cluster model below the API: replicas converging on writes through the primary, and the
 * ports nodes get. DAX replicates item-cache changes from the primary to the replicas
 * asynchronously ("eventually consistent, usually < 1 s"), and only for writes DynamoDB accepted.
 * Nodes are stand-ins with a miniature write-through item cache (see management-fixtures.ts);
 * DynamoDB underneath is a real in-process EddyDB.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { CreateTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb'
import { DaxClusters } from '../../src/dax/management/clusters.js'
import { systemClock } from '../../src/api/context.js'
import {
  clusterRequest, errorOf, recordingStartNode, silentLog, startManagementServer, type FakeNode, type ManagementServer,
} from './management-fixtures.js'

const scope = { region: 'us-east-1', accountId: '000000000000' }

describe('replicas converge on the primary', () => {
  let server: ManagementServer
  let primary: FakeNode
  let replicas: FakeNode[]
  // The stale read right after the write must come before the lag ends: 2 s is far beyond any
  // pause between two in-process calls on a loaded machine (settled() waits it out, not a sleep).
  const lagMs = 2_000

  before(async () => {
    server = await startManagementServer({ replicationLagMs: lagMs })
    await server.dynamodb.send(new CreateTableCommand({
      TableName: 'items', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    }))
    await server.clusters.create(scope, clusterRequest('converge', 3))
    ;[primary, ...replicas] = server.nodes.started.filter((node) => node.options.clusterName === 'converge')
  })
  after(async () => { await server.close() })

  const settled = () => server.clusters.get('us-east-1', 'converge').replication.settled()
  const getOn = (node: FakeNode, pk: string) => node.executor.execute('GetItem', { TableName: 'items', Key: { pk: { S: pk } } })

  test('a put through the primary reaches a replica\'s stale entry after the lag', async () => {
    assert.deepEqual(await getOn(replicas[0]!, 'a'), {})  // caches a negative entry
    await primary.executor.execute('PutItem', { TableName: 'items', Item: { pk: { S: 'a' }, v: { N: '1' } } })
    assert.deepEqual(await getOn(replicas[0]!, 'a'), {}, 'still stale within the lag')
    await settled()
    const hitsBefore = replicas[0]!.cacheHits
    assert.deepEqual(await getOn(replicas[0]!, 'a'), { Item: { pk: { S: 'a' }, v: { N: '1' } } })
    assert.equal(replicas[0]!.cacheHits, hitsBefore + 1, 'served from the replica\'s cache')
    assert.deepEqual(replicas[1]!.itemCache.get('items/{"S":"a"}'), { pk: { S: 'a' }, v: { N: '1' } })
  })

  test('a replayed update is not applied to DynamoDB again', async () => {
    const update = {
      TableName: 'items', Key: { pk: { S: 'counter' } },
      UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } },
    }
    await primary.executor.execute('UpdateItem', update)
    await settled()
    for (const replica of replicas) {
      assert.deepEqual(replica.itemCache.get('items/{"S":"counter"}'), { pk: { S: 'counter' }, n: { N: '1' } })
    }
    const stored = await server.dynamodb.send(new GetItemCommand({ TableName: 'items', Key: { pk: { S: 'counter' } }, ConsistentRead: true }))
    assert.deepEqual(stored.Item, { pk: { S: 'counter' }, n: { N: '1' } })
  })

  test('a failed write reaches no replica', async () => {
    await getOn(replicas[0]!, 'guarded')
    const error = await errorOf(() => primary.executor.execute('PutItem', {
      TableName: 'items', Item: { pk: { S: 'guarded' } }, ConditionExpression: 'attribute_exists(pk)',
    }))
    assert.match(error.message, /conditional request failed/)
    await settled()
    assert.equal(replicas[0]!.itemCache.get('items/{"S":"guarded"}'), null)
    assert.equal(replicas[1]!.itemCache.has('items/{"S":"guarded"}'), false)
  })

  test('a delete leaves a negative entry on the replicas', async () => {
    await primary.executor.execute('PutItem', { TableName: 'items', Item: { pk: { S: 'gone' } } })
    await primary.executor.execute('DeleteItem', { TableName: 'items', Key: { pk: { S: 'gone' } } })
    await settled()
    for (const replica of replicas) assert.equal(replica.itemCache.get('items/{"S":"gone"}'), null)
  })

  test('a replica added later gets the writes made after it joined', async () => {
    await server.clusters.increaseReplicationFactor('us-east-1', 'converge', 4)
    const late = server.nodes.started.at(-1)!
    assert.equal(late.options.nodeId, 'converge-d')
    await primary.executor.execute('PutItem', { TableName: 'items', Item: { pk: { S: 'late' } } })
    await settled()
    assert.deepEqual(late.itemCache.get('items/{"S":"late"}'), { pk: { S: 'late' } })
  })
})

describe('node ports', () => {
  const newClusters = (basePort: number) => {
    const nodes = recordingStartNode()
    const upstream = { execute: async () => ({}) }
    const clusters = new DaxClusters({
      startNode: nodes.startNode, upstreamFor: () => upstream, host: '0.0.0.0', basePort,
      cacheSizeBytes: 1 << 20, replicationLagMs: 0, clock: systemClock, log: silentLog,
    })
    return { clusters, nodes }
  }

  test('count up from 8111 across clusters, and are reused once freed', async () => {
    const { clusters } = newClusters(8111)
    const first = await clusters.create(scope, clusterRequest('first', 3))
    const second = await clusters.create(scope, clusterRequest('second', 2))
    assert.deepEqual(first.nodes.map((node) => node.running.wirePort), [8111, 8112, 8113])
    assert.deepEqual(second.nodes.map((node) => node.running.wirePort), [8114, 8115])
    // A wildcard listen address is advertised as loopback.
    assert.equal(first.endpoints()[0]!.address, '127.0.0.1')
    await clusters.delete('us-east-1', 'first')
    const third = await clusters.create(scope, clusterRequest('third', 1))
    assert.deepEqual(third.nodes.map((node) => node.running.wirePort), [8111])
    await clusters.close()
  })

  test('skip a port another program holds', async () => {
    const { clusters, nodes } = newClusters(8111)
    nodes.busyPorts.add(8112)
    const cluster = await clusters.create(scope, clusterRequest('busy', 2))
    assert.deepEqual(cluster.nodes.map((node) => node.running.wirePort), [8111, 8113])
    await clusters.close()
    assert.ok(nodes.started.every((node) => node.closed))
  })

  test('a cluster whose node cannot start is not created, and its started nodes stop', async () => {
    const { clusters, nodes } = newClusters(8111)
    let starts = 0
    const failing = nodes.startNode
    nodes.startNode = async (options) => {
      starts += 1
      if (starts === 2) throw new Error('boom')
      return failing(options)
    }
    const broken = new DaxClusters({
      startNode: (options) => nodes.startNode(options), upstreamFor: () => ({ execute: async () => ({}) }), host: '127.0.0.1',
      basePort: 8111, cacheSizeBytes: 1 << 20, replicationLagMs: 0, clock: systemClock, log: silentLog,
    })
    await assert.rejects(broken.create(scope, clusterRequest('broken', 2)), /boom/)
    assert.equal(broken.clusters('us-east-1').size, 0)
    assert.ok(nodes.started.every((node) => node.closed))
    await clusters.close()
  })
})
