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
