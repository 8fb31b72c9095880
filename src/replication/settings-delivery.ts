/**
 * Replicated settings (GSIs, billing mode and write capacity; the TTL setting) reach every other
 * replica even when one cannot be reached when they change. Each kind of setting carries a
 * version in the table's record, `(time in µs, region)` as item versions (versions.ts), stored in
 * the same transaction as the change itself. The replication reader of each (table, target)
 * pair, which already retries with backoff and survives restarts, sends the target the record's
 * settings, whole, whenever their version is newer than the last one the target acknowledged
 * (kept in the state store). The target applies a snapshot only if it is newer than the one it
 * has, so a late or repeated delivery never undoes a newer change: every replica converges on
 * the newest settings of each kind. As with items, a replica sends only the settings changed in
 * its own region; the others send theirs.
 */
import { ValidationException } from '../errors.js'
import type { ReadView, TableId, Transaction } from '../storage/engine.js'
import type { TableRecord, TimeToLiveSetting } from '../tables/record.js'
import type { ReplicatedSettings } from './replicated-settings.js'
import { replicatedSettingsOf } from './replicated-settings.js'
import { compareVersions, nextLocalVersion, type ItemVersion } from './versions.js'

export type SettingsKind = 'table' | 'timeToLive'

/** One kind of setting as it travels to another replica (JSON, also between hosts). */
export type SettingsMessage =
  | { kind: 'table'; version: ItemVersion; settings: ReplicatedSettings }
  | { kind: 'timeToLive'; version: ItemVersion; setting: TimeToLiveSetting }

const kinds: SettingsKind[] = ['table', 'timeToLive']
/** Per (table, target, kind): the version the target acknowledged. */
const deliveredNamespace = 'replication-settings-delivered'

function deliveredKey(tableId: TableId, target: string, kind: SettingsKind): string {
  return `${tableId}/${target}/${kind}`
}

/**
 * Gives a draft record's setting of `kind` its version: the next local one for a change made
 * here, or `replicated` for one received, which is taken only if newer than the record's. Returns
 * whether the change is to be made. Tables that are not global keep no versions.
 */
export function stampSettings(draft: TableRecord, kind: SettingsKind, region: string, nowMs: number, replicated?: ItemVersion): boolean {
  const stored = draft.settingsVersions?.[kind]
  if (replicated) {
    if (stored && compareVersions(replicated, stored) <= 0) return false
    draft.settingsVersions = { ...draft.settingsVersions, [kind]: replicated }
    return true
  }
  if (draft.replication) draft.settingsVersions = { ...draft.settingsVersions, [kind]: nextLocalVersion(stored, nowMs * 1000, region) }
  return true
}

/** Refuses a message from a peer that is not one (it would otherwise fail half-way through the catalog update). */
export function checkSettingsMessage(message: unknown): asserts message is SettingsMessage {
  const candidate = message as Partial<Record<string, unknown>> | undefined
  const version = candidate?.version as Partial<ItemVersion> | undefined
  const wellFormed = typeof version?.timeMicros === 'number' && typeof version.region === 'string' && (
    (candidate?.kind === 'table' && typeof candidate.settings === 'object' && candidate.settings !== null) ||
    (candidate?.kind === 'timeToLive' && typeof candidate.setting === 'object' && candidate.setting !== null))
  if (!wellFormed) throw new ValidationException('applySettings needs a message with kind, version and its settings')
}

/** Whether `record` would take `message` (a cheap check before queueing a catalog update). */
export function isNewerSettings(record: TableRecord, message: SettingsMessage): boolean {
  const stored = record.settingsVersions?.[message.kind]
  return !stored || compareVersions(message.version, stored) > 0
}

/** The versions of the settings last changed in `region` (the ones a replica there sends). */
export function ownSettingsVersions(record: TableRecord, region: string): Array<[SettingsKind, ItemVersion]> {
  return kinds.flatMap((kind) => {
    const version = record.settingsVersions?.[kind]
    return version?.region === region ? [[kind, version] as [SettingsKind, ItemVersion]] : []
  })
}

/** A record's setting of `kind`, as it travels. */
export function settingsMessage(record: TableRecord, kind: SettingsKind, version: ItemVersion): SettingsMessage {
  if (kind === 'table') return { kind, version, settings: replicatedSettingsOf(record, version.region) }
  const setting = record.timeToLive ?? { AttributeName: '', Enabled: false }
  return { kind, version, setting: { AttributeName: setting.AttributeName, Enabled: setting.Enabled } }
}

export async function loadDelivered(view: ReadView, tableId: TableId, target: string, kind: SettingsKind): Promise<ItemVersion | undefined> {
  const value = await view.getState(deliveredNamespace, deliveredKey(tableId, target, kind))
  return value === undefined ? undefined : (JSON.parse(value) as ItemVersion)
}

export function saveDelivered(tx: Transaction, tableId: TableId, target: string, kind: SettingsKind, version: ItemVersion): Promise<void> {
  return tx.putState(deliveredNamespace, deliveredKey(tableId, target, kind), JSON.stringify(version))
}

export async function forgetDelivered(tx: Transaction, tableId: TableId, target: string): Promise<void> {
  for (const kind of kinds) await tx.deleteState(deliveredNamespace, deliveredKey(tableId, target, kind))
}

export function sameVersion(a: ItemVersion | undefined, b: ItemVersion): boolean {
  return a !== undefined && compareVersions(a, b) === 0
}
