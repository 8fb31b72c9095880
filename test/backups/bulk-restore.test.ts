/**
 * Restores write their items by the bulk load path (Transaction.loadItems), a page of items per
 * transaction, without the write path's reads and change records. What must still hold, over
 * several pages: every GSI and LSI row is written (sparse indexes stay sparse, projections as
 * declared), DescribeTable's ItemCount and sizes equal the source's, and the restored table
 * starts with an empty change log (its history starts at the restore).
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  BatchWriteItemCommand, CreateBackupCommand, DeleteItemCommand, DescribeTableCommand, QueryCommand,
  RestoreTableFromBackupCommand, RestoreTableToPointInTimeCommand, type AttributeValue, type TableDescription,
} from '@aws-sdk/client-dynamodb'
import { uniqueTableName } from '../helpers/server.js'
import { createTable } from '../helpers/tables.js'
import { enablePitr, scanAll, startBackupTestServer, waitUntilRestored, type BackupTestServer } from './helpers.js'

let server: BackupTestServer
before(async () => { server = await startBackupTestServer() })
after(async () => { await server?.close() })

/** More than two pages of the restore's copy (1000 items each). */
const items = 2600
const colors = ['red', 'green', 'blue']

/** Item n: every 4th has no color (not in byColor), every 5th no score (not in byScore). */
function item(n: number): Record<string, AttributeValue> {
  const result: Record<string, AttributeValue> = {
    pk: { S: `p${n % 40}` }, sk: { N: String(n) }, name: { S: `name-${n % 7}` }, note: { S: 'n'.repeat(n % 50) },
  }
  if (n % 4 !== 0) result.color = { S: colors[n % 3]! }
  if (n % 5 !== 0) result.score = { N: String(n % 11) }
  return result
}

async function sourceTable(): Promise<string> {
  const table = uniqueTableName('bulk-source')
  await createTable(server.client, {
    TableName: table,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' },
      { AttributeName: 'color', AttributeType: 'S' }, { AttributeName: 'name', AttributeType: 'S' }, { AttributeName: 'score', AttributeType: 'N' },
    ],
    GlobalSecondaryIndexes: [
      { IndexName: 'byColor', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
      { IndexName: 'byName', KeySchema: [{ AttributeName: 'name', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
    ],
    LocalSecondaryIndexes: [
      { IndexName: 'byScore', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'score', KeyType: 'RANGE' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['name'] } },
    ],
  })
  await enablePitr(server.client, table)
  for (let start = 0; start < items; start += 25) {
    await server.client.send(new BatchWriteItemCommand({
      RequestItems: { [table]: Array.from({ length: 25 }, (_, offset) => ({ PutRequest: { Item: item(start + offset) } })) },
    }))
  }
  return table
}

const describe = async (table: string): Promise<TableDescription> =>
  (await server.client.send(new DescribeTableCommand({ TableName: table }))).Table!

/** ItemCount and sizes of the table and of each index, by name. */
function counts(table: TableDescription): Record<string, [number?, number?]> {
  const result: Record<string, [number?, number?]> = { table: [table.ItemCount, table.TableSizeBytes] }
  for (const index of [...table.GlobalSecondaryIndexes ?? [], ...table.LocalSecondaryIndexes ?? []]) {
    result[index.IndexName!] = [index.ItemCount, index.IndexSizeBytes]
  }
  return result
}

/** Every index's items for one key value, as sorted JSON lines (projections included). */
async function indexContents(table: string): Promise<string[]> {
  const queries = [
    ...colors.map((color) => ({ IndexName: 'byColor', KeyConditionExpression: 'color = :v', ExpressionAttributeValues: { ':v': { S: color } } })),
    { IndexName: 'byName', KeyConditionExpression: '#n = :v', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':v': { S: 'name-3' } } },
    { IndexName: 'byScore', KeyConditionExpression: 'pk = :v', ExpressionAttributeValues: { ':v': { S: 'p7' } } },
  ]
  const lines: string[] = []
  for (const query of queries) {
    let start: Record<string, AttributeValue> | undefined
    do {
      const page = await server.client.send(new QueryCommand({ TableName: table, ...query, ExclusiveStartKey: start }))
      for (const found of page.Items ?? []) lines.push(`${query.IndexName} ${JSON.stringify(Object.entries(found).sort())}`)
      start = page.LastEvaluatedKey
    } while (start)
  }
  return lines.sort()
}

async function changeLogLength(table: TableDescription): Promise<number> {
  const ctx = await server.region()
  return ctx.storage.read((view) => view.lastChangeSequence(table.TableId!))
}

test('restores over several pages write every index row, keep the counts and sizes, and log no change', { timeout: 300_000 }, async () => {
  const table = await sourceTable()
  const { BackupDetails } = await server.client.send(new CreateBackupCommand({ TableName: table, BackupName: 'bulk' }))
  // Changes after the backup: the point-in-time restore below sees them, the backup does not.
  for (let n = 0; n < 60; n++) await server.client.send(new DeleteItemCommand({ TableName: table, Key: { pk: item(n).pk!, sk: item(n).sk! } }))

  const fromBackup = uniqueTableName('bulk-from-backup')
  await server.client.send(new RestoreTableFromBackupCommand({ TargetTableName: fromBackup, BackupArn: BackupDetails!.BackupArn }))
  const pointInTime = uniqueTableName('bulk-to-latest')
  await server.client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: table, TargetTableName: pointInTime, UseLatestRestorableTime: true }))
  const restoredFromBackup = await waitUntilRestored(server.client, fromBackup)
  const restoredToLatest = await waitUntilRestored(server.client, pointInTime)

  const source = await describe(table)
  assert.equal(source.ItemCount, items - 60)
  assert.deepEqual(counts(restoredToLatest), counts(source))
  // As of the backup: every item, a quarter without color, a fifth without score.
  const indexCounts = Object.fromEntries(Object.entries(counts(restoredFromBackup)).map(([name, [count]]) => [name, count]))
  assert.deepEqual(indexCounts, { table: items, byColor: items * 3 / 4, byName: items, byScore: items * 4 / 5 })
  assert.deepEqual(await indexContents(pointInTime), await indexContents(table))
  assert.equal((await scanAll(server.client, pointInTime, ['pk', 'sk'])).size, items - 60)
  assert.equal(await changeLogLength(restoredFromBackup), 0)
  assert.equal(await changeLogLength(restoredToLatest), 0)
})
