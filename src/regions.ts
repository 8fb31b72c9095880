/**
 * Regions are namespaces: each has its own storage (a file per region in the data directory, or
 * a schema per region in PostgreSQL) and its own table catalog, opened on the first request that
 * names the region.
 */
import type { BackgroundService, BackgroundServiceFactory, Clock, RegionContext } from './api/context.js'
import type { Config } from './config.js'
import type { Logger } from './log.js'
import { openStorage } from './storage/open.js'
import { CommitSignal, signalingStorage } from './changes/commit-signal.js'
import { TableCatalog } from './tables/catalog.js'
import { catalogRefresh } from './tables/catalog-refresh.js'

export interface RegionOptions {
  config: Config
  clock: Clock
  log: Logger
  /** Started for each region when it opens, stopped before its storage closes. */
  backgroundServices?: BackgroundServiceFactory[]
}

export class Regions {
  readonly #options: RegionOptions
  readonly #opening = new Map<string, Promise<RegionContext>>()
  readonly #open = new Map<string, RegionContext>()
  readonly #running = new Map<string, BackgroundService[]>()

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
    const { config, clock, log } = this.#options
    const commits = new CommitSignal()
    const storage = signalingStorage(openStorage({ dataDir: config.dataDir, inMemory: config.inMemory, url: config.storageUrl, region }), commits)
    const catalog = new TableCatalog(storage, region, config.accountId, clock)
    await catalog.load()
    const context: RegionContext = { region, accountId: config.accountId, storage, catalog, clock, log, config, commits }
    this.#open.set(region, context)
    const services = (this.#options.backgroundServices ?? []).map((create) => create(context))
    // Nodes sharing a database see each other's table changes.
    if (config.storageUrl !== undefined) services.push(catalogRefresh(catalog, log))
    for (const service of services) service.start()
    this.#running.set(region, services)
    log.debug('region opened', { region })
    return context
  }

  list(): RegionContext[] {
    return [...this.#open.values()]
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.#opening.values())
    for (const [region, context] of this.#open) {
      for (const service of this.#running.get(region) ?? []) await service.stop()
      // Let background index backfills finish their current page before storage closes.
      await context.catalog.whenIdle()
      await context.storage.close()
    }
    this.#open.clear()
    this.#opening.clear()
    this.#running.clear()
  }
}
