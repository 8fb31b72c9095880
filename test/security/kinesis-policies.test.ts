/**
 * Identity policies on Kinesis requests: the resource of a check is the stream the request acts
 * on, however it names it (StreamName, StreamARN or a shard iterator), or the consumer it names;
 * so a statement scoped to one stream allows and denies that stream and no other.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  CreateStreamCommand, DeleteStreamCommand, DescribeStreamConsumerCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient,
  ListStreamsCommand, PutRecordCommand, RegisterStreamConsumerCommand,
} from '@aws-sdk/client-kinesis'
import type { RunningServer } from '../../src/server.js'
import { expectDenied, startSecureServer, policy } from './helpers.js'

const account = '111122223333'
const stream = (name: string) => `arn:aws:kinesis:us-east-1:${account}:stream/${name}`

const keys = {
  ADMIN: { secretAccessKey: 'admin', accountId: account },
  PRODUCER: {
    secretAccessKey: 'producer', accountId: account,
    policies: policy(
      { Effect: 'Allow', Action: ['kinesis:PutRecord', 'kinesis:GetShardIterator', 'kinesis:GetRecords'], Resource: stream('events') },
      { Effect: 'Allow', Action: 'kinesis:DescribeStreamConsumer', Resource: `${stream('events')}/consumer/*` },
    ),
  },
  GUARDED: {
    secretAccessKey: 'guarded', accountId: account,
    policies: policy(
      { Effect: 'Allow', Action: 'kinesis:*', Resource: '*' },
      { Effect: 'Deny', Action: 'kinesis:DeleteStream', Resource: stream('prod') },
    ),
  },
}

let server: RunningServer
const clients: KinesisClient[] = []
function kinesisAs(accessKeyId: keyof typeof keys): KinesisClient {
  const client = new KinesisClient({
    endpoint: server.url, region: 'us-east-1', maxAttempts: 1,
    credentials: { accessKeyId, secretAccessKey: keys[accessKeyId].secretAccessKey },
  })
  clients.push(client)
  return client
}

before(async () => {
  server = await startSecureServer({}, keys)
  const admin = kinesisAs('ADMIN')
  for (const name of ['events', 'other', 'prod', 'scratch']) await admin.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }))
})
after(async () => {
  for (const client of clients) client.destroy()
  await server.close()
})

test('a statement on one stream allows it by name, by ARN and through its shard iterators, and no other stream', async () => {
  const producer = kinesisAs('PRODUCER')
  const put = await producer.send(new PutRecordCommand({ StreamName: 'events', PartitionKey: 'k', Data: Buffer.from('by name') }))
  await producer.send(new PutRecordCommand({ StreamARN: stream('events'), PartitionKey: 'k', Data: Buffer.from('by ARN') }))
  const { ShardIterator } = await producer.send(new GetShardIteratorCommand({ StreamName: 'events', ShardId: put.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))
  const { Records } = await producer.send(new GetRecordsCommand({ ShardIterator }))
  assert.deepEqual(Records!.map((record) => Buffer.from(record.Data!).toString()), ['by name', 'by ARN'])

  const message = await expectDenied(producer.send(new PutRecordCommand({ StreamName: 'other', PartitionKey: 'k', Data: Buffer.from('x') })))
  assert.match(message, new RegExp(`not authorized to perform: kinesis:PutRecord on resource: ${stream('other')} `))
  const otherIterator = await kinesisAs('ADMIN').send(new GetShardIteratorCommand({ StreamName: 'other', ShardId: put.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))
  assert.match(await expectDenied(producer.send(new GetRecordsCommand({ ShardIterator: otherIterator.ShardIterator }))),
    new RegExp(`kinesis:GetRecords on resource: ${stream('other')} `))
  // ListStreams acts on no stream: '*', which a statement scoped to one stream does not cover.
  await expectDenied(producer.send(new ListStreamsCommand({})))
})

test('a consumer is the resource of the requests that name it', async () => {
  const { Consumer: consumer } = await kinesisAs('ADMIN').send(new RegisterStreamConsumerCommand({ StreamARN: stream('events'), ConsumerName: 'reader' }))
  const producer = kinesisAs('PRODUCER')
  const described = await producer.send(new DescribeStreamConsumerCommand({ ConsumerARN: consumer!.ConsumerARN }))
  assert.equal(described.ConsumerDescription!.ConsumerName, 'reader')
  await expectDenied(producer.send(new RegisterStreamConsumerCommand({ StreamARN: stream('events'), ConsumerName: 'second' })))
})

test('a deny on one stream holds however the request names it', async () => {
  const guarded = kinesisAs('GUARDED')
  await expectDenied(guarded.send(new DeleteStreamCommand({ StreamName: 'prod' })))
  await expectDenied(guarded.send(new DeleteStreamCommand({ StreamARN: stream('prod') })))
  await guarded.send(new DeleteStreamCommand({ StreamName: 'scratch' }))
  const { StreamNames } = await guarded.send(new ListStreamsCommand({}))
  assert.deepEqual(StreamNames, ['events', 'other', 'prod'])
})
