/**
 * The group-commit sequencing against fake SQL steps that record what ran, so the cases SQLite
 * will not produce on demand (a failing COMMIT, a conflict, a transaction SQLite dropped) are
 * covered too. The contract suite covers the same engine against real SQLite.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Transaction } from '../engine.js'
import { StorageConflict, StorageUnavailable } from '../errors.js'
import { runTransactionGroup, type GroupMember, type GroupSteps } from './group-commit.js'

interface FakeOptions {
  /** Errors the successive COMMITs throw (undefined: that COMMIT succeeds). */
  commitErrors?: (Error | undefined)[]
}

/** Steps that log each call; `events` also records when members settle. */
function fakeSteps(options: FakeOptions = {}): { steps: GroupSteps; events: string[] } {
  const events: string[] = []
  let open = false
  let commits = 0
  const steps: GroupSteps = {
    begin: () => {
      events.push('BEGIN')
      open = true
    },
    commit: () => {
      const error = options.commitErrors?.[commits++]
      events.push(error ? 'COMMIT failed' : 'COMMIT')
      if (error) throw error
      open = false
    },
    rollback: () => {
      events.push('ROLLBACK')
      open = false
    },
    savepoint: () => void events.push('SAVEPOINT'),
    releaseSavepoint: () => void events.push('RELEASE'),
    rollbackToSavepoint: () => void events.push('ROLLBACK TO'),
    inTransaction: () => open,
    newTransaction: () => ({ tx: {} as Transaction, end: () => undefined }),
  }
  return { steps, events }
}

/** A member whose fn logs `name` and then returns it or throws `error`. */
function member(events: string[], name: string, error?: Error): GroupMember & { settled: Promise<unknown> } {
  let resolve!: (value: unknown) => void
  let reject!: (error: unknown) => void
  const settled = new Promise<unknown>((onResolve, onReject) => {
    resolve = onResolve
    reject = onReject
  })
  return {
    fn: async () => {
      events.push(`run ${name}`)
      if (error) throw error
      return name
    },
    resolve: (value) => {
      events.push(`resolve ${name}`)
      resolve(value)
    },
    reject: (reason) => {
      events.push(`reject ${name}`)
      reject(reason)
    },
    settled: settled.catch((reason: unknown) => reason),
  }
}

test('a group runs every member in its own savepoint and settles them after COMMIT', async () => {
  const { steps, events } = fakeSteps()
  const failure = new Error('b fails')
  const members = [member(events, 'a'), member(events, 'b', failure), member(events, 'c')]
  await runTransactionGroup(members, steps)
  assert.deepEqual(events, [
    'BEGIN',
    'SAVEPOINT', 'run a', 'RELEASE',
    'SAVEPOINT', 'run b', 'ROLLBACK TO', 'RELEASE',
    'SAVEPOINT', 'run c', 'RELEASE',
    'COMMIT',
    'resolve a', 'reject b', 'resolve c',
  ])
  assert.deepEqual(await Promise.all(members.map((one) => one.settled)), ['a', failure, 'c'])
})

test('a lone member runs without a savepoint and rolls back when it fails', async () => {
  const { steps, events } = fakeSteps()
  const failure = new Error('fails')
  const alone = member(events, 'a', failure)
  await runTransactionGroup([alone], steps)
  assert.deepEqual(events, ['BEGIN', 'run a', 'ROLLBACK', 'reject a'])
  assert.equal(await alone.settled, failure)
})

test('when COMMIT fails every member gets its error, even those that succeeded', async () => {
  const diskFull = new StorageUnavailable('disk full')
  const { steps, events } = fakeSteps({ commitErrors: [diskFull] })
  const members = [member(events, 'a'), member(events, 'b', new Error('b fails'))]
  await runTransactionGroup(members, steps)
  assert.deepEqual(events.slice(-4), ['COMMIT failed', 'ROLLBACK', 'reject a', 'reject b'])
  assert.deepEqual(await Promise.all(members.map((one) => one.settled)), [diskFull, diskFull])
})

test('a conflict at COMMIT runs the whole group again', async () => {
  const { steps, events } = fakeSteps({ commitErrors: [new StorageConflict('busy')] })
  const members = [member(events, 'a'), member(events, 'b')]
  await runTransactionGroup(members, steps)
  assert.equal(events.filter((event) => event === 'run a').length, 2)
  assert.deepEqual(events.slice(-3), ['COMMIT', 'resolve a', 'resolve b'])
  assert.deepEqual(await Promise.all(members.map((one) => one.settled)), ['a', 'b'])
})

test('a conflict inside one member runs the whole group again', async () => {
  const { steps, events } = fakeSteps()
  let attempts = 0
  const flaky = member(events, 'flaky')
  flaky.fn = async () => {
    events.push('run flaky')
    if (++attempts === 1) throw new StorageConflict('busy')
    return 'flaky'
  }
  const members = [member(events, 'a'), flaky]
  await runTransactionGroup(members, steps)
  assert.deepEqual(events.slice(0, 6), ['BEGIN', 'SAVEPOINT', 'run a', 'RELEASE', 'SAVEPOINT', 'run flaky'])
  assert.equal(events[6], 'ROLLBACK')
  assert.deepEqual(await Promise.all(members.map((one) => one.settled)), ['a', 'flaky'])
})

test('when SQLite drops the whole transaction under a member, the group fails with its error', async () => {
  const { steps, events } = fakeSteps()
  const ioError = new StorageUnavailable('disk I/O error')
  const dropping = member(events, 'dropping')
  dropping.fn = async () => {
    // SQLite rolls everything back by itself after some I/O errors.
    steps.rollback()
    throw ioError
  }
  const members = [member(events, 'a'), dropping, member(events, 'c')]
  await runTransactionGroup(members, steps)
  assert.ok(!events.includes('COMMIT'))
  assert.ok(!events.includes('run c'))
  assert.deepEqual(await Promise.all(members.map((one) => one.settled)), [ioError, ioError, ioError])
})
