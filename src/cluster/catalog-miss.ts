/**
 * A node's catalog can be a moment behind the database: a table created, deleted or changed on
 * another node moments ago, whose notification is still on the way (cluster/wakeups.ts). Two
 * symptoms, one cure (reload the catalog, run the request again), on a shared database only:
 *
 * - An operation reports a missing table that exists: run again if the reload changed what the
 *   node knows.
 * - A write transaction finds that the definition it wrote under is no longer current
 *   (StateMismatch, tables/definition-version.ts): run again on the reloaded definition, which
 *   then writes the new index rows, or answers ResourceNotFoundException for a deleted table.
 *
 * Both fail before anything commits (operations look their tables up before they write, and a
 * failed check rolls its transaction back), so the earlier run left nothing behind.
 */
import type { RegionContext } from '../api/context.js'
import { ResourceNotFoundException } from '../errors.js'
import { StateMismatch } from '../storage/errors.js'
import { promiseCall } from '../promise-call.js'

/** Runs of a request, the first included: a definition can change again while it runs, but not forever. */
const requestRunsMax = 4

export function withCatalogCaughtUp<T>(region: RegionContext, run: () => Promise<T>): Promise<T> {
  if (region.config.storageUrl === undefined) return promiseCall(run)
  return runCaughtUp(region, run)
}

async function runCaughtUp<T>(region: RegionContext, run: () => Promise<T>): Promise<T> {
  for (let runs = 1; ; runs++) {
    try {
      return await run()
    } catch (error) {
      if (runs >= requestRunsMax) throw error
      if (error instanceof StateMismatch) {
        await region.catalog.refresh()
        continue
      }
      if (!(error instanceof ResourceNotFoundException)) throw error
      const before = tablesKnown(region)
      await region.catalog.refresh()
      if (tablesKnown(region) === before) throw error
    }
  }
}

/** The names and TableIds the catalog holds, as one comparable string. */
function tablesKnown(region: RegionContext): string {
  return region.catalog.names().map((name) => `${name}=${region.catalog.record(name)?.description.TableId ?? ''}`).join('\n')
}
