/**
 * The storage contract against the SQLite engine: once on a file in a temporary directory
 * (WAL mode, a separate read connection) and once in memory (one connection, locked reads).
 * Plus what only the SQLite engine promises: its file layout, schema versioning and openStorage.
 */
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { StorageEngine } from '../../src/storage/engine.js'
import { StorageCorrupt } from '../../src/storage/errors.js'
import { openStorage } from '../../src/storage/open.js'
import { openSqliteEngine } from '../../src/storage/sqlite/engine.js'
import { runStorageContract } from './contract.js'

const directory = mkdtempSync(join(tmpdir(), 'eddydb-sqlite-test-'))
after(() => rmSync(directory, { recursive: true, force: true }))

let fileCount = 0
const pathOfEngine = new WeakMap<StorageEngine, string>()

function newFileEngine(): StorageEngine {
  const path = join(directory, `contract-${++fileCount}.sqlite3`)
  const engine = openSqliteEngine({ path })
  pathOfEngine.set(engine, path)
  return engine
}

runStorageContract('sqlite file', newFileEngine, [], {
  reopen: (closed) => openSqliteEngine({ path: pathOfEngine.get(closed)! }),
})

runStorageContract('sqlite in-memory', () => openSqliteEngine({ inMemory: true }))

test('openStorage keeps one file per region under the data directory', async () => {
  const dataDir = join(directory, 'data', 'nested')
  const engine = await openStorage({ dataDir, region: 'us-east-1' })
  await engine.transact((tx) => tx.putItem('t', Buffer.from([1]), '{}', 2))
  await engine.close()
  assert.ok(existsSync(join(dataDir, 'us-east-1.sqlite3')))
  // A closed file engine checkpoints its WAL: the data file alone holds everything.
  assert.ok(!existsSync(join(dataDir, 'us-east-1.sqlite3-wal')))
  await assert.rejects(openStorage({ dataDir, region: '../escape' }))
  await assert.rejects(openStorage({ region: 'us-east-1' }))
})

test('a data file from a newer EddyDB is refused, not misread', async () => {
  const path = join(directory, 'future.sqlite3')
  await openSqliteEngine({ path }).close()
  const connection = new Database(path)
  connection.prepare("UPDATE meta SET value = '999' WHERE name = 'schema_version'").run()
  connection.close()
  assert.throws(() => openSqliteEngine({ path }), StorageCorrupt)
})

test('a file written with durability power reads back', async () => {
  const path = join(directory, 'power.sqlite3')
  const engine = openSqliteEngine({ path, durability: 'power' })
  await engine.transact((tx) => tx.putItem('t', Buffer.from([1]), '{}', 2))
  await engine.close()
  const reopened = openSqliteEngine({ path })
  assert.equal(await reopened.read((view) => view.getItem('t', Buffer.from([1]))), '{}')
  await reopened.close()
})

test('a transaction that finds the file locked by another connection is retried', async () => {
  // Two engines on one file stand in for another process holding SQLite's write lock.
  const path = join(directory, 'two-writers.sqlite3')
  const holder = openSqliteEngine({ path })
  const contender = openSqliteEngine({ path })
  try {
    let locked!: () => void
    const hasLock = new Promise<void>((resolve) => (locked = resolve))
    const holding = holder.transact(async (tx) => {
      await tx.putItem('t', Buffer.from([1]), '"holder"', 1)
      locked()
      await new Promise((resolve) => setTimeout(resolve, 50))
    })
    await hasLock
    // The first BEGIN IMMEDIATE fails with SQLITE_BUSY; a later attempt gets the lock.
    await contender.transact((tx) => tx.putItem('t', Buffer.from([2]), '"contender"', 1))
    await holding
    const rows = await contender.read((view) => view.rangeItems('t', {}, 10))
    assert.deepEqual(rows.map((row) => row.json), ['"holder"', '"contender"'])
  } finally {
    await holder.close()
    await contender.close()
  }
})

test('writes that wait for the WAL to start over, with reads running beside them, all land', async () => {
  // A restart size of one frame: nearly every group waits for a catch-up pass first
  // (checkpointer.ts), while a reader keeps taking snapshots the engine must end around it.
  const path = join(directory, 'restarting.sqlite3')
  const engine = openSqliteEngine({ path, walRestartFrames: 1 })
  const json = JSON.stringify({ padding: 'y'.repeat(1500) })
  let writing = true
  const reads = (async () => {
    let seen = 0
    while (writing) {
      const count = (await engine.read((view) => view.rangeItems('t', {}, 10_000))).length
      assert.ok(count >= seen, `a read saw ${count} rows after one saw ${seen}`)
      seen = count
      await new Promise((resolve) => setImmediate(resolve))
    }
  })()
  await Promise.all(Array.from({ length: 16 }, async (_, writer) => {
    for (let transaction = 0; transaction < 40; transaction++) {
      await engine.transact(async (tx) => {
        for (let row = 0; row < 2; row++) await tx.putItem('t', Buffer.from(`w${writer}-t${transaction}-r${row}`), json, json.length)
      })
    }
  }))
  writing = false
  await reads
  assert.equal((await engine.read((view) => view.rangeItems('t', {}, 10_000))).length, 1280)
  await engine.close()
  const reopened = openSqliteEngine({ path })
  assert.equal((await reopened.read((view) => view.rangeItems('t', {}, 10_000))).length, 1280)
  await reopened.close()
})

test('the WAL is checkpointed into the database file by the checkpointer, not by a commit', async () => {
  const path = join(directory, 'checkpointed.sqlite3')
  const engine = openSqliteEngine({ path })
  await engine.transact((tx) => tx.putItem('t', Buffer.from('first'), '{}', 2))
  const sizeBefore = statSync(path).size
  // About 150 pages: far below SQLite's own automatic checkpoint (1,000 pages) and the
  // engine's backstop, so no COMMIT checkpoints them. Only the worker thread can.
  const json = JSON.stringify({ padding: 'x'.repeat(600) })
  for (let batch = 0; batch < 10; batch++) {
    await engine.transact(async (tx) => {
      for (let row = 0; row < 100; row++) await tx.putItem('t', Buffer.from(`key-${batch}-${row}`), json, json.length)
    })
  }
  let sizeAfter = statSync(path).size
  for (let attempt = 0; attempt < 600 && sizeAfter <= sizeBefore; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    sizeAfter = statSync(path).size
  }
  assert.ok(sizeAfter > sizeBefore, `the database file grew from ${sizeBefore} bytes as the WAL was copied into it`)
  const items = await engine.read((view) => view.rangeItems('t', {}, 2000))
  assert.equal(items.length, 1001)
  await engine.close()
})

// stateChanges lets callers keep what they read of a namespace (changes/log-wanted.ts keeps
// whether a table's log is read). It must move at every write, before the commit, and again
// when a transaction that wrote ends, so that nothing read while a rolled-back write was
// visible is kept.
test('stateChanges moves at each state write and again when the transaction that wrote ends', async () => {
  const engine = openSqliteEngine({ inMemory: true })
  try {
    const count = () => engine.stateChanges!('ns')
    const start = count()
    let seenInside = -1
    await engine.transact(async (tx) => {
      await tx.putState('ns', 'k', 'v')
      seenInside = count()
    })
    assert.ok(seenInside > start, 'a write counts before its commit')
    assert.ok(count() > seenInside, 'and again when its transaction ends')
    assert.equal(engine.stateChanges!('other'), 0, 'other namespaces keep their count')

    // Two members in one group: the first writes and fails, so its write is rolled back to its
    // savepoint; what the second sees must not carry the count the first one's write had.
    let seenByFailing = -1
    let seenAfterRollback = -1
    const failing = engine.transact(async (tx) => {
      await tx.deleteState('ns', 'k')
      seenByFailing = count()
      throw new Error('rolled back')
    })
    const after = engine.transact(async (tx) => {
      seenAfterRollback = count()
      assert.equal(await tx.getState('ns', 'k'), 'v')
    })
    await assert.rejects(failing, /rolled back/)
    await after
    assert.ok(seenAfterRollback > seenByFailing, 'the rollback moved the count')
  } finally {
    await engine.close()
  }
})
