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
import { FailureRunLog, type Logger } from '../log.js'
import type { TableCatalog } from './catalog.js'

export const catalogRefreshIntervalMs = 1000

const refreshFailures = new WeakMap<TableCatalog, FailureRunLog>()

/**
 * The log of a catalog's refreshes, shared by the poll below and the reloads announcements start
 * (cluster/wakeups.ts): a run of failures (a database outage) is one line for the catalog.
 */
export function catalogRefreshFailures(catalog: TableCatalog, log: Logger): FailureRunLog {
  let failures = refreshFailures.get(catalog)
  if (!failures) {
    failures = new FailureRunLog(log, { failed: 'catalog refresh failed', recovered: 'catalog refresh works again' }, { region: catalog.region })
    refreshFailures.set(catalog, failures)
  }
  return failures
}

export function catalogRefresh(catalog: TableCatalog, log: Logger, intervalMs = catalogRefreshIntervalMs): BackgroundService {
  const failures = catalogRefreshFailures(catalog, log)
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> = Promise.resolve()
  let stopped = false
  const schedule = (): void => {
    timer = setTimeout(() => {
      running = catalog.refresh()
        .then(() => failures.succeeded(), (error: unknown) => failures.failed(error))
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
