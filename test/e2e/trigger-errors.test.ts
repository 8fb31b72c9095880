/**
 * Triggers say why they fail. Through the real CLI: a handler that throws, and a command that
 * exits non-zero, are each logged at warn with the mapping's UUID, the batch's sequence range
 * and the error (the handler's message and stack, the command's exit code and stderr), and kept
 * as the mapping's last error: GetEventSourceMapping's LastProcessingResult quotes it after
 * AWS's "PROBLEM: Function call failed", and `eddydb status` shows it. A function whose module
 * file has gone is refused at CreateEventSourceMapping.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { CreateEventSourceMappingCommand, GetEventSourceMappingCommand, LambdaClient } from '@aws-sdk/client-lambda'
import { cliMissingReason, killHard, runCli, startCli, type CliServer } from '../helpers/cli.js'
import { createStreamTable, eventually } from '../triggers/harness.js'

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' }
const directory = mkdtempSync(join(tmpdir(), 'eddydb-trigger-errors-'))
let server: CliServer
let dynamo: DynamoDBClient
let lambda: LambdaClient

before(async () => {
  if (cliMissingReason) return
  writeFileSync(join(directory, 'welcome.mjs'), `export const handler = async () => { throw new Error('welcome template missing') }\n`)
  writeFileSync(join(directory, 'gone.mjs'), `export const handler = async () => null\n`)
  writeFileSync(join(directory, 'eddydb.json'), JSON.stringify({
    inMemory: true,
    functions: {
      welcome: { module: './welcome.mjs' },
      report: { command: [process.execPath, '-e', "process.stderr.write('disk full'); process.exit(4)"] },
      gone: { module: './gone.mjs' },
    },
  }))
  server = await startCli(['--port', '0', '--config', join(directory, 'eddydb.json')])
  dynamo = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 })
  lambda = new LambdaClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 })
})

after(async () => {
  dynamo?.destroy()
  lambda?.destroy()
  if (server) await killHard(server.process)
  rmSync(directory, { recursive: true, force: true })
})

/** The warn lines the server logged for this mapping's failures. */
function failureLines(uuid: string): Record<string, any>[] {
  return server.stderr().split('\n').filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, any>)
    .filter((entry) => entry.message === 'trigger function failed' && entry.uuid === uuid)
}

test('a handler that throws: logged with UUID, batch and stack, and kept as the last error', { skip: cliMissingReason, timeout: 30_000 }, async () => {
  const streamArn = await createStreamTable(dynamo, 'users')
  const mapping = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'welcome', EventSourceArn: streamArn, StartingPosition: 'TRIM_HORIZON' }))
  await dynamo.send(new PutItemCommand({ TableName: 'users', Item: { pk: { S: 'u1' } } }))
  let described: { LastProcessingResult?: string } = {}
  await eventually(async () => {
    described = await lambda.send(new GetEventSourceMappingCommand({ UUID: mapping.UUID }))
    return described.LastProcessingResult !== 'No records processed'
  }, 'a processing result')
  assert.equal(described.LastProcessingResult, 'PROBLEM: Function call failed: Error: welcome template missing')
  await eventually(() => failureLines(mapping.UUID!).length > 0, 'a warn line')
  const [line] = failureLines(mapping.UUID!)
  assert.equal(line!.level, 'warn')
  assert.equal(line!.function, 'welcome')
  assert.equal(line!.table, 'users')
  assert.equal(line!.region, 'us-east-1')
  assert.equal(line!.errorMessage, 'welcome template missing')
  assert.equal(line!.batch.records, 1)
  assert.ok(line!.batch.firstSequence <= line!.batch.lastSequence)
  assert.match(line!.stack, /welcome\.mjs/)

  // The status route shows the same last error, through `eddydb status`.
  const status = await runCli(['status', '--json', '--endpoint', server.url])
  assert.equal(status.code, 0, status.stderr)
  const shown = JSON.parse(status.stdout).regions[0].mappings.find((each: { uuid: string }) => each.uuid === mapping.UUID)
  assert.ok(shown.failures >= 1)
  assert.equal(shown.lastFailure.errorMessage, 'welcome template missing')

  // The batch is retried forever (Lambda's default); the failures keep counting, but the log
  // says so once per 30 seconds, not once per retry.
  await eventually(async () => {
    const again = await runCli(['status', '--json', '--endpoint', server.url])
    return JSON.parse(again.stdout).regions[0].mappings.find((each: { uuid: string }) => each.uuid === mapping.UUID).failures >= 3
  }, 'three failures')
  assert.equal(failureLines(mapping.UUID!).length, 1)
})

test('a command that exits non-zero: its exit code and stderr are the error', { skip: cliMissingReason, timeout: 30_000 }, async () => {
  const streamArn = await createStreamTable(dynamo, 'reports')
  const mapping = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'report', EventSourceArn: streamArn, StartingPosition: 'TRIM_HORIZON' }))
  await dynamo.send(new PutItemCommand({ TableName: 'reports', Item: { pk: { S: 'r1' } } }))
  await eventually(() => failureLines(mapping.UUID!).length > 0, 'a warn line')
  assert.equal(failureLines(mapping.UUID!)[0]!.errorType, 'Runtime.ExitError')
  assert.match(failureLines(mapping.UUID!)[0]!.errorMessage, /exited with 4: disk full$/)
  // The warn line is written before the result is stored: wait for the result as the test above does.
  let described: { LastProcessingResult?: string } = {}
  await eventually(async () => {
    described = await lambda.send(new GetEventSourceMappingCommand({ UUID: mapping.UUID }))
    return described.LastProcessingResult !== 'No records processed'
  }, 'a processing result')
  assert.match(described.LastProcessingResult!, /^PROBLEM: Function call failed: Runtime\.ExitError: .* exited with 4: disk full$/)
})

test('a function whose module file has gone is refused at CreateEventSourceMapping', { skip: cliMissingReason }, async () => {
  const streamArn = await createStreamTable(dynamo, 'audits')
  unlinkSync(join(directory, 'gone.mjs'))
  await assert.rejects(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'gone', EventSourceArn: streamArn, StartingPosition: 'LATEST' })),
    (error: Error) => error.name === 'ResourceNotFoundException' &&
      error.message === `Function not found: arn:aws:lambda:us-east-1:000000000000:function:gone (module ${join(directory, 'gone.mjs')} does not exist)`)
})
