/**
 * Regions are namespaces: each has its own storage (a file per region in the data directory, or
 * a schema per region in PostgreSQL) and its own table catalog, opened on the first request that
 * names the region.
 *
 * Only real region names open a namespace (AWS's, `localhost` and those given with --regions):
 * a typo such as `us-east1` gets AWS's InvalidSignatureException instead of a fresh, empty
 * database. With --shared-regions every name, known or not, maps to the default region's one
 * namespace, as DynamoDB Local's -sharedDb does.
 *
 * With a credentials file, each account has its own namespaces: a namespace is an account and a
 * region. The server's own account (--account-id) keeps the plain region's storage (`<region>`),
 * so data written before credentials were configured stays where it was; another account's is
 * `<account>-<region>`. At most --max-namespaces are opened, so nobody can exhaust files.
 */
import type { BackgroundService, BackgroundServiceFactory, Clock, RegionContext } from './api/context.js'
import type { Config } from './config.js'
import type { Logger } from './log.js'
import { openStorage } from './storage/open.js'
import { CommitSignal, signalingStorage } from './changes/commit-signal.js'
import { TableCatalog } from './tables/catalog.js'
import { InvalidSignatureException, LimitExceededException } from './errors.js'
import { knownRegionNames, regionNamePattern } from './region-names.js'
import { StartupError } from './startup-error.js'
import { catalogRefresh } from './tables/catalog-refresh.js'
import { jobsOf, rescanJobs } from './backups/jobs.js'
import { wakeOnCommitsElsewhere } from './cluster/wakeups.js'
import type { GlobalTables } from './replication/global-tables.js'
import { parsePeers } from './replication/peers.js'

export interface RegionOptions {
  config: Config
  clock: Clock
  log: Logger
  /** Started for each region when it opens, stopped before its storage closes. */
  backgroundServices?: BackgroundServiceFactory[]
  globalTables?: GlobalTables
}

/** Distinct requested names remembered (with --shared-regions any name is one); past it, looked up each time. */
const byNameEntriesMax = 10_000

export class Regions {
  readonly #options: RegionOptions
  readonly #opening = new Map<string, Promise<RegionContext>>()
  readonly #open = new Map<string, RegionContext>()
  readonly #running = new Map<string, BackgroundService[]>()
  /** Requested names already resolved to an open namespace (with --shared-regions, many names). */
  readonly #byName = new Map<string, RegionContext>()
  readonly #accepted: ReadonlySet<string>
  /** Regions other servers serve (--peer), with their URLs. */
  readonly #peerRegions: ReadonlyMap<string, string>
  /** Unknown names already warned about, so a misconfigured client does not flood the log. */
  readonly #warned = new Set<string>()

  constructor(options: RegionOptions) {
    this.#options = options
    const { config } = options
    for (const name of config.regions) {
      if (!regionNamePattern.test(name)) throw new StartupError(`--regions: ${JSON.stringify(name)} is not a usable region name (lower-case letters, digits and dashes)`)
    }
    this.#accepted = new Set([...knownRegionNames, ...config.regions])
    this.#peerRegions = parsePeers(config.peers)
    if (!config.sharedRegions && !this.#accepted.has(config.defaultRegion)) {
      throw new StartupError(`--default-region ${config.defaultRegion} is not an AWS region; fix the name, or accept it with --regions ${config.defaultRegion}`)
    }
  }

  /** The account of callers when there are no credentials. */
  get defaultAccountId(): string {
    return this.#options.config.accountId
  }

  /** The context of a region of an account (default: the server's); opened once, then served from a map. */
  get(region: string, accountId = this.#options.config.accountId): RegionContext | Promise<RegionContext> {
    const name = accountId === this.#options.config.accountId ? region : `${accountId}/${region}`
    const named = this.#byName.get(name)
    if (named) return named
    const served = this.#regionServing(region)
    if (served === undefined) return Promise.reject(this.#unknownRegion(region))
    const namespace = accountId === this.#options.config.accountId ? served : `${accountId}-${served}`
    const open = this.#open.get(namespace)
    if (open) {
      if (this.#byName.size < byNameEntriesMax) this.#byName.set(name, open)
      return open
    }
    if (this.#open.size + this.#opening.size >= this.#options.config.maxNamespaces && !this.#opening.has(namespace)) {
      return Promise.reject(new LimitExceededException(
        `This server has opened its maximum of ${this.#options.config.maxNamespaces} namespaces (account and region pairs); raise --max-namespaces`))
    }
    return this.#openOnce(namespace, served, accountId)
  }

  /**
   * Throws for a request signed for a region another server serves (`--peer`): it was sent to the
   * wrong server, and answering it would open a second, empty namespace of that region beside the
   * real replicas. Answered as AWS answers a request signed for another region than its endpoint's.
   */
  refuseMisrouted(region: string): void {
    if (this.#peerRegions.size === 0) return
    const peer = this.#peerRegions.get(region)
    if (peer === undefined) return
    if (!this.#warned.has(region) && this.#warned.size < 100) {
      this.#warned.add(region)
      this.#options.log.warn('request signed for a region another server serves', { region, hint: `send requests for ${region} to ${peer}` })
    }
    throw new InvalidSignatureException(`Credential should be scoped to a valid region, not '${region}'. `)
  }

  /** Whether requests signed for `region` are served (it is an AWS region, or one given with --regions). */
  serves(region: string): boolean {
    return this.#regionServing(region) !== undefined
  }

  /** The region names served, besides any name at all with --shared-regions. */
  get servedNames(): ReadonlySet<string> {
    return this.#accepted
  }

  /** The region whose namespace serves requests signed for `region`, if any. */
  #regionServing(region: string): string | undefined {
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

  #openOnce(namespace: string, region: string, accountId: string): Promise<RegionContext> {
    let opening = this.#opening.get(namespace)
    if (!opening) {
      opening = this.#openRegion(namespace, region, accountId)
      this.#opening.set(namespace, opening)
      opening.catch(() => this.#opening.delete(namespace))
    }
    return opening
  }

  async #openRegion(namespace: string, region: string, accountId: string): Promise<RegionContext> {
    const { config, clock, log } = this.#options
    const commits = new CommitSignal()
    const storage = signalingStorage(await openStorage({ dataDir: config.dataDir, inMemory: config.inMemory, url: config.storageUrl, poolSize: config.storagePoolSize, region: namespace, durability: config.durability }), commits)
    const catalog = new TableCatalog(storage, region, accountId, clock, { log })
    const context: RegionContext = { region, accountId, storage, catalog, clock, log, config, commits }
    // GSI backfills are jobs, leased on shared storage (load() resumes those a restart left).
    catalog.runBackfillsWith((id, work) => jobsOf(context).run(context, id, work))
    try {
      await catalog.load()
    } catch (error) {
      // The next request opens the region afresh; this attempt's storage (on PostgreSQL, its
      // hold on the node's shared connections) goes now.
      await storage.close().catch(() => undefined)
      throw error
    }
    if (this.#options.globalTables) context.globalTables = this.#options.globalTables
    this.#open.set(namespace, context)
    this.#opening.delete(namespace)
    const services = (this.#options.backgroundServices ?? []).map((create) => create(context))
    // Nodes sharing a database see each other's table changes and commits.
    if (config.storageUrl !== undefined) services.push(catalogRefresh(catalog, log), backfillTakeUp(context))
    wakeOnCommitsElsewhere(storage, commits, catalog, log)
    for (const service of services) service.start()
    this.#running.set(namespace, services)
    log.debug('region opened', { region, accountId })
    return context
  }

  list(): RegionContext[] {
    return [...this.#open.values()]
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.#opening.values())
    for (const [namespace, context] of this.#open) {
      for (const service of this.#running.get(namespace) ?? []) await service.stop()
      // Let background jobs and index backfills finish their current page before storage
      // closes; a job waiting to run again after a storage error stops waiting.
      await jobsOf(context).stop()
      await context.catalog.whenIdle()
      await context.storage.close()
    }
    this.#open.clear()
    this.#byName.clear()
    this.#opening.clear()
    this.#running.clear()
  }
}

/**
 * On shared storage, looks again every few seconds for GSI backfills that no node runs (their
 * node died: its job lease expired) and takes them up, as the job services do for copies.
 */
function backfillTakeUp(context: RegionContext): BackgroundService {
  let stop = (): void => {}
  return {
    start() { stop = rescanJobs(context, 'GSI backfills', async () => context.catalog.resumeBackfills()) },
    async stop() { stop() },
  }
}
