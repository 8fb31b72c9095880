/**
 * Cross-node wake-ups on PostgreSQL (storage/postgres/listener.ts): a commit that appends changes
 * or edits the catalog on one engine (node) reaches the onCommit listeners of another engine on
 * the same region, by topic; a transaction that rolls back announces nothing.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import type { CommitTopic } from '../../src/storage/engine.js'
import { openPostgresEngine } from '../../src/storage/postgres/engine.js'
import { postgresSkipReason, startPostgres, type PostgresCluster } from '../helpers/postgres.js'

const skipReason = postgresSkipReason()
let cluster: PostgresCluster | undefined
before(async () => { if (!skipReason) cluster = await startPostgres() })
after(async () => { await cluster?.stop() })

async function until(check: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 400 && !check(); attempt++) await sleep(25)
  assert.ok(check(), 'condition never became true')
}

test('a commit on one node wakes the listeners of another, by topic', { skip: skipReason }, async () => {
  const url = cluster!.url()
  const writer = openPostgresEngine({ url, region: 'wake-up' })
  const reader = openPostgresEngine({ url, region: 'wake-up' })
  const heard: CommitTopic[] = []
  reader.onCommit!((topic) => heard.push(topic))
  // The listening connection is up once a commit made after subscribing is heard.
  await until(() => heard.length > 0 || (void writer.transact((tx) => tx.putCatalogEntry({ name: 'probe', tableId: 'p', json: '{}' })), false))
  await until(() => heard.includes('catalog'))
  heard.length = 0
  // A rolled-back append announces nothing: the next thing heard is the committed one after it.
  await assert.rejects(writer.transact(async (tx) => {
    await tx.appendChange({ tableId: 't', eventName: 'INSERT', key: Buffer.from('a'), keysJson: '{}', timeMicros: 1, originRegion: 'r' })
    throw new Error('roll back')
  }))
  await writer.transact((tx) => tx.putCatalogEntry({ name: 'other', tableId: 'o', json: '{}' }))
  await until(() => heard.length > 0)
  assert.deepEqual(heard, ['catalog'])
  await writer.transact((tx) => tx.appendChange({ tableId: 't', eventName: 'INSERT', key: Buffer.from('a'), keysJson: '{}', timeMicros: 1, originRegion: 'r' }))
  await until(() => heard.includes('changes'))
  // State-only transactions (checkpoints, leases) wake nobody.
  await writer.transact((tx) => tx.putState('n', 'k', 'v'))
  await writer.transact((tx) => tx.putCatalogEntry({ name: 'last', tableId: 'l', json: '{}' }))
  await until(() => heard.length >= 3)
  assert.deepEqual(heard, ['catalog', 'changes', 'catalog'])
  await writer.close()
  await reader.close()
})
