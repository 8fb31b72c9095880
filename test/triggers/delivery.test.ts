/**
 * Lambda's delivery rules for stream triggers (spec §3.3), through webhook functions whose replies
 * each test scripts: starting positions, batch sizes, retries that block the shard, retry limits
 * with OnFailure records, bisection, ReportBatchItemFailures, filters, several mappings on one
 * stream, and per-item order under ParallelizationFactor. (The write-to-handler latency is a
 * figure of bench/trigger-latency.js: a time is no pass/fail check on a shared machine.)
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { PutItemCommand } from '@aws-sdk/client-dynamodb'
import {
  CreateEventSourceMappingCommand, GetEventSourceMappingCommand, ListEventSourceMappingsCommand, type CreateEventSourceMappingCommandInput,
} from '@aws-sdk/client-lambda'
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { Collector, createStreamTable, credentials, eventually, handlerFiles, startTriggerServer, type CollectedCall, type TriggerServer } from './harness.js'
import { readAll } from '../streams/helpers.js'

let server: TriggerServer
let collector: Collector
const scratch = handlerFiles().dir
const functionNames = ['multi-a', 'multi-b', 'trim', 'latest', 'batches', 'retry', 'exhaust', 'bisect', 'partial', 'filter', 'parallel']
/** No healthy run approaches it: a call that timed out would be retried and counted twice. */
const callTimeoutSeconds = 60
/** Per-function scripted replies; the default is success with an empty body. */
const responders = new Map<string, (call: CollectedCall) => { status: number; body?: unknown }>()

before(async () => {
  collector = await new Collector().start()
  collector.respond = (call) => responders.get(call.functionName)?.(call) ?? { status: 200 }
  const functions: Record<string, unknown> = Object.fromEntries(functionNames.map((name) => [name, { url: `${collector.url}/${name}`, timeoutSeconds: callTimeoutSeconds }]))
  functions.failures = { file: join(scratch, 'failures.jsonl') }
  server = await startTriggerServer(functions)
})

after(async () => {
  await server.close()
  await collector.close()
})

async function put(table: string, pk: string, extra: Record<string, { S: string }> = {}): Promise<void> {
  await server.dynamo.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, ...extra } }))
}

async function map(table: string, functionName: string, settings: Partial<CreateEventSourceMappingCommandInput> = {}): Promise<string> {
  const streamArn = await createStreamTable(server.dynamo, table)
  await server.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: functionName, EventSourceArn: streamArn, StartingPosition: 'LATEST', ...settings }))
  return streamArn
}

const keysOf = (call: CollectedCall): string[] => call.event.Records.map((record) => record.dynamodb.Keys.pk!.S!)

interface FailureRecord {
  requestContext: { condition: string; approximateInvokeCount: number; functionArn: string }
  DDBStreamBatchInfo: { batchSize: number; startSequenceNumber: string; endSequenceNumber: string; streamArn: string; shardId: string }
}

function failureRecords(functionName: string): FailureRecord[] {
  const path = join(scratch, 'failures.jsonl')
  if (!existsSync(path)) return []
  return readFileSync(path, 'utf8').split('\n').filter((line) => line !== '')
    .map((line) => JSON.parse(line) as FailureRecord)
    .filter((record) => record.requestContext.functionArn.endsWith(`:${functionName}`))
}

// Lambda: "Several mappings on one stream each get every record" (localstack#7918 was this bug).
test('several mappings on one stream each get every record', async () => {
  const streamArn = await createStreamTable(server.dynamo, 'delivery-multi')
  for (const name of ['multi-a', 'multi-b']) {
    await server.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: streamArn, StartingPosition: 'LATEST' }))
  }
  for (const pk of ['1', '2', '3']) await put('delivery-multi', pk)
  await eventually(() => collector.recordsOf('multi-a').length === 3 && collector.recordsOf('multi-b').length === 3, 'both mappings')
})

// TRIM_HORIZON starts at the oldest record of the stream; LATEST only after the mapping exists.
test('TRIM_HORIZON delivers earlier records, LATEST does not; BatchSize caps each batch', async () => {
  const streamArn = await createStreamTable(server.dynamo, 'delivery-positions')
  for (const pk of ['1', '2', '3', '4', '5']) await put('delivery-positions', pk)
  await server.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'trim', EventSourceArn: streamArn, StartingPosition: 'TRIM_HORIZON', BatchSize: 2 }))
  await server.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'latest', EventSourceArn: streamArn, StartingPosition: 'LATEST' }))
  await put('delivery-positions', '6')
  await eventually(() => collector.recordsOf('trim').length === 6 && collector.recordsOf('latest').length === 1, 'all records')
  // Every record once, in order, in batches of at most two. Where the batches split is the runner's
  // timing (record 6 is written while it delivers; on PostgreSQL a reader also waits for earlier
  // transactions to end), so only the cap and the order are asserted, plus one full batch.
  const batches = collector.callsOf('trim').map(keysOf)
  assert.deepEqual(batches.flat(), ['1', '2', '3', '4', '5', '6'])
  assert.ok(batches.every((batch) => batch.length >= 1 && batch.length <= 2), JSON.stringify(batches))
  assert.ok(batches.some((batch) => batch.length === 2), JSON.stringify(batches))
  assert.deepEqual(collector.callsOf('latest').map(keysOf), [['6']])
})

// On a function error Lambda retries the same batch, blocking the records behind it.
test('a failing batch is retried until it succeeds, and later records wait for it', async () => {
  let failuresLeft = 2
  responders.set('retry', () => (failuresLeft-- > 0 ? { status: 500 } : { status: 200 }))
  const streamArn = await map('delivery-retry', 'retry')
  await put('delivery-retry', 'a')
  await eventually(() => collector.callsOf('retry').length === 3, 'three attempts')
  // LastProcessingResult is the last invocation's: the batch went through on its third attempt.
  const { EventSourceMappings: [mapping] = [] } = await server.lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: streamArn }))
  await eventually(async () => (await server.lambda.send(new GetEventSourceMappingCommand({ UUID: mapping!.UUID }))).LastProcessingResult === 'OK',
    'LastProcessingResult OK after the retry went through')
  await put('delivery-retry', 'b')
  await eventually(() => collector.callsOf('retry').length === 4, 'the next record')
  assert.deepEqual(collector.callsOf('retry').map(keysOf), [['a'], ['a'], ['a'], ['b']])
})

// With MaximumRetryAttempts, the batch is discarded after that many retries and an invocation
// record (not the records) goes to the OnFailure destination; the mapping then moves on.
test('MaximumRetryAttempts discards to OnFailure and moves on', async () => {
  responders.set('exhaust', (call) => (keysOf(call).includes('bad') ? { status: 500 } : { status: 200 }))
  const streamArn = await map('delivery-exhaust', 'exhaust', {
    MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:failures' } },
  })
  await put('delivery-exhaust', 'bad')
  await eventually(() => failureRecords('exhaust').length === 1, 'a failure record')
  await put('delivery-exhaust', 'good')
  await eventually(() => collector.recordsOf('exhaust').some((record) => record.dynamodb.Keys.pk!.S === 'good'), 'the next record')
  assert.equal(collector.callsOf('exhaust').filter((call) => keysOf(call).includes('bad')).length, 3)
  const [failure] = failureRecords('exhaust')
  assert.equal(failure!.requestContext.condition, 'RetryAttemptsExhausted')
  assert.equal(failure!.requestContext.approximateInvokeCount, 3)
  assert.equal(failure!.DDBStreamBatchInfo.batchSize, 1)
  assert.equal(failure!.DDBStreamBatchInfo.streamArn, streamArn)
  assert.match(failure!.DDBStreamBatchInfo.shardId, /^shardId-[0-9]{20}-[0-9a-f]{8}$/)
})

// BisectBatchOnFunctionError splits a failing batch in halves (splits are not retries) until the
// bad record is alone; only it is discarded.
test('bisection isolates the bad record', async () => {
  responders.set('bisect', (call) => (keysOf(call).includes('p') ? { status: 500 } : { status: 200 }))
  const streamArn = await createStreamTable(server.dynamo, 'delivery-bisect')
  for (const pk of ['a', 'b', 'p', 'c']) await put('delivery-bisect', pk)
  // On shared storage a reader sees a change once every older transaction has ended (the log's
  // watermark): wait until all four are readable, so the first batch holds all four.
  const streams = new DynamoDBStreamsClient({ endpoint: server.url, region: 'us-east-1', credentials })
  await eventually(async () => (await readAll(streams, streamArn)).length === 4, 'four readable records')
  streams.destroy()
  await server.lambda.send(new CreateEventSourceMappingCommand({
    FunctionName: 'bisect', EventSourceArn: streamArn, StartingPosition: 'TRIM_HORIZON', BatchSize: 4, MaximumRetryAttempts: 0,
    BisectBatchOnFunctionError: true, DestinationConfig: { OnFailure: { Destination: 'arn:aws:sns:us-east-1:000000000000:failures' } },
  }))
  await eventually(() => collector.callsOf('bisect').length === 5, 'five calls')
  assert.deepEqual(collector.callsOf('bisect').map(keysOf), [['a', 'b', 'p', 'c'], ['a', 'b'], ['p', 'c'], ['p'], ['c']])
  await eventually(() => failureRecords('bisect').length === 1, 'a failure record')
  const bad = collector.callsOf('bisect')[3]!.event.Records[0]!.dynamodb.SequenceNumber
  assert.equal(failureRecords('bisect')[0]!.DDBStreamBatchInfo.startSequenceNumber, bad)
})

// ReportBatchItemFailures: Lambda checkpoints before the lowest reported failure and retries from there.
// Where the first batch ends is the runner's choice (on PostgreSQL a record waits for every earlier
// transaction of the database), so the failures are named by key: the first batch holding c
// reports d (when it holds it) and c, highest first, and the next batch must start again at c.
test('ReportBatchItemFailures retries from the lowest failed record', async () => {
  let failed = false
  responders.set('partial', (call) => {
    const records = call.event.Records
    if (failed || !keysOf(call).includes('c')) return { status: 200, body: { batchItemFailures: [] } }
    failed = true
    const failures = records.filter((record) => ['c', 'd'].includes(record.dynamodb.Keys.pk!.S!)).reverse()
    return { status: 200, body: { batchItemFailures: failures.map((record) => ({ itemIdentifier: record.dynamodb.SequenceNumber })) } }
  })
  const streamArn = await createStreamTable(server.dynamo, 'delivery-partial')
  for (const pk of ['a', 'b', 'c', 'd']) await put('delivery-partial', pk)
  await server.lambda.send(new CreateEventSourceMappingCommand({
    FunctionName: 'partial', EventSourceArn: streamArn, StartingPosition: 'TRIM_HORIZON', BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'],
  }))
  const failingCall = (): number => collector.callsOf('partial').findIndex((call) => keysOf(call).includes('c'))
  const afterFailure = (): string[][] => collector.callsOf('partial').slice(failingCall() + 1).map(keysOf)
  await eventually(() => failingCall() >= 0 && afterFailure().flat().includes('d'), 'c retried and d delivered after the partial failure')
  const calls = collector.callsOf('partial').map(keysOf)
  assert.deepEqual(calls.slice(0, failingCall() + 1).flat(), ['a', 'b', 'c', 'd'].slice(0, calls.slice(0, failingCall() + 1).flat().length), 'in order, nothing twice before the failure')
  assert.equal(afterFailure()[0]![0], 'c', 'the retry starts at the lowest failed record')
  assert.deepEqual([...new Set(afterFailure().flat())], ['c', 'd'], 'a and b were checkpointed and not sent again')
})

// Filters use Lambda's event filtering syntax on the record, with typed DynamoDB values.
test('filters deliver only matching records', async () => {
  await map('delivery-filter', 'filter', {
    FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { tier: { S: ['vip'] } } } }) }] },
  })
  await put('delivery-filter', 'a', { tier: { S: 'basic' } })
  await put('delivery-filter', 'b', { tier: { S: 'vip' } })
  await put('delivery-filter', 'b', { tier: { S: 'vip' }, note: { S: 'modified' } })
  await put('delivery-filter', 'c', { tier: { S: 'vip' } })
  await eventually(() => collector.recordsOf('filter').length === 2, 'two records')
  assert.deepEqual(collector.recordsOf('filter').map((record) => record.dynamodb.Keys.pk!.S), ['b', 'c'])
})

// ParallelizationFactor runs batches concurrently, but each item's changes still arrive in order.
test('ParallelizationFactor keeps per-item order', async () => {
  responders.set('parallel', () => ({ status: 200 }))
  await map('delivery-parallel', 'parallel', { ParallelizationFactor: 4, BatchSize: 3 })
  const expected = new Map<string, number>()
  for (let round = 0; round < 5; round++) {
    for (const pk of ['k1', 'k2', 'k3', 'k4', 'k5', 'k6']) {
      await put('delivery-parallel', pk, { round: { S: String(round) } })
      expected.set(pk, (expected.get(pk) ?? 0) + 1)
    }
  }
  await eventually(() => collector.recordsOf('parallel').length === 30, 'thirty records')
  const rounds = new Map<string, number[]>()
  for (const record of collector.recordsOf('parallel')) {
    const pk = record.dynamodb.Keys.pk!.S!
    rounds.set(pk, [...(rounds.get(pk) ?? []), Number(record.dynamodb.NewImage!.round!.S)])
  }
  for (const [, seen] of rounds) assert.deepEqual(seen, [0, 1, 2, 3, 4])
})
