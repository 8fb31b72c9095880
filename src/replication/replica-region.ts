/**
 * What one region does for a global table, asked by another region: create or delete its
 * replica, take the group's new member list, apply replicated writes. LocalReplicaRegion does it
 * on a region of this process; PeerReplicaRegion (peer-client.ts) asks the EddyDB serving it.
 */
import type { RegionContext } from '../api/context.js'
import { ResourceNotFoundException, ValidationException } from '../errors.js'
import { syncStreams } from '../streams/lifecycle.js'
import type { IndexChanges } from '../tables/index-updates.js'
import type { TableRecord } from '../tables/record.js'
import { storeTimeToLive } from '../ttl/store-setting.js'
import { applyReplicatedChanges, type ReplicatedChange } from './replicated-change.js'
import { applyOverrides, replicaTableRecord } from './replica-table.js'
import { isDisassociable, replicationTargets, type ReplicationRecord } from './replica-set.js'
import { followFromNow, forgetTarget, ownChangesPending } from './checkpoints.js'
import { applyReplicatedSettings } from './replicated-settings.js'
import { isNewerSettings, stampSettings, type SettingsMessage } from './settings-delivery.js'

export interface ReplicaRegion {
  readonly name: string
  /** Creates this region's replica from the source replica's record; the data follows by replication. */
  createReplica(source: TableRecord, replication: ReplicationRecord): Promise<void>
  /** Stores the group's member list (undefined: the table is no longer global). */
  setGroup(tableName: string, replication: ReplicationRecord | undefined): Promise<void>
  deleteReplica(tableName: string): Promise<void>
  applyChanges(tableName: string, changes: ReplicatedChange[]): Promise<number>
  /** The replica's record, undefined when this region has no such table. */
  record(tableName: string): Promise<TableRecord | undefined>
  itemCount(tableName: string): Promise<number>
  /** Whether this replica has writes of its own not yet applied at `target` (false when it has no such table). */
  replicationPending(tableName: string, target: string): Promise<boolean>
  /** Takes another replica's settings (GSIs, billing, write capacity; or TTL) if newer than its own (settings-delivery.ts). */
  applySettings(tableName: string, message: SettingsMessage): Promise<void>
}

export function replicaExistsMessage(tableName: string): string {
  // DynamoDB's wording, typo and typographic quotes included (an API-quirks lab's catalogue, against AWS, 2026-10).
  return `Failed to create a the new replica of table with name: ‘${tableName}’ because one or more replicas already existed as tables.`
}

export class LocalReplicaRegion implements ReplicaRegion {
  readonly name: string
  readonly #open: () => Promise<RegionContext>

  constructor(name: string, open: () => Promise<RegionContext>) {
    this.name = name
    this.#open = open
  }

  async createReplica(source: TableRecord, replication: ReplicationRecord): Promise<void> {
    const ctx = await this.#open()
    if (ctx.catalog.record(source.description.TableName)) throw new ValidationException(replicaExistsMessage(source.description.TableName))
    const nowMs = ctx.clock.now()
    const record = replicaTableRecord(source, ctx.region, nowMs, ctx.catalog.tableCreateDelayMs, replication)
    await ctx.catalog.create(record, async (tx, draft) => {
      await syncStreams(tx, undefined, draft.description, nowMs)
      for (const target of replicationTargets(replication, ctx.region)) await followFromNow(tx, draft.description.TableId, target)
    })
  }

  async setGroup(tableName: string, replication: ReplicationRecord | undefined): Promise<void> {
    const ctx = await this.#open()
    if (!ctx.catalog.record(tableName)) return
    let before: string[] = []
    await ctx.catalog.update(tableName, (draft) => {
      before = replicationTargets(draft.replication, ctx.region)
      if (replication) draft.replication = structuredClone(replication)
      else delete draft.replication
      // Disassociation protection belongs to the table's membership of a group.
      if (!isDisassociable(draft)) delete draft.disassociationProtectionDisabled
      // This replica's own overrides, changed by an Update from any member.
      applyOverrides(draft.description, replication?.replicas.find((replica) => replica.RegionName === ctx.region))
    }, async (tx, draft) => {
      const after = replicationTargets(draft.replication, ctx.region)
      const tableId = draft.description.TableId
      for (const target of after) if (!before.includes(target)) await followFromNow(tx, tableId, target)
      for (const target of before) if (!after.includes(target)) await forgetTarget(tx, tableId, target)
    })
  }

  async deleteReplica(tableName: string): Promise<void> {
    const ctx = await this.#open()
    const record = ctx.catalog.record(tableName)
    if (!record) throw new ResourceNotFoundException(`Requested resource not found: Table: ${tableName} not found`)
    await ctx.catalog.remove(tableName, async (tx, current) => {
      await syncStreams(tx, current.description, undefined, ctx.clock.now())
      for (const target of replicationTargets(current.replication, ctx.region)) await forgetTarget(tx, current.description.TableId, target)
    })
  }

  async applyChanges(tableName: string, changes: ReplicatedChange[]): Promise<number> {
    return applyReplicatedChanges(await this.#open(), tableName, changes)
  }

  async record(tableName: string): Promise<TableRecord | undefined> {
    return (await this.#open()).catalog.record(tableName)
  }

  async applySettings(tableName: string, message: SettingsMessage): Promise<void> {
    const ctx = await this.#open()
    const record = ctx.catalog.record(tableName)
    if (!record) throw new ResourceNotFoundException(`Requested resource not found: Table: ${tableName} not found`)
    if (!isNewerSettings(record, message)) return
    if (message.kind === 'timeToLive') return storeTimeToLive(ctx, tableName, message.setting, message.version)
    let changes: IndexChanges = { created: [], deleted: [] }
    await ctx.catalog.update(tableName, (draft) => {
      if (!stampSettings(draft, 'table', ctx.region, ctx.clock.now(), message.version)) return
      changes = applyReplicatedSettings(draft, message.settings, ctx.region, ctx.clock.now(), ctx.catalog.tableCreateDelayMs)
    }, async (tx, draft) => {
      for (const index of changes.deleted) await tx.dropIndexData(draft.description.TableId, index)
    })
    // Each replica fills a new index from its own items.
    for (const index of changes.created) ctx.catalog.startBackfill(tableName, index)
  }

  async replicationPending(tableName: string, target: string): Promise<boolean> {
    const ctx = await this.#open()
    const record = ctx.catalog.record(tableName)
    if (!record) return false
    return ctx.storage.read((view) => ownChangesPending(view, record.description.TableId, target, ctx.region))
  }

  async itemCount(tableName: string): Promise<number> {
    const ctx = await this.#open()
    const record = ctx.catalog.requireRecord(tableName)
    return (await ctx.catalog.stats(record)).table.count
  }
}
