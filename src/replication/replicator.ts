/**
 * One change-log reader per (source region, table, target region): it sends the target every
 * change that originated in the source region (a change never travels back to its origin, nor
 * on from a region that only received it), in batches, and moves its persisted checkpoint after
 * the target has applied a batch. A new replica first gets a copy of the items that existed when
 * it joined. The same reader delivers the table's replicated settings changed in the source
 * region (settings-delivery.ts). Failures (a peer down, a partition) are retried with backoff
 * from the checkpoint; batches and settings are idempotent, so one sent twice is harmless.
 */
import type { RegionContext } from '../api/context.js'
import type { HeldLease } from '../cluster/leases.js'
import type { TableId, Transaction } from '../storage/engine.js'
import { keyAttributesOf } from '../items/keys.js'
import type { Item } from '../values/types.js'
import { copyDone, copyPending, loadCheckpoint, saveCheckpoint } from './checkpoints.js'
import type { ReplicaRegion } from './replica-region.js'
import { replicatedChangeOf, type ReplicatedChange } from './replicated-change.js'
import { loadDelivered, ownSettingsVersions, sameVersion, settingsMessage, saveDelivered, type SettingsKind } from './settings-delivery.js'
import { loadVersion, type ItemVersion } from './versions.js'
import { isNotFound } from './group-changes.js'

/** Changes read from the log per batch. */
const batchChanges = 100
/** Items copied per batch while a new replica is filled. */
const copyPageItems = 100
/** How long an idle reader sleeps when no commit wakes it (it wakes on every commit). */
const idleWaitMs = 1000
const backoffMaxMs = 5000
/**
 * After this many sends in a row (and every this many more) answered "no such replica", the
 * target is checked for having left the group: a few, so that a replica being made is not
 * mistaken for one gone.
 */
const goneCheckFailures = 3
/** Changes of other origins a reader may pass over before it stores its checkpoint (it stores it when idle too). */
const unsavedSkipMax = 1000

/** What the status route and metrics show of one replication pair. */
export interface PairStatus {
  source: string
  target: string
  table: string
  /** Changes in the source's log not yet applied at the target (not all need sending). */
  pendingReplicationCount: number
  /** Change time to acknowledged application of the last batch sent, in milliseconds. */
  replicationLatencyMs: number | null
  replicatedChanges: number
  copying: boolean
  lastError: string | null
}

export interface PairEnvironment {
  /** Called once a new replica has all the items it started without: it becomes ACTIVE. */
  copyFinished(tableName: string, target: string): Promise<void>
  /** Called when the target keeps answering that it has no such replica (group-changes.ts forgetGoneReplica). */
  targetGone(tableName: string, target: string): Promise<void>
  /**
   * The region's replication lease: every checkpoint this reader stores is fenced by it, so a
   * node that has lost the lease (and whose work another node has taken up) cannot move it.
   */
  lease: HeldLease
}

export class PairReplicator {
  readonly #ctx: RegionContext
  readonly #tableName: string
  readonly #tableId: TableId
  readonly #target: ReplicaRegion
  readonly #environment: PairEnvironment
  #stopped = false
  #running: Promise<void> = Promise.resolve()
  #wake: (() => void) | undefined
  /**
   * How far the reader has passed over changes it does not send (other origins) without storing
   * its checkpoint: storing after each would cost a transaction per replicated write received.
   */
  #skippedThrough = 0
  /** The settings versions the target has acknowledged, by kind (a cache of the state store's). */
  readonly #deliveredSettings = new Map<SettingsKind, ItemVersion>()
  readonly status: PairStatus

  constructor(ctx: RegionContext, tableName: string, tableId: TableId, target: ReplicaRegion, environment: PairEnvironment) {
    this.#ctx = ctx
    this.#tableName = tableName
    this.#tableId = tableId
    this.#target = target
    this.#environment = environment
    this.status = {
      source: ctx.region, target: target.name, table: tableName,
      pendingReplicationCount: 0, replicationLatencyMs: null, replicatedChanges: 0, copying: false, lastError: null,
    }
  }

  start(): void {
    this.#running = this.#loop()
  }

  async stop(): Promise<void> {
    this.#stopped = true
    this.#wake?.()
    await this.#running
  }

  async #loop(): Promise<void> {
    let failures = 0
    while (!this.#stopped) {
      const generation = this.#ctx.commits.generation
      try {
        const progressed = await this.#step()
        failures = 0
        this.status.lastError = null
        if (!progressed) {
          const woken = this.#ctx.commits.wait(generation, idleWaitMs).then(() => this.#ctx.commits.generation !== generation)
          let committed = false
          await this.#pause(woken.then((value) => { committed = value }))
          if (!committed) await this.#saveSkipped()
        }
      } catch (error) {
        failures++
        this.status.lastError = (error as Error).message
        if (failures === 1) this.#ctx.log.warn('replication failed; retrying', { table: this.#tableName, target: this.#target.name, error: String(error) })
        if (failures % goneCheckFailures === 0 && isNotFound(error)) {
          await this.#environment.targetGone(this.#tableName, this.#target.name).catch((reason) =>
            this.#ctx.log.warn('cannot remove a replica that is gone', { table: this.#tableName, target: this.#target.name, error: String(reason) }))
        }
        await this.#pause(new Promise((resolve) => setTimeout(resolve, Math.min(backoffMaxMs, 50 * 2 ** failures))))
      }
    }
  }

  /** Waits for `until`, or for stop(). */
  #pause(until: Promise<unknown>): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#wake = resolve
      until.then(() => resolve(), () => resolve())
    })
  }

  /** Sends one batch (or copies the whole table); false when there was nothing to send. */
  async #step(): Promise<boolean> {
    const tableId = this.#tableId
    const target = this.#target.name
    const { stored, copying, last } = await this.#ctx.storage.read(async (view) => ({
      stored: await loadCheckpoint(view, tableId, target),
      copying: await copyPending(view, tableId, target),
      last: await view.lastChangeSequence(tableId),
    }))
    if (stored === undefined) return false
    const checkpoint = Math.max(stored, this.#skippedThrough)
    this.status.copying = copying
    if (copying) {
      await this.#copyItems()
      await this.#environment.copyFinished(this.#tableName, target)
      await this.#transact((tx) => copyDone(tx, tableId, target))
      this.status.copying = false
      return true
    }
    if (await this.#deliverSettings()) return true
    this.status.pendingReplicationCount = last - checkpoint
    if (last <= checkpoint) return false
    const changes = await this.#ctx.storage.read((view) => view.readChanges(tableId, checkpoint, batchChanges))
    if (changes.length === 0) return false
    const own = changes.filter((change) => change.originRegion === this.#ctx.region).map(replicatedChangeOf)
    const through = changes.at(-1)!.sequence
    if (own.length === 0 && through - stored < unsavedSkipMax) {
      this.#skippedThrough = through
      this.status.pendingReplicationCount = Math.max(0, last - through)
      return true
    }
    if (own.length > 0) {
      // The batch counts as pending until the target has it: a send that fails leaves it so.
      await this.#target.applyChanges(this.#tableName, own)
      this.status.replicationLatencyMs = Math.max(0, this.#ctx.clock.now() - own.at(-1)!.timeMicros / 1000)
      this.status.replicatedChanges += own.length
    }
    await this.#save(through)
    this.status.pendingReplicationCount = Math.max(0, last - through)
    return true
  }

  /**
   * Sends the target the table's settings changed in this region that it has not acknowledged
   * (settings-delivery.ts); true when it sent some. The acknowledged versions are cached, so a
   * step reads the state store only when a version has changed.
   */
  async #deliverSettings(): Promise<boolean> {
    const record = this.#ctx.catalog.record(this.#tableName)
    if (!record || record.description.TableId !== this.#tableId) return false
    const target = this.#target.name
    let sent = false
    for (const [kind, version] of ownSettingsVersions(record, this.#ctx.region)) {
      if (sameVersion(this.#deliveredSettings.get(kind), version)) continue
      const delivered = await this.#ctx.storage.read((view) => loadDelivered(view, this.#tableId, target, kind))
      if (!sameVersion(delivered, version)) {
        await this.#target.applySettings(this.#tableName, settingsMessage(record, kind, version))
        await this.#transact((tx) => saveDelivered(tx, this.#tableId, target, kind, version))
        sent = true
      }
      this.#deliveredSettings.set(kind, version)
    }
    return sent
  }

  /** Whether the target has yet to acknowledge a settings change made in this region (DescribeTable shows it UPDATING). */
  settingsPending(): boolean {
    const record = this.#ctx.catalog.record(this.#tableName)
    if (!record || record.description.TableId !== this.#tableId) return false
    return ownSettingsVersions(record, this.#ctx.region).some(([kind, version]) => !sameVersion(this.#deliveredSettings.get(kind), version))
  }

  /** A transaction of this reader's own state, fenced by the replication lease. */
  #transact(work: (tx: Transaction) => Promise<void>): Promise<void> {
    return this.#ctx.storage.transact(async (tx) => {
      await this.#environment.lease.fence(tx)
      await work(tx)
    })
  }

  async #save(through: number): Promise<void> {
    await this.#transact(async (tx) => {
      // The target may have left the group meanwhile: its checkpoint is gone and stays gone.
      const stored = await loadCheckpoint(tx, this.#tableId, this.#target.name)
      if (stored !== undefined && stored < through) await saveCheckpoint(tx, this.#tableId, this.#target.name, through)
    })
    this.#skippedThrough = through
  }

  /** Stores how far the reader passed over other origins' changes, once it has nothing else to do. */
  async #saveSkipped(): Promise<void> {
    if (this.#stopped || this.#skippedThrough === 0) return
    const stored = await this.#ctx.storage.read((view) => loadCheckpoint(view, this.#tableId, this.#target.name))
    if (stored !== undefined && stored < this.#skippedThrough) await this.#save(this.#skippedThrough)
  }

  /** Sends every item the table holds, each with its version (items from before the table was global have none: the oldest). */
  async #copyItems(): Promise<void> {
    let after: Buffer | undefined
    for (;;) {
      const table = this.#ctx.catalog.get(this.#tableName)
      if (!table || table.tableId !== this.#tableId) return
      const page = await this.#ctx.storage.read(async (view) => {
        const rows = await view.rangeItems(this.#tableId, after ? { start: after, startInclusive: false } : {}, copyPageItems)
        const changes: ReplicatedChange[] = []
        for (const row of rows) {
          const item = JSON.parse(row.json) as Item
          const version = await loadVersion(view, this.#tableId, row.key)
          changes.push({
            keys: keyAttributesOf(table, item), newImage: item,
            timeMicros: version?.timeMicros ?? 0, originRegion: version?.region ?? this.#ctx.region,
          })
        }
        return { rows, changes }
      })
      if (page.changes.length > 0) await this.#target.applyChanges(this.#tableName, page.changes)
      if (page.rows.length < copyPageItems) return
      after = page.rows.at(-1)!.key
    }
  }
}
