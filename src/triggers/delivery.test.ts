/** Lambda's error handling for one batch, against a scripted function: retries, bisection, partial failures, record age. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { deliverBatch, type DeliveryContext } from './delivery.js'
import type { PendingRecord } from './event.js'
import { defaultSettings, type MappingSettings } from './mapping.js'
import type { DiscardedBatch } from './on-failure.js'
import type { InvokeResult } from './targets/index.js'
import { reportedFailureOf } from './batch-response.js'

function records(keys: string[], madeAtMs = 1000): PendingRecord[] {
  return keys.map((key, index) => ({
    sequence: index + 1,
    sequenceNumber: String(index + 1).padStart(21, '0'),
    itemKey: key,
    madeAtMs,
    sizeChars: 10,
    record: { dynamodb: { SequenceNumber: String(index + 1).padStart(21, '0'), Keys: { pk: { S: key } } } },
  }))
}

function harness(settings: Partial<MappingSettings>, answer: (keys: string[]) => InvokeResult, nowMs = 1000) {
  const calls: string[][] = []
  const discarded: { condition: string; keys: string[]; invokeCount: number }[] = []
  const context: DeliveryContext = {
    settings: { ...defaultSettings, ...settings },
    invoke: async (batch) => {
      const keys = batch.map((pending) => pending.itemKey)
      calls.push(keys)
      return answer(keys)
    },
    discard: async (batch: DiscardedBatch) => { discarded.push({ condition: batch.condition, keys: batch.batch.map((pending) => pending.itemKey), invokeCount: batch.invokeCount }) },
    nowMs: () => nowMs,
    pause: async () => true,
    isStopping: () => false,
  }
  return { calls, discarded, context }
}

const fail: InvokeResult = { ok: false, errorType: 'Error', errorMessage: 'boom' }
const succeed: InvokeResult = { ok: true, response: null }

test('retries the whole batch up to MaximumRetryAttempts, then discards it', async () => {
  const { calls, discarded, context } = harness({ MaximumRetryAttempts: 2 }, () => fail)
  const outcome = await deliverBatch(records(['a', 'b']), context)
  assert.deepEqual(outcome, { completed: true, problem: true })
  assert.deepEqual(calls, [['a', 'b'], ['a', 'b'], ['a', 'b']])
  assert.deepEqual(discarded, [{ condition: 'RetryAttemptsExhausted', keys: ['a', 'b'], invokeCount: 3 }])
})

test('bisection splits until the bad record is alone; splits are not retries', async () => {
  const { calls, discarded, context } = harness({ MaximumRetryAttempts: 0, BisectBatchOnFunctionError: true }, (keys) => (keys.includes('x') ? fail : succeed))
  await deliverBatch(records(['a', 'b', 'c', 'x', 'd']), context)
  assert.deepEqual(calls, [['a', 'b', 'c', 'x', 'd'], ['a', 'b', 'c'], ['x', 'd'], ['x'], ['d']])
  assert.deepEqual(discarded, [{ condition: 'RetryAttemptsExhausted', keys: ['x'], invokeCount: 1 }])
})

test('ReportBatchItemFailures retries from the lowest failure; a bad identifier fails the whole batch', async () => {
  let first = true
  const { calls, context } = harness({ FunctionResponseTypes: ['ReportBatchItemFailures'] }, () => {
    if (!first) return succeed
    first = false
    return { ok: true, response: { batchItemFailures: [{ itemIdentifier: '000000000000000000003' }] } }
  })
  await deliverBatch(records(['a', 'b', 'c', 'd']), context)
  assert.deepEqual(calls, [['a', 'b', 'c', 'd'], ['c', 'd']])
  const batch = records(['a', 'b'])
  assert.equal(reportedFailureOf({ batchItemFailures: [{ itemIdentifier: '' }] }, batch), 'all')
  assert.equal(reportedFailureOf({ batchItemFailures: [{ itemIdentifier: '999999999999999999999' }] }, batch), 'all')
  assert.equal(reportedFailureOf({ batchItemFailures: [{ itemIdentifier: '000000000000000000001', other: 1 }] }, batch), 'all')
  assert.equal(reportedFailureOf({ batchItemFailures: [] }, batch), 'none')
  assert.equal(reportedFailureOf(null, batch), 'none')
  assert.equal(reportedFailureOf({ batchItemFailures: null }, batch), 'none')
})

test('records older than MaximumRecordAgeInSeconds are discarded without an invocation', async () => {
  const { calls, discarded, context } = harness({ MaximumRecordAgeInSeconds: 60 }, () => succeed, 1000 + 61_000)
  await deliverBatch(records(['a']), context)
  assert.deepEqual(calls, [])
  assert.deepEqual(discarded, [{ condition: 'RecordAgeExceeded', keys: ['a'], invokeCount: 0 }])
})
