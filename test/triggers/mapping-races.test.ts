/**
 * Event source mapping requests that race: each reads, checks and writes its mapping in one
 * transaction, so two creates for one stream and function cannot both pass, an update meeting a
 * delete cannot bring the mapping back, and two updates of one mapping both land. Each race is
 * held in the storage's write queue until both requests reach it (helpers/hold-writes.ts).
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  CreateEventSourceMappingCommand, DeleteEventSourceMappingCommand, GetEventSourceMappingCommand, LambdaClient,
  ListEventSourceMappingsCommand, UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda'
import { startTestServer, uniqueTableName, type TestServer } from '../helpers/server.js'
import { holdWrites, holdWritesSkipReason, sent } from '../helpers/hold-writes.js'
import { createStreamTable } from './harness.js'
import type { RegionContext } from '../../src/api/context.js'

let server: TestServer
let lambda: LambdaClient
let region: RegionContext
let dataDir: string
before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eddydb-mapping-races-'))
  // Nothing is written to the tables, so the function is never called.
  server = await startTestServer({ inMemory: false, dataDir, functions: { target: { url: 'http://127.0.0.1:9/' } } })
  lambda = new LambdaClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 })
  region = await server.running!.regions.get('us-east-1')
})
after(async () => {
  lambda?.destroy()
  await server?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

const create = (EventSourceArn: string) => lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'target', EventSourceArn, StartingPosition: 'LATEST' }))

test('two creates for one stream and function at once: the second is refused', { skip: holdWritesSkipReason }, async () => {
  const streamArn = await createStreamTable(server.client, uniqueTableName('mapping-twice'))
  const hold = holdWrites(region)
  const first = sent(create(streamArn))
  await hold.transactions(1)
  const second = sent(create(streamArn))
  await hold.transactions(2)
  await hold.release()
  assert.ok((await first).UUID)
  await assert.rejects(second, { name: 'ResourceConflictException' })
  assert.equal((await lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: streamArn }))).EventSourceMappings!.length, 1)
})

test('an update meeting a delete does not bring the mapping back', { skip: holdWritesSkipReason }, async () => {
  const { UUID } = await create(await createStreamTable(server.client, uniqueTableName('mapping-deleted')))
  const hold = holdWrites(region)
  const deleting = sent(lambda.send(new DeleteEventSourceMappingCommand({ UUID })))
  await hold.transactions(1)
  const updating = sent(lambda.send(new UpdateEventSourceMappingCommand({ UUID, BatchSize: 50 })))
  await hold.transactions(2)
  await hold.release()
  await deleting
  await assert.rejects(updating, { name: 'ResourceNotFoundException' })
  await assert.rejects(lambda.send(new GetEventSourceMappingCommand({ UUID })), { name: 'ResourceNotFoundException' })
})

test('two updates of one mapping at once both land', { skip: holdWritesSkipReason }, async () => {
  const { UUID } = await create(await createStreamTable(server.client, uniqueTableName('mapping-updates')))
  const hold = holdWrites(region)
  const disabling = sent(lambda.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: false })))
  await hold.transactions(1)
  const resizing = sent(lambda.send(new UpdateEventSourceMappingCommand({ UUID, BatchSize: 70 })))
  await hold.transactions(2)
  await hold.release()
  await disabling
  await resizing
  const mapping = await lambda.send(new GetEventSourceMappingCommand({ UUID }))
  assert.equal(mapping.BatchSize, 70)
  assert.match(mapping.State!, /^Disabl/)
})
