/**
 * boto3's dynamodbstreams client against the server (the scenario is boto3-streams.py next to
 * this file's source): botocore parses the Streams wire format on its own.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { CreateTableCommand, PutItemCommand, DeleteItemCommand } from '@aws-sdk/client-dynamodb'
import { startStreamsServer, uniqueTableName, type StreamsTestServer } from './helpers.js'

let server: StreamsTestServer
before(async () => { server = await startStreamsServer() })
after(async () => { await server.close() })

const scriptPath = fileURLToPath(new URL('../../../test/streams/boto3-streams.py', import.meta.url))
const scriptTimeoutMs = 60_000

function runScenario(tableName: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile('python3', [scriptPath, server.url, tableName], { timeout: scriptTimeoutMs }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`boto3 streams scenario failed: ${stderr || error.message}`))
      try { resolve(JSON.parse(stdout) as Record<string, unknown>) } catch { reject(new Error(`not JSON: ${stdout}`)) }
    })
  })
}

test('boto3 lists, describes and reads a stream', async () => {
  const tableName = uniqueTableName('boto3-streams')
  await server.dynamodb.send(new CreateTableCommand({
    TableName: tableName,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  }))
  await server.dynamodb.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'a' }, n: { N: '1' } } }))
  await server.dynamodb.send(new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: 'a' } } }))
  const results = await runScenario(tableName)
  assert.deepEqual(results, {
    status: 'ENABLED',
    viewType: 'NEW_AND_OLD_IMAGES',
    events: ['INSERT', 'REMOVE'],
    newImage: { pk: { S: 'a' }, n: { N: '1' } },
    createdIsDate: true,
    hasNext: true,
    garbageIterator: 'ValidationException',
  })
})
