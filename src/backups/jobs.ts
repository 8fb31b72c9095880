/**
 * The copies a region runs in the background (backups being taken, restores, exports, imports),
 * by id: started once each, awaited on shutdown and by tests, counted for the concurrent-restore
 * limit.
 *
 * On storage shared by several nodes (PostgreSQL), a job runs on one node only: it holds the
 * lease `job/<id>` (src/cluster/leases.ts) while it runs, so a node that starts meanwhile and
 * finds the job IN_PROGRESS (the resume scans at startup) leaves it to its runner. A runner that
 * cannot renew its lease stops the job at its next page, as on shutdown; a page whose job checks
 * its lease in the page's transaction (fence(): restores) is not written by a runner whose lease
 * another node holds now, and the job ends here quietly. The lease is released
 * when a job is stopped, and left to expire when it ends: a node that read the job as
 * IN_PROGRESS a moment before it ended cannot take it up again and run it twice. The services
 * that take jobs up scan again every few seconds on shared storage (rescanJobs), so the jobs of
 * a node that died, or of a process killed and restarted, are taken up once their lease expires.
 *
 * A job that storage stops (a full disk, a database restarting or out of connections: a
 * StorageUnavailable, or a StorageConflict its retries did not get past) is not dropped: it
 * waits, 1 s and then twice as long each time up to 30 s, and runs again, here, until it ends or
 * the region stops, as writes resume once there is space again. So a job's work must take the
 * job up from what storage holds, as the resume scans at startup do, not from what it was given
 * when it first started (`work(again)` says which run it is). Each run takes the job's lease
 * anew: while it waits, another node may take the lease once it expires, and this one then
 * leaves the job to it. Any other error ends the job as before: it is logged, and the job is left
 * to the next start (or scan).
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { RegionContext } from '../api/context.js'
import type { TableCatalog } from '../tables/catalog.js'
import { acquireLease, defaultLeaseTiming, heldLease, LeaseLost, leaseHolder, newHolderId, releaseLease, renewLease, type HeldLease } from '../cluster/leases.js'
import type { ReadView } from '../storage/engine.js'
import { FailureRunLog } from '../log.js'
import { isTransientStorageError } from '../storage/errors.js'

/** What the job running in this async context knows about itself. */
interface JobState {
  /** Its lease was lost: another node may run it now. */
  leaseLost: boolean
  /** Its lease, on storage shared by nodes. */
  lease?: HeldLease
}

const currentJob = new AsyncLocalStorage<JobState>()

/** The first wait before a job that storage stopped runs again; each wait doubles it, up to the next. */
const retryWaitFirstMs = 1000
const retryWaitMaxMs = 30_000

export class RegionJobs {
  readonly #running = new Map<string, Promise<void>>()
  readonly #holder = newHolderId()
  /** Set on shutdown: copies stop between pages and are taken up again at the next start. */
  #stopping = false
  /** Wakes the jobs waiting to run again after a storage error, on shutdown. */
  readonly #wakeOnStop = new Set<() => void>()
  /** While set, jobs wait for it before they start (hold()). */
  #held: { released: Promise<void>; release: () => void } | undefined

  /**
   * Whether the job asking should stop at its next page: the region is stopping, or (asked
   * from inside a job) that job's lease was lost.
   */
  get stopping(): boolean {
    return this.#stopping || currentJob.getStore()?.leaseLost === true
  }

  /**
   * Starts `work` on a later turn of the event loop unless a job with this id runs already,
   * here or (on shared storage) on another node.
   */
  run(ctx: RegionContext, id: string, work: (again: boolean) => Promise<void>): Promise<void> {
    const running = this.#running.get(id)
    if (running) return running
    const job = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.#untilDone(ctx, id, async (again) => {
        await this.#held?.released
        await work(again)
      }))
      .catch((error: unknown) => ctx.log.error('background copy job failed', { job: id, error: String(error) }))
      .finally(() => this.#running.delete(id))
    this.#running.set(id, job)
    return job
  }

  /** Runs `work` until it ends, again after each transient storage error (see the top of this file). */
  async #untilDone(ctx: RegionContext, id: string, work: (again: boolean) => Promise<void>): Promise<void> {
    const failures = new FailureRunLog(ctx.log,
      { failed: 'background copy job waits for storage', recovered: 'background copy job goes on' }, { region: ctx.region, job: id })
    for (let waitMs = retryWaitFirstMs, again = false; ; waitMs = Math.min(waitMs * 2, retryWaitMaxMs), again = true) {
      try {
        await this.#leased(ctx, id, () => work(again))
        failures.succeeded()
        return
      } catch (error) {
        // Another node took the job over while this one was stopped (a pause longer than the
        // lease): it goes on there, from the progress stored; nothing went wrong here.
        if (error instanceof LeaseLost) {
          ctx.log.info('background copy job taken over by another node', { region: ctx.region, job: id })
          return
        }
        if (!isTransientStorageError(error) || this.#stopping) throw error
        failures.failed(error)
      }
      await this.#waitUnlessStopping(waitMs)
      // Stopped meanwhile: the job is taken up at the next start.
      if (this.#stopping) return
    }
  }

  #waitUnlessStopping(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer)
        this.#wakeOnStop.delete(wake)
        resolve()
      }
      // Not what keeps a process alive: a job left waiting is taken up at the next start.
      const timer = setTimeout(wake, ms).unref()
      this.#wakeOnStop.add(wake)
    })
  }

  /** Runs `work` under the job's lease on shared storage; at once on a data directory. */
  async #leased(ctx: RegionContext, id: string, work: () => Promise<void>): Promise<void> {
    // A data directory has one process (its lock): no other node can run the job.
    if (ctx.config.storageUrl === undefined) return work()
    const name = `job/${id}`
    const token = await acquireLease(ctx.storage, name, this.#holder, defaultLeaseTiming)
    if (token === undefined) {
      ctx.log.debug('job runs on another node', { region: ctx.region, job: id })
      return
    }
    const state: JobState = { leaseLost: false, lease: heldLease(name, this.#holder, token) }
    const renewals = setInterval(() => {
      renewLease(ctx.storage, name, this.#holder, token, defaultLeaseTiming)
        .then((renewed) => { if (!renewed) state.leaseLost = true })
        .catch(() => { state.leaseLost = true })
    }, defaultLeaseTiming.renewEveryMs)
    renewals.unref()
    try {
      await currentJob.run(state, work)
    } finally {
      clearInterval(renewals)
      if (this.#stopping) await releaseLease(ctx.storage, name, this.#holder, token).catch(() => undefined)
    }
  }

  /**
   * Keeps jobs from starting their work until the returned function is called (or the region
   * stops): how a test keeps restores in progress as long as it needs, without racing the copy.
   */
  hold(): () => void {
    if (!this.#held) {
      let release!: () => void
      const released = new Promise<void>((resolve) => { release = resolve })
      this.#held = { released, release: () => { this.#held = undefined; release() } }
    }
    return this.#held.release
  }

  /**
   * For the job running in this async context, a check for each of its page transactions to make
   * first: LeaseLost when another node holds its lease now, so that a node resumed after a pause
   * longer than the lease writes nothing more (the renewals that set `stopping` may not have run
   * yet). Nothing to check on a data directory.
   */
  fence(): (view: ReadView) => Promise<void> {
    const lease = currentJob.getStore()?.lease
    return lease ? (view) => lease.fence(view) : async () => undefined
  }

  isRunning(id: string): boolean {
    return this.#running.has(id)
  }

  /** Whether the job runs here or, on shared storage, on a node that holds its lease. */
  async isRunningAnywhere(ctx: RegionContext, id: string): Promise<boolean> {
    if (this.#running.has(id)) return true
    if (ctx.config.storageUrl === undefined) return false
    return await ctx.storage.read((view) => leaseHolder(view, `job/${id}`)) !== undefined
  }

  /** Asks running copies to stop at their next page and waits for them. */
  async stop(): Promise<void> {
    this.#stopping = true
    this.#held?.release()
    for (const wake of [...this.#wakeOnStop]) wake()
    await this.whenIdle()
  }

  async whenIdle(): Promise<void> {
    // A bound on rounds: each round waits for every job running at its start.
    for (let round = 0; round < 1000 && this.#running.size > 0; round++) await Promise.all(this.#running.values())
  }
}

/** How often a job service looks again for jobs nobody runs, on storage shared by nodes. */
const rescanEveryMs = defaultLeaseTiming.ttlMs + defaultLeaseTiming.renewEveryMs

/**
 * Runs `scan` (a service's "take up the jobs left IN_PROGRESS") again every few seconds while
 * storage is shared by nodes; returns what stops it. A data directory has one process, whose
 * startup scan finds every job. `jobs` names them in the log.
 */
export function rescanJobs(ctx: RegionContext, jobs: string, scan: () => Promise<void>): () => void {
  if (ctx.config.storageUrl === undefined) return () => {}
  const failures = new FailureRunLog(ctx.log, { failed: 'taking up jobs failed', recovered: 'taking up jobs works again' }, { region: ctx.region, jobs })
  let scanning: Promise<void> = Promise.resolve()
  const timer = setInterval(() => {
    scanning = scanning.then(scan).then(() => failures.succeeded(), (error: unknown) => failures.failed(error))
  }, rescanEveryMs)
  timer.unref()
  return () => clearInterval(timer)
}

const jobsByRegion = new WeakMap<TableCatalog, RegionJobs>()

/** The region's jobs (keyed by its catalog: request contexts are made per request). */
export function jobsOf(ctx: RegionContext): RegionJobs {
  let jobs = jobsByRegion.get(ctx.catalog)
  if (!jobs) {
    jobs = new RegionJobs()
    jobsByRegion.set(ctx.catalog, jobs)
  }
  return jobs
}
