/**
 * A table named by its ARN, which DynamoDB accepts wherever it takes a table name: the answers
 * keep the ARN where the request used it (ConsumedCapacity, the batch maps) and the bare name in
 * a TableDescription; an ARN of another region, another account or another kind of resource is
 * refused (src/tables/table-name-arns.ts gives the sources).
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  BatchGetItemCommand, BatchWriteItemCommand, DeleteItemCommand, DescribeTableCommand, DescribeTimeToLiveCommand,
  GetItemCommand, PutItemCommand, QueryCommand, TransactGetItemsCommand, TransactWriteItemsCommand, UpdateItemCommand,
  UpdateTableCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { localDiffers, startTestServer, uniqueTableName, type TestServer } from '../helpers/server.js'
import { createTable } from '../helpers/tables.js'
import { expectError } from '../helpers/errors.js'

let server: TestServer
let client: DynamoDBClient
let table: string
let arn: string
before(async () => {
  server = await startTestServer()
  client = server.client
  table = uniqueTableName('arns')
  await createTable(client, {
    TableName: table,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
  })
  arn = (await client.send(new DescribeTableCommand({ TableName: table }))).Table!.TableArn!
})
after(async () => { await server?.close() })

test('the data plane reads and writes a table named by its ARN, and answers with the ARN as sent', localDiffers('it answers with the bare table name where DynamoDB echoes the ARN'), async () => {
  const put = await client.send(new PutItemCommand({ TableName: arn, Item: { pk: { S: 'a' }, sk: { N: '1' }, v: { S: 'one' } }, ReturnConsumedCapacity: 'TOTAL' }))
  assert.equal(put.ConsumedCapacity?.TableName, arn)
  const got = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' }, sk: { N: '1' } }, ReturnConsumedCapacity: 'TOTAL' }))
  assert.deepEqual(got.Item?.v, { S: 'one' })
  assert.equal(got.ConsumedCapacity?.TableName, table, 'a bare name is answered with the bare name')

  const viaArn = await client.send(new GetItemCommand({ TableName: arn, Key: { pk: { S: 'a' }, sk: { N: '1' } }, ReturnConsumedCapacity: 'INDEXES' }))
  assert.deepEqual([viaArn.Item?.v, viaArn.ConsumedCapacity?.TableName], [{ S: 'one' }, arn])
  await client.send(new UpdateItemCommand({ TableName: arn, Key: { pk: { S: 'a' }, sk: { N: '1' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: 'uno' } } }))
  const queried = await client.send(new QueryCommand({ TableName: arn, KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': { S: 'a' } }, ReturnConsumedCapacity: 'TOTAL' }))
  assert.deepEqual([queried.Items?.map((item) => item.v?.S), queried.ConsumedCapacity?.TableName], [['uno'], arn])
  const deleted = await client.send(new DeleteItemCommand({ TableName: arn, Key: { pk: { S: 'a' }, sk: { N: '1' } }, ReturnValues: 'ALL_OLD' }))
  assert.deepEqual(deleted.Attributes?.v, { S: 'uno' })
})

test('batches are keyed the way the request named each table', localDiffers('it keys the batch maps by the bare table name'), async () => {
  const written = await client.send(new BatchWriteItemCommand({
    RequestItems: { [arn]: [{ PutRequest: { Item: { pk: { S: 'b' }, sk: { N: '1' } } } }, { PutRequest: { Item: { pk: { S: 'b' }, sk: { N: '2' } } } }] },
    ReturnConsumedCapacity: 'TOTAL',
  }))
  assert.deepEqual(written.UnprocessedItems, {})
  assert.deepEqual(written.ConsumedCapacity?.map((report) => report.TableName), [arn])
  const read = await client.send(new BatchGetItemCommand({
    RequestItems: { [arn]: { Keys: [{ pk: { S: 'b' }, sk: { N: '1' } }, { pk: { S: 'b' }, sk: { N: '2' } }] } },
    ReturnConsumedCapacity: 'TOTAL',
  }))
  assert.deepEqual(Object.keys(read.Responses ?? {}), [arn])
  assert.equal(read.Responses![arn]!.length, 2)
  assert.deepEqual(read.ConsumedCapacity?.map((report) => report.TableName), [arn])

  // One table named both ways is one table: the same key twice is still a duplicate.
  await expectError(client.send(new BatchGetItemCommand({
    RequestItems: { [table]: { Keys: [{ pk: { S: 'b' }, sk: { N: '1' } }] }, [arn]: { Keys: [{ pk: { S: 'b' }, sk: { N: '1' } }] } },
  })), 'ValidationException', 'Provided list of item keys contains duplicates')
})

test('transactions name their tables by ARN too', localDiffers('it does not find a table named by ARN in a transaction'), async () => {
  const written = await client.send(new TransactWriteItemsCommand({
    TransactItems: [{ Put: { TableName: arn, Item: { pk: { S: 'c' }, sk: { N: '1' } } } }],
    ReturnConsumedCapacity: 'TOTAL',
  }))
  assert.deepEqual(written.ConsumedCapacity?.map((report) => report.TableName), [arn])
  const read = await client.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: arn, Key: { pk: { S: 'c' }, sk: { N: '1' } } } }] }))
  assert.deepEqual(read.Responses?.[0]?.Item?.pk, { S: 'c' })
  // The same item by name and by ARN is the same item, which a transaction may touch once.
  await expectError(client.send(new TransactWriteItemsCommand({
    TransactItems: [
      { Put: { TableName: arn, Item: { pk: { S: 'c' }, sk: { N: '2' } } } },
      { Delete: { TableName: table, Key: { pk: { S: 'c' }, sk: { N: '2' } } } },
    ],
  })), 'ValidationException', 'Transaction request cannot include multiple operations on one item')
})

test('the control plane takes the ARN and describes the table by its name', localDiffers('its not-found message is "Cannot do operations on a non-existent table"'), async () => {
  const described = await client.send(new DescribeTableCommand({ TableName: arn }))
  assert.equal(described.Table?.TableName, table)
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: arn }))
  assert.equal(ttl.TimeToLiveDescription?.TimeToLiveStatus, 'DISABLED')
  const updated = await client.send(new UpdateTableCommand({ TableName: arn, DeletionProtectionEnabled: false }))
  assert.equal(updated.TableDescription?.TableName, table)
  await expectError(client.send(new DescribeTableCommand({ TableName: arn.replace(`table/${table}`, 'table/no-such-table') })),
    'ResourceNotFoundException', 'Requested resource not found: Table: no-such-table not found')
})

test('an ARN of another region, account or resource is refused', localDiffers('it ignores the ARN\'s region and account'), async () => {
  const [, , , region, account] = arn.split(':')
  const otherRegion = arn.replace(`:${region}:`, ':eu-west-3:')
  await expectError(client.send(new GetItemCommand({ TableName: otherRegion, Key: { pk: { S: 'a' }, sk: { N: '1' } } })),
    'ValidationException', `1 validation error detected: Invalid AWS region in '${otherRegion}'`)
  await expectError(client.send(new DescribeTableCommand({ TableName: arn.replace(`:${account}:`, ':123456789012:') })),
    'AccessDeniedException', 'Access is denied')
  await expectError(client.send(new DescribeTableCommand({ TableName: `${arn}/index/byG` })), 'ValidationException', /^Invalid table\/index name/)
  await expectError(client.send(new DescribeTableCommand({ TableName: arn.replace('table/', 'stream/') })),
    'ValidationException', /Invalid resource type in/)
  await expectError(client.send(new GetItemCommand({ TableName: 'arn:aws:dynamodb', Key: { pk: { S: 'a' }, sk: { N: '1' } } })),
    'ValidationException', /^Valid ARN format is 'arn:<awsPartition>:<vendor>:<region>:<subscriber>:resourceType\/resourceName'/)
  // Anything else is still a name, held to a name's pattern.
  await expectError(client.send(new DescribeTableCommand({ TableName: `ARN${arn.slice(3)}` })), 'ValidationException',
    /at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern/)
})
