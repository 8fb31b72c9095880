/**
 * CBOR 1.1 as the Java SDKs, the KCL and the KPL send it: requests encoded with cborg the way
 * Jackson writes them (indefinite-length maps, Data as a byte string, timestamps as tag 1 epoch
 * milliseconds), replies decoded with cborg.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { decode, encode, Token, Type } from 'cborg'
import { sendRaw } from '../helpers/raw.js'
import { startKinesisServer, uniqueStreamName, type KinesisTestServer } from './fixtures.js'

let fixture: KinesisTestServer
before(async () => { fixture = await startKinesisServer() })
after(() => fixture.close())

/** Marks a value to be written as CBOR tag 1 with epoch milliseconds, as the Java SDKs write timestamps. */
class JavaTimestamp {
  constructor(readonly date: Date) {}
}

/** A map with indefinite length (0xbf ... 0xff), as Jackson's CBOR generator writes objects. */
function javaCbor(value: Record<string, unknown>): Buffer {
  const parts: Buffer[] = [Buffer.from([0xbf])]
  for (const [key, member] of Object.entries(value)) {
    parts.push(Buffer.from(encode(key)))
    if (member instanceof JavaTimestamp) {
      parts.push(Buffer.from(encode(member, { typeEncoders: { Object: () => [new Token(Type.tag, 1), new Token(Type.uint, member.date.getTime())] } })))
    } else if (member !== null && typeof member === 'object' && !(member instanceof Uint8Array) && !Array.isArray(member)) {
      parts.push(javaCbor(member as Record<string, unknown>))
    } else {
      parts.push(Buffer.from(encode(member)))
    }
  }
  parts.push(Buffer.from([0xff]))
  return Buffer.concat(parts)
}

const timestampTag = 1
const tags: Array<(inner: unknown) => unknown> = []
tags[timestampTag] = (inner) => ({ tag1: inner })

async function call(action: string, body: Record<string, unknown>): Promise<{ status: number; contentType: unknown; reply: any }> {
  const reply = await sendRaw(fixture.server.url, {
    body: javaCbor(body),
    headers: { 'Content-Type': 'application/x-amz-cbor-1.1', 'X-Amz-Target': `Kinesis_20131202.${action}` },
  })
  return { status: reply.status, contentType: reply.headers['content-type'], reply: decode(reply.body, { tags }) }
}

test('a Java-style CBOR client creates a stream, puts bytes and reads them back with tag 1 timestamps', async () => {
  const name = uniqueStreamName('cbor')
  const created = await call('CreateStream', { StreamName: name, ShardCount: 1 })
  assert.equal(created.status, 200)
  assert.equal(created.contentType, 'application/x-amz-cbor-1.1')

  const data = new Uint8Array([0, 1, 2, 250, 255])
  const put = await call('PutRecord', { StreamName: name, PartitionKey: 'pk', Data: data })
  assert.equal(put.status, 200)
  assert.equal(put.reply.ShardId, 'shardId-000000000000')

  const iterator = await call('GetShardIterator', {
    StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new JavaTimestamp(new Date(Date.now() - 60_000)),
  })
  assert.equal(iterator.status, 200)
  const records = await call('GetRecords', { ShardIterator: iterator.reply.ShardIterator })
  const [record] = records.reply.Records
  assert.deepEqual(new Uint8Array(record.Data), data)
  assert.equal(record.SequenceNumber, put.reply.SequenceNumber)
  // Timestamps come back as tag 1 holding epoch milliseconds, which the Java SDKs read.
  const arrivalMs = record.ApproximateArrivalTimestamp.tag1
  assert.ok(Number.isInteger(arrivalMs) && Math.abs(arrivalMs - Date.now()) < 3_600_000, `arrival ${arrivalMs}`)

  const summary = await call('DescribeStreamSummary', { StreamName: name })
  assert.ok(Number.isInteger(summary.reply.StreamDescriptionSummary.StreamCreationTimestamp.tag1))
})

test('errors come back as CBOR maps with __type and message', async () => {
  const missing = await call('DescribeStream', { StreamName: 'no-such-stream' })
  assert.equal(missing.status, 400)
  assert.equal(missing.contentType, 'application/x-amz-cbor-1.1')
  assert.deepEqual(missing.reply, { __type: 'ResourceNotFoundException', message: 'Stream no-such-stream under account 000000000000 not found.' })

  const garbage = await sendRaw(fixture.server.url, {
    body: Buffer.from([0xbf, 0x61]),
    headers: { 'Content-Type': 'application/x-amz-cbor-1.1', 'X-Amz-Target': 'Kinesis_20131202.ListStreams' },
  })
  assert.equal(garbage.status, 400)
  assert.equal((decode(garbage.body) as { __type: string }).__type, 'SerializationException')
})
