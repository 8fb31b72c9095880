/**
 * boto3, the Python SDK, against the server: it has its own JSON serializer, waiter and error
 * parsing (it reads __type and CancellationReasons itself), so it catches wire-format mistakes the
 * JavaScript SDK tolerates. The scenario lives in boto3-scenario.py and prints one JSON result.
 * https://boto3.amazonaws.com/v1/documentation/api/latest/reference/services/dynamodb.html
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startTestServer, uniqueTableName, type TestServer } from '../helpers/server.js'

let server: TestServer
before(async () => { server = await startTestServer() })
after(async () => { await server?.close() })

const scriptTimeoutMs = 120_000

/** Runs one of the .py scenarios, which sit next to this test's source (dist/test/... -> test/...). */
function runScenario(script: string, tableName: string): Promise<Record<string, unknown>> {
  const scriptPath = fileURLToPath(new URL(`../../../test/conformance/${script}`, import.meta.url))
  return new Promise((resolve, reject) => {
    execFile('python3', [scriptPath, server.endpoint, tableName], { timeout: scriptTimeoutMs }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`boto3 scenario failed: ${stderr || error.message}`))
      try { resolve(JSON.parse(stdout) as Record<string, unknown>) } catch { reject(new Error(`not JSON: ${stdout}`)) }
    })
  })
}

// create table + wait, put, query (descending), conditional update, a failed condition, and a
// transaction that commits and one that is cancelled, all through boto3.
test('a boto3 session: create, put, query, conditional update, transactions', async () => {
  const results = await runScenario('boto3-scenario.py', uniqueTableName('boto3'))
  assert.equal(results.status, 'ACTIVE')
  assert.deepEqual(results.query, ['2', '1'])
  assert.equal(results.number, '1.5')
  assert.deepEqual(results.updated, { n: { N: '2.5' } })
  assert.equal(results.conditionFailure, 'ConditionalCheckFailedException')
  assert.deepEqual(results.cancelled, ['None', 'ConditionalCheckFailed'])
  assert.deepEqual(results.keys, ['p/0', 'p/1', 'tx/1'])
})

// A GSI with multi-attribute keys through boto3: the KeySchema round-trips in order, the query
// paginator resumes from compound LastEvaluatedKeys, and a RANGE gap gets DynamoDB's message.
test('a boto3 session on a GSI with multi-attribute keys', async () => {
  const results = await runScenario('boto3-composite-gsi.py', uniqueTableName('boto3-composite'))
  assert.deepEqual(results.keySchema, [
    { AttributeName: 'org', KeyType: 'HASH' }, { AttributeName: 'team', KeyType: 'HASH' },
    { AttributeName: 'year', KeyType: 'RANGE' }, { AttributeName: 'name', KeyType: 'RANGE' },
  ])
  assert.deepEqual(results.ids, ['b', 'c', 'a'])
  assert.deepEqual(results.gap, ['ValidationException',
    'RANGE key attributes year must have equality conditions specified in the query because a condition is present on key attribute name'])
})
