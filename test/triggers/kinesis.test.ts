/**
 * Kinesis streams as trigger event sources (spec §3; Lambda's "Using Lambda with Kinesis"): the
 * event shape, starting positions (AT_TIMESTAMP included), the delivery rules the DynamoDB stream
 * mappings have (shared code: retries that block the shard, OnFailure records, bisection, partial
 * failures, ParallelizationFactor), filters on the data as JSON, fan-out consumer ARNs, and
 * resharding (children only after their parents). Functions are webhooks scripted per test.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  CreateStreamCommand, DescribeStreamSummaryCommand, ListShardsCommand, PutRecordCommand, PutRecordsCommand,
  RegisterStreamConsumerCommand, SplitShardCommand,
} from '@aws-sdk/client-kinesis'
import { CreateEventSourceMappingCommand, type CreateEventSourceMappingCommandInput } from '@aws-sdk/client-lambda'
import { Collector, eventually, handlerFiles, startTriggerServer, type CollectedCall, type TriggerServer } from './harness.js'

interface KinesisEventRecord {
  kinesis: { kinesisSchemaVersion: string; partitionKey: string; sequenceNumber: string; data: string; approximateArrivalTimestamp: number }
  eventSource: string
  eventVersion: string
  eventID: string
  eventName: string
  invokeIdentityArn: string
  awsRegion: string
  eventSourceARN: string
}

let server: TriggerServer
let collector: Collector
const scratch = handlerFiles().dir
const functionNames = ['shape', 'positions-latest', 'positions-timestamp', 'retry', 'partial', 'filter', 'parallel', 'reshard', 'consumer']
/** Per-function scripted replies; the default is success with an empty body. */
const responders = new Map<string, (records: KinesisEventRecord[]) => { status: number; body?: unknown }>()

before(async () => {
  collector = await new Collector().start()
  collector.respond = (call) => responders.get(call.functionName)?.(recordsIn(call)) ?? { status: 200 }
  const functions: Record<string, unknown> = Object.fromEntries(functionNames.map((name) => [name, { url: `${collector.url}/${name}`, timeoutSeconds: 60 }]))
  functions.failures = { file: join(scratch, 'failures.jsonl') }
  server = await startTriggerServer(functions)
})

after(async () => {
  await server.close()
  await collector.close()
})

const recordsIn = (call: CollectedCall): KinesisEventRecord[] => call.event.Records as unknown as KinesisEventRecord[]
const recordsOf = (functionName: string): KinesisEventRecord[] => collector.callsOf(functionName).flatMap(recordsIn)
const dataOf = (record: KinesisEventRecord): string => Buffer.from(record.kinesis.data, 'base64').toString('utf8')

async function createStream(name: string, shardCount: number): Promise<string> {
  await server.kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shardCount }))
  return (await server.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!.StreamARN!
}

async function put(stream: string, partitionKey: string, data: string): Promise<{ ShardId: string; SequenceNumber: string }> {
  const result = await server.kinesis.send(new PutRecordCommand({ StreamName: stream, PartitionKey: partitionKey, Data: Buffer.from(data) }))
  return { ShardId: result.ShardId!, SequenceNumber: result.SequenceNumber! }
}

async function map(functionName: string, arn: string, settings: Partial<CreateEventSourceMappingCommandInput> = {}) {
  return server.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: functionName, EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON', ...settings }))
}

function failureRecords(functionName: string): Array<Record<string, any>> {
  const path = join(scratch, 'failures.jsonl')
  if (!existsSync(path)) return []
  return readFileSync(path, 'utf8').split('\n').filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, any>)
    .filter((record) => (record.requestContext.functionArn as string).endsWith(`:${functionName}`))
}

// Lambda's Kinesis event (with-kinesis.md): one shard per batch, records in shard order, eventID "<shardId>:<sequenceNumber>".
test('records arrive in the Kinesis event shape, one shard per batch, at most BatchSize each', async () => {
  const streamArn = await createStream('esm-shape', 2)
  const written = await server.kinesis.send(new PutRecordsCommand({
    StreamName: 'esm-shape',
    Records: Array.from({ length: 8 }, (_, index) => ({ PartitionKey: `key-${index % 4}`, Data: Buffer.from(JSON.stringify({ index })) })),
  }))
  const mapping = await map('shape', streamArn, { BatchSize: 2 })
  assert.equal(mapping.StartingPosition, 'TRIM_HORIZON')
  assert.equal(mapping.EventSourceArn, streamArn)
  await eventually(() => recordsOf('shape').length === 8, 'all 8 records')
  for (const call of collector.callsOf('shape')) {
    const records = recordsIn(call)
    assert.ok(records.length <= 2)
    assert.equal(new Set(records.map((record) => record.eventID.split(':')[0])).size, 1, 'one shard per batch')
  }
  const bySequence = new Map(recordsOf('shape').map((record) => [record.kinesis.sequenceNumber, record]))
  written.Records!.forEach((entry, index) => {
    const record = bySequence.get(entry.SequenceNumber!)!
    assert.deepEqual({ ...record, kinesis: { ...record.kinesis, approximateArrivalTimestamp: 0 }, invokeIdentityArn: '' }, {
      kinesis: {
        kinesisSchemaVersion: '1.0', partitionKey: `key-${index % 4}`, sequenceNumber: entry.SequenceNumber,
        data: Buffer.from(JSON.stringify({ index })).toString('base64'), approximateArrivalTimestamp: 0,
      },
      eventSource: 'aws:kinesis', eventVersion: '1.0', eventID: `${entry.ShardId}:${entry.SequenceNumber}`, eventName: 'aws:kinesis:record',
      invokeIdentityArn: '', awsRegion: 'us-east-1', eventSourceARN: streamArn,
    })
    assert.equal(typeof record.kinesis.approximateArrivalTimestamp, 'number')
    assert.ok(Math.abs(record.kinesis.approximateArrivalTimestamp * 1000 - Date.now()) < 3_600_000, 'epoch seconds')
    assert.match(record.invokeIdentityArn, /^arn:aws:iam::\d{12}:role\//)
  })
  // Within a partition key, delivery follows the order of writing.
  for (let key = 0; key < 4; key += 1) {
    const indexes = recordsOf('shape').filter((record) => record.kinesis.partitionKey === `key-${key}`).map((record) => JSON.parse(dataOf(record)).index)
    assert.deepEqual(indexes, [key, key + 4])
  }
})

// StartingPosition: LATEST skips what was written before the mapping; AT_TIMESTAMP starts at the first record arriving at or after the time.
test('LATEST and AT_TIMESTAMP start where Kinesis iterators of those types would', async () => {
  const streamArn = await createStream('esm-positions', 1)
  await put('esm-positions', 'p', 'before')
  const markMs = Date.now() + 1
  await eventually(() => Date.now() > markMs, 'the clock to pass the mark')
  await put('esm-positions', 'p', 'at-or-after')
  const timestampMapping = await map('positions-timestamp', streamArn, { StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: new Date(markMs) })
  assert.equal(timestampMapping.StartingPositionTimestamp?.getTime(), markMs)
  await map('positions-latest', streamArn, { StartingPosition: 'LATEST' })
  await put('esm-positions', 'p', 'after-mappings')
  await eventually(() => recordsOf('positions-timestamp').length === 2 && recordsOf('positions-latest').length === 1, 'both mappings')
  assert.deepEqual(recordsOf('positions-timestamp').map(dataOf), ['at-or-after', 'after-mappings'])
  assert.deepEqual(recordsOf('positions-latest').map(dataOf), ['after-mappings'])
})

// A failing batch is retried and blocks its shard; after MaximumRetryAttempts it goes to OnFailure as KinesisBatchInfo, and the shard moves on.
test('retries block the shard, then the batch goes to the failure destination with KinesisBatchInfo', async () => {
  const streamArn = await createStream('esm-retry', 1)
  responders.set('retry', (records) => ({ status: records.some((record) => dataOf(record) === 'poison') ? 500 : 200 }))
  const poison = await put('esm-retry', 'p', 'poison')
  await map('retry', streamArn, {
    BatchSize: 1, MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:failures' } },
  })
  await put('esm-retry', 'p', 'healthy')
  await eventually(() => recordsOf('retry').some((record) => dataOf(record) === 'healthy'), 'the record after the poison one')
  // One first try and two retries, all before the next record of the shard.
  assert.deepEqual(recordsOf('retry').map(dataOf), ['poison', 'poison', 'poison', 'healthy'])
  await eventually(() => failureRecords('retry').length === 1, 'the failure record')
  const [failure] = failureRecords('retry')
  assert.equal(failure!.requestContext.condition, 'RetryAttemptsExhausted')
  assert.equal(failure!.requestContext.approximateInvokeCount, 3)
  assert.equal(failure!.DDBStreamBatchInfo, undefined)
  const info = failure!.KinesisBatchInfo
  assert.equal(info.shardId, poison.ShardId)
  assert.equal(info.startSequenceNumber, poison.SequenceNumber)
  assert.equal(info.endSequenceNumber, poison.SequenceNumber)
  assert.equal(info.batchSize, 1)
  assert.equal(info.streamArn, streamArn)
  assert.match(info.approximateArrivalOfFirstRecord, /^\d{4}-\d\d-\d\dT/)
})

// ReportBatchItemFailures names a Kinesis sequence number; with bisection the batch is split there and only the rest is retried.
test('ReportBatchItemFailures with bisection retries from the reported sequence number', async () => {
  const streamArn = await createStream('esm-partial', 1)
  const written = await server.kinesis.send(new PutRecordsCommand({
    StreamName: 'esm-partial', Records: ['a', 'b', 'c', 'd'].map((data) => ({ PartitionKey: 'p', Data: Buffer.from(data) })),
  }))
  const failingSequence = written.Records![2]!.SequenceNumber!
  let reported = false
  responders.set('partial', (records) => {
    if (reported || !records.some((record) => record.kinesis.sequenceNumber === failingSequence)) return { status: 200 }
    reported = true
    return { status: 200, body: { batchItemFailures: [{ itemIdentifier: failingSequence }] } }
  })
  await map('partial', streamArn, { BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'], BisectBatchOnFunctionError: true })
  await eventually(() => collector.callsOf('partial').length === 2, 'the retry')
  assert.deepEqual(collector.callsOf('partial').map((call) => recordsIn(call).map(dataOf)), [['a', 'b', 'c', 'd'], ['c', 'd']])
})

// Lambda filters Kinesis records on `data`, decoded as JSON; data that is not JSON matches no data
// pattern, not even one asking that a member not exist ("both the data field and your filter
// criteria for the data field must be in valid JSON format", Lambda's filtering guide).
test('filters match the data as JSON', async () => {
  const streamArn = await createStream('esm-filter', 1)
  for (const data of [JSON.stringify({ kind: 'keep', n: 1 }), JSON.stringify({ kind: 'drop' }), 'not json', JSON.stringify({ n: 2 })]) {
    await put('esm-filter', 'p', data)
  }
  const filters = [{ data: { kind: ['keep'] } }, { data: { kind: [{ exists: false }] } }]
  await map('filter', streamArn, { FilterCriteria: { Filters: filters.map((pattern) => ({ Pattern: JSON.stringify(pattern) })) } })
  await put('esm-filter', 'p', JSON.stringify({ kind: 'keep', n: 3 }))
  await eventually(() => recordsOf('filter').length === 3, 'the matching records')
  assert.deepEqual(recordsOf('filter').map((record) => JSON.parse(dataOf(record)).n), [1, 2, 3])
})

// ParallelizationFactor: several batches of one shard at once, each partition key still in order.
test('ParallelizationFactor keeps each partition key in order', async () => {
  const streamArn = await createStream('esm-parallel', 1)
  await server.kinesis.send(new PutRecordsCommand({
    StreamName: 'esm-parallel',
    Records: Array.from({ length: 40 }, (_, index) => ({ PartitionKey: `key-${index % 8}`, Data: Buffer.from(String(index)) })),
  }))
  await map('parallel', streamArn, { BatchSize: 3, ParallelizationFactor: 4 })
  await eventually(() => recordsOf('parallel').length === 40, 'all records')
  for (let key = 0; key < 8; key += 1) {
    const values = recordsOf('parallel').filter((record) => record.kinesis.partitionKey === `key-${key}`).map((record) => Number(dataOf(record)))
    assert.deepEqual(values, [0, 1, 2, 3, 4].map((round) => key + round * 8))
  }
})

// Resharding: a child shard is read only after its parent was read to its end (Lambda's per-key order across a split).
test('after a split, the children are read only once the parent is finished', async () => {
  const streamArn = await createStream('esm-reshard', 1)
  for (let index = 0; index < 5; index += 1) await put('esm-reshard', `key-${index}`, `parent-${index}`)
  const [parent] = (await server.kinesis.send(new ListShardsCommand({ StreamName: 'esm-reshard' }))).Shards!
  const middle = (BigInt(parent!.HashKeyRange!.EndingHashKey!) / 2n).toString()
  await server.kinesis.send(new SplitShardCommand({ StreamName: 'esm-reshard', ShardToSplit: parent!.ShardId!, NewStartingHashKey: middle }))
  for (let index = 0; index < 10; index += 1) await put('esm-reshard', `key-${index}`, `child-${index}`)
  // Parent and children all hold records when the mapping starts: the parent's must all come first.
  responders.set('reshard', () => ({ status: 200 }))
  await map('reshard', streamArn, { BatchSize: 2 })
  await eventually(() => recordsOf('reshard').length === 15, 'every record of the three shards')
  const delivered = recordsOf('reshard').map(dataOf)
  const lastParent = Math.max(...delivered.map((data, index) => (data.startsWith('parent-') ? index : -1)))
  assert.equal(lastParent, 4, `parent records first: ${delivered.join(' ')}`)
  assert.ok(recordsOf('reshard').slice(5).every((record) => !record.eventID.startsWith(`${parent!.ShardId}:`)))
})

// An enhanced fan-out consumer's ARN is an event source too; the records name their stream.
test('a mapping on a stream consumer ARN receives the stream records', async () => {
  const streamArn = await createStream('esm-consumer', 1)
  const { Consumer } = await server.kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: 'lambda' }))
  const mapping = await map('consumer', Consumer!.ConsumerARN!, { StartingPosition: 'LATEST' })
  assert.equal(mapping.EventSourceArn, Consumer!.ConsumerARN)
  await put('esm-consumer', 'p', 'through the consumer')
  await eventually(() => recordsOf('consumer').length === 1, 'the record')
  assert.equal(dataOf(recordsOf('consumer')[0]!), 'through the consumer')
  assert.equal(recordsOf('consumer')[0]!.eventSourceARN, streamArn)
})

test('bad Kinesis sources and starting positions are refused with InvalidParameterValueException', async () => {
  const streamArn = await createStream('esm-errors', 1)
  const missing = 'arn:aws:kinesis:us-east-1:000000000000:stream/no-such-stream'
  await assert.rejects(map('shape', missing), { name: 'InvalidParameterValueException', message: `Stream not found: ${missing}` })
  await assert.rejects(map('shape', `${streamArn}/consumer/nobody:1700000000`), { name: 'InvalidParameterValueException' })
  await assert.rejects(map('shape', streamArn, { StartingPosition: undefined }), { name: 'InvalidParameterValueException' })
  await assert.rejects(map('shape', streamArn, { StartingPosition: 'AT_TIMESTAMP' }), { name: 'InvalidParameterValueException' })
  // Lambda's words, as LocalStack's test recorded them against AWS.
  const nowSeconds = Math.floor(Date.now() / 1000)
  await assert.rejects(map('shape', streamArn, { StartingPosition: 'LATEST', StartingPositionTimestamp: new Date(nowSeconds * 1000) }),
    { name: 'InvalidParameterValueException', message: 'Timestamp only valid with StartingPosition AT_TIMESTAMP' })
  await assert.rejects(map('shape', streamArn, { StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: new Date(-nowSeconds * 1000) }),
    { name: 'InvalidParameterValueException', message: 'Received Exception while reading from provided stream. class java.lang.Long can not be converted to a Timestamp' })
})
