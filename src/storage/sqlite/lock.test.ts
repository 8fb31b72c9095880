import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ReadWriteLock } from './lock.js'

const tick = () => new Promise((resolve) => setImmediate(resolve))

test('an exclusive holder keeps out readers and other writers until it ends', async () => {
  const lock = new ReadWriteLock()
  const events: string[] = []
  const writer = lock.exclusive(async () => {
    events.push('writer start')
    await tick()
    events.push('writer end')
  })
  const reader = lock.shared(async () => void events.push('reader'))
  const secondWriter = lock.exclusive(async () => void events.push('second writer'))
  await Promise.all([writer, reader, secondWriter])
  assert.deepEqual(events, ['writer start', 'writer end', 'reader', 'second writer'])
})

test('readers share the lock and a writer waits for all of them', async () => {
  const lock = new ReadWriteLock()
  const events: string[] = []
  const reader = (name: string) =>
    lock.shared(async () => {
      events.push(`${name} start`)
      await tick()
      events.push(`${name} end`)
    })
  const readers = [reader('a'), reader('b')]
  await Promise.all([...readers, lock.exclusive(async () => void events.push('writer'))])
  assert.deepEqual(events, ['a start', 'b start', 'a end', 'b end', 'writer'])
})

test('a read nested in a read does not deadlock behind a waiting writer', async () => {
  const lock = new ReadWriteLock()
  let writerRan = false
  const outer = lock.shared(async () => {
    const writer = lock.exclusive(async () => void (writerRan = true))
    const inner = await lock.shared(async () => 'inner')
    assert.equal(writerRan, false)
    return { inner, writer }
  })
  const { inner, writer } = await outer
  await writer
  assert.equal(inner, 'inner')
  assert.equal(writerRan, true)
})

test('the lock is released when fn throws', async () => {
  const lock = new ReadWriteLock()
  await assert.rejects(lock.exclusive(async () => { throw new Error('boom') }), /boom/)
  await assert.rejects(lock.shared(async () => { throw new Error('bang') }), /bang/)
  assert.equal(await lock.exclusive(async () => 'free'), 'free')
})
