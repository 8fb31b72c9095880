/**
 * Regions are namespaces: each has its own storage (a file per region in the data directory)
 * and its own table catalog, opened on the first request that names the region.
 */
import type { Clock, RegionContext } from './api/context.js'
import type { Logger } from './log.js'
import { openStorage } from './storage/open.js'
import { TableCatalog } from './tables/catalog.js'

export interface RegionOptions {
  dataDir?: string
  inMemory: boolean
  accountId: string
  clock: Clock
  log: Logger
}

export class Regions {
  readonly #options: RegionOptions
  readonly #opening = new Map<string, Promise<RegionContext>>()
  readonly #open = new Map<string, RegionContext>()

  constructor(options: RegionOptions) {
    this.#options = options
  }

  /** The region's context; opened once, then served from a map. */
  get(region: string): RegionContext | Promise<RegionContext> {
    const open = this.#open.get(region)
    if (open) return open
    let opening = this.#opening.get(region)
    if (!opening) {
      opening = this.#openRegion(region)
      this.#opening.set(region, opening)
      opening.catch(() => this.#opening.delete(region))
    }
    return opening
  }

  async #openRegion(region: string): Promise<RegionContext> {
    const { dataDir, inMemory, accountId, clock, log } = this.#options
    const storage = openStorage({ dataDir, inMemory, region })
    const catalog = new TableCatalog(storage, region, accountId, clock)
    await catalog.load()
    const context: RegionContext = { region, accountId, storage, catalog, clock, log }
    this.#open.set(region, context)
    log.debug('region opened', { region })
    return context
  }

  list(): RegionContext[] {
    return [...this.#open.values()]
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.#opening.values())
    for (const context of this.#open.values()) {
      // Let background index backfills finish their current page before storage closes.
      await context.catalog.whenIdle()
      await context.storage.close()
    }
    this.#open.clear()
    this.#opening.clear()
  }
}
