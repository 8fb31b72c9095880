/**
 * The export and import service of a region: at startup it takes up the exports and imports a
 * stop or a crash interrupted (an export starts over, an import goes on from its checkpoint);
 * on shutdown they stop between two pages or batches, with the region's other copy jobs.
 */
import type { BackgroundService, BackgroundServiceFactory, RegionContext } from '../api/context.js'
import { jobsOf } from '../backups/jobs.js'
import { resumeExports } from '../exports/run-export.js'
import { resumeImports } from '../imports/run-import.js'

class TransferService implements BackgroundService {
  #starting: Promise<void> = Promise.resolve()

  constructor(readonly ctx: RegionContext) {}

  start(): void {
    const ctx = this.ctx
    this.#starting = (async () => {
      await resumeExports(ctx)
      await resumeImports(ctx)
    })().catch((error: unknown) => ctx.log.error('resuming exports and imports failed', { error: String(error) }))
  }

  async stop(): Promise<void> {
    await this.#starting
    await jobsOf(this.ctx).stop()
  }
}

export const transferServiceFactory: BackgroundServiceFactory = (ctx) => new TransferService(ctx)
