/**
 * Regions are namespaces: each has its own storage (a file per region in the data directory, or
 * a schema per region in PostgreSQL) and its own table catalog, opened on the first request that
 * names the region.
 *
 * Only real region names open a namespace (AWS's, `localhost` and those given with --regions):
 * a typo such as `us-east1` gets AWS's InvalidSignatureException instead of a fresh, empty
 * database. With --shared-regions every name, known or not, maps to the default region's one
 * namespace, as DynamoDB Local's -sharedDb does.
 */
import type { BackgroundService, BackgroundServiceFactory, Clock, RegionContext } from './api/context.js'
import type { Config } from './config.js'
import type { Logger } from './log.js'
import { openStorage } from './storage/open.js'
import { CommitSignal, signalingStorage } from './changes/commit-signal.js'
import { TableCatalog } from './tables/catalog.js'
import { InvalidSignatureException } from './errors.js'
import { knownRegionNames, regionNamePattern } from './region-names.js'
import { StartupError } from './startup-error.js'
import { catalogRefresh } from './tables/catalog-refresh.js'
import type { GlobalTables } from './replication/global-tables.js'

export interface RegionOptions {
  config: Config
  clock: Clock
  log: Logger
  /** Started for each region when it opens, stopped before its storage closes. */
  backgroundServices?: BackgroundServiceFactory[]
  globalTables?: GlobalTables
}

export class Regions {
  readonly #options: RegionOptions
  readonly #opening = new Map<string, Promise<RegionContext>>()
  readonly #open = new Map<string, RegionContext>()
  readonly #running = new Map<string, BackgroundService[]>()
  /** Requested names already resolved to an open namespace (with --shared-regions, many names). */
  readonly #byName = new Map<string, RegionContext>()
  readonly #accepted: ReadonlySet<string>
  /** Unknown names already warned about, so a misconfigured client does not flood the log. */
  readonly #warned = new Set<string>()

  constructor(options: RegionOptions) {
    this.#options = options
    const { config } = options
    for (const name of config.regions) {
      if (!regionNamePattern.test(name)) throw new StartupError(`--regions: ${JSON.stringify(name)} is not a usable region name (lower-case letters, digits and dashes)`)
    }
    this.#accepted = new Set([...knownRegionNames, ...config.regions])
    if (!config.sharedRegions && !this.#accepted.has(config.defaultRegion)) {
      throw new StartupError(`--default-region ${config.defaultRegion} is not an AWS region; fix the name, or accept it with --regions ${config.defaultRegion}`)
    }
  }

  /** The region's context; opened once, then served from a map. */
  get(region: string): RegionContext | Promise<RegionContext> {
    const named = this.#byName.get(region)
    if (named) return named
    const namespace = this.#namespaceOf(region)
    if (namespace === undefined) return Promise.reject(this.#unknownRegion(region))
    const open = this.#open.get(namespace)
    if (open) {
      this.#byName.set(region, open)
      return open
    }
    return this.#openOnce(namespace)
  }

  #namespaceOf(region: string): string | undefined {
    const { config } = this.#options
    if (config.sharedRegions) return config.defaultRegion
    return this.#accepted.has(region) ? region : undefined
  }

  #unknownRegion(region: string): InvalidSignatureException {
    if (!this.#warned.has(region) && this.#warned.size < 100) {
      this.#warned.add(region)
      this.#options.log.warn('request signed for an unknown region', {
        region, hint: `not an AWS region; fix the client's region, or start the server with --regions ${region} or --shared-regions`,
      })
    }
    // AWS's own answer to a credential scope naming a region that does not exist.
    return new InvalidSignatureException(`Credential should be scoped to a valid region, not '${region}'. `)
  }

  #openOnce(region: string): Promise<RegionContext> {
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
    const catalog = new TableCatalog(storage, region, config.accountId, clock, { log })
    await catalog.load()
    const context: RegionContext = { region, accountId: config.accountId, storage, catalog, clock, log, config, commits }
    if (this.#options.globalTables) context.globalTables = this.#options.globalTables
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
    this.#byName.clear()
    this.#opening.clear()
    this.#running.clear()
  }
}
