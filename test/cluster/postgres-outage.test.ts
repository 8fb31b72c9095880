/**
 * The PostgreSQL server goes away under a running node and comes back. While it is gone every
 * request fails with DynamoDB's InternalServerError (HTTP 500) and the node's background work
 * (leases, the catalog refresh, trigger mappings and their shard loops) fails and is retried,
 * without taking the node down and without spinning: once a reconciliation of trigger mappings
 * left its failure unhandled and Node ended the process, and a shard loop retried a failed
 * round at once, logging a thousand failures a second. Once the database is back the same node
 * serves again, with what was written before the outage, and its trigger delivers the writes
 * made since. Requests the outage fails, on every API, are logged in summary, not one stack
 * each, and each background loop logs a run of failures once, then that it works again. The node is a real `eddydb serve` process, so that a crash shows as its exit.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { CreateEventSourceMappingCommand, LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda'
import { testCredentials } from '../helpers/server.js'
import { cliMissingReason, killHard, startCli } from '../helpers/cli.js'
import { postgresSkipReason, startPostgres, type PostgresCluster } from '../helpers/postgres.js'
import { Collector, createStreamTable, eventually } from '../triggers/harness.js'

const skip = cliMissingReason ?? postgresSkipReason()
/** Requests sent while the database is gone; each must fail the same way. */
const requestsDuringOutage = 5
/**
 * Failed rounds of the one shard loop that the outage may log at most. Backing off (0.1 s
 * doubling to 5 s) it fails 6 times in its first 6 s and once per 5 s after that, and the test's
 * 120 s timeout bounds the outage: 6 + 24 at the very most. A loop that does not back off fails
 * thousands of times a second; a slower machine only makes fewer rounds.
 */
const failedRoundsMax = 30
let cluster: PostgresCluster | undefined
const collector = new Collector()
const scratch = mkdtempSync(join(tmpdir(), 'eddydb-outage-'))

before(async () => {
  if (skip) return
  cluster = await startPostgres()
  await collector.start()
})
after(async () => {
  await collector.close()
  await cluster?.stop()
  rmSync(scratch, { recursive: true, force: true })
})

/** The node's JSON log lines with this message. */
const logEntries = (log: string, message: string): Array<Record<string, unknown>> =>
  log.split('\n').filter((line) => line.includes(`"message":"${message}"`)).map((line) => JSON.parse(line) as Record<string, unknown>)
const logLines = (log: string, message: string) => logEntries(log, message).length

/** What each background loop logs on the first failure of a run and when it works again. */
const backgroundLoopMessages = [
  ['catalog refresh failed', 'catalog refresh works again'],
  ['ttl sweep failed', 'ttl sweeps work again'],
  ['taking up jobs failed', 'taking up jobs works again'],
  ['kinesis destination round failed', 'kinesis destination rounds work again'],
  ['lease step failed', 'lease steps work again'],
  ['trigger mappings could not be loaded', 'trigger mappings load again'],
] as const

/**
 * Fails when a loop (a message and its fields: region, lease, jobs) logged `failed` twice with no
 * `recovered` between: an outage fails these loops every second, and each run is one line.
 */
function assertLoggedOncePerRun(log: string, failed: string, recovered: string): void {
  const failing = new Set<string>()
  for (const entry of log.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>)) {
    if (entry.message !== failed && entry.message !== recovered) continue
    const { time, level, message, error, stack, failures, ...loop } = entry
    const key = JSON.stringify(loop)
    if (message === recovered) {
      failing.delete(key)
      continue
    }
    assert.ok(!failing.has(key), `"${failed}" was logged twice in one run of failures (${key})`)
    failing.add(key)
  }
}
const delivered = () => collector.recordsOf('record').map((record) => record.dynamodb.Keys.pk!.S)

test('postgres: a node outlives an outage of the database, failing requests with InternalServerError meanwhile', { skip, timeout: 120_000 }, async () => {
  const storageUrl = await cluster!.createDatabase('outage')
  const configPath = join(scratch, 'config.json')
  writeFileSync(configPath, JSON.stringify({ functions: { record: { url: `${collector.url}/record` } } }))
  const node = await startCli(['--port', '0', '--storage-url', storageUrl, '--config', configPath])
  let exitCode: number | null | undefined
  node.process.once('exit', (code) => { exitCode = code })
  const clientOptions = { endpoint: node.url, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 }
  const client = new DynamoDBClient(clientOptions)
  const lambda = new LambdaClient(clientOptions)
  const table = 'outage'
  const put = (id: string) => client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: id } } }))
  try {
    const streamArn = await createStreamTable(client, table)
    await lambda.send(new CreateEventSourceMappingCommand({ EventSourceArn: streamArn, FunctionName: 'record', StartingPosition: 'TRIM_HORIZON', BatchSize: 1 }))
    await put('before')
    await eventually(() => delivered().includes('before'), 'the trigger delivering the first write')

    await cluster!.halt()
    for (let index = 0; index < requestsDuringOutage; index++) {
      await assert.rejects(put(`during-${index}`), (error: { name: string; $metadata?: { httpStatusCode?: number } }) =>
        error.name === 'InternalServerError' && error.$metadata?.httpStatusCode === 500)
    }
    // Lambda's API on the node fails as Lambda's does.
    await assert.rejects(lambda.send(new ListEventSourceMappingsCommand({})), (error: { name: string; $metadata?: { httpStatusCode?: number } }) =>
      error.name === 'ServiceException' && error.$metadata?.httpStatusCode === 500)
    // The background loops have each met the outage at least once (their failures are logged).
    await eventually(() => node.stderr().includes('trigger mappings could not be loaded'), 'failed trigger-mapping reconciliation')
    await eventually(() => node.stderr().includes('trigger mapping round failed'), 'failed round of the shard loop')
    await eventually(() => node.stderr().includes('lease step failed'), 'failed lease step')
    await eventually(() => node.stderr().includes('catalog refresh failed'), 'failed catalog refresh')
    assert.equal(exitCode, undefined, `the node exited during the outage: ${node.stderr().slice(-2000)}`)
    const failedRounds = logLines(node.stderr(), 'trigger mapping round failed')
    assert.ok(failedRounds <= failedRoundsMax, `the shard loop failed ${failedRounds} rounds: it does not back off`)

    await cluster!.resume()
    await eventually(() => put('after').then(() => true, () => false), 'a write accepted once the database is back')
    for (const id of ['before', 'after']) {
      const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: id } }, ConsistentRead: true }))
      assert.equal(Item?.pk?.S, id)
    }
    for (let index = 0; index < requestsDuringOutage; index++) {
      const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: `during-${index}` } }, ConsistentRead: true }))
      assert.equal(Item, undefined, 'a write that failed during the outage landed')
    }
    await eventually(() => delivered().includes('after'), 'the trigger delivering a write made after the outage')
    // Each lease logged its outage once (not every second), and that its steps work again.
    await eventually(() => node.stderr().includes('lease steps work again'), 'leases working again')
    const failedLeases = logEntries(node.stderr(), 'lease step failed').map((entry) => entry.lease)
    assert.deepEqual(failedLeases, [...new Set(failedLeases)], 'a lease logged its failing steps more than once')
    await eventually(() => node.stderr().includes('trigger mappings load again'), 'trigger mappings loading again')
    assert.equal(logLines(node.stderr(), 'trigger mappings could not be loaded'), 1)
    // The other background loops too: a run of failures once, then that they work again.
    await eventually(() => node.stderr().includes('catalog refresh works again'), 'the catalog refresh working again')
    for (const [failed, recovered] of backgroundLoopMessages) assertLoggedOncePerRun(node.stderr(), failed, recovered)
    assert.deepEqual(delivered().filter((id) => id !== 'before' && id !== 'after'), [])
    assert.equal(exitCode, undefined)
    // Requests failed by the outage are logged in summary ('storage unavailable'), not each with a stack.
    assert.equal(logLines(node.stderr(), 'unexpected error'), 0, node.stderr())
  } finally {
    client.destroy()
    lambda.destroy()
    await killHard(node.process)
  }
})
