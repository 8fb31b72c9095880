/**
 * Checkpoints survive kill -9: a mapping's cursor is saved in a storage transaction after each
 * batch is delivered, so after a hard kill and a restart the mapping resumes after the last
 * delivered batch: nothing delivered before the last checkpoint comes again, nothing is skipped.
 * Spawns the real CLI (`eddydb serve --data-dir D --config C`); EDDYDB_CLI may name another build.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis'
import { CreateEventSourceMappingCommand, LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { cliPath, killHard } from '../helpers/cli.js'
import { Collector, createStreamTable, credentials, eventually, handlerFiles } from './harness.js'

const scratch = handlerFiles().dir
const configPath = join(scratch, 'config.json')
const dataDir = join(scratch, 'data')
let collector: Collector

/** Starts the CLI and resolves with its URL once it logs "listening". */
function startCli(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [process.env.EDDYDB_CLI ?? cliPath, 'serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--config', configPath], { stdio: ['ignore', 'ignore', 'pipe'] })
  return new Promise((resolve, reject) => {
    let buffered = ''
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`not listening: ${buffered}`)) }, 60_000)
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk
      const url = /"message":"listening".*?"url":"([^"]+)"/.exec(buffered)?.[1]
      if (url) { clearTimeout(timer); resolve({ child, url }) }
    })
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exited with ${code}: ${buffered}`)) })
  })
}

function clients(url: string): { dynamo: DynamoDBClient; lambda: LambdaClient } {
  return {
    dynamo: new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 }),
    lambda: new LambdaClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 }),
  }
}

/**
 * Scripts the collector so that the third batch is in flight when the server is killed: SIGKILL
 * goes out before the reply (a function error anyway), so that batch is never checkpointed.
 * Resolves once the kill was sent.
 */
function killDuringThirdCall(server: ChildProcess): Promise<void> {
  let calls = 0
  return new Promise<void>((killed) => {
    collector.respond = () => {
      calls += 1
      if (calls < 3) return { status: 200 }
      server.kill('SIGKILL')
      killed()
      return { status: 500 }
    }
  })
}

before(async () => {
  collector = await new Collector().start()
  writeFileSync(configPath, JSON.stringify({ logLevel: 'info', functions: {
    resume: { url: `${collector.url}/resume`, timeoutSeconds: 60 },
    'resume-kinesis': { url: `${collector.url}/resume-kinesis`, timeoutSeconds: 60 },
  } }))
})

after(() => collector.close())

test('after kill -9 a mapping resumes after its last checkpoint and skips nothing', async (t) => {
  let first = await startCli()
  let api = clients(first.url)
  try {
    await api.lambda.send(new ListEventSourceMappingsCommand({}))
  } catch {
    // The lead registers the trigger route in src/server.ts; until then the CLI cannot serve it.
    t.skip('the CLI does not serve the event-source-mapping API (src/server.ts does not register triggers)')
    await killHard(first.child)
    return
  }
  const streamArn = await createStreamTable(api.dynamo, 'resume')
  for (let i = 1; i <= 10; i++) await api.dynamo.send(new PutItemCommand({ TableName: 'resume', Item: { pk: { S: `k${i}` } } }))
  const killed = killDuringThirdCall(first.child)
  await api.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'resume', EventSourceArn: streamArn, StartingPosition: 'TRIM_HORIZON', BatchSize: 2 }))
  await killed
  await killHard(first.child)
  api.dynamo.destroy()
  api.lambda.destroy()
  const batchesBeforeKill = collector.callsOf('resume').map((call) => call.event.Records.map((record) => record.dynamodb.Keys.pk!.S))
  assert.deepEqual(batchesBeforeKill.slice(0, 3), [['k1', 'k2'], ['k3', 'k4'], ['k5', 'k6']])

  collector.calls.length = 0
  collector.respond = () => ({ status: 200 })
  first = await startCli()
  api = clients(first.url)
  try {
    await eventually(() => collector.recordsOf('resume').length >= 6, 'the rest of the records')
    // The checkpoint was after k4 (the second batch); k5 and k6 were in flight, so they come again.
    assert.deepEqual(collector.callsOf('resume').map((call) => call.event.Records.map((record) => record.dynamodb.Keys.pk!.S)),
      [['k5', 'k6'], ['k7', 'k8'], ['k9', 'k10']])
  } finally {
    api.dynamo.destroy()
    api.lambda.destroy()
    await killHard(first.child)
  }
})

// The same for a Kinesis source: its per-shard checkpoint is saved after each delivered batch.
test('after kill -9 a Kinesis mapping resumes after its shard checkpoint and skips nothing', async () => {
  let first = await startCli()
  const kinesisOf = (url: string) => new KinesisClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1, requestHandler: new NodeHttpHandler() })
  let kinesis = kinesisOf(first.url)
  let lambda = clients(first.url).lambda
  await kinesis.send(new CreateStreamCommand({ StreamName: 'resume-kinesis', ShardCount: 1 }))
  const streamArn = (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'resume-kinesis' }))).StreamDescriptionSummary!.StreamARN!
  await kinesis.send(new PutRecordsCommand({
    StreamName: 'resume-kinesis', Records: Array.from({ length: 10 }, (_, index) => ({ PartitionKey: 'p', Data: Buffer.from(`r${index + 1}`) })),
  }))
  const dataOf = (record: unknown) => Buffer.from((record as { kinesis: { data: string } }).kinesis.data, 'base64').toString()
  const batches = () => collector.callsOf('resume-kinesis').map((call) => call.event.Records.map(dataOf))
  const killed = killDuringThirdCall(first.child)
  await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'resume-kinesis', EventSourceArn: streamArn, StartingPosition: 'TRIM_HORIZON', BatchSize: 2 }))
  await killed
  await killHard(first.child)
  kinesis.destroy()
  lambda.destroy()
  assert.deepEqual(batches().slice(0, 3), [['r1', 'r2'], ['r3', 'r4'], ['r5', 'r6']])

  collector.calls.length = 0
  collector.respond = () => ({ status: 200 })
  first = await startCli()
  kinesis = kinesisOf(first.url)
  lambda = clients(first.url).lambda
  try {
    await eventually(() => collector.callsOf('resume-kinesis').flatMap((call) => call.event.Records).length >= 6, 'the rest of the records')
    assert.deepEqual(batches(), [['r5', 'r6'], ['r7', 'r8'], ['r9', 'r10']])
  } finally {
    kinesis.destroy()
    lambda.destroy()
    await killHard(first.child)
  }
})
