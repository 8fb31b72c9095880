/**
 * The request log: with --log-level debug, one JSON line per request with the operation, table,
 * region, status, error type and latency. DynamoDB's ResourceNotFoundException names no table,
 * so this line is where an operator learns which table, in which region, a client asked for.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { createLogger, type LogLevel } from '../../src/log.js'
import { startTestServer, inProcessOnly } from '../helpers/server.js'

function capturingLogger(level: LogLevel): { log: ReturnType<typeof createLogger>; requests: () => Record<string, any>[] } {
  const lines: string[] = []
  return {
    log: createLogger(level, (line) => lines.push(line)),
    requests: () => lines.map((line) => JSON.parse(line) as Record<string, any>).filter((entry) => entry.message === 'request'),
  }
}

test('debug logs one line per request, naming the table and region of an error', inProcessOnly('it reads the server\'s own log'), async () => {
  const { log, requests } = capturingLogger('debug')
  const server = await startTestServer({ log })
  try {
    await server.newClient({ region: 'eu-west-1' }).send(new ListTablesCommand({}))
    await assert.rejects(server.client.send(new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'a' } } })))
    const [listed, missing] = requests()
    assert.equal(requests().length, 2)
    assert.equal(listed!.operation, 'DynamoDB_20120810.ListTables')
    assert.equal(listed!.region, 'eu-west-1')
    assert.equal(listed!.status, 200)
    assert.equal(typeof listed!.latencyMs, 'number')
    assert.equal(missing!.level, 'debug')
    assert.equal(missing!.operation, 'DynamoDB_20120810.GetItem')
    assert.equal(missing!.table, 'orders')
    assert.equal(missing!.region, 'us-east-1')
    assert.equal(missing!.status, 400)
    assert.equal(missing!.errorType, 'ResourceNotFoundException')
  } finally {
    await server.close()
  }
})

test('REST routes get the same line: the status route, unsigned', inProcessOnly('it reads the server\'s own log'), async () => {
  const { log, requests } = capturingLogger('debug')
  const server = await startTestServer({ log })
  try {
    assert.equal((await fetch(`${server.endpoint}/_eddydb/status`)).status, 200)
    const [line] = requests()
    assert.equal(line!.operation, 'GET /_eddydb/status')
    assert.equal(line!.status, 200)
    assert.equal(line!.region, undefined)
  } finally {
    await server.close()
  }
})

test('requests answered 404 before any operation are logged too', inProcessOnly('it reads the server\'s own log'), async () => {
  const { log, requests } = capturingLogger('debug')
  const server = await startTestServer({ log })
  try {
    assert.equal((await fetch(`${server.endpoint}/nope`)).status, 404)
    assert.equal((await fetch(server.endpoint, { method: 'PUT', body: '{}' })).status, 404)
    assert.deepEqual(requests().map((line) => [line.operation, line.status, line.errorType]),
      [['GET /nope', 404, 'UnknownOperationException'], ['PUT /', 404, 'UnknownOperationException']])
  } finally {
    await server.close()
  }
})

test('above debug, requests are not logged', inProcessOnly('it reads the server\'s own log'), async () => {
  const { log, requests } = capturingLogger('info')
  const server = await startTestServer({ log })
  try {
    await server.client.send(new ListTablesCommand({}))
    assert.deepEqual(requests(), [])
  } finally {
    await server.close()
  }
})
