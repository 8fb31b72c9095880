/**
 * The backup service of a region: at startup it takes up the restores and backups a stop
 * interrupted; it removes system backups past their expiry; on shutdown it stops the copies
 * between two pages (they start over at the next start).
 */
import { ageNow, type BackgroundService, type BackgroundServiceFactory, type RegionContext } from '../api/context.js'
import { isExpired } from './backup-lookup.js'
import { deleteBackupAndItems, listBackupRecords } from './backup-store.js'
import { jobsOf, rescanJobs } from './jobs.js'
import { resumeRestores } from './restore-table.js'
import { resumeBackups } from './take-backup.js'

const expiryCheckIntervalMs = 3_600_000

export async function purgeExpiredBackups(ctx: RegionContext): Promise<void> {
  // Deletion by age: on the age clock, which a wall clock stepped forward does not move at once.
  const nowMs = ageNow(ctx.clock)
  for (const backup of await ctx.storage.read(listBackupRecords)) {
    if (isExpired(backup, nowMs)) await ctx.storage.transact((tx) => deleteBackupAndItems(tx, backup))
  }
}

class BackupService implements BackgroundService {
  readonly #ctx: RegionContext
  #timer: NodeJS.Timeout | undefined
  #starting: Promise<void> = Promise.resolve()
  #stopRescans: () => void = () => {}

  constructor(ctx: RegionContext) {
    this.#ctx = ctx
  }

  start(): void {
    const ctx = this.#ctx
    this.#starting = (async () => {
      await resumeRestores(ctx)
      await resumeBackups(ctx)
      await purgeExpiredBackups(ctx)
    })().catch((error: unknown) => ctx.log.error('resuming backups and restores failed', { error: String(error) }))
    this.#stopRescans = rescanJobs(ctx, 'backups and restores', async () => {
      await resumeRestores(ctx)
      await resumeBackups(ctx)
    })
    this.#timer = setInterval(() => {
      purgeExpiredBackups(ctx).catch((error: unknown) => ctx.log.warn('backup expiry failed', { error: String(error) }))
    }, expiryCheckIntervalMs)
    this.#timer.unref()
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer)
    this.#stopRescans()
    await this.#starting
    await jobsOf(this.#ctx).stop()
  }
}

export const backupServiceFactory: BackgroundServiceFactory = (ctx) => new BackupService(ctx)
