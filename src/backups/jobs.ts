/**
 * The copies a region runs in the background (backups being taken, restores), by id: started
 * once each, awaited on shutdown and by tests, counted for the concurrent-restore limit.
 */
import type { RegionContext } from '../api/context.js'
import type { TableCatalog } from '../tables/catalog.js'

export class RegionJobs {
  readonly #running = new Map<string, Promise<void>>()
  /** Set on shutdown: copies stop between pages and are taken up again at the next start. */
  stopping = false
  /** While set, jobs wait for it before they start (hold()). */
  #held: { released: Promise<void>; release: () => void } | undefined

  /** Starts `work` on a later turn of the event loop unless a job with this id runs already. */
  run(ctx: RegionContext, id: string, work: () => Promise<void>): Promise<void> {
    const running = this.#running.get(id)
    if (running) return running
    const job = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.#held?.released)
      .then(work)
      .catch((error: unknown) => ctx.log.error('backup or restore job failed', { job: id, error: String(error) }))
      .finally(() => this.#running.delete(id))
    this.#running.set(id, job)
    return job
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

  isRunning(id: string): boolean {
    return this.#running.has(id)
  }

  /** Asks running copies to stop at their next page and waits for them. */
  async stop(): Promise<void> {
    this.stopping = true
    this.#held?.release()
    await this.whenIdle()
  }

  async whenIdle(): Promise<void> {
    // A bound on rounds: each round waits for every job running at its start.
    for (let round = 0; round < 1000 && this.#running.size > 0; round++) await Promise.all(this.#running.values())
  }
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
