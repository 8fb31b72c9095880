/**
 * itemStats/indexStats on a real SQLite file count a chunk at a time (views.ts): exact across
 * chunk boundaries, and the event loop runs between chunks, so counting a large table does not
 * hold up every other request.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqliteEngine } from './engine.js'
import { statsChunkRows } from './views.js'

test('a count spanning several chunks is exact, and lets the event loop run between chunks', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'eddydb-stats-'))
  const storage = openSqliteEngine({ path: join(directory, 'stats.sqlite3') })
  try {
    const rows = statsChunkRows * 2 + 17
    await storage.transact(async (tx) => {
      for (let index = 0; index < rows; index++) {
        const key = Buffer.from(`key-${String(index).padStart(8, '0')}`)
        await tx.putItem('table-a', key, '{}', index % 7 + 1)
        if (index % 2 === 0) await tx.putIndexEntry('table-a', 'byX', key, '{}', 3)
      }
      // Rows of another table and index on either side must not count.
      await tx.putItem('table-b', Buffer.from('key'), '{}', 100)
      await tx.putIndexEntry('table-a', 'byY', Buffer.from('key'), '{}', 100)
    })
    let expectedBytes = 0
    for (let index = 0; index < rows; index++) expectedBytes += index % 7 + 1
    let otherWorkRan = false
    setImmediate(() => { otherWorkRan = true })
    const items = await storage.read((view) => view.itemStats('table-a'))
    assert.equal(otherWorkRan, true, 'work queued before the count ran before it finished')
    assert.deepEqual(items, { count: rows, bytes: expectedBytes })
    const entries = Math.ceil(rows / 2)
    assert.deepEqual(await storage.read((view) => view.indexStats('table-a', 'byX')), { count: entries, bytes: entries * 3 })
    assert.deepEqual(await storage.read((view) => view.itemStats('table-c')), { count: 0, bytes: 0 })
    // Exactly one chunk's worth: the count ends on an empty chunk.
    await storage.transact(async (tx) => {
      for (let index = 0; index < statsChunkRows; index++) await tx.putItem('table-d', Buffer.from(`k${index}`), '{}', 1)
    })
    assert.deepEqual(await storage.read((view) => view.itemStats('table-d')), { count: statsChunkRows, bytes: statsChunkRows })
    // Inside a transaction too.
    assert.deepEqual(await storage.transact((tx) => tx.itemStats('table-a')), { count: rows, bytes: expectedBytes })
  } finally {
    await storage.close()
    rmSync(directory, { recursive: true, force: true })
  }
})
