/**
 * A global index that UpdateTable adds to a table holding items is filled from them in the
 * background; until then Query and Scan on it (and PartiQL SELECTs) are refused with DynamoDB's
 * "Cannot read from backfilling global secondary index: <name>", instead of answering with the
 * part filled so far. The test holds the storage's write transaction queue after UpdateTable, so
 * the backfill cannot end while the reads are made; reads go through the file's (or PostgreSQL's)
 * read connection, which the held transaction does not block.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  BatchWriteItemCommand, DescribeTableCommand, ExecuteStatementCommand, QueryCommand, ScanCommand, UpdateTableCommand,
} from '@aws-sdk/client-dynamodb'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

const itemCount = 3000
let server: TestServer
let dataDir: string
before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eddydb-backfill-'))
  server = await startTestServer({ inMemory: false, dataDir })
})
after(async () => {
  await server?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

test('a backfilling index refuses reads until it is ACTIVE, then answers with every item', async () => {
  const TableName = await createKeyTable(server.client, 'backfill')
  for (let start = 0; start < itemCount; start += 25) {
    const writes = Array.from({ length: 25 }, (_, offset) => ({ PutRequest: { Item: { pk: { S: `k${start + offset}` }, color: { S: 'red' } } } }))
    await server.client.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: writes } }))
  }
  await server.client.send(new UpdateTableCommand({
    TableName, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'color', AttributeType: 'S' }],
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byColor', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
  }))
  const region = await server.running!.regions.get('us-east-1')
  let release!: () => void
  const held = region.storage.transact(() => new Promise<void>((resolve) => { release = resolve }))
  try {
    const described = await server.client.send(new DescribeTableCommand({ TableName }))
    assert.equal(described.Table!.GlobalSecondaryIndexes![0]!.Backfilling, true, 'the backfill ended before the test held it')
    const refusal = 'Cannot read from backfilling global secondary index: byColor'
    await expectError(server.client.send(new QueryCommand({
      TableName, IndexName: 'byColor', KeyConditionExpression: 'color = :c', ExpressionAttributeValues: { ':c': { S: 'red' } },
    })), 'ValidationException', refusal)
    await expectError(server.client.send(new ScanCommand({ TableName, IndexName: 'byColor' })), 'ValidationException', refusal)
    await expectError(server.client.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "${TableName}"."byColor" WHERE color = 'red'` })),
      'ValidationException', refusal)
  } finally {
    release()
    await held
  }
  // The backfill's own end, not a poll against a clock.
  await region.catalog.whenIdle()
  assert.equal((await server.client.send(new DescribeTableCommand({ TableName }))).Table!.GlobalSecondaryIndexes![0]!.IndexStatus, 'ACTIVE')
  const counted = await server.client.send(new ScanCommand({ TableName, IndexName: 'byColor', Select: 'COUNT' }))
  assert.equal(counted.Count, itemCount)
})
