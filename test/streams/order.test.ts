/**
 * Exactly once and per-item order under concurrent writers: many workers update many items at
 * once (ADD v 1), across shard rollovers; every change must appear once, and each item's
 * records must count 1, 2, 3, ... in order.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CreateTableCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb'
import { DescribeStreamCommand } from '@aws-sdk/client-dynamodb-streams'
import { manualClock, readAll, startStreamsServer, uniqueTableName } from './helpers.js'

const itemCount = 20
const writesPerItem = 15
const workerCount = 8

test('each change appears exactly once, and each item\'s records are in write order', async () => {
  const clock = manualClock()
  const server = await startStreamsServer({ clock, streamShardRolloverMinutes: 1 })
  try {
    const tableName = uniqueTableName('order')
    const created = await server.dynamodb.send(new CreateTableCommand({
      TableName: tableName,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }))
    const streamArn = created.TableDescription!.LatestStreamArn!
    const work = Array.from({ length: itemCount * writesPerItem }, (_, index) => `item-${index % itemCount}`)
    let next = 0
    const worker = async () => {
      while (next < work.length) {
        const pk = work[next++]!
        // Move time on now and then so that shards roll over while the writers run.
        if (next % 50 === 0) clock.advance(61_000)
        await server.dynamodb.send(new UpdateItemCommand({
          TableName: tableName, Key: { pk: { S: pk } }, UpdateExpression: 'ADD v :one', ExpressionAttributeValues: { ':one': { N: '1' } },
        }))
      }
    }
    const reader = async () => {
      // Read (and so roll shards over) while the writes go on.
      for (let round = 0; round < 5; round++) await readAll(server.streams, streamArn)
    }
    await Promise.all([...Array.from({ length: workerCount }, worker), reader()])
    const records = await readAll(server.streams, streamArn, itemCount * writesPerItem)
    const shards = (await server.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!.Shards!
    assert.ok(shards.length > 1, 'the writes spanned several shards')
    assert.equal(records.length, itemCount * writesPerItem)
    assert.equal(new Set(records.map((record) => record.eventID)).size, records.length)
    const counts = new Map<string, number[]>()
    for (const record of records) {
      const pk = record.dynamodb!.Keys!.pk!.S!
      counts.set(pk, [...(counts.get(pk) ?? []), Number(record.dynamodb!.NewImage!.v!.N)])
    }
    for (const [pk, values] of counts) {
      assert.deepEqual(values, Array.from({ length: writesPerItem }, (_, index) => index + 1), pk)
    }
  } finally {
    await server.close()
  }
})
