/**
 * Writes fenced on the table definition they use (tables/definition-version.ts), with two nodes on
 * one PostgreSQL database: two engines and two catalogs, as two `eddydb serve` processes have.
 * Node B's catalog here is left behind on purpose: this harness starts no background work, so B
 * hears of A's catalog changes only when it reloads (as a real node does between A's commit and
 * the notification's arrival, made long and certain here). Requests run through the same
 * catch-up wrapper the request pipeline uses (cluster/catalog-miss.ts).
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { RequestContext } from '../../src/api/context.js'
import { JsonText } from '../../src/api/json-text.js'
import { withCatalogCaughtUp } from '../../src/cluster/catalog-miss.js'
import { defaultConfig } from '../../src/config.js'
import { batchWriteItem } from '../../src/operations/batch-write-item.js'
import { createTable } from '../../src/operations/create-table.js'
import { deleteTable } from '../../src/operations/delete-table.js'
import { describeTable } from '../../src/operations/describe-table.js'
import { putItem } from '../../src/operations/put-item.js'
import { query } from '../../src/operations/query.js'
import { updateTable } from '../../src/operations/update-table.js'
import { updateTimeToLive } from '../../src/operations/update-time-to-live.js'
import type { StorageEngine } from '../../src/storage/engine.js'
import { openPostgresEngine } from '../../src/storage/postgres/engine.js'
import { TableCatalog } from '../../src/tables/catalog.js'
import { operationContext } from '../helpers/operation-context.js'
import { postgresSkipReason, startPostgres, type PostgresCluster } from '../helpers/postgres.js'

const skip = postgresSkipReason()
let cluster: PostgresCluster | undefined
const engines: StorageEngine[] = []
let nodeA: RequestContext
let nodeB: RequestContext

/** A node: its own engine and catalog on the shared database. */
async function nodeOn(url: string): Promise<RequestContext> {
  const storage = openPostgresEngine({ url, region: 'us-east-1' })
  engines.push(storage)
  return { ...await operationContext(storage), config: { ...defaultConfig, storageUrl: url } }
}

before(async () => {
  if (skip) return
  cluster = await startPostgres()
  const url = await cluster.createDatabase('fence')
  nodeA = await nodeOn(url)
  nodeB = await nodeOn(url)
})
after(async () => {
  for (const engine of engines) await engine.close()
  await cluster?.stop()
})

/** A request through a node, as the request pipeline runs it. */
function send(node: RequestContext, operation: (ctx: RequestContext, input: never) => Promise<unknown>, input: object): Promise<unknown> {
  return withCatalogCaughtUp(node, () => operation(node, input as never))
}

/** An operation's answer as the client gets it (reads may answer with stored JSON text). */
function answerOf(output: object): unknown {
  return output instanceof JsonText ? JSON.parse(output.text) : output
}

async function createColorTable(name: string): Promise<string> {
  const created = await createTable(nodeA, {
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  }) as { TableDescription: { TableId: string } }
  // B learns of the table, and writes to it once under this definition.
  await nodeB.catalog.refresh()
  await send(nodeB, putItem, { TableName: name, Item: { pk: { S: 'before' }, color: { S: 'red' } } })
  return created.TableDescription.TableId
}

/**
 * Creates the GSI byColor through A and waits for its backfill to end, so that an index row B
 * does not write itself nobody writes.
 */
async function addColorIndexOnA(name: string): Promise<void> {
  await updateTable(nodeA, {
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'color', AttributeType: 'S' }],
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byColor', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
  })
  await nodeA.catalog.whenIdle()
}

test('a write through a node that has not yet heard of a DeleteTable is ResourceNotFoundException and stores nothing', { skip }, async () => {
  const tableId = await createColorTable('deleted-on-a')
  await deleteTable(nodeA, { TableName: 'deleted-on-a' })
  assert.ok(nodeB.catalog.get('deleted-on-a'), 'B still has the old definition')

  await assert.rejects(send(nodeB, putItem, { TableName: 'deleted-on-a', Item: { pk: { S: 'after' } } }), { type: 'ResourceNotFoundException' })
  await assert.rejects(send(nodeB, batchWriteItem, { RequestItems: { 'deleted-on-a': [{ PutRequest: { Item: { pk: { S: 'batched' } } } }] } }),
    { type: 'ResourceNotFoundException' })
  // Nothing landed under the dropped table's id, and B now knows the table is gone.
  assert.deepEqual(await nodeA.storage.read((view) => view.itemStats(tableId)), { count: 0, bytes: 0 })
  assert.equal(nodeB.catalog.get('deleted-on-a'), undefined)
})

test('an item written through a node that has not yet heard of a new GSI gets its index row', { skip }, async () => {
  await createColorTable('indexed-on-a')
  await addColorIndexOnA('indexed-on-a')
  assert.deepEqual(nodeB.catalog.get('indexed-on-a')!.indexes, [], 'B still has the definition without the index')

  await send(nodeB, putItem, { TableName: 'indexed-on-a', Item: { pk: { S: 'after' }, color: { S: 'red' } } })
  const { Items } = answerOf(await query(nodeA, {
    TableName: 'indexed-on-a', IndexName: 'byColor',
    KeyConditionExpression: 'color = :red', ExpressionAttributeValues: { ':red': { S: 'red' } },
  })) as { Items: Array<Record<string, { S: string }>> }
  assert.deepEqual(Items.map((item) => item.pk!.S).sort(), ['after', 'before'])
})

test('a table change made through a node with an old definition does not undo another node\'s change', { skip }, async () => {
  await createColorTable('changed-on-both')
  await addColorIndexOnA('changed-on-both')
  // B changes the table from its old record (no index): the index A created must survive.
  await send(nodeB, updateTimeToLive, { TableName: 'changed-on-both', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } })
  await nodeA.catalog.refresh()
  const { Table } = await describeTable(nodeA, { TableName: 'changed-on-both' }) as { Table: { GlobalSecondaryIndexes?: Array<{ IndexName: string }> } }
  assert.deepEqual(Table.GlobalSecondaryIndexes?.map((index) => index.IndexName), ['byColor'])
  assert.equal(nodeA.catalog.record('changed-on-both')!.timeToLive?.AttributeName, 'expiresAt')
})

test('a GSI backfill that meets a change made on another node carries on under the new definition', { skip }, async () => {
  // A third node whose backfills copy one item per transaction, so that the walk takes many.
  const slow: RequestContext = { ...nodeA, catalog: new TableCatalog(nodeA.storage, nodeA.region, nodeA.accountId, nodeA.clock, { backfillPageItems: 1 }) }
  await slow.catalog.load()
  await createColorTable('backfilled')
  const colors = Array.from({ length: 30 }, (_, index) => `item-${index}`)
  await send(nodeB, batchWriteItem, { RequestItems: { backfilled: colors.slice(0, 25).map((pk) => ({ PutRequest: { Item: { pk: { S: pk }, color: { S: 'red' } } } })) } })
  await send(nodeB, batchWriteItem, { RequestItems: { backfilled: colors.slice(25).map((pk) => ({ PutRequest: { Item: { pk: { S: pk }, color: { S: 'red' } } } })) } })
  await slow.catalog.refresh()
  await updateTable(slow, {
    TableName: 'backfilled',
    AttributeDefinitions: [{ AttributeName: 'color', AttributeType: 'S' }],
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byColor', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
  })
  // While the walk runs, B (which has not heard of the index) turns TTL on: a new definition.
  await send(nodeB, updateTimeToLive, { TableName: 'backfilled', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } })
  await slow.catalog.whenIdle()

  await nodeA.catalog.refresh()
  const record = nodeA.catalog.record('backfilled')!
  assert.equal(record.description.GlobalSecondaryIndexes?.[0]?.IndexStatus, 'ACTIVE')
  assert.equal(record.timeToLive?.AttributeName, 'expiresAt')
  const { Items } = answerOf(await query(nodeA, {
    TableName: 'backfilled', IndexName: 'byColor',
    KeyConditionExpression: 'color = :red', ExpressionAttributeValues: { ':red': { S: 'red' } },
  })) as { Items: Array<Record<string, { S: string }>> }
  assert.deepEqual(Items.map((item) => item.pk!.S).sort(), [...colors, 'before'].sort())
})
