/**
 * Stream triggers end to end, once per local target kind: a JS module run in a worker thread, an
 * HTTP webhook and a command. Each gets Lambda's DynamoDB event ({"Records":[...]} with
 * eventSourceARN and the table's stream view), and a crash or hang is a function error that is
 * retried, never a stalled server.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb'
import { CreateEventSourceMappingCommand } from '@aws-sdk/client-lambda'
import { Collector, createStreamTable, eventually, handlerFiles, startTriggerServer, type TriggerServer } from './harness.js'

let server: TriggerServer
let collector: Collector
const files = handlerFiles()
const callTimeoutSeconds = 60

before(async () => {
  collector = await new Collector().start()
  const environment = { COLLECTOR_URL: collector.url }
  server = await startTriggerServer({
    // Timeouts no healthy run approaches, even on a loaded machine: a timed-out call is retried,
    // and its records would arrive twice.
    'module-fn': { module: files.module, handler: 'handler', timeoutSeconds: callTimeoutSeconds, environment },
    'webhook-fn': { url: `${collector.url}/webhook-fn`, timeoutSeconds: callTimeoutSeconds },
    'command-fn': { command: [process.execPath, files.command], timeoutSeconds: callTimeoutSeconds, environment },
    'crash-fn': { module: files.crash, timeoutSeconds: callTimeoutSeconds },
    'hang-fn': { module: files.hang, timeoutSeconds: 0.2 },
    'hang-failures': { file: join(files.dir, 'hang-failures.jsonl') },
  })
})

after(async () => {
  await server.close()
  await collector.close()
})

async function mapTable(table: string, functionName: string, extra: object = {}): Promise<string> {
  const streamArn = await createStreamTable(server.dynamo, table)
  await server.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: functionName, EventSourceArn: streamArn, StartingPosition: 'LATEST', ...extra }))
  return streamArn
}

for (const functionName of ['module-fn', 'webhook-fn', 'command-fn']) {
  // Lambda's event for a DynamoDB source: one record per change, in order, each with the stream
  // record fields plus eventSourceARN; INSERT has NewImage only, REMOVE OldImage only.
  test(`${functionName}: receives INSERT, MODIFY and REMOVE records in order`, async () => {
    const table = `targets-${functionName}`
    const streamArn = await mapTable(table, functionName)
    await server.dynamo.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'a' }, name: { S: 'Ada' } } }))
    await server.dynamo.send(new UpdateItemCommand({ TableName: table, Key: { pk: { S: 'a' } }, UpdateExpression: 'SET age = :n', ExpressionAttributeValues: { ':n': { N: '36' } } }))
    await server.dynamo.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'a' } } }))
    await eventually(() => collector.recordsOf(functionName).length >= 3, 'three records')
    const records = collector.recordsOf(functionName)
    assert.deepEqual(records.map((record) => record.eventName), ['INSERT', 'MODIFY', 'REMOVE'])
    const [insert, modify, remove] = records
    assert.equal(insert!.eventSourceARN, streamArn)
    assert.equal(insert!.eventSource, 'aws:dynamodb')
    assert.equal(insert!.eventVersion, '1.1')
    assert.equal(insert!.awsRegion, 'us-east-1')
    assert.match(insert!.eventID, /^[0-9a-f]{32}$/)
    assert.deepEqual(insert!.dynamodb.Keys, { pk: { S: 'a' } })
    assert.deepEqual(insert!.dynamodb.NewImage, { pk: { S: 'a' }, name: { S: 'Ada' } })
    assert.equal(insert!.dynamodb.OldImage, undefined)
    assert.equal(insert!.dynamodb.StreamViewType, 'NEW_AND_OLD_IMAGES')
    assert.equal(typeof insert!.dynamodb.ApproximateCreationDateTime, 'number')
    if (functionName === 'webhook-fn') {
      // Whole seconds written as a float, as Lambda writes them (a Python handler reads a float).
      const written = collector.callsOf(functionName)[0]!.text.match(/"ApproximateCreationDateTime":([-\d.]+)/)?.[1]
      assert.equal(written, `${insert!.dynamodb.ApproximateCreationDateTime}.0`)
    }
    assert.ok(BigInt(modify!.dynamodb.SequenceNumber) > BigInt(insert!.dynamodb.SequenceNumber))
    assert.deepEqual(modify!.dynamodb.OldImage, { pk: { S: 'a' }, name: { S: 'Ada' } })
    assert.equal(remove!.dynamodb.NewImage, undefined)
    assert.equal(insert!.userIdentity, undefined)
  })
}

// A handler that kills its worker is a function error: the batch is retried (here once) and then
// discarded, and the server keeps serving.
test('a crashing module is a function error, not a crash of the server', async () => {
  await mapTable('targets-crash', 'crash-fn', { MaximumRetryAttempts: 1 })
  await server.dynamo.send(new PutItemCommand({ TableName: 'targets-crash', Item: { pk: { S: 'x' } } }))
  await server.dynamo.send(new PutItemCommand({ TableName: 'targets-crash', Item: { pk: { S: 'y' } } }))
  await eventually(async () => {
    const { GetEventSourceMappingCommand, ListEventSourceMappingsCommand } = await import('@aws-sdk/client-lambda')
    const listed = await server.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'crash-fn' }))
    const uuid = listed.EventSourceMappings![0]!.UUID!
    const mapping = await server.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))
    // AWS's words, then the error itself: the worker's exit code.
    return mapping.LastProcessingResult === 'PROBLEM: Function call failed: Runtime.ExitError: Worker exited with code 3'
  }, 'a failed call')
})

// A handler that never returns is stopped at its timeout (its worker is terminated).
test('a hanging module times out and the mapping moves on', async () => {
  await mapTable('targets-hang', 'hang-fn', {
    MaximumRetryAttempts: 0,
    DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:hang-failures' } },
  })
  await server.dynamo.send(new PutItemCommand({ TableName: 'targets-hang', Item: { pk: { S: 'x' } } }))
  // The handler loops forever: were it run on the server's own thread, this second write (and
  // every later request) would never be answered. Answered, it shows the hang is confined.
  await server.dynamo.send(new PutItemCommand({ TableName: 'targets-hang', Item: { pk: { S: 'y' } } }))
  const failures = join(files.dir, 'hang-failures.jsonl')
  await eventually(() => existsSync(failures) && readFileSync(failures, 'utf8').includes('\n'), 'a failure record')
  const record = JSON.parse(readFileSync(failures, 'utf8').split('\n')[0]!) as { requestContext: { condition: string }; responseContext: { functionError: string } }
  assert.equal(record.requestContext.condition, 'RetryAttemptsExhausted')
  assert.equal(record.responseContext.functionError, 'Unhandled')
})
