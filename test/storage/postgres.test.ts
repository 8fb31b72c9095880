/**
 * The storage contract against the PostgreSQL engine, on a throwaway cluster (helpers/postgres.ts):
 * each engine gets a region of its own, so a schema of its own. Plus what only this engine
 * promises: schema versioning, and several engines (nodes) on one database.
 * Skipped, with the reason, where PostgreSQL is not installed.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { connect, createServer, type AddressInfo, type Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import type { StorageEngine } from '../../src/storage/engine.js'
import { StorageCorrupt, StorageUnavailable } from '../../src/storage/errors.js'
import { openPostgresEngine } from '../../src/storage/postgres/engine.js'
import { schemaNameOf, schemaVersionLatest } from '../../src/storage/postgres/schema.js'
import { schemaVersionLockId } from '../../src/storage/postgres/statements.js'
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

/** The nodes (sessions) of `database` holding a schema version lock shared, by application name. */
async function versionLockHolders(client: pg.Client, schemaName: string, version: number, database: string): Promise<string[]> {
  const id = BigInt.asUintN(64, schemaVersionLockId(schemaName, version))
  const { rows } = await client.query(
    `SELECT a.application_name AS name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.mode = 'ShareLock' AND l.granted AND l.objsubid = 1
       AND l.classid = $1::oid AND l.objid = $2::oid AND a.datname = $3`,
    [(id >> 32n).toString(), (id & 0xffffffffn).toString(), database],
  )
  return rows.map((row) => row.name as string).sort()
}

/** Polls `condition` (a hang guard of 400 tries, never a measure of speed). */
async function eventually(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (await condition()) return
    await sleep(25)
  }
  assert.fail(`never happened: ${what}`)
}

test('a newer version does not migrate a schema while a node of the older version runs on it, and does once it has stopped', { skip: skipReason }, async () => {
  const url = await createDatabaseAt(clusterUrl(), 'rolling_upgrade')
  const region = 'rolling-1'
  const schemaName = schemaNameOf(region)
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const node = openPostgresEngine({ url, region })
    await node.read((view) => view.listCatalog())
    assert.deepEqual(await versionLockHolders(client, schemaName, schemaVersionLatest, 'rolling_upgrade'), ['eddydb-version-locks'],
      'an open region holds its version lock')
    await node.close()
    assert.deepEqual(await versionLockHolders(client, schemaName, schemaVersionLatest, 'rolling_upgrade'), [], 'and lets it go on close')

    // The schema as the previous version left it, and a node of that version still running:
    // it holds the previous version's lock, as every node from this one on does.
    const older = schemaVersionLatest - 1
    await client.query(`UPDATE ${schemaName}.schema_version SET version = ${older}`)
    const olderNode = new pg.Client({ connectionString: url })
    await olderNode.connect()
    await olderNode.query('SELECT pg_advisory_lock_shared($1)', [schemaVersionLockId(schemaName, older).toString()])
    const refused = openPostgresEngine({ url, region })
    await assert.rejects(refused.read((view) => view.listCatalog()), (error: unknown) =>
      error instanceof StorageUnavailable &&
      error.message.includes(`is at schema version ${older}, and 1 EddyDB node of that version still runs on it`) &&
      error.message.includes(`migrates the schema to version ${schemaVersionLatest}`))
    await refused.close()
    const { rows } = await client.query(`SELECT version FROM ${schemaName}.schema_version`)
    assert.equal(Number(rows[0].version), older, 'nothing migrated')
    assert.deepEqual(await versionLockHolders(client, schemaName, schemaVersionLatest, 'rolling_upgrade'), [],
      'the refused node holds no lock')

    await olderNode.end()
    const upgraded = openPostgresEngine({ url, region })
    await upgraded.read((view) => view.listCatalog())
    const after = await client.query(`SELECT version FROM ${schemaName}.schema_version`)
    assert.equal(Number(after.rows[0].version), schemaVersionLatest, 'migrated once the older node stopped')
    await upgraded.close()
  } finally {
    await client.end()
  }
})

test('a node that loses its version lock serves nothing until it has taken it again, and then stops serving a schema a newer version migrated meanwhile', { skip: skipReason }, async () => {
  const ownerUrl = await createDatabaseAt(clusterUrl(), 'version_lock_loss')
  // The node connects as a role of its own, whose new connections can be shut out.
  const url = new URL(ownerUrl)
  url.username = 'lossy_node'
  const region = 'lossy-1'
  const schemaName = schemaNameOf(region)
  const client = new pg.Client({ connectionString: ownerUrl })
  await client.connect()
  await client.query('CREATE ROLE lossy_node LOGIN')
  await client.query('ALTER DATABASE version_lock_loss OWNER TO lossy_node')
  // Sessions of this role idle for half a second are ended, as an operator may configure: the
  // lock's session is idle by design and must not be one of them.
  await client.query(`ALTER ROLE lossy_node SET idle_session_timeout = '500ms'`)
  const node = openPostgresEngine({ url: url.toString(), region })
  const lockSession = async () => (await client.query(`SELECT pid FROM pg_stat_activity
    WHERE datname = 'version_lock_loss' AND application_name = 'eddydb-version-locks'`)).rows.map((row) => row.pid as number)
  const dropSession = () => client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE datname = 'version_lock_loss' AND application_name = 'eddydb-version-locks'`)
  const held = async () => (await versionLockHolders(client, schemaName, schemaVersionLatest, 'version_lock_loss')).length === 1
  const readFails = (kind: typeof StorageUnavailable | typeof StorageCorrupt, message: RegExp) => async () => {
    try {
      await node.read((view) => view.listCatalog())
      return false
    } catch (error) {
      if (error instanceof kind && message.test(error.message)) return true
      // Before the loss is noticed, a read may also find the pool unable to connect; after it,
      // while the lock is taken again, the lock's refusal comes first.
      assert.ok(error instanceof StorageUnavailable, String(error))
      return false
    }
  }
  try {
    await node.read((view) => view.listCatalog())
    assert.ok(await held())
    const [pid] = await lockSession()
    await sleep(1500)
    assert.deepEqual(await lockSession(), [pid], 'the idle lock session outlives idle_session_timeout')

    // While the lock cannot be taken again (no new connection of the node's is let in), nothing
    // is served, though connections the node's pool holds would still work.
    await client.query('ALTER ROLE lossy_node RESET idle_session_timeout')
    await client.query('ALTER ROLE lossy_node CONNECTION LIMIT 0')
    await dropSession()
    await eventually(readFails(StorageUnavailable, /schema version lock on eddydb_lossy_1 went with its connection/), 'reads refused without the lock')
    await assert.rejects(node.transact((tx) => tx.putState('nodes', 'a', 'up')), StorageUnavailable)
    await client.query('ALTER ROLE lossy_node CONNECTION LIMIT -1')
    await eventually(held, 'the lock is taken again on a new session')
    // Served again once the node has also read the version again (just after the lock shows).
    await eventually(() => node.read((view) => view.listCatalog()).then(() => true, (error: unknown) => {
      assert.ok(error instanceof StorageUnavailable, String(error))
      return false
    }), 'reads served again')
    await node.transact((tx) => tx.putState('nodes', 'a', 'up'))

    // A newer EddyDB migrates the schema while this node's session is gone.
    await client.query(`UPDATE ${schemaName}.schema_version SET version = ${schemaVersionLatest + 1}`)
    await dropSession()
    await eventually(readFails(StorageCorrupt, new RegExp(`migrated to schema version ${schemaVersionLatest + 1} by a newer EddyDB`)),
      'reads refused once the newer version is found')
    await assert.rejects(node.transact((tx) => tx.putState('nodes', 'a', 'up')), StorageCorrupt)
    await eventually(async () => !(await held()), 'and the lock of the version it no longer serves is let go')
  } finally {
    await node.close()
    await client.end()
  }
})

/**
 * A TCP proxy to the cluster whose connections can each be silenced: the database's side closed
 * (its backend ends, its locks go) while the client's stays open and hears nothing, as after the
 * database's host is gone (no reset ever arrives).
 */
async function silenceableProxy(target: URL): Promise<{ url: string; silence(index: number): void; close(): void }> {
  const pairs: Array<{ client: Socket; upstream: Socket }> = []
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname)
    client.on('error', () => undefined)
    upstream.on('error', () => undefined)
    client.pipe(upstream)
    upstream.pipe(client)
    pairs.push({ client, upstream })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = new URL(target)
  url.port = String((server.address() as AddressInfo).port)
  return {
    url: url.toString(),
    silence(index) {
      const { client, upstream } = pairs[index]!
      client.unpipe(upstream)
      upstream.unpipe(client)
      upstream.destroy()
      client.pause()
    },
    close() {
      server.close()
      for (const { client, upstream } of pairs) {
        client.destroy()
        upstream.destroy()
      }
    },
  }
}

test('a lock session whose connection goes silent is found by its heartbeat: the node stops serving, then takes the lock again', { skip: skipReason }, async () => {
  const direct = await createDatabaseAt(clusterUrl(), 'version_lock_silent')
  const proxy = await silenceableProxy(new URL(direct))
  const client = new pg.Client({ connectionString: direct })
  await client.connect()
  const region = 'silent-1'
  const node = openPostgresEngine({ url: proxy.url, region })
  const held = async () => (await versionLockHolders(client, schemaNameOf(region), schemaVersionLatest, 'version_lock_silent')).length === 1
  try {
    await node.read((view) => view.listCatalog())
    assert.ok(await held())
    // The node's first connection is its lock session (taken before the schema is migrated).
    proxy.silence(0)
    await eventually(async () => !(await held()), 'the lock went with its backend')
    // A bounded wait for the heartbeat (2 s, answered within 3 s), generous for a loaded machine.
    let refused = false
    for (let attempt = 0; attempt < 600 && !refused; attempt++) {
      refused = await node.read((view) => view.listCatalog()).then(() => false, (error: unknown) => {
        assert.ok(error instanceof StorageUnavailable, String(error))
        return /schema version lock on eddydb_silent_1 went with its connection/.test(error.message)
      })
      if (!refused) await sleep(100)
    }
    assert.ok(refused, 'the silent session was found and the node stopped serving')
    await eventually(held, 'the lock is taken again on a new session')
    await eventually(() => node.read((view) => view.listCatalog()).then(() => true, () => false), 'served again')
  } finally {
    await node.close()
    proxy.close()
    await client.end()
  }
})

test('a region whose schema was dropped does not keep the node\'s other regions from taking their version locks again', { skip: skipReason }, async () => {
  const url = await createDatabaseAt(clusterUrl(), 'version_lock_dropped')
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const dropped = openPostgresEngine({ url, region: 'dropped-1' })
  const kept = openPostgresEngine({ url, region: 'kept-1' })
  try {
    await dropped.read((view) => view.listCatalog())
    await kept.read((view) => view.listCatalog())
    await client.query(`DROP SCHEMA ${schemaNameOf('dropped-1')} CASCADE`)
    await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = 'version_lock_dropped' AND application_name = 'eddydb-version-locks'`)
    // The lock is taken again on a new session (a read just after the terminate may still pass,
    // before the node has heard of it), and the kept region is served.
    await eventually(async () => (await versionLockHolders(client, schemaNameOf('kept-1'), schemaVersionLatest, 'version_lock_dropped')).length === 1,
      'the kept region\'s lock taken again')
    await eventually(() => kept.read((view) => view.listCatalog()).then(() => true, (error: unknown) => {
      assert.ok(error instanceof StorageUnavailable, String(error))
      return false
    }), 'the kept region served again')
  } finally {
    await Promise.all([dropped.close(), kept.close()])
    await client.end()
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
