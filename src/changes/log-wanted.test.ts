/**
 * changeLogWanted keeps its answer for a table while the stored readers stay as they were (the
 * SQLite engine counts their changes). A kept answer must never outlive a change of them, a
 * rolled-back one included: a write left out of the log is a change its reader never gets.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { RegionContext } from '../api/context.js'
import type { StorageEngine, Transaction } from '../storage/engine.js'
import type { TableSchema } from '../tables/schema.js'
import { openSqliteEngine } from '../storage/sqlite/engine.js'
import { deletePitrSetting, savePitrSetting } from '../history/pitr.js'
import { deleteCursor, saveCursor } from './cursors.js'
import { changeLogWanted } from './log-wanted.js'

const table = { tableId: 'table-1', streamEnabled: false, replicated: false } as TableSchema

function asker(storage: StorageEngine): (tx: Transaction) => Promise<boolean> {
  // changeLogWanted reads nothing of the region but its storage.
  const ctx = { storage } as RegionContext
  return (tx) => changeLogWanted(tx, ctx, table)
}

test('each registration and removal of a reader changes the answer for the next write', async () => {
  const storage = openSqliteEngine({ inMemory: true })
  const wanted = asker(storage)
  try {
    assert.equal(await storage.transact(wanted), false)
    assert.equal(await storage.transact(wanted), false, 'asked again, kept')
    await storage.transact((tx) => saveCursor(tx, table.tableId, 'reader', 0))
    assert.equal(await storage.transact(wanted), true)
    await storage.transact((tx) => deleteCursor(tx, table.tableId, 'reader'))
    assert.equal(await storage.transact(wanted), false)
    await storage.transact((tx) => savePitrSetting(tx, table.tableId, { recoveryPeriodInDays: 35, enabledAtMs: 0 }))
    assert.equal(await storage.transact(wanted), true)
    await storage.transact((tx) => deletePitrSetting(tx, table.tableId))
    assert.equal(await storage.transact(wanted), false)
  } finally {
    await storage.close()
  }
})

test('an answer read while a rolled-back removal was visible is not kept past the rollback', async () => {
  const storage = openSqliteEngine({ inMemory: true })
  const wanted = asker(storage)
  try {
    await storage.transact((tx) => saveCursor(tx, table.tableId, 'reader', 0))
    assert.equal(await storage.transact(wanted), true)
    // Asked in the same tick, the two run in one group: the first removes the cursor, sees no
    // reader, and fails, so its removal is rolled back before the second runs.
    let seenByFailing: boolean | undefined
    const failing = storage.transact(async (tx) => {
      await deleteCursor(tx, table.tableId, 'reader')
      seenByFailing = await wanted(tx)
      throw new Error('rolled back')
    })
    const next = storage.transact(wanted)
    await assert.rejects(failing, /rolled back/)
    assert.equal(seenByFailing, false)
    assert.equal(await next, true, 'the cursor is back, and so is its reader')
    assert.equal(await storage.transact(wanted), true)
  } finally {
    await storage.close()
  }
})
