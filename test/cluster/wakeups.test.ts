/**
 * Cross-node wake-ups on PostgreSQL (storage/postgres/listener.ts): a commit that appends changes
 * or edits the catalog on one engine (node) reaches the onCommit listeners of another engine on
 * the same region, by topic; a transaction that rolls back announces nothing.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import type { CommitTopic, Transaction } from '../../src/storage/engine.js'
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
  // The listening connection is up once a catalog commit made after subscribing is heard.
  for (let attempt = 0; attempt < 400 && !heard.includes('catalog'); attempt++) {
    await writer.transact((tx) => tx.putCatalogEntry({ name: 'probe', tableId: 'p', json: '{}' }))
    await sleep(25)
  }
  assert.ok(heard.includes('catalog'), 'a catalog commit is heard')
  const changesHeard = () => heard.filter((topic) => topic === 'changes').length
  const append = (tx: Transaction) => tx.appendChange({ tableId: 't', eventName: 'INSERT', key: Buffer.from('a'), keysJson: '{}', timeMicros: 1, originRegion: 'r' })
  // A rolled-back append and a state-only transaction announce no changes; committed appends do, once each.
  await assert.rejects(writer.transact(async (tx) => {
    await append(tx)
    throw new Error('roll back')
  }))
  await writer.transact((tx) => tx.putState('n', 'k', 'v'))
  await writer.transact(append)
  await until(() => changesHeard() >= 1)
  await writer.transact(append)
  await until(() => changesHeard() >= 2)
  assert.equal(changesHeard(), 2)
  await writer.close()
  await reader.close()
})
