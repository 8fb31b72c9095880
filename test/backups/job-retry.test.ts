/**
 * The background job runner (src/backups/jobs.ts) after a failure: a job that storage stops (a
 * full disk, a database out of reach: StorageUnavailable) runs again by itself, told that it is a
 * run again, so that it goes on from what storage holds; on shared storage each run holds the
 * job's lease. Any other error ends the job, as before. A stopping region wakes a job waiting to
 * run again, which then ends (it is taken up at the next start). The real thing, a full disk under
 * a GSI backfill and a backup, is test/e2e/disk-full.test.ts.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { jobsOf } from '../../src/backups/jobs.js'
import { leaseHolder } from '../../src/cluster/leases.js'
import { StorageUnavailable } from '../../src/storage/errors.js'
import { startTestServer } from '../helpers/server.js'

/** Turns of the event loop a test waits, at most, for a job's first run. */
const turnsMax = 10_000

test('a job that storage stops runs again, holding its lease; one that fails otherwise does not', async () => {
  const server = await startTestServer()
  try {
    const ctx = await server.running!.regions.get('us-east-1')
    const runs: Array<{ again: boolean; leased: boolean }> = []
    await jobsOf(ctx).run(ctx, 'test/transient', async (again) => {
      const holder = await ctx.storage.read((view) => leaseHolder(view, 'job/test/transient'))
      runs.push({ again, leased: holder !== undefined })
      if (runs.length === 1) throw new StorageUnavailable('database or disk is full')
    })
    // A data directory or memory takes no lease per job: its one process runs every job.
    const leased = ctx.config.storageUrl !== undefined
    assert.deepEqual(runs, [{ again: false, leased }, { again: true, leased }])

    let permanentRuns = 0
    await jobsOf(ctx).run(ctx, 'test/permanent', async () => {
      permanentRuns++
      throw new Error('a bug, not storage')
    })
    assert.equal(permanentRuns, 1)
  } finally {
    await server.close()
  }
})

test('a stopping region wakes a job waiting to run again, which ends', async () => {
  const server = await startTestServer()
  try {
    const ctx = await server.running!.regions.get('us-east-1')
    let runs = 0
    const job = jobsOf(ctx).run(ctx, 'test/always-unavailable', async () => {
      runs++
      throw new StorageUnavailable('database or disk is full')
    })
    for (let turn = 0; turn < turnsMax && runs === 0; turn++) await nextTurn()
    assert.equal(runs, 1)
    await jobsOf(ctx).stop()
    await job
    assert.equal(jobsOf(ctx).isRunning('test/always-unavailable'), false)
    assert.equal(runs, 1)
  } finally {
    await server.close()
  }
})
