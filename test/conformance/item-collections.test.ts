/**
 * Item collections: in a table with local secondary indexes, the items of one partition key and
 * their local index entries form an item collection, which DynamoDB caps at 10 GB; a write that
 * would grow a collection past it fails with ItemCollectionSizeLimitExceededException.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html#LSI.ItemCollections
 * The limit is configurable here (itemCollectionSizeLimitBytes) so the test can reach it.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  CreateBackupCommand, DeleteItemCommand, GetItemCommand, PutItemCommand, RestoreTableFromBackupCommand, TransactWriteItemsCommand,
  TransactionCanceledException, UpdateItemCommand,
} from '@aws-sdk/client-dynamodb'
import { startTestServer, uniqueTableName, inProcessOnly, type TestServer } from '../helpers/server.js'
import { createTable, waitForActive } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

const limitBytes = 4000
let server: TestServer
let table: string
before(async () => {
  server = await startTestServer({ itemCollectionSizeLimitBytes: limitBytes })
  table = uniqueTableName('collections')
  await createTable(server.client, {
    TableName: table,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'rank', AttributeType: 'N' },
    ],
    LocalSecondaryIndexes: [{
      IndexName: 'byRank',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'rank', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'ALL' },
    }],
  })
})
after(async () => { await server?.close() })

const item = (pk: string, sk: string) => ({ pk: { S: pk }, sk: { S: sk }, rank: { N: '1' }, data: { S: 'x'.repeat(900) } })

// Each ~920-byte item counts twice (the item and its ALL-projected index entry): the third item
// of one partition crosses 4,000 bytes, while another partition is unaffected.
test('a write that grows an item collection past the limit is refused, other partitions are not', inProcessOnly('it sets a small item collection limit'), async () => {
  await server.client.send(new PutItemCommand({ TableName: table, Item: item('a', '1') }))
  await server.client.send(new PutItemCommand({ TableName: table, Item: item('a', '2') }))
  await expectError(server.client.send(new PutItemCommand({ TableName: table, Item: item('a', '3') })),
    'ItemCollectionSizeLimitExceededException')
  await expectError(server.client.send(new UpdateItemCommand({
    TableName: table, Key: { pk: { S: 'a' }, sk: { S: '1' } },
    UpdateExpression: 'SET more = :more', ExpressionAttributeValues: { ':more': { S: 'y'.repeat(500) } },
  })), 'ItemCollectionSizeLimitExceededException')
  await server.client.send(new PutItemCommand({ TableName: table, Item: item('b', '1') }))
})

// Shrinking or replacing an item with one of the same size never trips the limit.
test('writes that do not grow the collection still succeed at the limit', inProcessOnly('it sets a small item collection limit'), async () => {
  const smaller = { ...item('a', '1'), data: { S: 'small' } }
  const result = await server.client.send(new PutItemCommand({ TableName: table, Item: smaller, ReturnItemCollectionMetrics: 'SIZE' }))
  assert.deepEqual(result.ItemCollectionMetrics?.ItemCollectionKey, { pk: { S: 'a' } })
})

// In a transaction the same growth cancels it, with the action's own reason, and nothing is written.
test('a transaction that grows an item collection past the limit is cancelled with its reason', inProcessOnly('it sets a small item collection limit'), async () => {
  await server.client.send(new PutItemCommand({ TableName: table, Item: item('t', '1') }))
  await server.client.send(new PutItemCommand({ TableName: table, Item: item('t', '2') }))
  const cancelled = await expectError(server.client.send(new TransactWriteItemsCommand({
    TransactItems: [{ Put: { TableName: table, Item: item('u', '1') } }, { Put: { TableName: table, Item: item('t', '3') } }],
  })), 'TransactionCanceledException', 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ItemCollectionSizeLimitExceeded]')
  assert.deepEqual((cancelled as unknown as TransactionCanceledException).CancellationReasons,
    [{ Code: 'None' }, { Code: 'ItemCollectionSizeLimitExceeded', Message: 'Collection size exceeded.' }])
  assert.equal((await server.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'u' }, sk: { S: '1' } } }))).Item, undefined)
})

// The collection's size is kept as writes change it: what a delete or a shrinking update frees,
// a later write may take, and no more.
test('deletes and shrinking updates make room in a full item collection, as much as they free', inProcessOnly('it sets a small item collection limit'), async () => {
  const key = (sk: string) => ({ pk: { S: 'd' }, sk: { S: sk } })
  await server.client.send(new PutItemCommand({ TableName: table, Item: item('d', '1') }))
  await server.client.send(new PutItemCommand({ TableName: table, Item: item('d', '2') }))
  await expectError(server.client.send(new PutItemCommand({ TableName: table, Item: item('d', '3') })), 'ItemCollectionSizeLimitExceededException')
  await server.client.send(new DeleteItemCommand({ TableName: table, Key: key('1') }))
  await server.client.send(new PutItemCommand({ TableName: table, Item: item('d', '3') }))
  await expectError(server.client.send(new PutItemCommand({ TableName: table, Item: item('d', '4') })), 'ItemCollectionSizeLimitExceededException')
  await server.client.send(new UpdateItemCommand({ TableName: table, Key: key('2'), UpdateExpression: 'REMOVE #data', ExpressionAttributeNames: { '#data': 'data' } }))
  await server.client.send(new PutItemCommand({ TableName: table, Item: item('d', '4') }))
  await expectError(server.client.send(new PutItemCommand({ TableName: table, Item: item('d', '5') })), 'ItemCollectionSizeLimitExceededException')
  // A transaction that is cancelled leaves the count as it was.
  await expectError(server.client.send(new TransactWriteItemsCommand({
    TransactItems: [{ Delete: { TableName: table, Key: key('3') } }, { Put: { TableName: table, Item: item('v', '1'), ConditionExpression: 'attribute_exists(pk)' } }],
  })), 'TransactionCanceledException')
  await expectError(server.client.send(new PutItemCommand({ TableName: table, Item: item('d', '5') })), 'ItemCollectionSizeLimitExceededException')
})

// A restore loads its items without counting them: the first write to a collection counts what is there.
test('a restored table\'s collections count the items the restore put in', inProcessOnly('it sets a small item collection limit'), async () => {
  await server.client.send(new PutItemCommand({ TableName: table, Item: item('r', '1') }))
  await server.client.send(new PutItemCommand({ TableName: table, Item: item('r', '2') }))
  const { BackupDetails } = await server.client.send(new CreateBackupCommand({ TableName: table, BackupName: 'collections' }))
  const restored = uniqueTableName('collections-restored')
  await server.client.send(new RestoreTableFromBackupCommand({ TargetTableName: restored, BackupArn: BackupDetails!.BackupArn }))
  await waitForActive(server.client, restored)
  await expectError(server.client.send(new PutItemCommand({ TableName: restored, Item: item('r', '3') })), 'ItemCollectionSizeLimitExceededException')
  await server.client.send(new PutItemCommand({ TableName: restored, Item: item('s', '1') }))
  await server.client.send(new DeleteItemCommand({ TableName: restored, Key: { pk: { S: 'r' }, sk: { S: '1' } } }))
  await server.client.send(new PutItemCommand({ TableName: restored, Item: item('r', '3') }))
})
