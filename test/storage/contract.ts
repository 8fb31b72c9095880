/**
 * The storage contract: what every StorageEngine must do, whatever is underneath (SQLite in a
 * file or in memory, PostgreSQL). Each engine's test file calls runStorageContract once;
 * documented gaps go in `skip` by test name.
 *
 * Keys here are arbitrary bytes: storage never decodes them, it only orders them as unsigned
 * bytes (memcmp), so the tests use keys with 0x00 and 0xFF bytes and keys that are prefixes of
 * each other, where a wrong comparison (signed, string, length-first) would show.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type {
  ChangeRecord,
  KeyRange,
  NewChangeRecord,
  ReadView,
  Row,
  StorageEngine,
  Transaction,
} from '../../src/storage/engine.js'
import { StateMismatch, StorageUnavailable } from '../../src/storage/errors.js'

export type EngineFactory = () => Promise<StorageEngine> | StorageEngine

export interface StorageContractOptions {
  /** Closes nothing: given a closed engine, opens the same storage again (file engines). */
  reopen?: (closed: StorageEngine) => Promise<StorageEngine> | StorageEngine
  /**
   * Given an open engine, opens a second one on the same storage, as another node would, for
   * engines whose transactions run optimistically and are re-run when they lose a race.
   */
  peer?: (open: StorageEngine) => Promise<StorageEngine> | StorageEngine
}

/** A deadlocked engine fails its test instead of hanging the run (far past any healthy test, even on a loaded machine). */
const testTimeoutMs = 60_000
const key = (...bytes: number[]) => Buffer.from(bytes)
/** A page's rows as plain objects: an engine may hand rows over as instances (SQLite decodes keys lazily). */
const plainRows = (rows: Row[]) => rows.map(({ key, json, size }) => ({ key, json, size }))
const tableA = 'table-a'
const tableB = 'table-b'

export function runStorageContract(
  name: string,
  newEngine: EngineFactory,
  skip: string[] = [],
  options: StorageContractOptions = {},
): void {
  /** Registers one test with a fresh engine that is closed afterwards. */
  const contractTest = (title: string, body: (engine: StorageEngine) => Promise<void>) => {
    const testOptions = {
      skip: skip.includes(title) && 'skipped for this engine',
      timeout: testTimeoutMs,
    }
    test(`${name}: ${title}`, testOptions, async () => {
      const engine = await newEngine()
      try {
        await body(engine)
      } finally {
        await engine.close()
      }
    })
  }
  const read = <T>(engine: StorageEngine, fn: (view: ReadView) => Promise<T>) => engine.read(fn)

  contractTest('put, get, overwrite and delete an item', async (engine) => {
    assert.equal(await read(engine, (view) => view.getItem(tableA, key(1))), undefined)
    await engine.transact((tx) => tx.putItem(tableA, key(1), '{"v":1}', 10))
    assert.equal(await read(engine, (view) => view.getItem(tableA, key(1))), '{"v":1}')
    await engine.transact((tx) => tx.putItem(tableA, key(1), '{"v":2}', 12))
    assert.equal(await read(engine, (view) => view.getItem(tableA, key(1))), '{"v":2}')
    await engine.transact((tx) => tx.deleteItem(tableA, key(1)))
    assert.equal(await read(engine, (view) => view.getItem(tableA, key(1))), undefined)
    // Deleting what is not there is not an error.
    await engine.transact((tx) => tx.deleteItem(tableA, key(1)))
  })

  contractTest('tables with the same keys are independent', async (engine) => {
    await engine.transact(async (tx) => {
      await tx.putItem(tableA, key(1), '"a"', 1)
      await tx.putItem(tableB, key(1), '"b"', 1)
    })
    await engine.transact((tx) => tx.deleteItem(tableA, key(1)))
    assert.equal(await read(engine, (view) => view.getItem(tableA, key(1))), undefined)
    assert.equal(await read(engine, (view) => view.getItem(tableB, key(1))), '"b"')
  })

  contractTest('a transaction reads its own writes and returns its result', async (engine) => {
    const result = await engine.transact(async (tx) => {
      await tx.putItem(tableA, key(7), '"seven"', 5)
      return tx.getItem(tableA, key(7))
    })
    assert.equal(result, '"seven"')
  })

  contractTest('several items are read at once with their sizes, in the order asked, own writes included', async (engine) => {
    await engine.transact(async (tx) => {
      await tx.putItem(tableA, key(1), '"one"', 1)
      await tx.putItem(tableA, key(0xff, 0), '"ff00"', 4)
      await tx.putItem(tableB, key(2), '"other table"', 11)
    })
    const seen = await engine.transact(async (tx) => {
      await tx.putItem(tableA, key(3), '"three, uncommitted"', 3)
      await tx.putItem(tableA, key(0xff, 0), '"ff00, resized"', 400 * 1024)
      await tx.deleteItem(tableA, key(1))
      return tx.getStoredItems(tableA, [key(0xff, 0), key(1), key(2), key(3), key()])
    })
    const resized = { json: '"ff00, resized"', sizeBytes: 400 * 1024 }
    assert.deepEqual(seen, [resized, undefined, undefined, { json: '"three, uncommitted"', sizeBytes: 3 }, undefined])
    assert.deepEqual(
      await read(engine, (view) => view.getStoredItems(tableA, [key(3), key(0xff, 0)])),
      [{ json: '"three, uncommitted"', sizeBytes: 3 }, resized],
    )
    assert.deepEqual(await read(engine, (view) => view.getStoredItems(tableA, [])), [])
  })

  contractTest('items up to 400 KB round-trip unchanged', async (engine) => {
    const json = JSON.stringify({ s: 'x'.repeat(400 * 1024) })
    await engine.transact((tx) => tx.putItem(tableA, key(0), json, json.length))
    assert.equal(await read(engine, (view) => view.getItem(tableA, key(0))), json)
  })

  contractTest('text with quotes, backslashes and any character round-trips unchanged, short and 400 KB long', async (engine) => {
    const texts = [
      `{"s":"it's"}`, String.raw`{"s":"a\\b \" \n"}`, String.raw`{"s":"\\'"}`, `{"s":"''"}`, `{"s":"é 🎉 \u0001"}`,
      JSON.stringify({ s: `'\\`.repeat(100 * 1024) }),
    ]
    await engine.transact(async (tx) => {
      for (const [index, json] of texts.entries()) await tx.putItem(tableA, key(index), json, json.length)
    })
    for (const [index, json] of texts.entries()) assert.equal(await read(engine, (view) => view.getItem(tableA, key(index))), json)
  })

  contractTest('range scans follow unsigned byte order for every bound shape', async (engine) => {
    await engine.transact(async (tx) => {
      for (const stored of rangeTestKeys) await tx.putItem(tableA, stored, hexJson(stored), 1)
      // Rows of another table must never leak into a scan.
      await tx.putItem(tableB, key(0x50), '"other"', 1)
    })
    const checked = await read(engine, async (view) => {
      let cases = 0
      for (const range of rangeShapes()) {
        for (const limit of [1, 3, 100]) {
          const rows = await view.rangeItems(tableA, range, limit)
          const expected = expectedKeys(rangeTestKeys, range).slice(0, limit)
          assert.deepEqual(
            rows.map((row) => row.key.toString('hex')),
            expected.map((stored) => stored.toString('hex')),
            `range ${describeRange(range)} limit ${limit}`,
          )
          for (const row of rows) assert.equal(row.json, hexJson(row.key))
          cases++
        }
      }
      return cases
    })
    assert.ok(checked > 100)
  })

  contractTest('joined range reads hold the same rows, in the same order, for every bound shape', async (engine) => {
    // Stored out of key order, each with its own size, so that a wrong order or sum shows.
    const scrambled = rangeTestKeys.map((stored, index) => ({ stored, size: 10 + index })).reverse()
    await engine.transact(async (tx) => {
      for (const { stored, size } of scrambled) {
        await tx.putItem(tableA, stored, hexJson(stored), size)
        await tx.putIndexEntry(tableA, 'gsi', stored, hexJson(stored), size + 100)
      }
      await tx.putItem(tableB, key(0x50), '"other"', 1)
    })
    const checked = await read(engine, async (view) => {
      let cases = 0
      for (const range of rangeShapes()) {
        for (const limit of [1, 3, 100]) {
          for (const index of [undefined, 'gsi']) {
            const rows = index === undefined ? await view.rangeItems(tableA, range, limit) : await view.rangeIndex(tableA, index, range, limit)
            const joined = await view.rangeJoined(tableA, index, range, limit)
            const expected = expectedKeys(rangeTestKeys, range).slice(0, limit)
            const shown = `range ${describeRange(range)} limit ${limit} ${index ?? 'items'}`
            assert.equal(joined.count, expected.length, shown)
            assert.equal(joined.jsonList, expected.map(hexJson).join(','), shown)
            assert.equal(joined.bytes, rows.reduce((sum, row) => sum + row.size, 0), shown)
            assert.deepEqual(joined.last && plainRows([joined.last]), rows.length ? plainRows([rows.at(-1)!]) : undefined, shown)
            cases++
          }
        }
      }
      assert.deepEqual(await view.rangeJoined(tableA, undefined, {}, 0), { count: 0, bytes: 0, jsonList: '', last: undefined })
      assert.equal((await view.rangeJoined('no-such-table', 'gsi', {}, 10)).count, 0)
      return cases
    })
    assert.ok(checked > 200)
  })

  contractTest('range scans return nothing for a zero limit or an empty range', async (engine) => {
    await engine.transact(async (tx) => {
      for (const stored of rangeTestKeys) await tx.putItem(tableA, stored, hexJson(stored), 1)
    })
    await read(engine, async (view) => {
      assert.deepEqual(await view.rangeItems(tableA, {}, 0), [])
      const inverted = {
        start: key(0x80),
        startInclusive: true,
        end: key(0x10),
        endInclusive: true,
      }
      assert.deepEqual(await view.rangeItems(tableA, inverted, 10), [])
      const point = { start: key(0x80), startInclusive: true, end: key(0x80), endInclusive: false }
      assert.deepEqual(await view.rangeItems(tableA, point, 10), [])
      assert.deepEqual(await view.rangeItems('no-such-table', {}, 10), [])
    })
  })

  contractTest('index entries are kept per table and per index', async (engine) => {
    await engine.transact(async (tx) => {
      await tx.putIndexEntry(tableA, 'byColor', key(2), '"a2"', 3)
      await tx.putIndexEntry(tableA, 'byColor', key(1), '"a1"', 4)
      await tx.putIndexEntry(tableA, 'bySize', key(1), '"s1"', 5)
      await tx.putIndexEntry(tableB, 'byColor', key(1), '"b1"', 6)
      await tx.putItem(tableA, key(1), '"item"', 7)
    })
    await read(engine, async (view) => {
      assert.equal(await view.getIndexEntry(tableA, 'byColor', key(1)), '"a1"')
      assert.equal(await view.getIndexEntry(tableA, 'byColor', key(3)), undefined)
      const rows = await view.rangeIndex(tableA, 'byColor', {}, 10)
      assert.deepEqual(plainRows(rows), [
        { key: key(1), json: '"a1"', size: 4 },
        { key: key(2), json: '"a2"', size: 3 },
      ])
      const reversed = await view.rangeIndex(tableA, 'byColor', { reverse: true, end: key(2) }, 10)
      assert.deepEqual(plainRows(reversed), [{ key: key(1), json: '"a1"', size: 4 }])
      assert.deepEqual(await view.indexStats(tableA, 'byColor'), { count: 2, bytes: 7 })
      assert.deepEqual(await view.itemStats(tableA), { count: 1, bytes: 7 })
    })
    await engine.transact(async (tx) => {
      await tx.putIndexEntry(tableA, 'byColor', key(1), '"a1 again"', 10)
      await tx.deleteIndexEntry(tableA, 'byColor', key(2))
    })
    await read(engine, async (view) => {
      assert.deepEqual(plainRows(await view.rangeIndex(tableA, 'byColor', {}, 10)), [
        { key: key(1), json: '"a1 again"', size: 10 },
      ])
      assert.deepEqual(await view.indexStats(tableA, 'byColor'), { count: 1, bytes: 10 })
    })
    await engine.transact((tx) => tx.dropIndexData(tableA, 'byColor'))
    await read(engine, async (view) => {
      assert.deepEqual(await view.rangeIndex(tableA, 'byColor', {}, 10), [])
      assert.equal(await view.getIndexEntry(tableA, 'bySize', key(1)), '"s1"')
      assert.equal(await view.getIndexEntry(tableB, 'byColor', key(1)), '"b1"')
      assert.equal(await view.getItem(tableA, key(1)), '"item"')
    })
  })

  contractTest('index range scans follow the same byte order as items', async (engine) => {
    await engine.transact(async (tx) => {
      for (const stored of rangeTestKeys) {
        await tx.putIndexEntry(tableA, 'gsi', stored, hexJson(stored), 1)
      }
    })
    await read(engine, async (view) => {
      for (const range of rangeShapes()) {
        const rows = await view.rangeIndex(tableA, 'gsi', range, 100)
        assert.deepEqual(
          rows.map((row) => row.key.toString('hex')),
          expectedKeys(rangeTestKeys, range).map((stored) => stored.toString('hex')),
          `range ${describeRange(range)}`,
        )
      }
    })
  })

  contractTest('catalog entries are listed by name, replaced and deleted', async (engine) => {
    assert.deepEqual(await read(engine, (view) => view.listCatalog()), [])
    await engine.transact(async (tx) => {
      await tx.putCatalogEntry({ name: 'zebra', tableId: 'id-z', json: '{"z":1}' })
      await tx.putCatalogEntry({ name: 'Apple', tableId: 'id-a', json: '{"a":1}' })
      await tx.putCatalogEntry({ name: 'mango', tableId: 'id-m', json: '{"m":1}' })
    })
    await engine.transact(async (tx) => {
      await tx.putCatalogEntry({ name: 'mango', tableId: 'id-m2', json: '{"m":2}' })
      await tx.deleteCatalogEntry('zebra')
      await tx.deleteCatalogEntry('never-existed')
    })
    assert.deepEqual(await read(engine, (view) => view.listCatalog()), [
      { name: 'Apple', tableId: 'id-a', json: '{"a":1}' },
      { name: 'mango', tableId: 'id-m2', json: '{"m":2}' },
    ])
  })

  // Sequences increase per table in the order changes were appended; they need not be dense (the
  // PostgreSQL engine derives them from transaction ids, see docs/architecture.md).
  contractTest('change records round-trip with per-table sequences', async (engine) => {
    const sequencesSeen = await engine.transact(async (tx) => {
      await tx.appendChange(change(tableA, 'INSERT', 1))
      await tx.appendChange(change(tableB, 'INSERT', 1))
      await tx.appendChange(change(tableA, 'MODIFY', 1))
      // The transaction's position covers its own appends.
      return [await tx.lastChangeSequence(tableA), await tx.lastChangeSequence(tableB)]
    })
    await engine.transact((tx) => tx.appendChange(change(tableA, 'REMOVE', 1)))
    await read(engine, async (view) => {
      const records = await view.readChanges(tableA, 0, 10)
      assert.deepEqual(withoutSequences(records), [change(tableA, 'INSERT', 1), change(tableA, 'MODIFY', 1), change(tableA, 'REMOVE', 1)])
      const sequences = records.map((record) => record.sequence)
      assertIncreasing(sequences)
      assert.equal(sequencesSeen[0], sequences[1])
      const tableBRecords = await view.readChanges(tableB, 0, 10)
      assert.deepEqual(withoutSequences(tableBRecords), [change(tableB, 'INSERT', 1)])
      assert.ok(sequencesSeen[1]! >= tableBRecords[0]!.sequence)
      assert.deepEqual(
        (await view.readChanges(tableA, sequences[0]!, 1)).map((record) => record.sequence),
        [sequences[1]],
      )
      assert.deepEqual(await view.readChanges(tableA, sequences[2]!, 10), [])
      assert.deepEqual(await view.readChanges(tableA, 0, 0), [])
      assert.ok(await view.lastChangeSequence(tableA) >= sequences[2]!)
      assert.ok(await view.lastChangeSequence('no-such-table') >= 0)
    })
    // A later append comes after every position taken before it, on any table.
    const positionA = await read(engine, (view) => view.lastChangeSequence(tableA))
    const positionNone = await read(engine, (view) => view.lastChangeSequence('no-such-table'))
    await engine.transact(async (tx) => {
      await tx.appendChange(change(tableA, 'INSERT', 2))
      await tx.appendChange(change('no-such-table', 'INSERT', 2))
    })
    assert.deepEqual(withoutSequences(await read(engine, (view) => view.readChanges(tableA, positionA, 10))), [change(tableA, 'INSERT', 2)])
    assert.deepEqual(withoutSequences(await read(engine, (view) => view.readChanges('no-such-table', positionNone, 10))), [change('no-such-table', 'INSERT', 2)])
    // A position taken inside a transaction that appended nothing is passed by the final changes
    // once that transaction has ended: a closed shard's reader can tell it has read to the end.
    const positionInside = await engine.transact(async (tx) => {
      await tx.putState('contract', 'position', '1')
      return tx.lastChangeSequence(tableA)
    })
    assert.ok(positionInside >= positionA)
    assert.ok(await read(engine, (view) => view.changesFinalBelow()) > positionInside)
  })

  contractTest('trimming changes never lets a sequence be reused', async (engine) => {
    await engine.transact(async (tx) => {
      for (let index = 0; index < 5; index++) await tx.appendChange(change(tableA, 'MODIFY', 1))
      await tx.appendChange(change(tableB, 'MODIFY', 1))
    })
    const appended = await read(engine, (view) => view.readChanges(tableA, 0, 10))
    await engine.transact((tx) => tx.trimChanges(tableA, appended[1]!.sequence))
    const remaining = await read(engine, (view) => view.readChanges(tableA, 0, 10))
    assert.deepEqual(remaining, appended.slice(2))
    const last = remaining[2]!.sequence
    await engine.transact((tx) => tx.trimChanges(tableA, last))
    assert.deepEqual(await read(engine, (view) => view.readChanges(tableA, 0, 10)), [])
    await engine.transact((tx) => tx.appendChange(change(tableA, 'INSERT', 2)))
    const [next] = await sequencesOf(engine, tableA)
    assert.ok(next! > last)
    assert.equal((await read(engine, (view) => view.readChanges(tableB, 0, 10))).length, 1)
  })

  contractTest('item stats count rows and sum their sizes', async (engine) => {
    assert.deepEqual(await read(engine, (view) => view.itemStats(tableA)), { count: 0, bytes: 0 })
    await engine.transact(async (tx) => {
      await tx.putItem(tableA, key(1), '1', 100)
      await tx.putItem(tableA, key(2), '2', 50)
      await tx.putItem(tableB, key(1), '3', 1000)
    })
    await engine.transact(async (tx) => {
      await tx.putItem(tableA, key(1), '1', 10)
      await tx.putItem(tableA, key(3), '3', 5)
      await tx.deleteItem(tableA, key(2))
    })
    assert.deepEqual(await read(engine, (view) => view.itemStats(tableA)), { count: 2, bytes: 15 })
  })

  contractTest('a bulk load writes items with their index rows and expiries, and appends no change', async (engine) => {
    // 1234 items: several multi-row statements and a remainder; every other item in one index.
    const items = Array.from({ length: 1234 }, (_, index) => ({
      key: key(index >> 8, index & 0xff),
      json: `{"n":${index}}`,
      sizeBytes: 10 + (index % 7),
      expiresAtSeconds: index === 3 ? 100 : undefined,
      indexEntries: index % 2 === 0 ? [{ index: 'gsi', key: key(0xff, index >> 8, index & 0xff), json: `{"g":${index}}`, sizeBytes: 3 }] : [],
    }))
    await engine.transact((tx) => tx.loadItems(tableA, items.slice(0, 1000)))
    await engine.transact(async (tx) => {
      await tx.loadItems(tableA, items.slice(1000))
      await tx.loadItems(tableA, [])
    })
    await read(engine, async (view) => {
      const bytes = items.reduce((sum, item) => sum + item.sizeBytes, 0)
      assert.deepEqual(await view.itemStats(tableA), { count: 1234, bytes })
      assert.deepEqual(await view.indexStats(tableA, 'gsi'), { count: 617, bytes: 617 * 3 })
      assert.equal(await view.getItem(tableA, key(4, 0xd1)), '{"n":1233}')
      assert.equal(await view.getIndexEntry(tableA, 'gsi', key(0xff, 4, 0xd0)), '{"g":1232}')
      assert.deepEqual((await view.expiredItems(tableA, 1000, 10)).map((row) => row.json), ['{"n":3}'])
      assert.equal(await view.lastChangeSequence(tableA), 0)
      assert.deepEqual(await view.itemStats(tableB), { count: 0, bytes: 0 })
    })
  })

  contractTest('a bulk load of a key already stored fails its transaction and leaves nothing', async (engine) => {
    const loaded = (n: number) => ({ key: key(n), json: String(n), sizeBytes: 1, indexEntries: [] })
    await engine.transact((tx) => tx.putItem(tableA, key(2), '"stored"', 1))
    await assert.rejects(engine.transact((tx) => tx.loadItems(tableA, [loaded(1), loaded(2), loaded(3)])))
    assert.deepEqual(await read(engine, (view) => view.itemStats(tableA)), { count: 1, bytes: 1 })
    assert.equal(await read(engine, (view) => view.getItem(tableA, key(2))), '"stored"')
  })

  contractTest('copyItemRows copies pages of item rows in key order, as stored, to another table', async (engine) => {
    // Keys that a signed or length-first comparison would misorder; an index row and an expiry that must not follow.
    const keys = [key(0x00), key(0x00, 0x00), key(0x01), key(0x7f), key(0x80), key(0xff), key(0xff, 0x00)]
    await engine.transact(async (tx) => {
      for (const [index, each] of keys.entries()) await tx.putItem(tableA, each, `{"n":${index}}`, 10 + index, 100)
      await tx.putIndexEntry(tableA, 'gsi', key(0x01), '{"g":1}', 3)
      await tx.putItem('table-c', key(0x00, 0x01), '"other table"', 1)
    })
    const pages = []
    let after: Buffer | undefined
    for (;;) {
      const copied = await engine.transact((tx) => tx.copyItemRows(tableA, tableB, after, 3))
      pages.push(copied)
      if (copied.count < 3) break
      after = copied.lastKey
    }
    assert.deepEqual(pages, [
      { count: 3, bytes: 10 + 11 + 12, lastKey: key(0x01) },
      { count: 3, bytes: 13 + 14 + 15, lastKey: key(0xff) },
      { count: 1, bytes: 16, lastKey: key(0xff, 0x00) },
    ])
    assert.deepEqual(await engine.transact((tx) => tx.copyItemRows(tableA, tableB, key(0xff, 0x00), 3)), { count: 0, bytes: 0, lastKey: undefined })
    await read(engine, async (view) => {
      assert.deepEqual(await view.rangeItems(tableB, {}, 10), await view.rangeItems(tableA, {}, 10))
      assert.deepEqual(await view.rangeIndex(tableB, 'gsi', {}, 10), [])
      assert.deepEqual(await view.expiredItems(tableB, 1000, 10), [])
      assert.equal((await view.rangeItems(tableA, {}, 10)).length, keys.length)
    })
  })

  contractTest('dropTableData drops item and index rows, keeps the change log', async (engine) => {
    await engine.transact(async (tx) => {
      await tx.putItem(tableA, key(1), '1', 1)
      await tx.putIndexEntry(tableA, 'gsi', key(1), '1', 1)
      await tx.appendChange(change(tableA, 'INSERT', 1))
      await tx.putItem(tableB, key(1), '1', 1)
      await tx.putIndexEntry(tableB, 'gsi', key(1), '1', 1)
    })
    await engine.transact((tx) => tx.dropTableData(tableA))
    await read(engine, async (view) => {
      assert.deepEqual(await view.rangeItems(tableA, {}, 10), [])
      assert.deepEqual(await view.rangeIndex(tableA, 'gsi', {}, 10), [])
      assert.deepEqual(await view.itemStats(tableA), { count: 0, bytes: 0 })
      assert.equal((await view.readChanges(tableA, 0, 10)).length, 1)
      assert.equal(await view.getItem(tableB, key(1)), '1')
      assert.equal(await view.getIndexEntry(tableB, 'gsi', key(1)), '1')
    })
  })

  contractTest('a transaction whose fn throws leaves nothing behind', async (engine) => {
    await engine.transact((tx) => tx.putItem(tableA, key(1), '"before"', 1))
    const thrown = new Error('fn failed')
    const caught = await engine
      .transact(async (tx) => {
        await tx.putItem(tableA, key(1), '"after"', 1)
        await tx.putItem(tableA, key(2), '"new"', 1)
        await tx.putCatalogEntry({ name: 't', tableId: 'x', json: '{}' })
        await tx.appendChange(change(tableA, 'MODIFY', 1))
        throw thrown
      })
      .catch((error: unknown) => error)
    assert.equal(caught, thrown, 'the error is rethrown unchanged')
    await read(engine, async (view) => {
      assert.equal(await view.getItem(tableA, key(1)), '"before"')
      assert.equal(await view.getItem(tableA, key(2)), undefined)
      assert.deepEqual(await view.listCatalog(), [])
      assert.deepEqual(await view.readChanges(tableA, 0, 10), [])
    })
    // The rolled-back append left nothing for the next one to be ordered after.
    await engine.transact((tx) => tx.appendChange(change(tableA, 'INSERT', 1)))
    assert.equal((await sequencesOf(engine, tableA)).length, 1)
  })

  contractTest('a transaction cannot be used after it has ended', async (engine) => {
    let leaked: Transaction | undefined
    await engine.transact(async (tx) => {
      leaked = tx
    })
    await assert.rejects(leaked!.putItem(tableA, key(1), '1', 1))
    assert.equal(await read(engine, (view) => view.getItem(tableA, key(1))), undefined)
  })

  contractTest('reads never observe uncommitted writes', async (engine) => {
    await engine.transact((tx) => tx.putItem(tableA, key(1), '"committed"', 1))
    let resume!: () => void
    const paused = new Promise<void>((resolve) => (resume = resolve))
    let written!: () => void
    const hasWritten = new Promise<void>((resolve) => (written = resolve))
    const rolledBack = engine
      .transact(async (tx) => {
        await tx.putItem(tableA, key(1), '"uncommitted"', 1)
        await tx.putItem(tableA, key(2), '"uncommitted"', 1)
        written()
        await paused
        throw new Error('roll back')
      })
      .catch(() => 'rolled back')
    await hasWritten
    // A read during the open transaction either answers at once with the committed state (file
    // engines, through a separate connection) or waits until the transaction ends (one-
    // connection engines). Either way it must never see the uncommitted rows.
    const during = read(engine, async (view) => [
      await view.getItem(tableA, key(1)),
      await view.getItem(tableA, key(2)),
      (await view.rangeItems(tableA, {}, 10)).length,
    ])
    await new Promise((resolve) => setTimeout(resolve, 20))
    resume()
    assert.equal(await rolledBack, 'rolled back')
    assert.deepEqual(await during, ['"committed"', undefined, 1])
  })

  contractTest('a read nested in a read completes while a transaction waits', async (engine) => {
    await engine.transact((tx) => tx.putItem(tableA, key(1), '"old"', 1))
    let transaction: Promise<void> | undefined
    const seen = await engine.read(async (outer) => {
      transaction = engine.transact((tx) => tx.putItem(tableA, key(1), '"new"', 1))
      const inner = await engine.read((view) => view.getItem(tableA, key(1)))
      return [await outer.getItem(tableA, key(1)), inner]
    })
    await transaction
    // The file engine may already see the commit; the in-memory one makes it wait.
    assert.ok(seen.every((json) => json === '"old"' || json === '"new"'))
    assert.equal(await read(engine, (view) => view.getItem(tableA, key(1))), '"new"')
  })

  contractTest('concurrent read-modify-write transactions are serialized', async (engine) => {
    const counterKey = key(0xff, 0x00)
    const transactionCount = 100
    await Promise.all(
      Array.from({ length: transactionCount }, () =>
        engine.transact(async (tx) => {
          const current = Number((await tx.getItem(tableA, counterKey)) ?? '0')
          // Yield to the event loop so that unserialized transactions would interleave here.
          await new Promise((resolve) => setImmediate(resolve))
          await tx.putItem(tableA, counterKey, String(current + 1), 1)
          await tx.appendChange(change(tableA, 'MODIFY', 0xff))
        }),
      ),
    )
    assert.equal(await read(engine, (view) => view.getItem(tableA, counterKey)), '100')
    const records = await read(engine, (view) => view.readChanges(tableA, 0, 1000))
    assert.equal(records.length, transactionCount)
    assertIncreasing(records.map((record) => record.sequence))
  })

  contractTest('transactions queued together fail and succeed independently', async (engine) => {
    // The first transaction waits, so the next three queue up behind it (an engine with group
    // commit runs them in one commit). Each must behave exactly as if it had run alone.
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    const holder = engine.transact(async (tx) => {
      await tx.putItem(tableA, key(0), '"holder"', 1)
      await held
    })
    const first = engine.transact(async (tx) => {
      await tx.putItem(tableA, key(1), '"first"', 1)
      await tx.appendChange(change(tableA, 'INSERT', 1))
      return tx.lastChangeSequence(tableA)
    })
    const failure = new Error('the second fails')
    const second = engine.transact(async (tx) => {
      await tx.putItem(tableA, key(1), '"overwritten by the failed one"', 1)
      await tx.putItem(tableA, key(2), '"second"', 1)
      await tx.appendChange(change(tableA, 'INSERT', 2))
      throw failure
    })
    const third = engine.transact(async (tx) => {
      const seen = await tx.getItem(tableA, key(1))
      await tx.putItem(tableA, key(3), seen ?? 'null', 1)
      await tx.appendChange(change(tableA, 'INSERT', 3))
      return tx.lastChangeSequence(tableA)
    })
    release()
    await holder
    const firstPosition = await first
    assert.equal(await second.catch((error: unknown) => error), failure, 'only its own caller sees the error')
    // The failed transaction left no row for the one after it to see.
    const thirdPosition = await third
    await read(engine, async (view) => {
      assert.equal(await view.getItem(tableA, key(1)), '"first"')
      assert.equal(await view.getItem(tableA, key(2)), undefined)
      assert.equal(await view.getItem(tableA, key(3)), '"first"')
      const records = await view.readChanges(tableA, 0, 10)
      assert.deepEqual(withoutSequences(records), [change(tableA, 'INSERT', 1), change(tableA, 'INSERT', 3)])
      assert.deepEqual(records.map((record) => record.sequence), [firstPosition, thirdPosition])
    })
  })

  test(`${name}: a transaction that loses a race to another node runs again, and only its last run leaves a trace`, {
    skip: (options.peer === undefined || skip.includes('conflict re-run'))
      && 'this engine takes its write lock before fn runs, so no fn ever loses a race and runs again',
    timeout: testTimeoutMs,
  }, async () => {
    const engine = await newEngine()
    const peer = await options.peer!(engine)
    try {
      await engine.transact((tx) => tx.putItem(tableA, key(1), '0', 1))
      let runs = 0
      let hasRead!: () => void
      const read1 = new Promise<void>((resolve) => (hasRead = resolve))
      let peerCommitted!: () => void
      const peerDone = new Promise<void>((resolve) => (peerCommitted = resolve))
      // Like a conditional write: read the counter, then write what was read plus one.
      const loser = engine.transact(async (tx) => {
        const run = ++runs
        const counter = Number(await tx.getItem(tableA, key(1)))
        if (run === 1) {
          hasRead()
          await peerDone
        }
        await tx.putItem(tableA, key(1), String(counter + 1), 1)
        await tx.putItem(tableA, key(10 + run), `"written by run ${run}"`, 1)
        await tx.appendChange(change(tableA, 'MODIFY', 1))
        await tx.putState('runs', 'last', String(run))
        return run
      })
      await read1
      // Another node moves the counter on and commits while the first run is between its read
      // and its write: the first run's commit must fail, and fn run again on the new state.
      await peer.transact(async (tx) => {
        const counter = Number(await tx.getItem(tableA, key(1)))
        await tx.putItem(tableA, key(1), String(counter + 1), 1)
      })
      peerCommitted()
      assert.equal(await loser, 2, 'fn ran again after losing the race')
      await read(engine, async (view) => {
        assert.equal(await view.getItem(tableA, key(1)), '2', 'both increments count, once each')
        assert.equal(await view.getItem(tableA, key(11)), undefined, 'the first run left no row')
        assert.equal(await view.getItem(tableA, key(12)), '"written by run 2"')
        assert.equal((await view.readChanges(tableA, 0, 10)).length, 1)
        assert.equal(await view.getState('runs', 'last'), '2')
      })
    } finally {
      await peer.close()
      await engine.close()
    }
  })

  contractTest('a write is readable as soon as its transaction resolves', async (engine) => {
    const writeCount = 100
    // A read before the writes, so that an engine keeping a read snapshot has one open.
    assert.equal(await read(engine, (view) => view.getItem(tableA, key(0))), undefined)
    const seen = await Promise.all(
      Array.from({ length: writeCount }, (_, index) =>
        engine
          .transact((tx) => tx.putItem(tableA, key(index), String(index), 1))
          .then(() => read(engine, (view) => view.getItem(tableA, key(index)))),
      ),
    )
    assert.deepEqual(seen, Array.from({ length: writeCount }, (_, index) => String(index)))
  })

  contractTest('a closed engine refuses reads and transactions', async (engine) => {
    await engine.close()
    await assert.rejects(engine.read((view) => view.getItem(tableA, key(1))), StorageUnavailable)
    await assert.rejects(
      engine.transact((tx) => tx.putItem(tableA, key(1), '1', 1)),
      StorageUnavailable,
    )
  })

  contractTest('close waits for the running transaction to commit', async (engine) => {
    const reopen = options.reopen
    let written!: () => void
    const hasWritten = new Promise<void>((resolve) => (written = resolve))
    const running = engine.transact(async (tx) => {
      await tx.putItem(tableA, key(1), '"done"', 1)
      written()
      await new Promise((resolve) => setTimeout(resolve, 20))
      await tx.putItem(tableA, key(2), '"done"', 1)
    })
    await hasWritten
    await engine.close()
    await running
    if (reopen === undefined) return
    const reopened = await reopen(engine)
    try {
      const rows = await reopened.read((view) => view.rangeItems(tableA, {}, 10))
      assert.equal(rows.length, 2)
    } finally {
      await reopened.close()
    }
  })

  contractTest('expired items come earliest first, and only those with an expiry', async (engine) => {
    await engine.transact(async (tx) => {
      await tx.putItem(tableA, key(1), '{"v":1}', 10, 300)
      await tx.putItem(tableA, key(2), '{"v":2}', 10, 100)
      await tx.putItem(tableA, key(3), '{"v":3}', 10)
      await tx.putItem(tableA, key(4), '{"v":4}', 10, 200)
      await tx.putItem(tableB, key(5), '{"v":5}', 10, 50)
    })
    const expired = await read(engine, (view) => view.expiredItems(tableA, 250, 10))
    assert.deepEqual(expired.map((row) => row.json), ['{"v":2}', '{"v":4}'])
    assert.equal((await read(engine, (view) => view.expiredItems(tableA, 1000, 1))).length, 1)
    // Overwriting without an expiry clears it; setExpiry sets and clears it in place.
    await engine.transact(async (tx) => {
      await tx.putItem(tableA, key(2), '{"v":22}', 10)
      await tx.setExpiry(tableA, key(3), 150)
      await tx.setExpiry(tableA, key(4), undefined)
    })
    const after = await read(engine, (view) => view.expiredItems(tableA, 1000, 10))
    assert.deepEqual(after.map((row) => row.json), ['{"v":3}', '{"v":1}'])
  })

  contractTest('bytes under a key prefix sum item and index rows separately', async (engine) => {
    await engine.transact(async (tx) => {
      await tx.putItem(tableA, key(1, 0), '{}', 10)
      await tx.putItem(tableA, key(1, 0xff, 0xff), '{}', 20)
      await tx.putItem(tableA, key(2), '{}', 40)
      await tx.putItem(tableB, key(1, 5), '{}', 80)
      await tx.putIndexEntry(tableA, 'lsi', key(1, 7), '{}', 5)
    })
    assert.equal(await read(engine, (view) => view.bytesWithKeyPrefix(tableA, undefined, key(1))), 30)
    assert.equal(await read(engine, (view) => view.bytesWithKeyPrefix(tableA, 'lsi', key(1))), 5)
    assert.equal(await read(engine, (view) => view.bytesWithKeyPrefix(tableA, undefined, key(0xff))), 0)
    assert.equal(await read(engine, (view) => view.bytesWithKeyPrefix(tableA, undefined, key())), 70)
  })

  contractTest('state entries are kept per namespace, listed in key order', async (engine) => {
    await engine.transact(async (tx) => {
      await tx.putState('mappings', 'b', '2')
      await tx.putState('mappings', 'a', '1')
      await tx.putState('checkpoints', 'a', 'x')
    })
    assert.equal(await read(engine, (view) => view.getState('mappings', 'a')), '1')
    assert.deepEqual(await read(engine, (view) => view.listState('mappings')), [
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ])
    await engine.transact(async (tx) => {
      await tx.putState('mappings', 'a', 'one')
      await tx.deleteState('mappings', 'b')
    })
    assert.deepEqual(await read(engine, (view) => view.listState('mappings')), [{ key: 'a', value: 'one' }])
    assert.equal(await read(engine, (view) => view.getState('checkpoints', 'b')), undefined)
  })

  contractTest('an unmet state expectation fails the transaction and leaves nothing written', async (engine) => {
    await engine.transact((tx) => tx.putState('definitions', 'a', 'v1'))
    // Met: the entry holds the value, or there is no entry and none was expected.
    await engine.transact(async (tx) => {
      await tx.expectState('definitions', 'a', 'v1')
      await tx.expectState('definitions', 'missing', undefined)
      await tx.putItem(tableA, key(1), '{"met":1}', 9)
    })
    assert.equal(await read(engine, (view) => view.getItem(tableA, key(1))), '{"met":1}')
    // Unmet, with writes queued before and after the expectation, and nothing read after it:
    // an engine that defers the check to the commit must still refuse to commit.
    const unmet = [
      ['definitions', 'a', 'v0'], ['definitions', 'a', undefined], ['definitions', 'missing', 'v1'],
    ] as const
    for (const [namespace, stateKey, value] of unmet) {
      await assert.rejects(engine.transact(async (tx) => {
        await tx.putItem(tableA, key(2), '{"before":1}', 12)
        await tx.expectState(namespace, stateKey, value)
        await tx.putState('definitions', 'after', 'x')
      }), StateMismatch)
    }
    assert.equal(await read(engine, (view) => view.getItem(tableA, key(2))), undefined)
    assert.equal(await read(engine, (view) => view.getState('definitions', 'after')), undefined)
  })

  // Transactions started together may share one commit (SQLite's group commit), and state
  // read by one of them may be kept for the next: each must still see exactly the state the
  // ones before it left, their writes included and a failed one's rolled back.
  contractTest('state read in a transaction shows the state the transactions before it left', async (engine) => {
    await engine.transact((tx) => tx.putState('cursors', 'a', '1'))
    const failure = new Error('rolled back')
    const seen = await Promise.all([
      engine.transact(async (tx) => [await tx.getState('cursors', 'a'), (await tx.listState('cursors')).length]),
      engine.transact(async (tx) => {
        await tx.putState('cursors', 'b', '2')
        return [await tx.getState('cursors', 'b'), (await tx.listState('cursors')).length]
      }),
      engine.transact(async (tx) => [await tx.getState('cursors', 'b'), (await tx.listState('cursors')).length]),
      engine.transact(async (tx) => {
        await tx.deleteState('cursors', 'a')
        await tx.deleteState('cursors', 'b')
        assert.equal((await tx.listState('cursors')).length, 0)
        throw failure
      }).catch((error: unknown) => error),
      engine.transact(async (tx) => [await tx.getState('cursors', 'a'), (await tx.listState('cursors')).length]),
      engine.transact(async (tx) => {
        const listed = await tx.listState('cursors')
        listed.pop()
        return (await tx.listState('cursors')).length
      }),
    ])
    assert.deepEqual(seen, [['1', 1], ['2', 2], ['2', 2], failure, ['1', 2], 2])
  })

  contractTest('Kinesis records are read per shard in ordinal order, trimmed by ordinal and dropped per stream', async (engine) => {
    const record = (stream: string, shard: number, ordinal: number) =>
      ({ stream, shard, ordinal, arrivalMs: ordinal * 10, partitionKey: `pk${ordinal}`, data: Buffer.from([ordinal, 0, 255]) })
    await engine.transact(async (tx) => {
      await tx.appendStreamRecords([3, 1].map((ordinal) => record('s/1', 0, ordinal)))
      await tx.appendStreamRecords([record('s/1', 0, 2), record('s/1', 1, 9), record('t/1', 0, 5)])
      await tx.appendStreamRecords([])
    })
    assert.deepEqual(await read(engine, (view) => view.readStreamRecords('s/1', 0, 1, 10)), [record('s/1', 0, 2), record('s/1', 0, 3)])
    assert.deepEqual(await read(engine, (view) => view.readStreamRecords('s/1', 0, 0, 1)), [record('s/1', 0, 1)])
    assert.deepEqual(await read(engine, (view) => view.lastStreamRecord('s/1', 0)), { ordinal: 3, arrivalMs: 30 })
    assert.equal(await read(engine, (view) => view.lastStreamRecord('s/1', 7)), undefined)
    assert.deepEqual(await read(engine, (view) => view.lastStreamOrdinals('s/1', [0, 1, 7])), new Map([[0, 3], [1, 9]]))
    assert.deepEqual(await read(engine, (view) => view.lastStreamOrdinals('s/1', [])), new Map())
    await engine.transact((tx) => tx.trimStreamRecords('s/1', 3))
    assert.deepEqual((await read(engine, (view) => view.readStreamRecords('s/1', 0, 0, 10))).map((row) => row.ordinal), [3])
    assert.deepEqual((await read(engine, (view) => view.readStreamRecords('s/1', 1, 0, 10))).map((row) => row.ordinal), [9])
    await engine.transact((tx) => tx.dropStreamRecords('s/1'))
    assert.deepEqual(await read(engine, (view) => view.readStreamRecords('s/1', 1, 0, 10)), [])
    assert.equal((await read(engine, (view) => view.readStreamRecords('t/1', 0, 0, 10))).length, 1)
  })

  test(`${name}: data persists across close and reopen`, {
    skip: (options.reopen === undefined || skip.includes('data persists across close and reopen'))
      && 'this engine does not persist',
  }, async () => {
    const engine = await newEngine()
    await engine.transact(async (tx) => {
      await tx.putItem(tableA, key(1, 0), '"kept"', 6)
      await tx.putIndexEntry(tableA, 'gsi', key(9), '"entry"', 7)
      await tx.putCatalogEntry({ name: 'Kept', tableId: tableA, json: '{}' })
      await tx.appendChange(change(tableA, 'INSERT', 1))
    })
    await engine.close()
    const reopened = await options.reopen!(engine)
    try {
      await reopened.read(async (view) => {
        assert.equal(await view.getItem(tableA, key(1, 0)), '"kept"')
        assert.equal(await view.getIndexEntry(tableA, 'gsi', key(9)), '"entry"')
        assert.deepEqual(await view.listCatalog(), [{ name: 'Kept', tableId: tableA, json: '{}' }])
        assert.ok(await view.lastChangeSequence(tableA) >= 1)
      })
      // Sequences continue where they stopped.
      await reopened.transact((tx) => tx.appendChange(change(tableA, 'MODIFY', 1)))
      const sequences = await sequencesOf(reopened, tableA)
      assert.equal(sequences.length, 2)
      assertIncreasing(sequences)
    } finally {
      await reopened.close()
    }
  })
}

/**
 * Keys chosen to catch wrong orderings: the empty key, 0x00 and 0xFF bytes, keys that are
 * prefixes of others, and bytes above 0x7F (which a signed comparison would put first).
 */
const rangeTestKeys: Buffer[] = [
  key(),
  key(0x00),
  key(0x00, 0x00),
  key(0x00, 0xff),
  key(0x01),
  key(0x10, 0x00),
  key(0x10),
  key(0x10, 0xff),
  key(0x7f, 0xff),
  key(0x80),
  key(0x80, 0x00),
  key(0xfe, 0xff, 0xff),
  key(0xff),
  key(0xff, 0x00),
  key(0xff, 0xff),
  key(0xff, 0xff, 0xff),
]

/** Bound values: stored keys and keys between them. */
const boundKeys: (Buffer | undefined)[] = [
  undefined,
  key(0x00),
  key(0x10),
  key(0x10, 0x80),
  key(0x80),
  key(0xff),
  key(0xff, 0xff),
]

function* rangeShapes(): Generator<KeyRange> {
  for (const start of boundKeys) {
    for (const end of boundKeys) {
      for (const startInclusive of start === undefined ? [false] : [true, false]) {
        for (const endInclusive of end === undefined ? [false] : [true, false]) {
          for (const reverse of [false, true]) {
            yield { start, startInclusive, end, endInclusive, reverse }
          }
        }
      }
    }
  }
}

function expectedKeys(keys: Buffer[], range: KeyRange): Buffer[] {
  const inRange = keys.filter((candidate) => {
    if (range.start !== undefined) {
      const order = Buffer.compare(candidate, range.start)
      if (order < 0 || (order === 0 && !range.startInclusive)) return false
    }
    if (range.end !== undefined) {
      const order = Buffer.compare(candidate, range.end)
      if (order > 0 || (order === 0 && !range.endInclusive)) return false
    }
    return true
  })
  inRange.sort(Buffer.compare)
  return range.reverse ? inRange.reverse() : inRange
}

function describeRange(range: KeyRange): string {
  const start =
    range.start === undefined
      ? '('
      : `${range.startInclusive ? '[' : '('}${range.start.toString('hex')}`
  const end =
    range.end === undefined ? ')' : `${range.end.toString('hex')}${range.endInclusive ? ']' : ')'}`
  return `${start}..${end}${range.reverse ? ' reverse' : ''}`
}

function assertIncreasing(sequences: number[]): void {
  for (let index = 1; index < sequences.length; index++) {
    assert.ok(sequences[index]! > sequences[index - 1]!, `sequences increase: ${sequences.join(', ')}`)
  }
}

function withoutSequences(records: ChangeRecord[]): Omit<ChangeRecord, 'sequence'>[] {
  return records.map(({ sequence: _sequence, ...rest }) => rest)
}

/** The sequences of a table's change log, in order. */
async function sequencesOf(engine: StorageEngine, table: string): Promise<number[]> {
  const records = await engine.read((view) => view.readChanges(table, 0, 1000))
  return records.map((record) => record.sequence)
}

const hexJson = (stored: Buffer) => JSON.stringify(stored.toString('hex'))

/** A change record whose fields vary with the event, so that a mixed-up column would show. */
function change(
  tableId: string,
  eventName: NewChangeRecord['eventName'],
  keyByte: number,
): NewChangeRecord {
  const record: NewChangeRecord = {
    tableId,
    eventName,
    key: key(keyByte, 0x00, 0xff),
    keysJson: `{"pk":{"N":"${keyByte}"}}`,
    timeMicros: 1_700_000_000_000_000 + keyByte,
    originRegion: 'eu-west-1',
  }
  if (eventName !== 'INSERT') record.oldImageJson = `{"old":{"S":"${eventName}"}}`
  if (eventName !== 'REMOVE') record.newImageJson = `{"new":{"S":"${eventName}"}}`
  if (eventName === 'REMOVE') {
    record.identity = { type: 'Service', principalId: 'dynamodb.amazonaws.com' }
  }
  return record
}
