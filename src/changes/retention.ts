/**
 * The change-log trimmer: a background service per region that removes changes older than the
 * stream retention (config.streamRetentionHours, DynamoDB: 24 hours), but never past the lowest
 * cursor of an internal reader (changes/cursors.ts), so triggers and other internal consumers
 * never lose a record they have not processed. It also drops the shards and streams that the
 * retention has emptied, so they disappear from DescribeStream and ListStreams.
 */
import { ageNow, type BackgroundServiceFactory, type RegionContext } from '../api/context.js'
import { leased, type HeldLease } from '../cluster/leases.js'
import { PeriodicPass } from './periodic-pass.js'
import type { ReadView, TableId } from '../storage/engine.js'
import type { ShardState } from '../streams/history.js'
import { forgetStream, isExpired, listStreams, loadStream, saveStream } from '../streams/history.js'
import { forgetExpiredTokens } from '../items/idempotency.js'
import { lowestCursor } from './cursors.js'
import { saveTrimPoint, trimmedThrough } from './trim-point.js'
import { loadPitrSetting, recoveryWindow } from '../history/pitr.js'

/** Changes examined per read while looking for the retention boundary. */
const scanPageChanges = 1000
/** Pages examined per table per pass, so one pass over a huge backlog stays short. */
const scanPagesMax = 20

export interface RetentionOptions {
  /** How often a pass runs; by default a twentieth of the retention, between 20 ms and a minute. */
  intervalMs?: number
}

function retentionMs(ctx: RegionContext): number {
  return ctx.config.streamRetentionHours * 3_600_000
}

/** The highest sequence after `from` whose change is older than `cutoffMicros` (`from` if none). */
async function retentionBoundary(view: ReadView, tableId: TableId, from: number, cutoffMicros: number): Promise<number> {
  let boundary = from
  for (let page = 0; page < scanPagesMax; page++) {
    const changes = await view.readChanges(tableId, boundary, scanPageChanges)
    for (const change of changes) {
      if (change.timeMicros >= cutoffMicros) return boundary
      boundary = change.sequence
    }
    if (changes.length < scanPageChanges) return boundary
  }
  return boundary
}

/**
 * Changes before this instant (µs) may go: those older than the stream retention, and for a
 * table with point-in-time recovery on, also older than its recovery window, whichever is older.
 * A table without a stream (enabled, or disabled and still readable) keeps no history for a
 * retention: whatever its cursors do not hold may go now.
 */
async function cutoffMicrosOf(ctx: RegionContext, view: ReadView, tableId: TableId, nowMs: number, hasStream: boolean): Promise<number> {
  const streamCutoffMs = hasStream ? nowMs - retentionMs(ctx) : nowMs
  const pitr = await loadPitrSetting(view, tableId)
  return (pitr ? Math.min(streamCutoffMs, recoveryWindow(pitr, nowMs).earliestMs) : streamCutoffMs) * 1000
}

/**
 * Trims one table's log by retention, never past a cursor; returns its trim point. `lease` fences
 * the trim: a node that lost the retention lease meanwhile trims nothing.
 */
export async function trimTable(ctx: RegionContext, tableId: TableId, nowMs: number, hasStream: boolean, lease?: HeldLease): Promise<number> {
  const { trimmed, boundary } = await ctx.storage.read(async (view) => {
    const trimmed = await trimmedThrough(view, tableId)
    const cutoffMicros = await cutoffMicrosOf(ctx, view, tableId, nowMs, hasStream)
    // Everything is older than now: no need to look for the boundary change by change.
    const boundary = cutoffMicros >= nowMs * 1000 ? await view.lastChangeSequence(tableId)
      : await retentionBoundary(view, tableId, trimmed, cutoffMicros)
    return { trimmed, boundary }
  })
  if (boundary <= trimmed) return trimmed
  return ctx.storage.transact(async (tx) => {
    await lease?.fence(tx)
    const current = await trimmedThrough(tx, tableId)
    // A stream enabled since the pass listed the streams (or a table created with one) holds
    // its records for the retention: not this pass's to cut as a table without a stream.
    if (!hasStream && (await listStreams(tx)).some((state) => state.tableId === tableId)) return current
    // Read the cursors inside the transaction, so a reader registering meanwhile is respected.
    const cursor = await lowestCursor(tx, tableId)
    const through = Math.min(boundary, cursor ?? boundary)
    if (through <= current) return current
    await tx.trimChanges(tableId, through)
    await saveTrimPoint(tx, tableId, through)
    return through
  })
}

/** Drops closed shards emptied by trimming, and streams past their retention. */
async function pruneStream(ctx: RegionContext, streamArn: string, trimmed: number, nowMs: number): Promise<void> {
  const keep = (shard: ShardState): boolean =>
    shard.endSequence === undefined || shard.endSequence > trimmed || shard.createdMs + retentionMs(ctx) > nowMs
  // Re-read inside the transaction: a rollover may have added a shard since the pass began.
  await ctx.storage.transact(async (tx) => {
    const state = await loadStream(tx, streamArn)
    if (!state) return
    if (isExpired(state, nowMs, retentionMs(ctx))) return forgetStream(tx, streamArn)
    const kept = state.shards.filter(keep)
    if (kept.length < state.shards.length) await saveStream(tx, { ...state, shards: kept })
  })
}

/** One pass over every table of the region and every stream on record. */
export async function trimOnce(ctx: RegionContext, lease?: HeldLease): Promise<void> {
  const nowMs = ageNow(ctx.clock)
  const streams = await ctx.storage.read((view) => listStreams(view))
  const tableIds = new Set<TableId>(streams.map((state) => state.tableId))
  for (const name of ctx.catalog.names()) {
    const record = ctx.catalog.record(name)
    if (record) tableIds.add(record.description.TableId)
  }
  const trimPoints = new Map<TableId, number>()
  const streamTables = new Set(streams.map((state) => state.tableId))
  for (const tableId of tableIds) trimPoints.set(tableId, await trimTable(ctx, tableId, nowMs, streamTables.has(tableId), lease))
  // Idempotency tokens past their window, under the same lease (they are state of the log's writers).
  await ctx.storage.transact(async (tx) => {
    await lease?.fence(tx)
    await forgetExpiredTokens(tx, nowMs)
  })
  for (const state of streams) {
    const prunable = isExpired(state, nowMs, retentionMs(ctx)) || state.shards.some((shard) => shard.endSequence !== undefined)
    if (prunable) await pruneStream(ctx, state.streamArn, trimPoints.get(state.tableId) ?? 0, nowMs)
  }
}

/** The factory the server registers: one trimmer per region, on the node holding its lease. */
export function changeLogRetention(options: RetentionOptions = {}): BackgroundServiceFactory {
  return leased('change-log-retention', (ctx, lease) => {
    const derived = Math.min(60_000, Math.max(20, retentionMs(ctx) / 20))
    return new PeriodicPass(ctx, options.intervalMs ?? derived, (leaseCtx) => trimOnce(leaseCtx, lease), 'change-log trim failed')
  })
}
