/**
 * `eddydb dax --upstream URL`: the standalone node's flags, and a node started from them in front
 * of another EddyDB, used through its DynamoDB JSON endpoint.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb'
import { embeddedDaxFlags, parseDaxCommand, runDaxCommand } from '../../src/cli/dax.js'
import { loadConfig } from '../../src/config.js'
import { startServer } from '../../src/server.js'

const require = createRequire(import.meta.url)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Dax } = require('@amazon-dax-sdk/client-dax') as { Dax: new (config: object) => any }

test('parseDaxCommand: defaults, env credentials, off ports, cache flags', () => {
  const flags = parseDaxCommand(['--upstream', 'http://127.0.0.1:8000', '--http-port=off', '--query-ttl-millis', '0', '--coherent'],
    { AWS_ACCESS_KEY_ID: 'AK', AWS_SECRET_ACCESS_KEY: 'SK', AWS_REGION: 'eu-west-1' })
  assert.equal(flags.wirePort, 8111)
  assert.equal(flags.httpPort, undefined)
  assert.equal(flags.region, 'eu-west-1')
  assert.equal(flags.accessKeyId, 'AK')
  assert.deepEqual(flags.settings, { recordTtlMillis: 300000, queryTtlMillis: 0, cacheSizeBytes: 256 * 1024 * 1024, coherent: true })
  assert.throws(() => parseDaxCommand([]), /needs --upstream/)
  assert.throws(() => parseDaxCommand(['--upstream', 'http://x', '--bogus', '1']), /unknown option --bogus/)
})

test('serve\'s --dax-* flags configure the embedded node, and need --dax', () => {
  assert.equal(embeddedDaxFlags(loadConfig(['--port', '8000'], {})), undefined)
  const config = loadConfig(['--in-memory', '--dax', '--dax-http-port', '0', '--dax-port', 'off'], {})
  assert.equal(config.inMemory, true)
  const dax = embeddedDaxFlags(config)
  assert.equal(dax?.httpPort, 0)
  assert.equal(dax?.wirePort, -1)
  assert.throws(() => loadConfig(['--dax-port', '1'], {}), /--dax-port needs --dax/)
})

test('a standalone node in front of another EddyDB serves the JSON API through its cache', async () => {
  const server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true, logLevel: 'silent' })
  const node = await runDaxCommand(['--upstream', server.url, '--port', 'off', '--http-port', '0', '--log-level', 'silent'], {})
  const credentials = { accessKeyId: 'AK', secretAccessKey: 'SK' }
  const direct = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials })
  const client = new DynamoDBClient({ endpoint: `http://127.0.0.1:${node.httpPort}`, region: 'us-east-1', credentials })
  try {
    await direct.send(new CreateTableCommand({
      TableName: 'standalone', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    }))
    await waitUntilTableExists({ client: direct, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { TableName: 'standalone' })
    await client.send(new PutItemCommand({ TableName: 'standalone', Item: { pk: { S: 'a' } } }))
    assert.deepEqual((await client.send(new GetItemCommand({ TableName: 'standalone', Key: { pk: { S: 'a' } } }))).Item, { pk: { S: 'a' } })
    assert.equal(node.stats().ItemCacheHits, 1)
  } finally {
    client.destroy()
    direct.destroy()
    await node.close()
    await server.close()
  }
})

// A client keeps the attribute-list ids it learns across a restart of the node: with --state-dir
// the node keeps them there (src/dax/wire/attribute-lists.ts), so a restarted node still knows them.
test('a standalone node with --state-dir keeps the attribute lists the official client defines', async () => {
  const server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true, logLevel: 'silent' })
  const stateDir = join(mkdtempSync(join(tmpdir(), 'eddydb-dax-state-')), 'state')
  const node = await runDaxCommand(['--upstream', server.url, '--port', '0', '--http-port', 'off', '--log-level', 'silent', '--state-dir', stateDir], {})
  const credentials = { accessKeyId: 'AK', secretAccessKey: 'SK' }
  const direct = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials })
  const dax = new Dax({ endpoints: [`dax://127.0.0.1:${node.wirePort}`], region: 'us-east-1', credentials })
  try {
    await direct.send(new CreateTableCommand({
      TableName: 'lists', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    }))
    await waitUntilTableExists({ client: direct, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { TableName: 'lists' })
    await dax.putItem({ TableName: 'lists', Item: { pk: { S: 'a' }, alpha: { S: 'A' }, beta: { S: 'B' } } })
    const kept = readFileSync(join(stateDir, 'dax-attribute-lists.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line))
    assert.deepEqual(kept.map((entry) => entry.names), [['alpha', 'beta']])
    const { Item } = await direct.send(new GetItemCommand({ TableName: 'lists', Key: { pk: { S: 'a' } } }))
    assert.deepEqual(Item, { pk: { S: 'a' }, alpha: { S: 'A' }, beta: { S: 'B' } })
  } finally {
    dax.shutdown()
    direct.destroy()
    await node.close()
    await server.close()
  }
})
