/**
 * How EddyDB's REST routes (the Lambda event-source-mapping API) answer a failure that is not the
 * client's, as the Lambda SDK sees it: storage contention that outlasted the server's retries is
 * throttling (429 TooManyRequestsException, which the SDK retries), anything else a 500. The
 * route here is a stand-in whose storage fails as told, behind the real HTTP server.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda'
import { createHttpServer } from '../../src/http/server.js'
import { createLogger } from '../../src/log.js'
import { StorageConflict } from '../../src/storage/errors.js'
import { mappingsPathPrefix } from '../../src/triggers/rest-api.js'
import { testCredentials } from '../helpers/server.js'

/** What the route's next calls throw, in order; once empty, it answers an empty list. */
const failures: Error[] = []
let calls = 0
const http = createHttpServer({
  dispatch: async () => '{}',
  log: createLogger('silent'),
  healthText: 'healthy',
  routes: [{
    prefix: mappingsPathPrefix,
    handle: async () => {
      calls++
      const failure = failures.shift()
      if (failure) throw failure
      return { status: 200, body: JSON.stringify({ EventSourceMappings: [] }) }
    },
  }],
})
let endpoint = ''
before(async () => {
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  endpoint = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
})
after(async () => { await new Promise((resolve) => http.close(resolve)) })

const lambda = (maxAttempts: number) => new LambdaClient({ endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts })

test('contention that outlasted the retries is answered 429 TooManyRequestsException, which the SDK retries', async () => {
  failures.push(new StorageConflict('could not serialize access'))
  await assert.rejects(lambda(1).send(new ListEventSourceMappingsCommand({})), (error: Error & { $metadata?: { httpStatusCode?: number } }) =>
    error.name === 'TooManyRequestsException' && error.$metadata?.httpStatusCode === 429)
  failures.push(new StorageConflict('could not serialize access'))
  calls = 0
  const listed = await lambda(3).send(new ListEventSourceMappingsCommand({}))
  assert.deepEqual(listed.EventSourceMappings, [])
  assert.equal(calls, 2, 'the SDK sent the request again after the 429')
})

test('any other failure is a 500 ServiceException', async () => {
  failures.push(new Error('a bug'))
  await assert.rejects(lambda(1).send(new ListEventSourceMappingsCommand({})), (error: Error & { $metadata?: { httpStatusCode?: number } }) =>
    error.name === 'ServiceException' && error.$metadata?.httpStatusCode === 500)
})
