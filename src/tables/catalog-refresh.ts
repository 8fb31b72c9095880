/**
 * Keeps a node's catalog in step with the other nodes on the same database: every
 * refreshIntervalMs it compares the catalog version token (catalog-version.ts) with the one it
 * last read, and reloads the table definitions when they differ. Catalog changes are announced
 * at once (cluster/wakeups.ts, PostgreSQL NOTIFY); this poll is the safety net for a lost
 * announcement, so a table created on one node is usable on the others within one interval.
 *
 * Only servers on a shared database run it (regions.ts); a data directory has one writer.
 */
import type { BackgroundService } from '../api/context.js'
import type { Logger } from '../log.js'
import type { TableCatalog } from './catalog.js'

export const catalogRefreshIntervalMs = 1000

export function catalogRefresh(catalog: TableCatalog, log: Logger, intervalMs = catalogRefreshIntervalMs): BackgroundService {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> = Promise.resolve()
  let stopped = false
  const schedule = (): void => {
    timer = setTimeout(() => {
      running = catalog.refresh()
        .catch((error: unknown) => log.warn('catalog refresh failed', { region: catalog.region, error: String(error) }))
        .finally(() => { if (!stopped) schedule() })
    }, intervalMs)
  }
  return {
    start: schedule,
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}
