/**
 * Transactions that storage runs again leave no trace of their earlier runs, through the real
 * operations. An engine reached over a network (PostgreSQL) re-runs a transaction's fn after a
 * serialization failure; SQLite re-runs a whole commit group when another process held the lock.
 * Here a decorator makes every transaction lose its first run (fn runs, then the transaction is
 * rolled back) and run again, and each operation must answer exactly as it does when run once:
 * the same consumed capacity, the same items, one change record per write, the same stream label.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { RequestContext } from '../../src/api/context.js'
import { batchWriteItem } from '../../src/operations/batch-write-item.js'
import { createTable } from '../../src/operations/create-table.js'
import { putItem } from '../../src/operations/put-item.js'
import { transactWriteItems } from '../../src/operations/transact-write-items.js'
import { updateItem } from '../../src/operations/update-item.js'
import type { StorageEngine, Transaction, TransactOptions } from '../../src/storage/engine.js'
import { openSqliteEngine } from '../../src/storage/sqlite/engine.js'
import { operationContext } from '../helpers/operation-context.js'

/** Every transaction runs fn once and rolls it back, as if it lost a race, then runs it again. */
function rerunningEveryTransaction(storage: StorageEngine): StorageEngine & { runs: number } {
  const lostRace = new Error('lost the race')
  const decorated = {
    runs: 0,
    read: storage.read.bind(storage),
    close: storage.close.bind(storage),
    async transact<T>(fn: (tx: Transaction) => Promise<T>, options?: TransactOptions): Promise<T> {
      await storage.transact(async (tx) => {
        decorated.runs++
        await fn(tx)
        throw lostRace
      }, options).catch((error: unknown) => { if (error !== lostRace) throw error })
      decorated.runs++
      return storage.transact(fn, options)
    },
  }
  return decorated
}

/** The same requests on a context; returns every answer and the change log's length. */
async function runWorkload(ctx: RequestContext): Promise<unknown[]> {
  const answers: unknown[] = []
  const created = await createTable(ctx, {
    TableName: 'rerun',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'color', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byColor', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  }) as { TableDescription: Record<string, unknown> }
  // A random id per table: everything else about the description must be the same.
  answers.push({ ...created.TableDescription, TableId: undefined })
  const capacity = { ReturnConsumedCapacity: 'INDEXES' } as const
  answers.push(await putItem(ctx, { TableName: 'rerun', Item: { pk: { S: 'a' }, color: { S: 'red' }, n: { N: '1' } }, ...capacity }))
  answers.push(await updateItem(ctx, {
    TableName: 'rerun', Key: { pk: { S: 'a' } }, UpdateExpression: 'ADD n :one SET color = :blue',
    ExpressionAttributeValues: { ':one': { N: '1' }, ':blue': { S: 'blue' } }, ReturnValues: 'UPDATED_NEW', ...capacity,
  }))
  answers.push(await batchWriteItem(ctx, { RequestItems: { rerun: [
    { PutRequest: { Item: { pk: { S: 'b' }, color: { S: 'green' } } } },
    { PutRequest: { Item: { pk: { S: 'c' } } } },
    { DeleteRequest: { Key: { pk: { S: 'a' } } } },
  ] }, ...capacity }))
  answers.push(await transactWriteItems(ctx, { TransactItems: [
    { Update: { TableName: 'rerun', Key: { pk: { S: 'b' } }, UpdateExpression: 'SET n = :two', ExpressionAttributeValues: { ':two': { N: '2' } } } },
    { ConditionCheck: { TableName: 'rerun', Key: { pk: { S: 'c' } }, ConditionExpression: 'attribute_exists(pk)' } },
  ], ...capacity }))
  const table = ctx.catalog.require('rerun')
  const items = await ctx.storage.read((view) => view.rangeItems(table.tableId, {}, 10))
  answers.push(items.map((row) => row.json).sort())
  answers.push((await ctx.storage.read((view) => view.readChanges(table.tableId, 0, 100))).map((change) => [change.sequence, change.eventName]))
  answers.push(ctx.catalog.record('rerun')!.description.LatestStreamArn)
  return answers
}

test('operations whose transactions run twice answer and store exactly what one run does', async () => {
  const once = openSqliteEngine({ inMemory: true })
  const twice = rerunningEveryTransaction(openSqliteEngine({ inMemory: true }))
  try {
    const expected = await runWorkload(await operationContext(once))
    const actual = await runWorkload(await operationContext(twice))
    assert.ok(twice.runs >= 10, 'the transactions did run twice')
    assert.deepEqual(actual, expected)
  } finally {
    await once.close()
    await twice.close()
  }
})
