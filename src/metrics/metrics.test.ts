/**
 * The metrics registry through a real server: requests made with the AWS SDK are counted per
 * operation (errors too) with their latency in the histogram, in the JSON and the Prometheus
 * exposition; an unknown target is counted once under "unknown", never as a new entry.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { startServer, type RunningServer } from '../server.js'
import { OperationMetrics, latencyBucketsMs } from './registry.js'

let server: RunningServer
let client: DynamoDBClient

interface OperationJson { service: string; operation: string; count: number; errors: number; latencySumMs: number; latencyCounts: number[] }

before(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true, logLevel: 'silent' })
  client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 })
})

after(async () => {
  client.destroy()
  await server.close()
})

async function operations(): Promise<Map<string, OperationJson>> {
  const reply = await fetch(`${server.url}/_eddydb/metrics`)
  assert.equal(reply.status, 200)
  const body = await reply.json() as { operations: OperationJson[]; latencyBucketsMs: number[] }
  assert.deepEqual(body.latencyBucketsMs, [...latencyBucketsMs])
  return new Map(body.operations.map((each) => [each.operation, each]))
}

test('requests and errors are counted per operation, with their latencies', async () => {
  await client.send(new CreateTableCommand({
    TableName: 'metered', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
  }))
  for (let i = 0; i < 3; i++) await client.send(new PutItemCommand({ TableName: 'metered', Item: { pk: { S: `k${i}` } } }))
  await assert.rejects(client.send(new GetItemCommand({ TableName: 'missing-table', Key: { pk: { S: 'x' } } })))
  const counted = await operations()
  const put = counted.get('PutItem')!
  assert.equal(put.service, 'DynamoDB_20120810')
  assert.equal(put.count, 3)
  assert.equal(put.errors, 0)
  assert.equal(put.latencyCounts.reduce((sum, each) => sum + each, 0), 3, 'every request lands in one bucket')
  assert.ok(put.latencySumMs > 0)
  assert.deepEqual({ count: counted.get('GetItem')!.count, errors: counted.get('GetItem')!.errors }, { count: 1, errors: 1 })
  assert.equal(counted.has('Scan'), false, 'operations never called are left out')
})

test('unknown targets share one entry', async () => {
  for (const target of ['Nope_1.A', 'DynamoDB_20120810.Nope', 'constructor.name']) {
    const reply = await fetch(server.url, { method: 'POST', headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.0' }, body: '{}' })
    assert.equal(reply.status, 400)
    await reply.text()
  }
  const unknown = (await operations()).get('unknown')!
  assert.equal(unknown.count, 3)
  assert.equal(unknown.errors, 3)
})

test('GET /metrics is Prometheus text with a cumulative histogram per operation', async () => {
  const reply = await fetch(`${server.url}/metrics`)
  assert.equal(reply.status, 200)
  assert.match(reply.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/)
  const text = await reply.text()
  assert.match(text, /^# TYPE eddydb_requests_total counter$/m)
  assert.match(text, /^eddydb_requests_total\{service="DynamoDB_20120810",operation="PutItem"\} 3$/m)
  assert.match(text, /^eddydb_request_errors_total\{service="DynamoDB_20120810",operation="GetItem"\} 1$/m)
  assert.match(text, /^eddydb_request_duration_seconds_bucket\{service="DynamoDB_20120810",operation="PutItem",le="\+Inf"\} 3$/m)
  const buckets = [...text.matchAll(/^eddydb_request_duration_seconds_bucket\{service="DynamoDB_20120810",operation="PutItem",le="([^"]+)"\} (\d+)$/gm)]
  assert.equal(buckets.length, latencyBucketsMs.length + 1)
  const counts = buckets.map((match) => Number(match[2]))
  assert.deepEqual(counts, [...counts].sort((a, b) => a - b), 'buckets are cumulative')
  const posted = await fetch(`${server.url}/metrics`, { method: 'POST' })
  assert.equal(posted.status, 405)
})

test('a DAX cluster node\'s counters appear under the dax section', async () => {
  server.metrics.addSource({ name: 'dax', collect: () => [{ labels: { cluster: 'c', node: 'c-a' }, values: { ItemCacheHits: 4, ItemCacheMisses: 1 } }] })
  const json = await (await fetch(`${server.url}/_eddydb/metrics`)).json() as { dax: Array<{ labels: Record<string, string>; values: Record<string, number> }> }
  assert.deepEqual(json.dax, [{ labels: { cluster: 'c', node: 'c-a' }, values: { ItemCacheHits: 4, ItemCacheMisses: 1 } }])
  const text = await (await fetch(`${server.url}/metrics`)).text()
  assert.match(text, /^# TYPE dax_item_cache_hits counter$/m)
  assert.match(text, /^dax_item_cache_hits\{cluster="c",node="c-a"\} 4$/m)
})

test('latencies fall in the first bucket whose bound is at least the latency', () => {
  const metrics = new OperationMetrics('S', 'Op')
  metrics.record(0.5, false)
  metrics.record(0.51, true)
  metrics.record(1e9, false)
  assert.equal(metrics.latencyCounts[0], 1)
  assert.equal(metrics.latencyCounts[1], 1)
  assert.equal(metrics.latencyCounts[latencyBucketsMs.length], 1)
  assert.deepEqual([metrics.count, metrics.errors], [3, 1])
})
