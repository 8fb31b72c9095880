/**
 * A table created (or deleted and recreated) on another node moments ago may not have reached
 * this node's catalog yet: its notification is still on the way (cluster/wakeups.ts). Rather than
 * answer ResourceNotFoundException for a table that exists, a node on a shared database reloads
 * its catalog once when an operation reports a missing table, and runs the operation again if
 * the reload changed what it knows. Operations look their tables up before they write anything,
 * so the first run left nothing behind.
 */
import type { RegionContext } from '../api/context.js'
import { ResourceNotFoundException } from '../errors.js'

export async function withCatalogCaughtUp<T>(region: RegionContext, run: () => Promise<T>): Promise<T> {
  if (region.config.storageUrl === undefined) return run()
  try {
    return await run()
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error
    const before = tablesKnown(region)
    await region.catalog.refresh()
    if (tablesKnown(region) === before) throw error
    return run()
  }
}

/** The names and TableIds the catalog holds, as one comparable string. */
function tablesKnown(region: RegionContext): string {
  return region.catalog.names().map((name) => `${name}=${region.catalog.record(name)?.description.TableId ?? ''}`).join('\n')
}
