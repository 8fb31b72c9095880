/**
 * UpdateTimeToLive and DescribeTimeToLive through the SDK
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html).
 * DynamoDB refuses any request that would not change the setting, and moving TTL to another
 * attribute takes a disable (naming the current attribute) and a new enable. The messages are
 * the ones AWS returns (scylla test_ttl.py, which passes against AWS, and clients matching on them).
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { DescribeTimeToLiveCommand, UpdateTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createTtlTable, expectError, startTtlServer, type TtlTestServer } from './fixtures.js'

let running: TtlTestServer
let client: DynamoDBClient

before(async () => {
  running = await startTtlServer()
  client = running.client
})
after(() => running.close())

function update(TableName: string, AttributeName: string, Enabled: boolean) {
  return client.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { AttributeName, Enabled } }))
}

async function describe(TableName: string) {
  return (await client.send(new DescribeTimeToLiveCommand({ TableName }))).TimeToLiveDescription
}

test('a table that never had TTL is DISABLED and names no attribute', async () => {
  const table = await createTtlTable(client)
  assert.deepEqual(await describe(table), { TimeToLiveStatus: 'DISABLED' })
})

test('enabling echoes the specification and DescribeTimeToLive shows ENABLED at once', async () => {
  const table = await createTtlTable(client)
  const response = await update(table, 'expiry', true)
  assert.deepEqual(response.TimeToLiveSpecification, { AttributeName: 'expiry', Enabled: true })
  // AWS was observed reporting ENABLED right after the call; we never show ENABLING.
  assert.deepEqual(await describe(table), { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiry' })
})

test('enabling again is refused, with the same attribute or another', async () => {
  const table = await createTtlTable(client)
  await update(table, 'expiry', true)
  await expectError(update(table, 'expiry', true), 'ValidationException', 'TimeToLive is already enabled')
  // To move TTL to another attribute the user must disable it first.
  await expectError(update(table, 'other', true), 'ValidationException',
    'TimeToLive is active on a different AttributeName: current AttributeName is expiry')
  assert.deepEqual(await describe(table), { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiry' })
})

test('disabling must name the current attribute; then DISABLED, and disabling again is refused', async () => {
  const table = await createTtlTable(client)
  await expectError(update(table, 'expiry', false), 'ValidationException', 'TimeToLive is already disabled')
  await update(table, 'expiry', true)
  await expectError(update(table, 'dog', false), 'ValidationException',
    'TimeToLive is active on a different AttributeName: current AttributeName is expiry')
  const response = await update(table, 'expiry', false)
  assert.deepEqual(response.TimeToLiveSpecification, { AttributeName: 'expiry', Enabled: false })
  assert.deepEqual(await describe(table), { TimeToLiveStatus: 'DISABLED' })
  await expectError(update(table, 'expiry', false), 'ValidationException', 'TimeToLive is already disabled')
  // Re-enabling on another attribute is then allowed (AWS would make us wait about an hour).
  await update(table, 'other', true)
  assert.deepEqual(await describe(table), { TimeToLiveStatus: 'ENABLED', AttributeName: 'other' })
})

test('unknown tables get ResourceNotFoundException naming the table', async () => {
  await expectError(update('no-such-table', 'expiry', true), 'ResourceNotFoundException',
    'Requested resource not found: Table: no-such-table not found')
  await expectError(client.send(new DescribeTimeToLiveCommand({ TableName: 'no-such-table' })),
    'ResourceNotFoundException', 'Requested resource not found: Table: no-such-table not found')
})

test('the attribute name must be 1 to 255 characters', async () => {
  const table = await createTtlTable(client)
  await expectError(update(table, '', true), 'ValidationException',
    "1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy " +
    'constraint: Member must have length greater than or equal to 1')
  await expectError(update(table, 'x'.repeat(256), true), 'ValidationException',
    `1 validation error detected: Value '${'x'.repeat(256)}' at 'timeToLiveSpecification.attributeName' ` +
    'failed to satisfy constraint: Member must have length less than or equal to 255')
})

test('the setting survives in the catalog record, apart from DescribeTable', async () => {
  const table = await createTtlTable(client)
  await update(table, 'expiry', true)
  const record = running.ctx.catalog.record(table)
  assert.deepEqual(record?.timeToLive, { AttributeName: 'expiry', Enabled: true })
  // The data plane sees the attribute only while TTL is enabled.
  assert.equal(running.ctx.catalog.get(table)?.ttlAttribute, 'expiry')
  await update(table, 'expiry', false)
  assert.equal(running.ctx.catalog.get(table)?.ttlAttribute, undefined)
})
