/**
 * The server's global-tables machinery: which regions are served here and which by peers
 * (--peer REGION=URL), the replica group changes every member must hear of, one replication
 * service per open region, and the replication route peers call.
 */
import type { BackgroundService, BackgroundServiceFactory, RegionContext } from '../api/context.js'
import type { Config } from '../config.js'
import type { Logger } from '../log.js'
import type { Regions } from '../regions.js'
import { LocalReplicaRegion, type ReplicaRegion } from './replica-region.js'
import { PeerReplicaRegion } from './peer-client.js'
import { openPeerAuth, type PeerAuth } from './peer-auth.js'
import { memberRegions, replicationTargets, type ReplicationRecord } from './replica-set.js'
import { PairReplicator, type PairStatus } from './replicator.js'
import { parsePeers } from './peers.js'
import { forgetGoneReplica } from './group-changes.js'
import { WriteClaims } from './strong-writes.js'
import { acquireLease, leased, newHolderId, releaseLease, type HeldLease } from '../cluster/leases.js'
import { arnPartition } from '../region-names.js'
import { ResourceInUseException } from '../errors.js'
import { setTimeout as sleep } from 'node:timers/promises'

/** How long a group change may hold its cross-node lease: far longer than one takes (it starts a copy, never waits for it). */
const groupChangeLeaseMs = 60_000
/** How often, and how many times, a change looks again for another node's change to finish: 30 s in all. */
const groupChangeWaitMs = 100
const groupChangeWaitsMax = 300

/** How often a region's replication service looks for global tables that gained or lost a replica. */
const reconcileIntervalMs = 100
/** Regions of this server holding replicas, so a restart resumes their replication (default region's state). */
const regionsNamespace = 'replication-regions'

export class GlobalTables {
  readonly #peers: Map<string, string>
  readonly #log: Logger
  readonly #config: Config
  #regions: Regions | undefined
  /** Signs and verifies requests between peers (server.ts sets the signing one with --credentials). */
  auth: PeerAuth = openPeerAuth
  readonly #services = new Set<RegionReplication>()
  /** Items being written in strongly consistent tables, by region (strong-writes.ts). */
  readonly writeClaims = new WriteClaims()
  /** Group changes made from this server, one at a time per table name (see exclusive()). */
  readonly #groupChanges = new Map<string, Promise<unknown>>()

  constructor(config: Config, log: Logger) {
    this.#config = config
    this.#log = log
    this.#peers = parsePeers(config.peers)
  }

  attach(regions: Regions): void {
    this.#regions = regions
  }

  /** Whether another EddyDB serves this region (requests for it go there). */
  isPeer(region: string): boolean {
    return this.#peers.has(region)
  }

  /**
   * Every region a replica of a table in `here` can be made in, sorted (what DynamoDB lists when
   * another is asked for): served here or by a peer, in the partition of `here` (an AWS account,
   * and so a global table, lives in one: aws, aws-cn, aws-us-gov, ...), never `localhost`.
   */
  replicaRegionNames(here: string): string[] {
    const partition = arnPartition(here)
    return [...new Set([...this.#peers.keys(), ...this.#regions!.servedNames])]
      .filter((name) => name !== 'localhost' && arnPartition(name) === partition).sort()
  }

  /** The region, wherever it is served. */
  region(name: string): ReplicaRegion {
    const url = this.#peers.get(name)
    if (url !== undefined) return new PeerReplicaRegion(name, url, this.auth)
    return this.local(name)
  }

  local(name: string): LocalReplicaRegion {
    return new LocalReplicaRegion(name, async () => this.#regions!.get(name))
  }

  /**
   * Runs a change of a table's replica group after any other made from this server, and, on a
   * database several servers share, after any other made from any of them: each reads the group,
   * changes it and publishes it whole, so two at once would lose one another's change (a new
   * replica turning ACTIVE must not undo a replica added meanwhile; two replicas added through two
   * nodes at once left one of them out of the others' lists).
   */
  exclusive<T>(tableName: string, change: () => Promise<T>): Promise<T> {
    const run = this.#config.storageUrl === undefined ? change : () => this.#acrossNodes(tableName, change)
    const result = (this.#groupChanges.get(tableName) ?? Promise.resolve()).then(run)
    const settled = result.catch(() => undefined)
    this.#groupChanges.set(tableName, settled)
    void settled.then(() => { if (this.#groupChanges.get(tableName) === settled) this.#groupChanges.delete(tableName) })
    return result
  }

  /**
   * Holds the lease `replica-group/<table>` in the default region's storage, which every node of
   * a shared database opens, while the change runs: another node's change waits for it. The
   * catalogs are read again first, so the change starts from the group the last one published.
   * A node that dies holding the lease holds it for groupChangeLeaseMs at most.
   */
  async #acrossNodes<T>(tableName: string, change: () => Promise<T>): Promise<T> {
    const regions = this.#regions!
    const storage = (await regions.get(this.#config.defaultRegion)).storage
    const name = `replica-group/${tableName}`
    const holder = newHolderId()
    const timing = { ttlMs: groupChangeLeaseMs, renewEveryMs: groupChangeLeaseMs }
    let token: number | undefined
    for (let attempt = 0; (token = await acquireLease(storage, name, holder, timing)) === undefined; attempt++) {
      if (attempt >= groupChangeWaitsMax) {
        throw new ResourceInUseException(`Attempt to change a resource which is still in use: Table ${tableName}'s replicas are being changed`)
      }
      await sleep(groupChangeWaitMs)
    }
    try {
      for (const region of regions.list()) await region.catalog.refresh()
      return await change()
    } finally {
      await releaseLease(storage, name, holder, token)
    }
  }

  /** Tells every member, old and new, the group's new member list (undefined: the table stops being global). */
  async publish(tableName: string, regions: string[], replication: ReplicationRecord | undefined): Promise<void> {
    const failures: string[] = []
    await Promise.all(regions.map(async (region) => {
      const members = memberRegions(replication)
      // The last replica left keeps its table, no longer global.
      const group = members.length > 1 || replication?.version === '2017.11.29' ? replication : undefined
      try {
        await this.region(region).setGroup(tableName, members.includes(region) ? group : undefined)
      } catch (error) {
        failures.push(`${region}: ${(error as Error).message}`)
      }
    }))
    if (failures.length > 0) this.#log.warn('replica group change not delivered to every region', { table: tableName, failures })
  }

  /** A new replica has its copy: every member shows it ACTIVE. */
  copyFinished(source: RegionContext, tableName: string, target: string): Promise<void> {
    return this.exclusive(tableName, async () => {
      const record = source.catalog.record(tableName)
      if (!record?.replication) return
      const replication = structuredClone(record.replication)
      for (const replica of replication.replicas) if (replica.RegionName === target) replica.ReplicaStatus = 'ACTIVE'
      // A witness is ready with the replicas it was made with.
      if (replication.replicas.every((replica) => replica.ReplicaStatus === 'ACTIVE')) {
        for (const witness of replication.witnesses ?? []) witness.WitnessStatus = 'ACTIVE'
      }
      await this.publish(tableName, memberRegions(replication), replication)
    })
  }

  /**
   * Registered with every region: replicates its global tables' own writes to the other members,
   * on the one node holding the region's 'global-table-replication' lease (cluster/leases.ts), so
   * nodes sharing a database do not each send every change.
   */
  readonly backgroundService: BackgroundServiceFactory = leased('global-table-replication', (ctx, lease) => {
    const service = new RegionReplication(ctx, this, lease)
    this.#services.add(service)
    return service
  })

  /** Reopens, after a restart, the regions that hold replicas, so their replication resumes. */
  async resume(): Promise<void> {
    const home = await this.#regions!.get(this.#config.defaultRegion)
    const entries = await home.storage.read((view) => view.listState(regionsNamespace))
    for (const entry of entries) {
      await Promise.resolve(this.#regions!.get(entry.key)).catch((error) =>
        this.#log.warn('cannot reopen a region holding replicas', { region: entry.key, error: String(error) }))
    }
  }

  async rememberRegion(region: string): Promise<void> {
    const home = await this.#regions!.get(this.#config.defaultRegion)
    const known = await home.storage.read((view) => view.getState(regionsNamespace, region))
    if (known === undefined) await home.storage.transact((tx) => tx.putState(regionsNamespace, region, '1'))
  }

  /**
   * Shows UPDATING, in a DescribeTable answer of `region`, each other replica that has yet to
   * acknowledge a settings change made there (GSIs, billing, capacity, TTL), as DynamoDB shows
   * replicas UPDATING while such a change reaches them.
   */
  showSettingsInFlight(region: string, tableName: string, described: Record<string, unknown>): void {
    const replicas = described.Replicas as Array<{ RegionName: string; ReplicaStatus: string }> | undefined
    if (!replicas) return
    for (const service of this.#services) {
      for (const target of service.settingsPendingTargets(region, tableName)) {
        const replica = replicas.find((each) => each.RegionName === target)
        if (replica?.ReplicaStatus === 'ACTIVE') replica.ReplicaStatus = 'UPDATING'
      }
    }
  }

  /** Lag and backlog of every replication pair this server sends from (status route, /metrics). */
  replicationStatus(): PairStatus[] {
    return [...this.#services].flatMap((service) => service.pairs())
  }

  forget(service: RegionReplication): void {
    this.#services.delete(service)
  }
}

/** One region's replication: a PairReplicator per (global table, other member). */
class RegionReplication implements BackgroundService {
  readonly #ctx: RegionContext
  readonly #globalTables: GlobalTables
  readonly #lease: HeldLease
  readonly #pairs = new Map<string, PairReplicator>()
  #timer: NodeJS.Timeout | undefined
  #stopped = false
  #remembered = false

  constructor(ctx: RegionContext, globalTables: GlobalTables, lease: HeldLease) {
    this.#ctx = ctx
    this.#globalTables = globalTables
    this.#lease = lease
  }

  start(): void {
    this.#stopped = false
    this.#reconcile()
  }

  /** The targets of `tableName` still to acknowledge a settings change, if this is `region`'s service. */
  settingsPendingTargets(region: string, tableName: string): string[] {
    if (region !== this.#ctx.region) return []
    return [...this.#pairs.values()].filter((pair) => pair.status.table === tableName && pair.settingsPending()).map((pair) => pair.status.target)
  }

  pairs(): PairStatus[] {
    return [...this.#pairs.values()].map((pair) => ({ ...pair.status }))
  }

  #reconcile(): void {
    if (this.#stopped) return
    const wanted = new Map<string, { tableName: string; tableId: string; target: string }>()
    for (const name of this.#ctx.catalog.names()) {
      const record = this.#ctx.catalog.record(name)
      if (!record?.replication) continue
      for (const target of replicationTargets(record.replication, this.#ctx.region)) {
        wanted.set(`${record.description.TableId}/${target}`, { tableName: name, tableId: record.description.TableId, target })
      }
    }
    if (wanted.size > 0 && !this.#remembered) {
      this.#remembered = true
      this.#globalTables.rememberRegion(this.#ctx.region).catch(() => { this.#remembered = false })
    }
    for (const [key, pair] of this.#pairs) {
      if (!wanted.has(key)) {
        this.#pairs.delete(key)
        void pair.stop()
      }
    }
    for (const [key, { tableName, tableId, target }] of wanted) {
      if (this.#pairs.has(key)) continue
      const pair = new PairReplicator(this.#ctx, tableName, tableId, this.#globalTables.region(target), {
        copyFinished: (table, to) => this.#globalTables.copyFinished(this.#ctx, table, to),
        targetGone: (table, to) => forgetGoneReplica(this.#ctx, table, to),
        lease: this.#lease,
      })
      this.#pairs.set(key, pair)
      pair.start()
    }
    this.#timer = setTimeout(() => this.#reconcile(), reconcileIntervalMs)
    this.#timer.unref()
  }

  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#timer)
    await Promise.all([...this.#pairs.values()].map((pair) => pair.stop()))
    this.#pairs.clear()
    this.#globalTables.forget(this)
  }
}
