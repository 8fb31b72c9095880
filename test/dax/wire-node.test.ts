/**
 * The wire server inside a real DAX node (src/dax/node.ts): the official v3 client's reads go
 * through the node's caching executor, so a repeated GetItem is an item-cache hit, and a write
 * through the wire refreshes the cache (write-through), as DAX does.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { systemClock } from '../../src/api/context.js'
import { startDaxNode } from '../../src/dax/node.js'
import type { RunningDaxNode } from '../../src/dax/node-api.js'
import { createInProcessUpstream } from '../../src/dax/upstream/in-process.js'
import { createLogger } from '../../src/log.js'
import { startServer, type RunningServer } from '../../src/server.js'

const require = createRequire(import.meta.url)
const { Dax } = require('@amazon-dax-sdk/client-dax') as { Dax: new (config: object) => any }

let server: RunningServer
let node: RunningDaxNode
let dax: any

before(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true, logLevel: 'silent' })
  const upstream = createInProcessUpstream({ regions: server.regions, region: 'us-east-1' })
  await upstream.execute('CreateTable', {
    TableName: 'cached', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
  })
  let port = 0
  node = await startDaxNode({
    clusterName: 'wire-test', nodeId: 'node-1', role: 'primary', host: '127.0.0.1', wirePort: 0, upstream,
    settings: { recordTtlMillis: 300_000, queryTtlMillis: 300_000, cacheSizeBytes: 1 << 24 },
    clock: systemClock, log: createLogger('silent'),
    endpoints: () => [{ nodeId: 'node-1', hostname: '127.0.0.1', address: '127.0.0.1', port, role: 'primary', availabilityZone: 'local-1a' }],
  })
  port = node.wirePort
  dax = new Dax({ endpoints: [`dax://127.0.0.1:${port}`], region: 'us-east-1', credentials: { accessKeyId: 'any', secretAccessKey: 'any' } })
})

after(async () => {
  dax.shutdown()
  await node.close()
  await server.close()
})

test('a repeated GetItem is an item-cache hit and a write through the wire refreshes it', async () => {
  await dax.putItem({ TableName: 'cached', Item: { id: { S: 'a' }, v: { N: '1' } } })
  const first = await dax.getItem({ TableName: 'cached', Key: { id: { S: 'a' } } })
  const hitsBefore = node.stats().ItemCacheHits ?? 0
  const second = await dax.getItem({ TableName: 'cached', Key: { id: { S: 'a' } } })
  assert.deepEqual(second, first)
  assert.equal(node.stats().ItemCacheHits, hitsBefore + 1)
  await dax.updateItem({ TableName: 'cached', Key: { id: { S: 'a' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '2' } } })
  const after = await dax.getItem({ TableName: 'cached', Key: { id: { S: 'a' } } })
  assert.deepEqual(after.Item, { id: { S: 'a' }, v: { N: '2' } })
})
