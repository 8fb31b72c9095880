/**
 * The lease facility (src/cluster/leases.ts) on both engines: one holder at a time, renewal,
 * takeover after expiry with a higher fencing token, fencing of the old holder's transactions,
 * release; and a leased service that starts on one of two nodes and moves when its node stops.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import type { BackgroundService, RegionContext } from '../../src/api/context.js'
import { acquireLease, heldLease, leased, leaseHolder, LeaseLost, releaseLease, renewLease } from '../../src/cluster/leases.js'
import { defaultConfig } from '../../src/config.js'
import { createLogger } from '../../src/log.js'
import type { StorageEngine } from '../../src/storage/engine.js'
import { openPostgresEngine } from '../../src/storage/postgres/engine.js'
import { openSqliteEngine } from '../../src/storage/sqlite/engine.js'
import { postgresSkipReason, startPostgres, type PostgresCluster } from '../helpers/postgres.js'

const skipReason = postgresSkipReason()
let cluster: PostgresCluster | undefined
before(async () => { if (!skipReason) cluster = await startPostgres() })
after(async () => { await cluster?.stop() })

// Leases long enough that no load stalls a holder past its expiry: expiry is made on purpose
// (a renewal with a 1 ms lease) where a test needs it, never waited for against the clock.
const timing = { ttlMs: 60_000, renewEveryMs: 50 }
const expiringNow = { ttlMs: 1, renewEveryMs: 50 }

/** Polls `check` until it holds, at most `attempts` times (bounded work, no timing assertion). */
async function eventually(check: () => Promise<boolean> | boolean, attempts = 400): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (await check()) return
    await sleep(25)
  }
  assert.fail('condition never became true')
}

const engines: Array<{ name: string; skip?: string; open: () => StorageEngine[] }> = [
  { name: 'sqlite', open: () => { const one = openSqliteEngine({ inMemory: true }); return [one, one] } },
  {
    name: 'postgres', skip: skipReason,
    open: () => {
      const region = `leases-${Math.random().toString(36).slice(2, 8)}`
      return [openPostgresEngine({ url: cluster!.url(), region }), openPostgresEngine({ url: cluster!.url(), region })]
    },
  },
]

for (const { name, skip, open } of engines) {
  test(`${name}: one holder at a time; takeover after expiry fences the old holder`, { skip }, async () => {
    const [nodeA, nodeB] = open()
    try {
      const tokenA = await acquireLease(nodeA!, 'work', 'node-a', timing)
      assert.equal(tokenA, 1)
      assert.equal(await acquireLease(nodeB!, 'work', 'node-b', timing), undefined)
      assert.equal(await renewLease(nodeA!, 'work', 'node-a', tokenA!, timing), true)
      assert.equal(await nodeB!.read((view) => leaseHolder(view, 'work')), 'node-a')
      // node-a's last renewal gives it a moment, then it dies: once that has expired, node-b takes it.
      assert.equal(await renewLease(nodeA!, 'work', 'node-a', tokenA!, expiringNow), true)
      let tokenB: number | undefined
      await eventually(async () => (tokenB = await acquireLease(nodeB!, 'work', 'node-b', timing)) !== undefined)
      assert.equal(tokenB, 2)
      assert.equal(await renewLease(nodeA!, 'work', 'node-a', tokenA!, timing), false)
      // A fenced transaction of the old holder rolls back.
      const stale = heldLease('work', 'node-a', tokenA!)
      await assert.rejects(nodeA!.transact(async (tx) => {
        await tx.putState('test', 'written-by-a', 'x')
        await stale.fence(tx)
      }), LeaseLost)
      await nodeB!.transact((tx) => heldLease('work', 'node-b', tokenB!).fence(tx))
      assert.equal(await nodeA!.read((view) => view.getState('test', 'written-by-a')), undefined)
      // Released, it is free at once.
      await releaseLease(nodeB!, 'work', 'node-b', tokenB!)
      assert.equal(await acquireLease(nodeA!, 'work', 'node-a', timing), 3)
    } finally {
      await nodeA!.close()
      if (nodeB !== nodeA) await nodeB!.close()
    }
  })
}

function regionOn(storage: StorageEngine, storageUrl: string | undefined): RegionContext {
  return {
    region: 'us-east-1', accountId: '000000000000', storage, catalog: undefined as never, clock: { now: () => Date.now() },
    log: createLogger('silent'), config: { ...defaultConfig, storageUrl }, commits: undefined as never,
  }
}

test('postgres: a leased service runs on one node and moves to the other when that node stops', { skip: skipReason }, async () => {
  const region = `leased-${Math.random().toString(36).slice(2, 8)}`
  const url = cluster!.url()
  const running = new Set<string>()
  const serviceOf = (node: string) => leased('job', (): BackgroundService => ({
    start: () => { running.add(node) },
    stop: async () => { running.delete(node) },
  }), timing)
  const storageA = openPostgresEngine({ url, region })
  const storageB = openPostgresEngine({ url, region })
  const serviceA = serviceOf('a')(regionOn(storageA, url))
  const serviceB = serviceOf('b')(regionOn(storageB, url))
  serviceA.start()
  await eventually(() => running.size === 1)
  serviceB.start()
  // Several renewal periods: still exactly one node runs it.
  for (let round = 0; round < 10; round++) {
    await sleep(timing.renewEveryMs)
    assert.equal(running.size, 1, `one runner at a time, got ${[...running].join(',')}`)
  }
  const first = [...running][0]!
  await (first === 'a' ? serviceA : serviceB).stop()
  await eventually(() => running.size === 1 && !running.has(first))
  await (first === 'a' ? serviceB : serviceA).stop()
  assert.equal(running.size, 0)
  await storageA.close()
  await storageB.close()
})

test('sqlite: on a data directory a leased service takes its lease once and never renews it (no idle commits)', async () => {
  const storage = openSqliteEngine({ inMemory: true })
  let transactions = 0
  const counting: StorageEngine = {
    read: (fn) => storage.read(fn),
    transact: (fn) => { transactions++; return storage.transact(fn) },
    close: () => storage.close(),
  }
  let started = false
  const service = leased('work', (): BackgroundService => ({ start: () => { started = true }, stop: async () => {} }), timing)(regionOn(counting, undefined))
  service.start()
  await eventually(() => started)
  assert.equal(transactions, 1, 'the lease was taken in one transaction')
  assert.match(await storage.read((view) => leaseHolder(view, 'work')) ?? '', new RegExp(`/${process.pid}/`))
  // Twenty renewal periods: the old code renewed (one commit each) every renewEveryMs.
  await sleep(timing.renewEveryMs * 20)
  assert.equal(transactions, 1, 'no renewal commits while held')
  await service.stop()
  assert.equal(transactions, 2, 'stopping releases the lease')
  assert.equal(await storage.read((view) => leaseHolder(view, 'work')), undefined)
  await storage.close()
})
