/**
 * Lambda's event-source-mapping operations through @aws-sdk/client-lambda against our port:
 * the defaults Lambda echoes on create, the State values, paging, updates, deletes, tags, and the
 * errors (type from the x-amzn-ErrorType header, message from the body) for bad input.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  CreateEventSourceMappingCommand, DeleteEventSourceMappingCommand, GetEventSourceMappingCommand,
  ListEventSourceMappingsCommand, ListTagsCommand, TagResourceCommand, UntagResourceCommand, UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda'
import { createStreamTable, startTriggerServer, type TriggerServer } from './harness.js'

let server: TriggerServer
let streamArn: string

before(async () => {
  server = await startTriggerServer({ fn: { url: 'http://127.0.0.1:9/unused' }, other: { url: 'http://127.0.0.1:9/unused' } })
  streamArn = await createStreamTable(server.dynamo, 'rest-api')
})

after(() => server.close())

async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string; status: number }> {
  try {
    await promise
  } catch (error) {
    const failure = error as { name: string; message: string; $metadata: { httpStatusCode: number } }
    return { name: failure.name, message: failure.message, status: failure.$metadata.httpStatusCode }
  }
  throw new Error('expected a rejection')
}

// CreateEventSourceMapping answers 202 with State "Creating" and Lambda's defaults filled in.
test('create echoes the defaults and settles to Enabled', async () => {
  const created = await server.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'fn', EventSourceArn: streamArn, StartingPosition: 'TRIM_HORIZON' }))
  assert.equal(created.$metadata.httpStatusCode, 202)
  assert.match(created.UUID!, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
  assert.equal(created.State, 'Creating')
  assert.equal(created.StateTransitionReason, 'User action')
  assert.equal(created.LastProcessingResult, 'No records processed')
  assert.equal(created.BatchSize, 100)
  assert.equal(created.MaximumBatchingWindowInSeconds, 0)
  assert.equal(created.MaximumRecordAgeInSeconds, -1)
  assert.equal(created.MaximumRetryAttempts, -1)
  assert.equal(created.ParallelizationFactor, 1)
  assert.equal(created.BisectBatchOnFunctionError, false)
  assert.equal(created.TumblingWindowInSeconds, 0)
  assert.deepEqual(created.FunctionResponseTypes, [])
  assert.deepEqual(created.DestinationConfig, { OnFailure: {} })
  assert.equal(created.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:fn')
  assert.equal(created.EventSourceMappingArn, `arn:aws:lambda:us-east-1:000000000000:event-source-mapping:${created.UUID}`)
  assert.ok(created.LastModified instanceof Date)
  const fetched = await server.lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))
  assert.equal(fetched.State, 'Enabled')
  assert.equal(fetched.EventSourceArn, streamArn)
  await server.lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }))
})

test('update changes settings and Enabled; delete answers Deleting, then the mapping is gone', async () => {
  const created = await server.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:fn', EventSourceArn: streamArn, StartingPosition: 'LATEST' }))
  const updated = await server.lambda.send(new UpdateEventSourceMappingCommand({
    UUID: created.UUID, BatchSize: 7, Enabled: false, FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] },
    DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:dlq' } },
  }))
  assert.equal(updated.$metadata.httpStatusCode, 202)
  assert.equal(updated.State, 'Disabling')
  assert.equal(updated.BatchSize, 7)
  assert.deepEqual(updated.FilterCriteria, { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] })
  assert.deepEqual(updated.DestinationConfig, { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:dlq' } })
  assert.equal((await server.lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).State, 'Disabled')
  const again = await server.lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, Enabled: true }))
  assert.equal(again.State, 'Enabling')
  assert.equal(again.BatchSize, 7)
  const deleted = await server.lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }))
  assert.equal(deleted.$metadata.httpStatusCode, 202)
  assert.equal(deleted.State, 'Deleting')
  const missing = await rejection(server.lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID })))
  assert.deepEqual(missing, { name: 'ResourceNotFoundException', message: 'The resource you requested does not exist.', status: 404 })
})

test('list filters by stream and function and pages with Marker', async () => {
  const otherArn = await createStreamTable(server.dynamo, 'rest-api-list')
  const uuids: string[] = []
  for (const [functionName, arn] of [['fn', otherArn], ['other', otherArn], ['fn', streamArn]] as const) {
    uuids.push((await server.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: functionName, EventSourceArn: arn, StartingPosition: 'LATEST' }))).UUID!)
  }
  const byArn = await server.lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: otherArn }))
  assert.equal(byArn.EventSourceMappings!.length, 2)
  const byFunction = await server.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'other' }))
  assert.deepEqual(byFunction.EventSourceMappings!.map((mapping) => mapping.UUID), [uuids[1]])
  const seen: string[] = []
  let marker: string | undefined
  for (let page = 0; page < 10; page++) {
    const listed = await server.lambda.send(new ListEventSourceMappingsCommand({ MaxItems: 1, Marker: marker }))
    seen.push(...listed.EventSourceMappings!.map((mapping) => mapping.UUID!))
    marker = listed.NextMarker
    if (!marker) break
  }
  assert.deepEqual([...seen].sort(), [...uuids].sort())
  for (const uuid of uuids) await server.lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid }))
})

test('errors: unknown stream, unknown function, bad filter, out-of-range settings, duplicates', async () => {
  const unknownStream = 'arn:aws:dynamodb:us-east-1:000000000000:table/nope/stream/2024-01-01T00:00:00.000'
  assert.deepEqual(await rejection(server.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'fn', EventSourceArn: unknownStream, StartingPosition: 'LATEST' }))),
    { name: 'InvalidParameterValueException', message: `Stream not found: ${unknownStream}`, status: 400 })
  assert.deepEqual(await rejection(server.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'ghost', EventSourceArn: streamArn, StartingPosition: 'LATEST' }))),
    { name: 'ResourceNotFoundException', message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:ghost', status: 404 })
  assert.deepEqual(await rejection(server.lambda.send(new CreateEventSourceMappingCommand({
    FunctionName: 'fn', EventSourceArn: streamArn, StartingPosition: 'LATEST', FilterCriteria: { Filters: [{ Pattern: '{"eventName":"INSERT"}' }] },
  }))), { name: 'InvalidParameterValueException', message: 'Invalid filter pattern definition.', status: 400 })
  // Starting positions, in Lambda's words as LocalStack's test recorded them against AWS.
  assert.deepEqual(await rejection(server.lambda.send(new CreateEventSourceMappingCommand({
    FunctionName: 'fn', EventSourceArn: streamArn, StartingPosition: '0' as 'LATEST',
  }))), { name: 'ValidationException', status: 400,
    message: "1 validation error detected: Value '0' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]" })
  assert.deepEqual(await rejection(server.lambda.send(new CreateEventSourceMappingCommand({
    FunctionName: 'fn', EventSourceArn: streamArn, StartingPosition: 'LATEST', StartingPositionTimestamp: new Date(),
  }))), { name: 'InvalidParameterValueException', message: 'Timestamp only valid with StartingPosition AT_TIMESTAMP', status: 400 })
  assert.deepEqual(await rejection(server.lambda.send(new CreateEventSourceMappingCommand({
    FunctionName: 'fn', EventSourceArn: streamArn, StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: new Date(),
  }))), { name: 'InvalidParameterValueException', message: `Unsupported starting position for arn type: ${streamArn}`, status: 400 })
  const tooBig = await rejection(server.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'fn', EventSourceArn: streamArn, StartingPosition: 'LATEST', BatchSize: 10001 })))
  assert.equal(tooBig.name, 'ValidationException')
  assert.equal(tooBig.message, "1 validation error detected: Value '10001' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000")
  // The model's range is -1 to 604800, but Lambda refuses a finite age under a minute.
  for (const MaximumRecordAgeInSeconds of [0, 59]) {
    assert.deepEqual(await rejection(server.lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: 'fn', EventSourceArn: streamArn, StartingPosition: 'LATEST', MaximumRecordAgeInSeconds,
    }))), { name: 'InvalidParameterValueException', message: 'MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)', status: 400 })
  }
  const first = await server.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'fn', EventSourceArn: streamArn, StartingPosition: 'LATEST' }))
  await server.lambda.send(new UpdateEventSourceMappingCommand({ UUID: first.UUID, MaximumRecordAgeInSeconds: 60 }))
  assert.equal((await rejection(server.lambda.send(new UpdateEventSourceMappingCommand({ UUID: first.UUID, MaximumRecordAgeInSeconds: 1 })))).name,
    'InvalidParameterValueException')
  const duplicate = await rejection(server.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'fn', EventSourceArn: streamArn, StartingPosition: 'LATEST' })))
  assert.equal(duplicate.name, 'ResourceConflictException')
  assert.equal(duplicate.status, 409)
  assert.match(duplicate.message, new RegExp(`UUID ${first.UUID}$`))
  // Nor may an update retarget another mapping onto the same stream and function.
  const second = await server.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'other', EventSourceArn: streamArn, StartingPosition: 'LATEST' }))
  const retargeted = await rejection(server.lambda.send(new UpdateEventSourceMappingCommand({ UUID: second.UUID, FunctionName: 'fn' })))
  assert.equal(retargeted.name, 'ResourceConflictException')
  assert.match(retargeted.message, new RegExp(`UUID ${first.UUID}$`))
  assert.equal((await server.lambda.send(new GetEventSourceMappingCommand({ UUID: second.UUID }))).FunctionArn,
    'arn:aws:lambda:us-east-1:000000000000:function:other')
  // Naming its own function again is no conflict.
  await server.lambda.send(new UpdateEventSourceMappingCommand({ UUID: second.UUID, FunctionName: 'other' }))
  await server.lambda.send(new DeleteEventSourceMappingCommand({ UUID: second.UUID }))
  await server.lambda.send(new DeleteEventSourceMappingCommand({ UUID: first.UUID }))
  // Stream mappings take no OnSuccess destination; OnFailure's is held to the model's pattern.
  assert.deepEqual(await rejection(server.lambda.send(new CreateEventSourceMappingCommand({
    FunctionName: 'fn', EventSourceArn: streamArn, StartingPosition: 'LATEST',
    DestinationConfig: { OnSuccess: { Destination: 'arn:aws:sqs:us-east-1:000000000000:done' } },
  }))), { name: 'InvalidParameterValueException', message: 'Unsupported DestinationConfig parameter for given event source mapping type.', status: 400 })
  const bogus = await rejection(server.lambda.send(new CreateEventSourceMappingCommand({
    FunctionName: 'fn', EventSourceArn: streamArn, StartingPosition: 'LATEST', DestinationConfig: { OnFailure: { Destination: 'bogus' } },
  })))
  assert.equal(bogus.name, 'ValidationException')
  assert.match(bogus.message, /^1 validation error detected: Value 'bogus' at 'destinationConfig\.onFailure\.destination' failed to satisfy constraint: Member must satisfy regular expression pattern: \$\|kafka:/)
  assert.deepEqual((await server.lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: streamArn }))).EventSourceMappings, [])
  // FunctionName is the model's NamespacedFunctionName: up to 256 characters, a long alias ARN included.
  const aliasArn = `arn:aws:lambda:us-east-1:000000000000:function:fn:${'A'.repeat(100)}`
  const aliased = await server.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: aliasArn, EventSourceArn: streamArn, StartingPosition: 'LATEST' }))
  assert.equal(aliased.FunctionArn, aliasArn)
  await server.lambda.send(new DeleteEventSourceMappingCommand({ UUID: aliased.UUID }))
  const tooLong = 'f'.repeat(257)
  assert.deepEqual(await rejection(server.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: tooLong, EventSourceArn: streamArn, StartingPosition: 'LATEST' }))),
    { name: 'ValidationException', message: `1 validation error detected: Value '${tooLong}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 256`, status: 400 })
  assert.equal((await rejection(server.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: tooLong })))).name, 'ValidationException')
})

// A mapping may name a version or alias of its function: FunctionArn keeps it, and each alias may
// have a mapping of its own on one stream ($LATEST is the function itself). MetricsConfig is kept
// and described as given.
test('a FunctionName with a version or alias, and MetricsConfig, are kept as given', async () => {
  const blue = await server.lambda.send(new CreateEventSourceMappingCommand({
    FunctionName: 'fn:blue', EventSourceArn: streamArn, StartingPosition: 'LATEST', MetricsConfig: { Metrics: ['EventCount'] },
  }))
  assert.equal(blue.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:fn:blue')
  assert.deepEqual(blue.MetricsConfig, { Metrics: ['EventCount'] })
  const green = await server.lambda.send(new CreateEventSourceMappingCommand({
    FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:fn:green', EventSourceArn: streamArn, StartingPosition: 'LATEST',
  }))
  assert.equal(green.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:fn:green')
  assert.equal(green.MetricsConfig, undefined)
  const latest = await server.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'fn:$LATEST', EventSourceArn: streamArn, StartingPosition: 'LATEST' }))
  assert.equal(latest.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:fn')
  assert.equal((await rejection(server.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'fn', EventSourceArn: streamArn, StartingPosition: 'LATEST' })))).name,
    'ResourceConflictException')
  const fetched = await server.lambda.send(new GetEventSourceMappingCommand({ UUID: blue.UUID }))
  assert.equal(fetched.FunctionArn, blue.FunctionArn)
  assert.deepEqual(fetched.MetricsConfig, { Metrics: ['EventCount'] })
  const updated = await server.lambda.send(new UpdateEventSourceMappingCommand({ UUID: green.UUID, MetricsConfig: { Metrics: [] } }))
  assert.deepEqual(updated.MetricsConfig, { Metrics: [] })
  const badMetric = await rejection(server.lambda.send(new UpdateEventSourceMappingCommand({ UUID: green.UUID, MetricsConfig: { Metrics: ['Latency' as 'EventCount'] } })))
  assert.equal(badMetric.name, 'ValidationException')
  assert.match(badMetric.message, /at 'metricsConfig\.metrics' failed to satisfy constraint/)
  for (const uuid of [blue.UUID, green.UUID, latest.UUID]) await server.lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid }))
})

// Lambda's tag operations on a mapping's ARN; tags given at create are kept.
test('a mapping\'s tags: given at create, listed, added and removed by its ARN', async () => {
  const created = await server.lambda.send(new CreateEventSourceMappingCommand({
    FunctionName: 'fn', EventSourceArn: streamArn, StartingPosition: 'LATEST', Tags: { team: 'a', stage: 'dev' },
  }))
  const Resource = created.EventSourceMappingArn!
  assert.deepEqual((await server.lambda.send(new ListTagsCommand({ Resource }))).Tags, { team: 'a', stage: 'dev' })
  const tagged = await server.lambda.send(new TagResourceCommand({ Resource, Tags: { team: 'b', owner: 'ops' } }))
  assert.equal(tagged.$metadata.httpStatusCode, 204)
  assert.deepEqual((await server.lambda.send(new ListTagsCommand({ Resource }))).Tags, { team: 'b', stage: 'dev', owner: 'ops' })
  const untagged = await server.lambda.send(new UntagResourceCommand({ Resource, TagKeys: ['stage', 'absent'] }))
  assert.equal(untagged.$metadata.httpStatusCode, 204)
  assert.deepEqual((await server.lambda.send(new ListTagsCommand({ Resource }))).Tags, { team: 'b', owner: 'ops' })
  await server.lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }))
  const gone = { name: 'ResourceNotFoundException', message: 'The resource you requested does not exist.', status: 404 }
  assert.deepEqual(await rejection(server.lambda.send(new ListTagsCommand({ Resource }))), gone)
  assert.deepEqual(await rejection(server.lambda.send(new TagResourceCommand({ Resource, Tags: { a: 'b' } }))), gone)
  assert.deepEqual(await rejection(server.lambda.send(new ListTagsCommand({ Resource: 'arn:aws:lambda:us-east-1:000000000000:function:fn' }))), gone)
})
