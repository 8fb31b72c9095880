/**
 * WalCheckpointer on a real WAL file: once the WAL is past the restart size, passes that also
 * flush the database file converge on a catch-up, and a writer that waits for catchUp() before
 * its next write finds the WAL starting over.
 */
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { WalCheckpointer } from './checkpointer.js'

const directory = mkdtempSync(join(tmpdir(), 'eddydb-checkpointer-test-'))
after(() => rmSync(directory, { recursive: true, force: true }))

/** The WAL's length in frames, as a passive checkpoint from another connection reports it. */
function walFrames(path: string): number {
  const observer = new Database(path)
  try {
    return (observer.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>)[0]!.log
  } finally {
    observer.close()
  }
}

test('a write after catchUp() starts the WAL over, after at least two flushing passes each time', async () => {
  const path = join(directory, 'restart.sqlite3')
  const writer = new Database(path)
  writer.pragma('journal_mode = WAL')
  writer.pragma('wal_autocheckpoint = 0')
  writer.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT)')
  const insert = writer.prepare('INSERT INTO rows (body) VALUES (?)')
  // No bound on the frames added while converging, so that every restart waits for two flushing
  // passes however fast this loop writes.
  const checkpointer = new WalCheckpointer({ path, synchronous: 'NORMAL' }, 64, Number.MAX_SAFE_INTEGER)
  const body = 'z'.repeat(3000)
  let restartsSeen = 0
  try {
    // Bounded, but far beyond need: the loop ends at the third restart, which takes a few
    // thousand writes even when the worker's passes are slow on a loaded machine.
    for (let write = 0; write < 100_000 && restartsSeen < 3; write++) {
      if (checkpointer.restartDue) {
        const before = checkpointer.restarts
        // The first flushing pass writes out every page copied since the last restart; only the
        // ones after it say how much the catch-up will have to copy and flush.
        assert.ok(checkpointer.flushingPasses >= 2 * (before + 1),
          `${checkpointer.flushingPasses} flushing passes before restart ${before + 1}`)
        await checkpointer.catchUp()
        if (checkpointer.restarts > before) {
          insert.run(body)
          // The write went to the start of a new WAL: the few pages one insert touches, where
          // the WAL held at least the restart size (64 frames) before.
          const frames = walFrames(path)
          assert.ok(frames < 64, `the WAL holds ${frames} frames after starting over`)
          restartsSeen++
        }
      }
      insert.run(body)
      checkpointer.committed()
      await new Promise((resolve) => setImmediate(resolve))
    }
    assert.equal(restartsSeen, 3)
    assert.equal((writer.prepare('SELECT count(*) AS n FROM rows').get() as { n: number }).n > 64, true)
  } finally {
    await checkpointer.close()
    writer.close()
  }
})

test('catchUp() answers at once once the checkpointer is closed', async () => {
  const checkpointer = new WalCheckpointer({ path: join(directory, 'never-opened.sqlite3'), synchronous: 'NORMAL' })
  await checkpointer.close()
  assert.equal(checkpointer.restartDue, false)
  await checkpointer.catchUp()
})
