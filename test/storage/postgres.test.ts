/**
 * The storage contract against the PostgreSQL engine, on a throwaway cluster (helpers/postgres.ts):
 * each engine gets a region of its own, so a schema of its own. Plus what only this engine
 * promises: schema versioning, and several engines (nodes) on one database.
 * Skipped, with the reason, where PostgreSQL is not installed.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type AddressInfo, type Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import type { StorageEngine } from '../../src/storage/engine.js'
import { StorageCorrupt, StorageUnavailable } from '../../src/storage/errors.js'
import { openPostgresEngine } from '../../src/storage/postgres/engine.js'
import { schemaNameOf } from '../../src/storage/postgres/schema.js'
import { createDatabaseAt, postgresForThisFile, postgresSkipReason } from '../helpers/postgres.js'
import { runStorageContract } from './contract.js'

const skipReason = postgresSkipReason()
const clusterUrl = postgresForThisFile(skipReason)

let regionCount = 0
const regionOfEngine = new WeakMap<StorageEngine, string>()

function newEngine(): StorageEngine {
  const region = `contract-${++regionCount}`
  const engine = openPostgresEngine({ url: clusterUrl(), region })
  regionOfEngine.set(engine, region)
  return engine
}

const sameRegion = (engine: StorageEngine) => openPostgresEngine({ url: clusterUrl(), region: regionOfEngine.get(engine)! })

if (skipReason) {
  test('postgres storage contract', { skip: skipReason }, () => undefined)
} else {
  runStorageContract('postgres', newEngine, [], { reopen: sameRegion, peer: sameRegion })
}

test('a schema from a newer EddyDB is refused, not misread', { skip: skipReason }, async () => {
  const engine = newEngine()
  await engine.read((view) => view.listCatalog())
  await engine.close()
  const client = new pg.Client({ connectionString: clusterUrl() })
  await client.connect()
  await client.query(`UPDATE ${schemaNameOf(`contract-${regionCount}`)}.schema_version SET version = 999`)
  await client.end()
  const newer = openPostgresEngine({ url: clusterUrl(), region: `contract-${regionCount}` })
  await assert.rejects(newer.read((view) => view.listCatalog()), (error: unknown) =>
    error instanceof StorageCorrupt && /schema version 999/.test(error.message))
  await newer.close()
})

test('nodes opening a new region together migrate it once', { skip: skipReason }, async () => {
  const region = `together-${++regionCount}`
  const engines = Array.from({ length: 4 }, () => openPostgresEngine({ url: clusterUrl(), region }))
  try {
    await Promise.all(engines.map((engine, index) =>
      engine.transact((tx) => tx.putState('nodes', String(index), 'up'))))
    const entries = await engines[0]!.read((view) => view.listState('nodes'))
    assert.equal(entries.length, 4)
  } finally {
    await Promise.all(engines.map((engine) => engine.close()))
  }
})

test('a node holds one pool (of the size set) and one listening connection per database, whatever the regions; each region hears its own commits', { skip: skipReason }, async () => {
  const url = await createDatabaseAt(clusterUrl(), 'many_regions')
  const regions = 12
  const poolSize = 4
  const engines = Array.from({ length: regions }, (_, index) => openPostgresEngine({ url, region: `many-${index}`, poolSize }))
  const heard = engines.map(() => [] as string[])
  engines.forEach((engine, index) => engine.onCommit!((topic) => heard[index]!.push(topic)))
  try {
    // Every region writes and reads, so each has opened what it uses, until it hears its commit
    // (a commit before its LISTEN is in place goes unheard; bounded: a hang guard).
    await Promise.all(engines.map(async (engine, index) => {
      for (let attempt = 0; attempt < 500 && !heard[index]!.includes('changes'); attempt++) {
        await engine.transact((tx) => tx.appendChange({
          tableId: 't', eventName: 'INSERT', key: Buffer.from([index]), keysJson: '{}', timeMicros: 1, originRegion: 'us-east-1',
        }), { byKey: true })
        await engine.read((view) => view.readChanges('t', 0, 1))
        if (!heard[index]!.includes('changes')) await sleep(10)
      }
    }))
    assert.ok(heard.every((topics) => topics.includes('changes')), 'every region heard its commit')
    assert.ok(heard.every((topics) => !topics.includes('catalog')), 'and only what was committed in it')
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    const { rows } = await client.query(`SELECT application_name AS name, count(*)::int AS connections FROM pg_stat_activity
      WHERE datname = 'many_regions' AND application_name LIKE 'eddydb%' GROUP BY 1`)
    await client.end()
    const connections = Object.fromEntries(rows.map((row) => [row.name, row.connections]))
    assert.equal(connections['eddydb-listener'], 1)
    assert.ok(connections.eddydb >= 1 && connections.eddydb <= poolSize, `pooled connections: ${connections.eddydb}`)
    // Another engine of region 0 in this process (a test's second node) closing leaves the first hearing.
    const twin = openPostgresEngine({ url, region: 'many-0', poolSize })
    twin.onCommit!(() => undefined)
    await twin.read((view) => view.listCatalog())
    await twin.close()
    heard[0]!.length = 0
    for (let attempt = 0; attempt < 500 && !heard[0]!.includes('changes'); attempt++) {
      await engines[0]!.transact((tx) => tx.appendChange({
        tableId: 't', eventName: 'MODIFY', key: Buffer.from([0]), keysJson: '{}', timeMicros: 2, originRegion: 'us-east-1',
      }), { byKey: true })
      if (!heard[0]!.includes('changes')) await sleep(10)
    }
    assert.ok(heard[0]!.includes('changes'), 'region 0 still hears its commits')
  } finally {
    await Promise.all(engines.map((engine) => engine.close()))
  }
})

// Nothing listens on port 1: the engine reports which database it could not reach, without the
// password, as StorageUnavailable (needs no PostgreSQL installed).
test('an unreachable database fails reads with a message naming it, password left out', async () => {
  const engine = openPostgresEngine({ url: 'postgresql://eddydb:secret@127.0.0.1:1/nowhere', region: 'us-east-1' })
  await assert.rejects(engine.read((view) => view.listCatalog()), (error: unknown) =>
    error instanceof StorageUnavailable && error.message.includes('postgresql://eddydb@127.0.0.1:1/nowhere')
      && !error.message.includes('secret'))
  await engine.close()
})

test('storage URLs other than postgresql:// are refused', () => {
  assert.throws(() => openPostgresEngine({ url: 'mysql://127.0.0.1/x', region: 'us-east-1' }), /postgresql:\/\//)
  assert.throws(() => openPostgresEngine({ url: 'postgresql://127.0.0.1/x', region: 'Bad_Region' }), /region name/)
})

// A server that accepts connections and never says a word (as a host behind a firewall that
// drops packets, or a hung server): reads fail with StorageUnavailable once the connect timeout
// has passed, instead of waiting for good (needs no PostgreSQL installed).
test('a database that accepts connections and never answers fails reads with StorageUnavailable', { timeout: 60_000 }, async () => {
  const sockets = new Set<Socket>()
  const silent = createServer((socket) => { sockets.add(socket.on('error', () => undefined)) })
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  const { port } = silent.address() as AddressInfo
  const engine = openPostgresEngine({ url: `postgresql://eddydb@127.0.0.1:${port}/silent`, region: 'us-east-1' })
  try {
    await assert.rejects(engine.read((view) => view.listCatalog()), (error: unknown) =>
      error instanceof StorageUnavailable && error.message.includes(`127.0.0.1:${port}/silent`))
  } finally {
    await engine.close()
    for (const socket of sockets) socket.destroy()
    await new Promise<void>((resolve) => silent.close(() => resolve()))
  }
})
