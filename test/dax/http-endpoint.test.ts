/**
 * The DAX node's DynamoDB JSON endpoint: any SDK gets the cache by changing its endpoint. Driven
 * with @aws-sdk/client-dynamodb against a node whose upstream is (1) EddyDB in-process and (2)
 * another EddyDB over HTTP with SigV4-signed requests. Also the node's /metrics and /stats routes.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  BatchGetItemCommand, CreateTableCommand, DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand,
  QueryCommand, UpdateItemCommand, waitUntilTableExists,
} from '@aws-sdk/client-dynamodb'
import { startDaxNode, noWireListener } from '../../src/dax/node.js'
import type { DynamoDbExecutor, RunningDaxNode } from '../../src/dax/node-api.js'
import { createHttpUpstream, type HttpUpstream } from '../../src/dax/upstream/http.js'
import { createInProcessUpstream } from '../../src/dax/upstream/in-process.js'
import { createLogger } from '../../src/log.js'
import { startServer, type RunningServer } from '../../src/server.js'
import { recording, type RecordingUpstream } from './cache-helpers.js'
import { crc32 } from 'node:zlib'
import { sendRaw } from '../helpers/raw.js'

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }

async function startNode(upstream: DynamoDbExecutor): Promise<RunningDaxNode> {
  return startDaxNode({
    clusterName: 'test', nodeId: 'test-a', role: 'primary', host: '127.0.0.1', wirePort: noWireListener, httpPort: 0,
    upstream, settings: { recordTtlMillis: 300_000, queryTtlMillis: 300_000, cacheSizeBytes: 1 << 20 },
    clock: { now: () => Date.now() }, log: createLogger('silent'), endpoints: () => [],
  })
}

function clientFor(port: number): DynamoDBClient {
  return new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials, maxAttempts: 1 })
}

/** The same scenario for both upstreams: write-through, hits, negative entries, stale query, errors. */
function describeEndpoint(name: string, setup: () => Promise<{ node: RunningDaxNode; upstream: RecordingUpstream; direct: DynamoDBClient; close(): Promise<void> }>) {
  describe(name, () => {
    let node: RunningDaxNode
    let upstream: RecordingUpstream
    let direct: DynamoDBClient
    let client: DynamoDBClient
    let close: () => Promise<void>
    const table = `dax-http-${process.pid}`

    before(async () => {
      ({ node, upstream, direct, close } = await setup())
      client = clientFor(node.httpPort!)
      await direct.send(new CreateTableCommand({
        TableName: table, BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
      }))
      await waitUntilTableExists({ client: direct, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { TableName: table })
    })
    after(async () => {
      client.destroy()
      direct.destroy()
      await close()
    })

    test('PutItem writes through, and GetItem is then a hit', async () => {
      const key = { pk: { S: 'a' }, sk: { N: '1' } }
      await client.send(new PutItemCommand({ TableName: table, Item: { ...key, v: { S: 'one' } } }))
      const before = upstream.callsOf('GetItem')
      const first = await client.send(new GetItemCommand({ TableName: table, Key: key }))
      const second = await client.send(new GetItemCommand({ TableName: table, Key: key, ProjectionExpression: 'v' }))
      assert.deepEqual(first.Item, { ...key, v: { S: 'one' } })
      assert.deepEqual(second.Item, { v: { S: 'one' } })
      assert.equal(upstream.callsOf('GetItem'), before)
    })

    test('every reply\'s x-amz-crc32 matches its body: a miss, the hits that reuse its text, a projected hit', async () => {
      const key = { pk: { S: 'crc' }, sk: { N: '1' } }
      await direct.send(new PutItemCommand({ TableName: table, Item: { ...key, v: { S: 'checksummed ✓' } } }))
      const endpoint = `http://127.0.0.1:${node.httpPort}`
      const bodies = [
        JSON.stringify({ TableName: table, Key: key }),
        JSON.stringify({ TableName: table, Key: key }),
        JSON.stringify({ TableName: table, Key: key }),
        JSON.stringify({ TableName: table, Key: key, ProjectionExpression: 'v' }),
      ]
      const before = upstream.callsOf('GetItem')
      for (const body of bodies) {
        const reply = await sendRaw(endpoint, { target: 'GetItem', body })
        assert.equal(reply.status, 200)
        assert.equal(reply.headers['x-amz-crc32'], String(crc32(reply.body)))
        assert.equal((reply.json?.Item as Record<string, { S: string }>).v!.S, 'checksummed ✓')
      }
      assert.equal(upstream.callsOf('GetItem'), before + 1)
    })

    test('a GetItem sent again as the same text is answered from the cache as it is now', async () => {
      const key = { pk: { S: 'same-text' }, sk: { N: '1' } }
      const endpoint = `http://127.0.0.1:${node.httpPort}`
      const body = JSON.stringify({ TableName: table, Key: key })
      const stats = async () => await (await fetch(`${endpoint}/stats`)).json() as Record<string, number>
      const read = async (text = body) => {
        const reply = await sendRaw(endpoint, { target: 'GetItem', body: text })
        assert.equal(reply.status, 200)
        assert.equal(reply.headers['x-amz-crc32'], String(crc32(reply.body)))
        return reply.json?.Item
      }
      await client.send(new PutItemCommand({ TableName: table, Item: { ...key, v: { N: '1' } } }))
      const before = { upstream: upstream.callsOf('GetItem'), stats: await stats() }
      for (let repeat = 0; repeat < 3; repeat++) assert.deepEqual(await read(), { ...key, v: { N: '1' } })
      const after = await stats()
      assert.equal(upstream.callsOf('GetItem'), before.upstream)
      assert.equal(after.ItemCacheHits! - before.stats.ItemCacheHits!, 3)
      assert.equal(after.GetItemRequestCount! - before.stats.GetItemRequestCount!, 3)
      // Writes through the node change what the same text reads; a delete leaves a negative entry.
      await client.send(new PutItemCommand({ TableName: table, Item: { ...key, v: { N: '2' } } }))
      assert.deepEqual(await read(), { ...key, v: { N: '2' } })
      await client.send(new DeleteItemCommand({ TableName: table, Key: key }))
      assert.equal(await read(), undefined)
      assert.equal(upstream.callsOf('GetItem'), before.upstream)
      // A strongly consistent read is never answered from the cache, however often it is sent.
      const consistent = JSON.stringify({ TableName: table, Key: key, ConsistentRead: true })
      assert.equal(await read(consistent), undefined)
      await direct.send(new PutItemCommand({ TableName: table, Item: { ...key, v: { N: '3' } } }))
      assert.deepEqual(await read(consistent), { ...key, v: { N: '3' } })
      assert.equal(await read(), undefined)
    })

    test('UpdateItem returns what was asked; DeleteItem leaves a negative entry', async () => {
      const key = { pk: { S: 'b' }, sk: { N: '1' } }
      await client.send(new PutItemCommand({ TableName: table, Item: { ...key, n: { N: '1' } } }))
      const updated = await client.send(new UpdateItemCommand({
        TableName: table, Key: key, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } },
        ReturnValues: 'UPDATED_NEW',
      }))
      assert.deepEqual(updated.Attributes, { n: { N: '2' } })
      await client.send(new DeleteItemCommand({ TableName: table, Key: key }))
      const before = upstream.callsOf('GetItem')
      assert.equal((await client.send(new GetItemCommand({ TableName: table, Key: key }))).Item, undefined)
      assert.equal(upstream.callsOf('GetItem'), before)
    })

    test('a write that bypasses the node is not seen until the entry expires (DAX staleness)', async () => {
      const key = { pk: { S: 'c' }, sk: { N: '1' } }
      assert.equal((await client.send(new GetItemCommand({ TableName: table, Key: key }))).Item, undefined)
      await direct.send(new PutItemCommand({ TableName: table, Item: key }))
      assert.equal((await client.send(new GetItemCommand({ TableName: table, Key: key }))).Item, undefined)
      assert.deepEqual((await client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item, key)
    })

    test('Query pages are cached and stay stale after a write', async () => {
      const query = new QueryCommand({
        TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'q' } },
      })
      assert.equal((await client.send(query)).Count, 0)
      await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'q' }, sk: { N: '1' } } }))
      assert.equal((await client.send(query)).Count, 0)
      const batch = await client.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: [{ pk: { S: 'q' }, sk: { N: '1' } }] } } }))
      assert.equal(batch.Responses?.[table]?.length, 1)
    })

    test('errors come back with DynamoDB\'s type and message', async () => {
      await assert.rejects(client.send(new GetItemCommand({ TableName: 'missing-table', Key: { pk: { S: 'a' } } })), {
        name: 'ResourceNotFoundException', message: 'Requested resource not found',
      })
      await assert.rejects(client.send(new PutItemCommand({
        TableName: table, Item: { pk: { S: 'a' }, sk: { N: '1' } }, ConditionExpression: 'attribute_not_exists(pk)',
      })), { name: 'ConditionalCheckFailedException', message: 'The conditional request failed' })
      await assert.rejects(client.send(new GetItemCommand({ TableName: 'x', Key: { pk: { S: 'a' } } })), {
        name: 'ValidationException',
      })
      // DynamoDB takes a table's ARN for its name; a DAX node, whose caches key items by name, does not.
      const arn = `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`
      const refused = { name: 'ValidationException', message: `1 validation error detected: Value '${arn}' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+` }
      await assert.rejects(client.send(new GetItemCommand({ TableName: arn, Key: { pk: { S: 'a' }, sk: { N: '1' } } })), refused)
      await assert.rejects(client.send(new BatchGetItemCommand({ RequestItems: { [arn]: { Keys: [{ pk: { S: 'a' }, sk: { N: '1' } }] } } })), refused)
    })

    test('/metrics and /stats report DAX metric names', async () => {
      const stats = await (await fetch(`http://127.0.0.1:${node.httpPort}/stats`)).json() as Record<string, number>
      assert.ok(stats.ItemCacheHits! >= 2)
      assert.ok(stats.QueryCacheHits! >= 1)
      assert.ok(stats.ErrorRequestCount! >= 2)
      const text = await (await fetch(`http://127.0.0.1:${node.httpPort}/metrics`)).text()
      assert.match(text, /^dax_item_cache_hits\{cluster="test",node="test-a",role="primary"\} \d+$/m)
      assert.match(text, /^# TYPE dax_total_request_count counter$/m)
    })
  })
}

describeEndpoint('upstream: EddyDB in-process', async () => {
  const server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true, logLevel: 'silent' })
  const upstream = recording(createInProcessUpstream({ regions: server.regions, region: 'us-east-1' }))
  const node = await startNode(upstream)
  return { node, upstream, direct: clientFor(server.port), close: async () => { await node.close(); await server.close() } }
})

describeEndpoint('upstream: another EddyDB over HTTP (SigV4)', async () => {
  const server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true, logLevel: 'silent' })
  const http: HttpUpstream = createHttpUpstream({ endpoint: server.url, region: 'us-east-1', credentials })
  const upstream = recording(http)
  const node = await startNode(upstream)
  return {
    node, upstream, direct: clientFor(server.port),
    close: async () => { await node.close(); http.close(); await server.close() },
  }
})
