/**
 * Robustness fuzzing over raw HTTP. Whatever a client sends (random JSON for random operations,
 * random bytes, absurdly deep nesting, wrongly typed members, random expression text) the server
 * must answer promptly with a client error (4xx and a JSON __type) or a success, never a 5xx and
 * never a hang, and must keep serving normal requests afterwards. Runs are bounded and seeded by
 * fast-check (a failure prints the seed and the shrunk counterexample).
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { testCredentials } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { sendRaw, type RawReply } from '../helpers/raw.js'
import { cliMissingReason, killHard, startCli, type CliServer } from '../helpers/cli.js'

const runsPerProperty = 150
const requestTimeoutMs = 10_000
const skip = cliMissingReason

let server: CliServer | undefined
let client: DynamoDBClient | undefined
let table = ''
before(async () => {
  if (skip) return
  server = await startCli(['--port', '0', '--in-memory'])
  client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 })
  table = await createKeyTable(client, 'fuzz', 'N')
})
after(async () => {
  client?.destroy()
  if (server) await killHard(server.process)
})

const operations = [
  'PutItem', 'GetItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem',
  'TransactWriteItems', 'TransactGetItems', 'CreateTable', 'DescribeTable', 'UpdateTable', 'DeleteTable', 'ListTables',
  'TagResource', 'UntagResource', 'ListTagsOfResource', 'DescribeTimeToLive', 'UpdateTimeToLive', 'NotAnOperation',
]

/** The reply is a success or a well-formed client error; anything else fails with the request shown. */
function assertWellBehaved(reply: RawReply, request: unknown): void {
  const shown = JSON.stringify(request)?.slice(0, 300)
  assert.ok(reply.status < 500, `status ${reply.status} for ${shown}: ${reply.body.toString('utf8').slice(0, 300)}`)
  if (reply.status >= 400) {
    assert.equal(typeof reply.json?.__type, 'string', `no __type in ${reply.status} reply for ${shown}`)
  }
}

const send = (target: string, body: string | Buffer) =>
  sendRaw(server!.url, { target, body, timeoutMs: requestTimeoutMs })

/** A normal request still works: the server survived. */
async function assertStillServing(): Promise<void> {
  const reply = await send('DescribeTable', JSON.stringify({ TableName: table }))
  assert.equal(reply.status, 200, reply.body.toString('utf8'))
  assert.equal(server!.process.exitCode, null, 'the server process exited')
}

// Random JSON values as the body of random operations, with TableName sometimes set to a real table
// so requests get past the first checks.
test('random JSON bodies for random operations', { skip, timeout: 300_000 }, async () => {
  await fc.assert(fc.asyncProperty(
    fc.constantFrom(...operations), fc.jsonValue({ maxDepth: 4 }), fc.boolean(),
    async (operation, value, withTable) => {
      // Never aim DeleteTable at the shared table: later properties need it.
      const body = withTable && operation !== 'DeleteTable' && value !== null && typeof value === 'object' && !Array.isArray(value)
        ? { ...value, TableName: table } : value
      assertWellBehaved(await send(operation, JSON.stringify(body)), { operation, body })
    },
  ), { numRuns: runsPerProperty })
  await assertStillServing()
})

// Random bytes are not JSON.
test('random bytes as the body', { skip, timeout: 300_000 }, async () => {
  await fc.assert(fc.asyncProperty(fc.constantFrom(...operations), fc.uint8Array({ maxLength: 512 }), async (operation, bytes) => {
    assertWellBehaved(await send(operation, Buffer.from(bytes)), { operation, bytes: Buffer.from(bytes).toString('hex') })
  }), { numRuns: runsPerProperty })
  await assertStillServing()
})

// Deep nesting: a JSON document nested far beyond any DynamoDB limit (maps and lists of maps), and
// deeply nested JSON that is not even an attribute value.
test('huge nesting is rejected cleanly', { skip, timeout: 120_000 }, async () => {
  for (const depth of [33, 100, 1_000, 10_000, 100_000]) {
    const nestedMap = '{"M":{"a":'.repeat(depth) + '{"S":"x"}' + '}}'.repeat(depth)
    const item = `{"TableName":"${table}","Item":{"pk":{"S":"deep"},"sk":{"N":"1"},"d":${nestedMap}}}`
    assertWellBehaved(await send('PutItem', item), { depth, kind: 'map' })
    const nestedArrays = `{"TableName":"${table}","Limit":` + '['.repeat(depth) + ']'.repeat(depth) + '}'
    assertWellBehaved(await send('Scan', nestedArrays), { depth, kind: 'arrays' })
  }
  await assertStillServing()
})

// Structurally plausible requests whose members have the wrong JSON types.
test('wrongly typed members', { skip, timeout: 300_000 }, async () => {
  const anything = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
    fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.string(), { maxKeys: 3 }))
  const attributeValue = fc.dictionary(fc.constantFrom('S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL', 'X'), anything, { maxKeys: 2 })
  await fc.assert(fc.asyncProperty(
    fc.constantFrom('PutItem', 'GetItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan'),
    fc.record({
      TableName: fc.oneof(fc.constant(table), anything), Item: fc.dictionary(fc.constantFrom('pk', 'sk', 'a'), attributeValue),
      Key: fc.oneof(fc.dictionary(fc.constantFrom('pk', 'sk'), attributeValue), anything),
      Limit: anything, ReturnValues: anything, ExpressionAttributeValues: fc.dictionary(fc.constantFrom(':a', ':b'), attributeValue),
    }, { requiredKeys: ['TableName'] }),
    async (operation, body) => { assertWellBehaved(await send(operation, JSON.stringify(body)), { operation, body }) },
  ), { numRuns: runsPerProperty })
  await assertStillServing()
})

// Random expression text built from expression tokens, used as condition, update, key condition,
// filter and projection expressions against a real table.
test('random expressions', { skip, timeout: 300_000 }, async () => {
  const token = fc.constantFrom('pk', 'sk', 'a', 'b.c', 'l[0]', 'l[99999999999]', '#n', ':v', ':w', '=', '<>', '<', '>=', 'AND', 'OR',
    'NOT', '(', ')', ',', 'BETWEEN', 'IN', 'SET', 'REMOVE', 'ADD', 'DELETE', '+', '-', 'size', 'begins_with', 'contains',
    'attribute_exists', 'attribute_type', 'if_not_exists', 'list_append', '[', ']', '.', '"', 'name', '\u0000', '😀')
  const expression = fc.array(token, { maxLength: 12 }).map((tokens) => tokens.join(' '))
  const values = { ':v': { N: '1' }, ':w': { S: 'x' } }
  await fc.assert(fc.asyncProperty(expression, fc.constantFrom('condition', 'update', 'key', 'filter', 'projection'), async (text, kind) => {
    const key = { pk: { S: 'e' }, sk: { N: '1' } }
    const common = { TableName: table, ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: values }
    const [operation, body] = kind === 'condition' ? ['PutItem', { ...common, Item: key, ConditionExpression: text }]
      : kind === 'update' ? ['UpdateItem', { ...common, Key: key, UpdateExpression: text }]
      : kind === 'key' ? ['Query', { ...common, KeyConditionExpression: text }]
      : kind === 'filter' ? ['Scan', { ...common, FilterExpression: text }]
      : ['GetItem', { TableName: table, Key: key, ProjectionExpression: text }]
    assertWellBehaved(await send(operation as string, JSON.stringify(body)), { operation, text })
  }), { numRuns: runsPerProperty * 2 })
  await assertStillServing()
})

// null where a list expects a member (a fuzz run once found these answered 500), in every list
// an operation takes: it is the shared validation, not each operation, that must reject them.
test('null members of lists and maps', { skip, timeout: 300_000 }, async () => {
  const key = { pk: { S: 'n' }, sk: { N: '1' } }
  const arn = `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`
  const withNull = <T>(members: T[]) => fc.integer({ min: 0, max: members.length }).map((at) => [...members.slice(0, at), null, ...members.slice(at)])
  const shapes: Array<[string, fc.Arbitrary<unknown>]> = [
    ['TransactWriteItems', withNull([{ Put: { TableName: table, Item: key } }]).map((TransactItems) => ({ TransactItems }))],
    ['TransactGetItems', withNull([{ Get: { TableName: table, Key: key } }]).map((TransactItems) => ({ TransactItems }))],
    ['ExecuteTransaction', withNull([{ Statement: `SELECT * FROM "${table}"` }]).map((TransactStatements) => ({ TransactStatements }))],
    ['BatchExecuteStatement', withNull([{ Statement: `SELECT * FROM "${table}"` }]).map((Statements) => ({ Statements }))],
    ['BatchGetItem', withNull([key]).map((Keys) => ({ RequestItems: { [table]: { Keys } } }))],
    ['BatchGetItem', fc.constant({ RequestItems: { [table]: null } })],
    ['BatchWriteItem', withNull([{ PutRequest: { Item: key } }]).map((requests) => ({ RequestItems: { [table]: requests } }))],
    ['PutItem', fc.constantFrom('SS', 'BS', 'NS').chain((type) => withNull([type === 'SS' ? 'a' : type === 'NS' ? '1' : 'AQ=='])
      .map((members) => ({ TableName: table, Item: { ...key, set: { [type]: members } } })))],
    ['TagResource', withNull([{ Key: 'k', Value: 'v' }]).map((Tags) => ({ ResourceArn: arn, Tags }))],
    ['UntagResource', withNull(['k']).map((TagKeys) => ({ ResourceArn: arn, TagKeys }))],
    ['UpdateItem', fc.constantFrom('AttributeUpdates', 'Expected').map((member) => ({ TableName: table, Key: key, [member]: { a: null } }))],
  ]
  await fc.assert(fc.asyncProperty(fc.constantFrom(...shapes).chain(([operation, body]) => body.map((value) => [operation, value] as const)),
    async ([operation, body]) => {
      const reply = await send(operation, JSON.stringify(body))
      assertWellBehaved(reply, { operation, body })
      assert.equal(reply.status, 400, `status ${reply.status} for ${operation} ${JSON.stringify(body)}`)
    }), { numRuns: runsPerProperty })
  await assertStillServing()
})

// X-Amz-Target values that name Object.prototype properties, at either side of the dot.
test('targets naming Object.prototype properties', { skip, timeout: 120_000 }, async () => {
  const names = Object.getOwnPropertyNames(Object.prototype)
  await fc.assert(fc.asyncProperty(fc.constantFrom(...names, 'DynamoDB_20120810'), fc.constantFrom(...names, 'name', 'GetItem'),
    async (prefix, action) => {
      const target = `${prefix}.${action}`
      if (target === 'DynamoDB_20120810.GetItem') return
      const reply = await sendRaw(server!.url, { headers: { 'X-Amz-Target': target }, body: '{}', timeoutMs: requestTimeoutMs })
      assertWellBehaved(reply, { target })
      assert.equal(reply.json?.__type, 'com.amazon.coral.service#UnknownOperationException', target)
    }), { numRuns: runsPerProperty })
  await assertStillServing()
})

// Request targets new URL() rejects, or paths nobody serves, and bodies over the size cap: each
// gets a JSON error the client can read, never a dropped connection.
test('odd paths and an over-size body', { skip, timeout: 300_000 }, async () => {
  const path = fc.oneof(fc.constantFrom('//', '///x', '/%zz', '/..', '/?', '//?a=b', '/a b'.replace(' ', '%20')),
    fc.string({ maxLength: 20 }).map((text) => `/${encodeURIComponent(text)}`))
  await fc.assert(fc.asyncProperty(path, fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'), async (requestPath, method) => {
    const reply = await sendRaw(server!.url, { method, path: requestPath, target: 'ListTables', body: '{}', timeoutMs: requestTimeoutMs })
    assert.ok(reply.status < 500, `status ${reply.status} for ${method} ${requestPath}`)
  }), { numRuns: runsPerProperty })
  const oversize = await sendRaw(server!.url, { target: 'ListTables', body: Buffer.alloc(16 * 1024 * 1024 + 1, ' '), timeoutMs: 120_000 })
  assert.equal(oversize.status, 413)
  assert.equal(typeof oversize.json?.__type, 'string')
  await assertStillServing()
})
