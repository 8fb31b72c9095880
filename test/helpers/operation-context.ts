/**
 * A request context over a storage engine, for tests that call operation handlers directly:
 * no HTTP, no background services, a fixed clock, so that what the test counts or compares is
 * what the operations alone did.
 */
import type { Clock, RequestContext } from '../../src/api/context.js'
import { CommitSignal } from '../../src/changes/commit-signal.js'
import { defaultConfig } from '../../src/config.js'
import { createLogger } from '../../src/log.js'
import type { StorageEngine } from '../../src/storage/engine.js'
import { TableCatalog } from '../../src/tables/catalog.js'

const clock: Clock = { now: () => Date.UTC(2026, 0, 1) }

export async function operationContext(storage: StorageEngine): Promise<RequestContext> {
  const catalog = new TableCatalog(storage, 'us-east-1', '123456789012', clock)
  await catalog.load()
  return {
    region: 'us-east-1', accountId: '123456789012', storage, catalog, clock,
    log: createLogger('silent'), config: defaultConfig, commits: new CommitSignal(), requestId: 'r',
  }
}
