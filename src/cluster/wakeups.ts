/**
 * Wakes a region's readers when another node commits (StorageEngine.onCommit; PostgreSQL's
 * LISTEN/NOTIFY): appended changes wake the region's CommitSignal (trigger runners and other
 * change-log readers), a catalog change makes the table catalog reload. Readers keep a slow poll
 * as a safety net for notifications lost with the listening connection.
 */
import type { CommitSignal } from '../changes/commit-signal.js'
import type { Logger } from '../log.js'
import type { StorageEngine } from '../storage/engine.js'
import type { TableCatalog } from '../tables/catalog.js'
import { catalogRefreshFailures } from '../tables/catalog-refresh.js'

export function wakeOnCommitsElsewhere(storage: StorageEngine, commits: CommitSignal, catalog: TableCatalog, log: Logger): void {
  // One catalog reload at a time; announcements during one cause one more after it.
  const failures = catalogRefreshFailures(catalog, log)
  let refreshing: Promise<void> | undefined
  let again = false
  const refresh = (): void => {
    if (refreshing) {
      again = true
      return
    }
    refreshing = catalog.refresh()
      .then(() => failures.succeeded(), (error: unknown) => failures.failed(error))
      .finally(() => {
        refreshing = undefined
        if (again) {
          again = false
          refresh()
        }
      })
  }
  storage.onCommit?.((topic) => (topic === 'changes' ? commits.notify() : refresh()))
}
