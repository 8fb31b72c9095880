/**
 * The age clock under wall-clock steps, with both clocks driven by hand: a step forward reverted
 * before it is trusted never shows, a lasting one shows once trusted, a step back shows at once.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ageClock, forwardStepTrustMs } from './age-clock.js'

const dayMs = 86_400_000

function clocks() {
  const time = { wall: 1_000_000_000, monotonic: 0 }
  const now = ageClock(() => time.wall, () => time.monotonic)
  const pass = (ms: number) => { time.wall += ms; time.monotonic += ms }
  return { time, now, pass }
}

test('a wall clock stepped forward and back within the trust time never shows', () => {
  const { time, now, pass } = clocks()
  pass(1000)
  const before = now()
  time.wall += 2 * dayMs
  pass(70_000)
  assert.equal(now(), before + 70_000)
  time.wall -= 2 * dayMs
  pass(1000)
  assert.equal(now(), before + 71_000)
})

test('a wall clock that stays stepped forward is followed once trusted', () => {
  const { time, now, pass } = clocks()
  time.wall += 3_600_000  // a clock an hour behind at boot, corrected (or a laptop resumed)
  pass(1000)
  assert.ok(now() < time.wall)
  pass(forwardStepTrustMs)
  assert.equal(now(), time.wall)
  pass(5000)
  assert.equal(now(), time.wall)
})

test('a wall clock stepped back is followed at once', () => {
  const { time, now, pass } = clocks()
  pass(1000)
  time.wall -= 600_000
  assert.equal(now(), time.wall)
  pass(1000)
  assert.equal(now(), time.wall)
})

test('a clock without an age clock (a test\'s manual clock) is its own now', async () => {
  const { ageNow } = await import('./api/context.js')
  assert.equal(ageNow({ now: () => 1234 }), 1234)
})
