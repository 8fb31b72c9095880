/**
 * Point-in-time recovery settings of a table, and the recovery window they give.
 *
 * A setting lives in the storage state store under the table's TableId (not in the catalog
 * record), so that it belongs to one incarnation of a table: a table re-created under the same
 * name starts with PITR off, as on DynamoDB. Disabling PITR deletes the setting, so re-enabling
 * it starts a new window (DynamoDB: "history from before that is gone").
 */
import type { RegionContext } from '../api/context.js'
import type { ReadView, StorageEngine, TableId, Transaction } from '../storage/engine.js'

const namespace = 'pitr-settings'

export const recoveryPeriodDaysDefault = 35
export const recoveryPeriodDaysMax = 35
const dayMs = 86_400_000

export interface PitrSetting {
  recoveryPeriodInDays: number
  /** When PITR was (last) turned on: nothing before it can be restored. */
  enabledAtMs: number
}

/** The instants a table can be restored to, in milliseconds since the epoch, both inclusive. */
export interface RecoveryWindow {
  earliestMs: number
  latestMs: number
  recoveryPeriodInDays: number
}

export async function loadPitrSetting(view: ReadView, tableId: TableId): Promise<PitrSetting | undefined> {
  const value = await view.getState(namespace, tableId)
  return value === undefined ? undefined : JSON.parse(value) as PitrSetting
}

export function savePitrSetting(tx: Transaction, tableId: TableId, setting: PitrSetting): Promise<void> {
  return tx.putState(namespace, tableId, JSON.stringify(setting))
}

export function deletePitrSetting(tx: Transaction, tableId: TableId): Promise<void> {
  return tx.deleteState(namespace, tableId)
}

/** A count that moves whenever a setting may have changed, where the engine keeps one (StorageEngine.stateChanges). */
export function pitrSettingChanges(storage: StorageEngine): number | undefined {
  return storage.stateChanges?.(namespace)
}

/**
 * The window a setting gives at `nowMs`: [max(enabled, now − period), now]. The latest
 * restorable time is now, not AWS's five minutes ago: the change log is written with each write.
 */
export function recoveryWindow(setting: PitrSetting, nowMs: number): RecoveryWindow {
  // A new window starts at the very millisecond PITR came on, not at the start of its second: a
  // table that no reader logged changes for has no record of the writes made earlier in that
  // second, so an earlier instant would be restored with them in it. An older window starts at
  // the end of the recovery period, in whole seconds: the log goes back that far.
  const periodStartMs = nowMs - setting.recoveryPeriodInDays * dayMs
  const earliestMs = setting.enabledAtMs > periodStartMs ? setting.enabledAtMs : Math.floor(periodStartMs / 1000) * 1000
  return { earliestMs, latestMs: Math.max(earliestMs, nowMs), recoveryPeriodInDays: setting.recoveryPeriodInDays }
}

/**
 * The instant a request names (epoch seconds), in ms, as the window reads it. SDKs that send
 * timestamps in whole seconds (boto3, the AWS CLI) truncate an EarliestRestorableDateTime they
 * were given, which lies inside its second; an instant in that second before the window opens is
 * read as the window's start, so that the value DescribeContinuousBackups gave can be sent back.
 */
export function instantInWindowMs(seconds: number, window: RecoveryWindow): number {
  const ms = Math.round(seconds * 1000)
  return ms < window.earliestMs && ms >= Math.floor(window.earliestMs / 1000) * 1000 ? window.earliestMs : ms
}

/** Whether PITR is on for a table. */
export async function isPitrEnabled(ctx: RegionContext, tableId: TableId): Promise<boolean> {
  return (await ctx.storage.read((view) => loadPitrSetting(view, tableId))) !== undefined
}

/** The table's recovery window now, or undefined when PITR is off (what an export checks). */
export async function pitrWindow(ctx: RegionContext, tableId: TableId): Promise<RecoveryWindow | undefined> {
  const setting = await ctx.storage.read((view) => loadPitrSetting(view, tableId))
  return setting && recoveryWindow(setting, ctx.clock.now())
}


