/**
 * A data file carried across EddyDB versions. A newer EddyDB migrates it on open; an older one
 * refuses a file whose schema version it does not know (test/storage/sqlite.test.ts). Item
 * collection counts came without a version of their own, so a file of schema version 3 may hold
 * counts that an older EddyDB's writes did not change: this version starts them over.
 */
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { expectError } from '../helpers/errors.js'

const dataDir = mkdtempSync(join(tmpdir(), 'eddydb-upgrade-'))
let server: TestServer | undefined
after(async () => {
  await server?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

const limitBytes = 4000
const TableName = 'collections'
// About 915 bytes, and as much again in the local index (ALL): two fit in 4,000 bytes, three do not.
const item = (sk: string) => ({ pk: { S: 'b' }, sk: { S: sk }, rank: { N: '1' }, data: { S: 'x'.repeat(900) } })
const start = () => startTestServer({ inMemory: false, dataDir, itemCollectionSizeLimitBytes: limitBytes })

test('collection counts of a schema version 3 file start over, so writes an older EddyDB made without counting do not skew them', async () => {
  server = await start()
  await server.client.send(new CreateTableCommand({
    TableName, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'rank', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    LocalSecondaryIndexes: [{
      IndexName: 'byRank', Projection: { ProjectionType: 'ALL' },
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'rank', KeyType: 'RANGE' }],
    }],
  }))
  await server.client.send(new PutItemCommand({ TableName, Item: item('1') }))
  await server.client.send(new PutItemCommand({ TableName, Item: item('2') }))
  await expectError(server.client.send(new PutItemCommand({ TableName, Item: item('3') })), 'ItemCollectionSizeLimitExceededException')
  await server.close()
  server = undefined

  // What an EddyDB of schema version 3 from before the counts leaves: the collection's items
  // deleted, its count not changed.
  const file = new Database(join(dataDir, 'us-east-1.sqlite3'))
  const tableId = file.prepare('SELECT table_id FROM catalog WHERE name = ?').pluck().get(TableName)
  assert.equal(file.prepare('DELETE FROM items WHERE table_id = ?').run(tableId).changes, 2)
  assert.equal(file.prepare('DELETE FROM index_entries WHERE table_id = ?').run(tableId).changes, 2)
  file.prepare("UPDATE meta SET value = '3' WHERE name = 'schema_version'").run()
  file.close()

  server = await start()
  await server.client.send(new PutItemCommand({ TableName, Item: item('3') }))
  await server.client.send(new PutItemCommand({ TableName, Item: item('4') }))
  // Counted again from the rows: the collection is full once more.
  await expectError(server.client.send(new PutItemCommand({ TableName, Item: item('5') })), 'ItemCollectionSizeLimitExceededException')
})
