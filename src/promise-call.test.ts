import { test } from 'node:test'
import assert from 'node:assert/strict'
import { promiseCall } from './promise-call.js'

test('promiseCall hands back fn\'s own promise, not a wrapper around it', async () => {
  const promise = Promise.resolve(7)
  assert.equal(promiseCall(() => promise), promise)
  assert.equal(await promiseCall(() => promise), 7)
})

test('a throw before fn returns a promise becomes a rejection, not a throw', async () => {
  const failure = new Error('thrown at once')
  let result: Promise<never> | undefined
  assert.doesNotThrow(() => { result = promiseCall(() => { throw failure }) })
  await assert.rejects(result!, failure)
})
