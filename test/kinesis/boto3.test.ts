/**
 * boto3's kinesis client (and its dynamodb client) against the server: the scenario is
 * boto3-kinesis.py next to this file's source. botocore parses Kinesis's JSON 1.1 on its own.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { after, before, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { startKinesisServer, type KinesisTestServer } from './fixtures.js'

let fixture: KinesisTestServer
before(async () => { fixture = await startKinesisServer() })
after(() => fixture.close())

const scriptPath = fileURLToPath(new URL('../../../test/kinesis/boto3-kinesis.py', import.meta.url))

function runScenario(): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile('python3', [scriptPath, fixture.server.url, String(process.pid)], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`boto3 kinesis scenario failed: ${stderr || error.message}`))
      try { resolve(JSON.parse(stdout) as Record<string, unknown>) } catch { reject(new Error(`not JSON: ${stdout}`)) }
    })
  })
}

test('boto3 reads a table destination back from every shard, changes retention and sees Kinesis errors', async () => {
  const results = await runScenario()
  assert.deepEqual(results, {
    status: 'ACTIVE',
    openShards: 2,
    createdIsDate: true,
    enableStatus: 'ENABLING',
    describedStatus: ['ACTIVE'],
    events: [['a', 'INSERT'], ['a', 'MODIFY'], ['a', 'REMOVE'], ['b', 'INSERT'], ['b', 'REMOVE']],
    partitionKeysAreHex32: true,
    arrivalIsDate: true,
    modify: { OldImage: { pk: { S: 'a' }, n: { N: '1' } }, NewImage: { pk: { S: 'a' }, n: { N: '2' } } },
    ttlIdentity: { principalId: 'dynamodb.amazonaws.com', type: 'Service' },
    fields: ['awsRegion', 'dynamodb', 'eventID', 'eventName', 'eventSource', 'recordFormat', 'tableName', 'userIdentity'],
    retention: 48,
    shortRetention: 'InvalidArgumentException',
    rawData: [0, 255, 114, 97, 119],
    missing: ['ResourceNotFoundException', 'Stream boto3-missing under account 000000000000 not found.'],
  })
})
