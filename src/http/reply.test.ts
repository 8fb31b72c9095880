import { test } from 'node:test'
import assert from 'node:assert/strict'
import { errorReply } from './reply.js'
import { createLogger } from '../log.js'
import { StorageConflict, StorageCorrupt, StorageUnavailable } from '../storage/errors.js'
import { ValidationException } from '../errors.js'

test('a storage outage answers 500 to every request but is logged once, with what it failed, not per request', () => {
  const lines: Array<Record<string, unknown>> = []
  const log = createLogger('error', (line) => lines.push(JSON.parse(line)))
  const replies = [1, 2, 3].map((n) => errorReply(new StorageUnavailable('database or disk is full'), `request-${n}`, log))
  for (const reply of replies) {
    assert.equal(reply.status, 500)
    assert.equal(JSON.parse(reply.text).__type, 'com.amazonaws.dynamodb.v20120810#InternalServerError')
  }
  assert.equal(lines.length, 1)
  assert.equal(lines[0]!.error, 'database or disk is full')
  assert.equal(lines[0]!.requestId, 'request-1')
  assert.equal(lines[0]!.stack, undefined)

  // A client's error is its own answer and logs nothing; any other failure is a bug, logged each time.
  assert.equal(errorReply(new ValidationException('bad'), 'request-4', log).status, 400)
  errorReply(new Error('boom'), 'request-5', log)
  errorReply(new Error('boom'), 'request-6', log)
  assert.deepEqual(lines.slice(1).map((line) => [line.message, line.requestId]), [['unexpected error', 'request-5'], ['unexpected error', 'request-6']])
})

test('a transaction that kept losing races answers ThrottlingException (400, retried by SDKs), logged at warn without a stack', () => {
  const lines: Array<Record<string, unknown>> = []
  const log = createLogger('warn', (line) => lines.push(JSON.parse(line)))
  const reply = errorReply(new StorageConflict('could not serialize access due to read/write dependencies among transactions'), 'request-7', log)
  assert.equal(reply.status, 400)
  assert.equal(JSON.parse(reply.text).__type, 'com.amazon.coral.availability#ThrottlingException')
  assert.equal(lines.length, 1)
  assert.equal(lines[0]!.level, 'warn')
  assert.equal(lines[0]!.requestId, 'request-7')
  assert.ok(!String(lines[0]!.error).includes('\n    at '), 'no stack trace')
})

test('storage this server cannot use (a schema a newer EddyDB migrated) is logged once per interval too, without a stack', () => {
  const lines: Array<Record<string, unknown>> = []
  const log = createLogger('error', (line) => lines.push(JSON.parse(line)))
  const message = 'The database schema "eddydb_us_east_1" has schema version 4; this EddyDB understands up to 3. Upgrade EddyDB to use it.'
  for (const n of [1, 2, 3]) assert.equal(errorReply(new StorageCorrupt(message), `request-${n}`, log).status, 500)
  assert.equal(lines.length, 1)
  assert.match(String(lines[0]!.message), /^storage this server cannot use/)
  assert.equal(lines[0]!.error, message)
  assert.equal(lines[0]!.stack, undefined)
})

test('the failures of an outage are all counted: each interval\'s are logged when it ends, the last ones too', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] })
  const lines: Array<Record<string, unknown>> = []
  const log = createLogger('error', (line) => lines.push(JSON.parse(line)))
  const fail = (n: number) => errorReply(new StorageUnavailable('connection refused'), `outage-${n}`, log)
  for (const n of [1, 2, 3]) fail(n)
  assert.deepEqual(lines.map((line) => [line.requestId, line.failedRequests]), [['outage-1', 1]])
  t.mock.timers.tick(10_000)
  assert.deepEqual(lines.map((line) => [line.requestId, line.failedRequests]), [['outage-1', 1], ['outage-3', 2]])
  // Storage works again: the next interval ends with nothing to say, and a later failure is
  // logged at once again.
  fail(4)
  t.mock.timers.tick(10_000)
  t.mock.timers.tick(10_000)
  fail(5)
  assert.deepEqual(lines.map((line) => [line.requestId, line.failedRequests]),
    [['outage-1', 1], ['outage-3', 2], ['outage-4', 1], ['outage-5', 1]])
})
