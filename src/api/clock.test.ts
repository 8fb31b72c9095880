/**
 * The system clock's ageNow, which background deletions by age use: a wall clock stepped forward
 * (and later back) must not make them delete what is not yet old; a clock stepped back makes them
 * wait. The steps are made by replacing Date.now for the test's duration.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ageNow, systemClock } from './context.js'

function withWallClockShiftedBy<T>(shiftMs: number, run: () => T): T {
  const realNow = Date.now
  Date.now = () => realNow() + shiftMs
  try {
    return run()
  } finally {
    Date.now = realNow
  }
}

test('ageNow does not follow a wall clock stepped two days forward', () => {
  const twoDaysMs = 2 * 86_400_000
  const before = Date.now()
  const [now, age] = withWallClockShiftedBy(twoDaysMs, () => [systemClock.now(), ageNow(systemClock)])
  assert.ok(now >= before + twoDaysMs)
  assert.ok(age < before + twoDaysMs / 2, `ageNow ${age} followed the step`)
})

test('ageNow follows a wall clock stepped back', () => {
  const hourMs = 3_600_000
  const [now, age] = withWallClockShiftedBy(-hourMs, () => [systemClock.now(), ageNow(systemClock)])
  assert.ok(age <= now)
})

test('a clock without ageNow (a test\'s manual clock) is its own now', () => {
  assert.equal(ageNow({ now: () => 1234 }), 1234)
})
