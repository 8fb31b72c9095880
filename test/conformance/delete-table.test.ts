/**
 * DeleteTable's reply: the table's description with TableStatus DELETING, whether or not it has
 * secondary indexes, after which the table is gone (the API reference's DeleteTable example and
 * dynalite's deleteTable tests against DynamoDB).
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteTable.html
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { DeleteTableCommand, DescribeTableCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { startTestServer, uniqueTableName, localDiffers, type TestServer } from '../helpers/server.js'
import { createKeyTable, createTable } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
let client: DynamoDBClient
before(async () => {
  server = await startTestServer()
  client = server.client
})
after(async () => { await server?.close() })

// Without indexes: the name, DELETING, the item count and size, the ARN and the throughput.
test('DeleteTable describes the table as DELETING', localDiffers('it deletes at once and describes the table as ACTIVE'), async () => {
  const table = await createKeyTable(client, 'delete-plain')
  await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'a' } } }))
  const { TableDescription: description } = await client.send(new DeleteTableCommand({ TableName: table }))
  assert.equal(description!.TableName, table)
  assert.equal(description!.TableStatus, 'DELETING')
  assert.equal(description!.ItemCount, 1)
  assert.ok(description!.TableSizeBytes! > 0)
  assert.ok(description!.TableArn!.endsWith(`:table/${table}`))
  assert.deepEqual(description!.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 })
  // No warm throughput either (DDB-TABLE-363 of an API-quirks lab, against AWS).
  assert.equal(description!.WarmThroughput, undefined)
  await expectError(client.send(new DescribeTableCommand({ TableName: table })), 'ResourceNotFoundException')
})

// DeleteTable's description leaves out the table's shape, which DescribeTable gives: creation
// time, key schema, attribute definitions, indexes (Alternator's test_delete_table_description
// and _with_si, run against DynamoDB; dynalite's older tests had the indexes).
test('DeleteTable of a table with secondary indexes leaves out its shape', localDiffers('it deletes at once and describes the table as ACTIVE, with its whole shape'), async () => {
  const table = uniqueTableName('delete-indexed')
  await createTable(client, {
    TableName: table,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    LocalSecondaryIndexes: [{
      IndexName: 'byPkG', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'g', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    }],
  })
  const { Table: described } = await client.send(new DescribeTableCommand({ TableName: table }))
  const { TableDescription: description } = await client.send(new DeleteTableCommand({ TableName: table }))
  assert.equal(description!.TableStatus, 'DELETING')
  assert.equal(description!.TableId, described!.TableId)
  for (const member of ['CreationDateTime', 'KeySchema', 'AttributeDefinitions', 'GlobalSecondaryIndexes', 'LocalSecondaryIndexes'] as const) {
    assert.ok(described![member] !== undefined, `DescribeTable has ${member}`)
    assert.equal(description![member], undefined, `DeleteTable leaves out ${member}`)
  }
  await expectError(client.send(new DescribeTableCommand({ TableName: table })), 'ResourceNotFoundException')
})
