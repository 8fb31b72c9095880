/**
 * A change whose Kinesis record would pass 1 MiB (a MODIFY carries both images, and binary
 * attributes travel as base64) is skipped and counted, and the changes after it still flow.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, EnableKinesisStreamingDestinationCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { CreateStreamCommand } from '@aws-sdk/client-kinesis'
import { loadDestinations } from '../../src/kinesis/destinations.js'
import { testCredentials } from '../helpers/server.js'
import { startKinesisServer } from './fixtures.js'
import { waitForRecords } from './destination-helpers.js'

test('an oversize record is skipped and counted; later changes are delivered', async () => {
  const fixture = await startKinesisServer()
  const dynamodb = new DynamoDBClient({ endpoint: fixture.server.url, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 })
  try {
    await dynamodb.send(new CreateTableCommand({
      TableName: 'big', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    }))
    await fixture.kinesisHttp1.send(new CreateStreamCommand({ StreamName: 'big-changes', ShardCount: 1 }))
    await dynamodb.send(new EnableKinesisStreamingDestinationCommand({ TableName: 'big', StreamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/big-changes' }))
    const blob = (fill: number) => ({ B: new Uint8Array(390 * 1024).fill(fill) })
    await dynamodb.send(new PutItemCommand({ TableName: 'big', Item: { pk: { S: 'large' }, payload: blob(1) } }))
    await dynamodb.send(new PutItemCommand({ TableName: 'big', Item: { pk: { S: 'large' }, payload: blob(2) } }))
    await dynamodb.send(new PutItemCommand({ TableName: 'big', Item: { pk: { S: 'small' } } }))

    const records = await waitForRecords(fixture.kinesisHttp1, 'big-changes', 2)
    assert.deepEqual(records.map((record) => [record.body.dynamodb.Keys.pk.S, record.body.eventName]), [['large', 'INSERT'], ['small', 'INSERT']])
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: 'big' }))
    const ctx = await fixture.region()
    const entry = await ctx.storage.read((view) => loadDestinations(view, Table!.TableId!))
    assert.equal(entry!.destinations[0]!.skippedRecords, 1)
  } finally {
    dynamodb.destroy()
    await fixture.close()
  }
})
