/**
 * Streams survive a restart: the stream history, the shard list and the iterator signing key
 * live in storage, so an iterator issued before the restart still reads after it.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams'
import { startStreamsServer } from './helpers.js'

test('shards and iterators are the same after a restart', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'eddydb-streams-'))
  try {
    const first = await startStreamsServer({ inMemory: false, dataDir })
    let streamArn: string
    let shards: unknown
    let iterator: string
    try {
      const created = await first.dynamodb.send(new CreateTableCommand({
        TableName: 'restart', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
      }))
      streamArn = created.TableDescription!.LatestStreamArn!
      await first.dynamodb.send(new PutItemCommand({ TableName: 'restart', Item: { pk: { S: 'a' } } }))
      shards = (await first.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!.Shards
      const shardId = (shards as { ShardId: string }[])[0]!.ShardId
      iterator = (await first.streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!
    } finally {
      await first.close()
    }
    const second = await startStreamsServer({ inMemory: false, dataDir })
    try {
      assert.deepEqual((await second.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!.Shards, shards)
      const page = await second.streams.send(new GetRecordsCommand({ ShardIterator: iterator }))
      assert.deepEqual(page.Records!.map((record) => record.dynamodb!.Keys), [{ pk: { S: 'a' } }])
    } finally {
      await second.close()
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
})
