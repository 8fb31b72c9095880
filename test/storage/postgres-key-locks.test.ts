/**
 * Transactions isolated by key (TransactOptions.byKey) on PostgreSQL, as two nodes (two engines on
 * one region) run them side by side, interleaved step by step: writers of different keys do not
 * conflict even where serializable isolation makes them; a writer of a key another transaction
 * holds waits for it, reads its write and logs its change after it; a lock asked for after the
 * first write makes the transaction run again with its locks taken first; and a serializable
 * writer of a state entry waits for the writes that expect it. Where a test needs a transaction to be waiting, it looks in pg_locks.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import type { NewChangeRecord, StorageEngine, Transaction, TransactOptions } from '../../src/storage/engine.js'
import { ChangedKeys, lastSequenceAtOrBefore } from '../../src/history/table-as-of.js'
import { StateMismatch } from '../../src/storage/errors.js'
import { openPostgresEngine } from '../../src/storage/postgres/engine.js'
import { postgresForThisFile, postgresSkipReason } from '../helpers/postgres.js'

const skipReason = postgresSkipReason()
const clusterUrl = postgresForThisFile(skipReason)

let regionCount = 0

interface Gate { promise: Promise<void>; open: () => void }

function gate(): Gate {
  let open!: () => void
  const promise = new Promise<void>((resolve) => { open = resolve })
  return { promise, open }
}

/**
 * Runs a test's body on two engines of one new region (two nodes of one database), with a gate
 * the body opens to let a held transaction end. The gate is opened in any case before the nodes
 * close, so a failed assertion does not leave a transaction waiting on it (close waits for
 * transactions).
 */
async function onTwoNodes<T>(body: (nodeA: StorageEngine, nodeB: StorageEngine, release: Gate) => Promise<T>): Promise<T> {
  const region = `key-locks-${++regionCount}`
  const nodes = [openPostgresEngine({ url: clusterUrl(), region }), openPostgresEngine({ url: clusterUrl(), region })] as const
  const release = gate()
  try {
    return await body(nodes[0], nodes[1], release)
  } finally {
    release.open()
    await Promise.all(nodes.map((node) => node.close()))
  }
}

/** The notes of the items' change records, in log order. */
async function loggedNotes(node: StorageEngine): Promise<Array<string | undefined>> {
  const changes = await node.read((view) => view.readChanges(table, 0, 10))
  return changes.map((change) => change.newImageJson)
}

const table = 'items'
const key = (byte: number) => Buffer.from([0x10, byte])
const byKey: TransactOptions = { byKey: true }

function insert(keyByte: number, note: string): NewChangeRecord {
  return {
    tableId: table, eventName: 'MODIFY', key: key(keyByte), keysJson: `{"pk":{"N":"${keyByte}"}}`,
    timeMicros: 1_700_000_000_000_000, originRegion: 'us-east-1', newImageJson: `{"note":{"S":"${note}"}}`,
  }
}

/** Writes `note` as the item's text after reading it; returns what it read. */
async function readThenWrite(tx: Transaction, keyByte: number, note: string): Promise<string | undefined> {
  const [current] = await tx.getStoredItems(table, [key(keyByte)])
  await tx.putItem(table, key(keyByte), note, note.length)
  await tx.appendChange(insert(keyByte, note))
  return current?.json
}

/**
 * Runs `fn` in a by-key transaction on `node` that then stays open until `release` opens.
 * Resolves once fn has run (its locks are held), with the transaction's promise.
 */
async function heldOpen<T>(node: StorageEngine, release: Promise<void>, fn: (tx: Transaction) => Promise<T>): Promise<{ ended: Promise<T> }> {
  const holding = gate()
  const ended = node.transact(async (tx) => {
    const result = await fn(tx)
    holding.open()
    await release
    return result
  }, byKey)
  await Promise.race([holding.promise, ended])
  return { ended }
}

/** Until some transaction waits for an advisory lock (bounded: a hang guard, not a timing). */
async function someoneWaitsForALock(): Promise<void> {
  const client = new pg.Client({ connectionString: clusterUrl() })
  await client.connect()
  try {
    for (let poll = 0; poll < 2000; poll++) {
      const { rows } = await client.query(`SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)
      if (rows[0].waiting > 0) return
      await sleep(10)
    }
    throw new Error('no transaction ever waited for a lock')
  } finally {
    await client.end()
  }
}

/**
 * Each node reads its own key, then (once both have read) writes it: both keys sit on the one
 * leaf page of the items' primary key. Returns how many times each transaction ran.
 */
function interleavedWritersOfTwoKeys(options: TransactOptions): Promise<[number, number]> {
  return onTwoNodes(async (nodeA, nodeB) => {
    const attempts: [number, number] = [0, 0]
    const bothRead = [gate(), gate()]
    const writer = (node: StorageEngine, index: 0 | 1) => node.transact(async (tx) => {
      attempts[index]++
      await tx.getStoredItems(table, [key(index)])
      bothRead[index]!.open()
      await bothRead[1 - index]!.promise
      await tx.putItem(table, key(index), `written by ${index}`, 10)
    }, options)
    await Promise.all([writer(nodeA, 0), writer(nodeB, 1)])
    const stored = await nodeA.read((view) => view.getStoredItems(table, [key(0), key(1)]))
    assert.deepEqual(stored.map((item) => item?.json), ['written by 0', 'written by 1'])
    return attempts
  })
}

test('by key, writers of different keys on one index page do not conflict (serializable ones do)', { skip: skipReason }, async () => {
  assert.deepEqual(await interleavedWritersOfTwoKeys(byKey), [1, 1])
  const [first, second] = await interleavedWritersOfTwoKeys({})
  assert.ok(first + second > 2, `serializable writers ran ${first} and ${second} times: the page-level conflict this avoids did not happen`)
})

test('by key, a writer of a held key waits, reads the write it waited for and logs its change after it', { skip: skipReason }, async () => {
  await onTwoNodes(async (nodeA, nodeB, release) => {
    let secondRuns = 0
    const first = (await heldOpen(nodeA, release.promise, (tx) => readThenWrite(tx, 7, 'first'))).ended
    const second = nodeB.transact((tx) => { secondRuns++; return readThenWrite(tx, 7, 'second') }, byKey)
    await someoneWaitsForALock()
    release.open()
    assert.equal(await first, undefined)
    assert.equal(await second, 'first', 'the second writer read the first one\'s write, not the item as it was before')
    assert.equal(secondRuns, 1, 'it waited rather than ran again')
    assert.deepEqual(await loggedNotes(nodeA), ['{"note":{"S":"first"}}', '{"note":{"S":"second"}}'])
    assert.equal(await nodeA.read((view) => view.getItem(table, key(7))), 'second')
  })
})

test('by key, a lock asked for after the first write fails the attempt; the next takes every lock first, waits, and logs in commit order', { skip: skipReason }, async () => {
  await onTwoNodes(async (nodeA, nodeB, release) => {
    const first = (await heldOpen(nodeA, release.promise, (tx) => readThenWrite(tx, 1, 'first'))).ended
    let secondRuns = 0
    const second = nodeB.transact(async (tx) => {
      secondRuns++
      await tx.putItem(table, key(2), 'second', 6)
      await tx.rangeItems(table, {}, 1) // sends the write: the transaction may now have its id
      return readThenWrite(tx, 1, 'second')
    }, byKey)
    await someoneWaitsForALock()
    assert.equal(secondRuns, 2, 'the first run stopped at the late lock; the second waits for the key with it taken first')
    release.open()
    await first
    assert.equal(await second, 'first')
    assert.equal(secondRuns, 2)
    // The first's id was given at its commit, after the second's first run had its own: only
    // because the second run began after waiting is its change logged after the first's.
    assert.deepEqual(await loggedNotes(nodeA), ['{"note":{"S":"first"}}', '{"note":{"S":"second"}}'])
  })
})

test('a serializable writer of a state entry waits for the by-key writes that expect it', { skip: skipReason }, async () => {
  await onTwoNodes(async (nodeA, nodeB, release) => {
    await nodeA.transact((tx) => tx.putState('fence', 'items', 'v1'))
    const writer = (await heldOpen(nodeA, release.promise, async (tx) => {
      await tx.expectState('fence', 'items', 'v1')
      await readThenWrite(tx, 3, 'under v1')
    })).ended
    let changeCommitted = false
    const change = nodeB.transact((tx) => tx.putState('fence', 'items', 'v2')).then(() => { changeCommitted = true })
    await someoneWaitsForALock()
    assert.equal(changeCommitted, false)
    release.open()
    await writer
    await change
    assert.equal(await nodeA.read((view) => view.getState('fence', 'items')), 'v2')
    // A write under the old fence now fails instead of slipping in after the change.
    await assert.rejects(nodeB.transact(async (tx) => {
      await tx.expectState('fence', 'items', 'v1')
      await readThenWrite(tx, 4, 'late')
    }, byKey), (error: unknown) => error instanceof StateMismatch)
  })
})

test('a table as of T undoes a write committed after T while an older transaction is still open', { skip: skipReason }, async () => {
  await onTwoNodes(async (nodeA, nodeB, release) => {
    const atT = 1_700_000_000_000_000
    // Before T: the item, with its change.
    await nodeA.transact(async (tx) => {
      await tx.putItem(table, key(5), 'at T', 4)
      await tx.appendChange({ ...insert(5, 'at T'), eventName: 'INSERT', timeMicros: atT - 1 })
    }, byKey)
    // An older transaction holds the watermark back: it has its id and stays open.
    const older = (await heldOpen(nodeB, release.promise, async (tx) => {
      await tx.putItem(table, key(6), 'older', 5)
      await tx.rangeItems(table, {}, 1)
    })).ended
    // After T, committed while the older one is open: its sequence lies past the watermark.
    await nodeA.transact(async (tx) => {
      await tx.putItem(table, key(5), 'after T', 7)
      await tx.appendChange({ ...insert(5, 'after T'), oldImageJson: 'at T', timeMicros: atT + 1 })
    }, byKey)
    const read = async (view: Pick<Transaction, 'readChanges' | 'readVisibleChanges' | 'lastChangeSequence' | 'getState' | 'getItem'>) => {
      const changed = new ChangedKeys(await lastSequenceAtOrBefore(view as Transaction, table, atT))
      const now = await view.getItem(table, key(5))
      await changed.catchUp(view as Transaction, table)
      return { now, changed: changed.has(key(5)), oldImages: changed.oldImagesIn(undefined, undefined).map((row) => row.json) }
    }
    const expected = { now: 'after T', changed: true, oldImages: ['at T'] }
    // Outside a transaction (pagesAsOf) and inside one (copyInStorage's pages).
    assert.deepEqual(await nodeA.read((view) => read(view as unknown as Transaction)), expected)
    assert.deepEqual(await nodeA.transact((tx) => read(tx)), expected)
    release.open()
    await older
  })
})

// State entries a transaction is about to read one after another (the item collection counts of
// a batch) are locked together, in one order, with its next statement: a transaction reading only
// `y` still waits for the one holding `x`, so two that read them in opposite orders cannot each
// hold one the other waits for (PostgreSQL took a second to break each such deadlock).
test('by key, state locks asked for together are taken together, in one order', { skip: skipReason }, async () => {
  await onTwoNodes(async (nodeA, nodeB, release) => {
    const first = (await heldOpen(nodeA, release.promise, async (tx) => {
      tx.lockStates!('counts', ['x', 'y'])
      await tx.getState('counts', 'x')
      await tx.putState('counts', 'x', 'first')
    })).ended
    let secondRuns = 0
    const second = nodeB.transact(async (tx) => {
      secondRuns++
      tx.lockStates!('counts', ['y', 'x'])
      await tx.getState('counts', 'y')
      await tx.putState('counts', 'y', 'second')
    }, byKey)
    await someoneWaitsForALock()
    release.open()
    await first
    await second
    assert.equal(secondRuns, 1)
    assert.deepEqual(await nodeA.read(async (view) => [await view.getState('counts', 'x'), await view.getState('counts', 'y')]), ['first', 'second'])
  })
})
