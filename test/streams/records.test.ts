/**
 * GetRecords through the SDK: which images each view type shows for each event, no record for
 * no-op writes, record fields, and the iterator types.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb'
import { ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams'
import { readAll, startStreamsServer, uniqueTableName, type StreamsTestServer } from './helpers.js'

let server: StreamsTestServer
before(async () => { server = await startStreamsServer() })
after(async () => { await server.close() })

type ViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES'

async function createStreamTable(viewType: ViewType): Promise<{ tableName: string; streamArn: string }> {
  const tableName = uniqueTableName('records')
  const created = await server.dynamodb.send(new CreateTableCommand({
    TableName: tableName,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: viewType },
  }))
  return { tableName, streamArn: created.TableDescription!.LatestStreamArn! }
}

/** INSERT, MODIFY, a no-op put, REMOVE, and a delete of a missing item. */
async function writeLifecycle(tableName: string): Promise<void> {
  await server.dynamodb.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'a' }, v: { N: '1' } } }))
  await server.dynamodb.send(new UpdateItemCommand({
    TableName: tableName, Key: { pk: { S: 'a' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '2' } },
  }))
  await server.dynamodb.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'a' }, v: { N: '2' } } }))
  await server.dynamodb.send(new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: 'a' } } }))
  await server.dynamodb.send(new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: 'missing' } } }))
}

const expectedImages: Record<ViewType, Record<string, [boolean, boolean]>> = {
  // [has NewImage, has OldImage] for INSERT, MODIFY, REMOVE
  KEYS_ONLY: { INSERT: [false, false], MODIFY: [false, false], REMOVE: [false, false] },
  NEW_IMAGE: { INSERT: [true, false], MODIFY: [true, false], REMOVE: [false, false] },
  OLD_IMAGE: { INSERT: [false, false], MODIFY: [false, true], REMOVE: [false, true] },
  NEW_AND_OLD_IMAGES: { INSERT: [true, false], MODIFY: [true, true], REMOVE: [false, true] },
}

for (const viewType of Object.keys(expectedImages) as ViewType[]) {
  test(`${viewType}: each event shows the images its view type allows, and no-op writes add nothing`, async () => {
    const { tableName, streamArn } = await createStreamTable(viewType)
    await writeLifecycle(tableName)
    const records = await readAll(server.streams, streamArn, 3)
    assert.deepEqual(records.map((record) => record.eventName), ['INSERT', 'MODIFY', 'REMOVE'])
    for (const record of records) {
      const [hasNew, hasOld] = expectedImages[viewType][record.eventName!]!
      assert.equal(record.dynamodb!.NewImage !== undefined, hasNew, `${record.eventName} NewImage`)
      assert.equal(record.dynamodb!.OldImage !== undefined, hasOld, `${record.eventName} OldImage`)
      assert.deepEqual(record.dynamodb!.Keys, { pk: { S: 'a' } })
      assert.equal(record.dynamodb!.StreamViewType, viewType)
      assert.equal(record.eventSource, 'aws:dynamodb')
      assert.equal(record.eventVersion, '1.1')
      assert.equal(record.awsRegion, 'us-east-1')
      assert.match(record.eventID!, /^[0-9a-f]{32}$/)
      assert.match(record.dynamodb!.SequenceNumber!, /^[0-9]{21,40}$/)
      assert.ok(record.dynamodb!.SizeBytes! >= 1)
      assert.ok(record.dynamodb!.ApproximateCreationDateTime instanceof Date)
    }
    if (hasImages(viewType)) {
      const modify = records[1]!.dynamodb!
      if (modify.NewImage) assert.deepEqual(modify.NewImage, { pk: { S: 'a' }, v: { N: '2' } })
      if (modify.OldImage) assert.deepEqual(modify.OldImage, { pk: { S: 'a' }, v: { N: '1' } })
    }
  })
}

// Puts without a condition compare the stored item by its size first, and parse it only when
// the sizes match: an equal item in another attribute order or number spelling is still a
// no-op, and a different item of the same size is still a change.
test('a put of an equal item writes no record, and a different item of the same size does', async () => {
  const { tableName, streamArn } = await createStreamTable('NEW_AND_OLD_IMAGES')
  const put = (item: Record<string, { S: string } | { N: string }>, returnValues?: 'ALL_OLD') =>
    server.dynamodb.send(new PutItemCommand({ TableName: tableName, Item: item, ReturnValues: returnValues }))
  await put({ pk: { S: 'a' }, x: { N: '1.50' }, y: { S: 'ab' } })
  const reordered = await put({ y: { S: 'ab' }, x: { N: '1.5' }, pk: { S: 'a' } }, 'ALL_OLD')
  assert.deepEqual(reordered.Attributes, { pk: { S: 'a' }, x: { N: '1.5' }, y: { S: 'ab' } })
  await server.dynamodb.send(new BatchWriteItemCommand({
    RequestItems: { [tableName]: [{ PutRequest: { Item: { x: { N: '15E-1' }, pk: { S: 'a' }, y: { S: 'ab' } } } }] },
  }))
  const swapped = await put({ pk: { S: 'a' }, x: { N: '1.5' }, y: { S: 'ba' } }, 'ALL_OLD')
  assert.deepEqual(swapped.Attributes, { pk: { S: 'a' }, x: { N: '1.5' }, y: { S: 'ab' } })
  const records = await readAll(server.streams, streamArn, 2)
  assert.deepEqual(records.map((record) => record.eventName), ['INSERT', 'MODIFY'])
  assert.deepEqual(records[1]!.dynamodb!.OldImage, { pk: { S: 'a' }, x: { N: '1.5' }, y: { S: 'ab' } })
  assert.deepEqual(records[1]!.dynamodb!.NewImage, { pk: { S: 'a' }, x: { N: '1.5' }, y: { S: 'ba' } })
})

function hasImages(viewType: ViewType): boolean {
  return viewType !== 'KEYS_ONLY'
}

test('SizeBytes counts the keys and the images the record carries', async () => {
  const { tableName, streamArn } = await createStreamTable('NEW_AND_OLD_IMAGES')
  await server.dynamodb.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'Fred' } } }))
  const [insert] = await readAll(server.streams, streamArn, 1)
  // Keys {pk:"Fred"} = 6 bytes, NewImage the same: 12.
  assert.equal(insert!.dynamodb!.SizeBytes, 12)
})

test('ListStreams finds the stream by table name with its label', async () => {
  const { tableName, streamArn } = await createStreamTable('KEYS_ONLY')
  const listed = await server.streams.send(new ListStreamsCommand({ TableName: tableName }))
  assert.deepEqual(listed.Streams, [{ StreamArn: streamArn, TableName: tableName, StreamLabel: streamArn.split('/stream/')[1] }])
})
