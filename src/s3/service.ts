/**
 * The export and import service of a region: at startup it takes up the exports and imports a
 * stop or a crash interrupted (an export starts over, an import goes on from its checkpoint; a
 * bulk put items operation ends FAILED, src/bulk/run-bulk-put.ts);
 * on shutdown they stop between two pages or batches, with the region's other copy jobs.
 */
import type { BackgroundService, BackgroundServiceFactory, RegionContext } from '../api/context.js'
import { jobsOf, rescanJobs } from '../backups/jobs.js'
import { resumeExports } from '../exports/run-export.js'
import { resumeImports } from '../imports/run-import.js'
import { failInterruptedBulkOperations } from '../bulk/bulk-operation-record.js'

class TransferService implements BackgroundService {
  #starting: Promise<void> = Promise.resolve()
  #stopRescans: () => void = () => {}

  constructor(readonly ctx: RegionContext) {}

  start(): void {
    const ctx = this.ctx
    const resume = async () => {
      await resumeExports(ctx)
      await resumeImports(ctx)
      await failInterruptedBulkOperations(ctx)
    }
    this.#starting = resume().catch((error: unknown) => ctx.log.error('resuming exports and imports failed', { error: String(error) }))
    this.#stopRescans = rescanJobs(ctx, 'exports and imports', resume)
  }

  async stop(): Promise<void> {
    this.#stopRescans()
    await this.#starting
    await jobsOf(this.ctx).stop()
  }
}

export const transferServiceFactory: BackgroundServiceFactory = (ctx) => new TransferService(ctx)
