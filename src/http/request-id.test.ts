import { test } from 'node:test'
import assert from 'node:assert/strict'
import { nextRequestId } from './request-id.js'

test('request ids are 52 characters of [A-Z0-9], one prefix per process, never repeated', () => {
  const ids = Array.from({ length: 50_000 }, () => nextRequestId())
  for (const id of ids) assert.match(id, /^[0-9A-Z]{52}$/)
  assert.equal(new Set(ids).size, ids.length)
  assert.equal(new Set(ids.map((id) => id.slice(0, 40))).size, 1)
  // The counter counts in base 36, carrying from place to place (50,000 ids pass 36^2 and 36^3).
  const counters = ids.map((id) => Number.parseInt(id.slice(40), 36))
  for (let index = 1; index < counters.length; index++) assert.equal(counters[index], counters[index - 1]! + 1)
})
