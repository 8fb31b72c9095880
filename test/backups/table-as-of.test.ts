/**
 * The table-as-of-T reader (src/history/table-as-of.ts): the current table with, for each key
 * changed after T, the old image of its first change after T. Checked against what was written,
 * on a paged read with writes landing between its pages.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { UpdateContinuousBackupsCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb'
import { itemsAsOf } from '../../src/history/table-as-of.js'
import { createKeyTable } from '../helpers/tables.js'
import { keyTableWrites, startBackupTestServer, type BackupTestServer } from './helpers.js'

let server: BackupTestServer
before(async () => { server = await startBackupTestServer() })
after(async () => { await server?.close() })

const put = (table: string, pk: string, v: string) => keyTableWrites(server.client).put(table, pk, v)
const remove = (table: string, pk: string) => keyTableWrites(server.client).remove(table, pk)

const text = (value: unknown): string => (value as { S: string }).S

/** A key table with point-in-time recovery on: its change log is what the reader reads. */
async function pitrTable(prefix: string): Promise<string> {
  const table = await createKeyTable(server.client, prefix)
  await server.client.send(new UpdateContinuousBackupsCommand({ TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }))
  return table
}

async function asOf(table: string, atMs: number, pageItems?: number): Promise<Record<string, string>> {
  const ctx = await server.region()
  const state: Record<string, string> = {}
  for await (const item of itemsAsOf(ctx, ctx.catalog.get(table)!, { micros: atMs * 1000 }, { pageItems })) state[text(item.pk)] = text(item.v)
  return state
}

test('each instant reads the table as it was then', async () => {
  const table = await pitrTable('asof')
  const empty = server.clock.advance(5)
  server.clock.advance(5)
  await put(table, 'a', '1')
  await put(table, 'b', '1')
  await put(table, 'c', '1')
  const first = server.clock.advance(5)
  server.clock.advance(5)
  await server.client.send(new UpdateItemCommand({
    TableName: table, Key: { pk: { S: 'a' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: '2' } },
  }))
  await remove(table, 'b')
  await put(table, 'd', '2')
  await put(table, 'a', '3')
  const second = server.clock.advance(5)
  server.clock.advance(5)
  await remove(table, 'd')
  await put(table, 'b', '3')

  assert.deepEqual(await asOf(table, empty), {})
  assert.deepEqual(await asOf(table, first), { a: '1', b: '1', c: '1' })
  assert.deepEqual(await asOf(table, second), { a: '3', c: '1', d: '2' })
  assert.deepEqual(await asOf(table, server.clock.now()), { a: '3', b: '3', c: '1' })
})

test('a paged read stays exact while writes land between its pages', async () => {
  const table = await pitrTable('asof-paged')
  const keys = Array.from({ length: 30 }, (_, index) => `k${index}`)
  for (const key of keys) await put(table, key, 'old')
  await remove(table, 'k3')
  const instant = server.clock.advance(5)
  server.clock.advance(5)
  const expected = Object.fromEntries(keys.filter((key) => key !== 'k3').map((key) => [key, 'old']))

  const ctx = await server.region()
  const seen: Record<string, string> = {}
  let step = 0
  for await (const item of itemsAsOf(ctx, ctx.catalog.get(table)!, { micros: instant * 1000 }, { pageItems: 4 })) {
    seen[text(item.pk)] = text(item.v)
    // Between pages: change keys already read, keys not read yet, delete and re-create some.
    const key = keys[(step * 7) % keys.length]!
    if (step % 3 === 0) await remove(table, key)
    else await put(table, key, `new${step}`)
    if (step % 5 === 0) await put(table, `extra${step}`, 'new')
    if (step === 2) await put(table, 'k3', 'recreated')
    step++
  }
  assert.deepEqual(seen, expected)
})
