/**
 * Copies inside storage (src/history/copy-in-storage.ts), as backups and restores of tables
 * without indexes make them: a page per transaction, resumed after its last saved page, with
 * writes landing between pages. The copy must hold the table as of T, and its saved progress
 * must count exactly the rows and bytes it left in the target.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb'
import { copyInStorage } from '../../src/history/copy-in-storage.js'
import type { CopiedRows } from '../../src/storage/engine.js'
import { createKeyTable } from '../helpers/tables.js'
import { keyTableWrites, startBackupTestServer, type BackupTestServer } from './helpers.js'

let server: BackupTestServer
before(async () => { server = await startBackupTestServer() })
after(async () => { await server?.close() })

const put = (table: string, pk: string, v: string) => keyTableWrites(server.client).put(table, pk, v)
const remove = (table: string, pk: string) => keyTableWrites(server.client).remove(table, pk)

test('a copy as of T, resumed page by page while writes land between pages, holds the table as of T', async () => {
  const table = await createKeyTable(server.client, 'copy-in-storage')
  await server.client.send(new UpdateContinuousBackupsCommand({ TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }))
  const keys = Array.from({ length: 30 }, (_, index) => `k${index}`)
  for (const key of keys) await put(table, key, 'old')
  await remove(table, 'k3')
  const instant = server.clock.advance(5)
  server.clock.advance(5)
  // Changed after T but before the copy starts: the first page's log read must put them back.
  await put(table, keys[10]!, 'early')
  await remove(table, keys[20]!)

  const ctx = await server.region()
  const from = ctx.catalog.get(table)!.tableId
  const to = randomUUID()
  let progress: CopiedRows | undefined
  let pages = 0
  for (let step = 0; ; step++) {
    let pagesThisRun = 0
    const finished = await copyInStorage(ctx, {
      from, to, asOf: { micros: instant * 1000 }, pageRows: 4, after: progress?.lastKey, copiedBefore: progress,
      stopping: () => pagesThisRun++ > 0,
      savePage: async (_tx, saved) => { progress = saved },
    })
    pages++
    if (finished) break
    // Between pages: change keys already copied and keys not copied yet, delete and re-create.
    const key = keys[(step * 7) % keys.length]!
    if (step % 3 === 0) await remove(table, key)
    else await put(table, key, `new${step}`)
    if (step % 5 === 0) await put(table, `extra${step}`, 'new')
    if (step === 2) await put(table, 'k3', 'recreated')
    assert.ok(step < 100, 'the copy ends')
  }
  assert.ok(pages > 5, 'the copy ran over many pages')

  const rows = await ctx.storage.read((view) => view.rangeItems(to, {}, 100))
  const copied = Object.fromEntries(rows.map((row) => {
    const item = JSON.parse(row.json) as { pk: { S: string }; v: { S: string } }
    return [item.pk.S, item.v.S]
  }))
  assert.deepEqual(copied, Object.fromEntries(keys.filter((key) => key !== 'k3').map((key) => [key, 'old'])))
  const stats = await ctx.storage.read((view) => view.itemStats(to))
  assert.deepEqual({ count: progress!.count, bytes: progress!.bytes }, stats)
})
