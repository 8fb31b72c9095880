/**
 * The change-log reader behind tables' Kinesis streaming destinations. For each ACTIVE
 * destination it reads the table's changes after the destination's cursor and, in one storage
 * transaction, appends their records to the Kinesis stream and moves the cursor past them. Records
 * and cursor commit together, so after a crash (kill -9) every change is delivered once, in
 * per-item order (one item's changes share a partition key, so a shard).
 *
 * forwardDestination() is one round for one destination and holds no state between rounds:
 * whatever decides which node forwards a table (a lease, see src/cluster/ when it lands) can call
 * it directly. The service below is the single-node loop: it wakes on every commit.
 */
import { isTombstoneOnly } from '../changes/tombstones.js'
import type { BackgroundService, BackgroundServiceFactory, RegionContext } from '../api/context.js'
import { leased } from '../cluster/leases.js'
import { loadCursor, saveCursor } from '../changes/cursors.js'
import { destinationRecordOf } from './destination-record.js'
import {
  forgetDestinations, listDestinations, loadDestinations, readerIdOf, saveDestinations, stopCursor, type TableDestinations,
} from './destinations.js'
import { appendRecords, recordDataBytesMax, type NewRecord } from './put-records.js'
import { loadStream } from './stream-store.js'
import { FailureRunLog } from '../log.js'

/** Changes forwarded per round and destination (at most one PutRecords' worth). */
const roundChangesMax = 500
/** How long an idle forwarder waits for a commit before looking anyway. */
const idlePollMs = 250
const failureBackoffMs = 1000

/** One round for one destination of a table; returns how many changes it moved past. */
export async function forwardDestination(ctx: RegionContext, tableId: string, streamArn: string): Promise<number> {
  const readerId = readerIdOf(streamArn)
  const cursor = await ctx.storage.read((view) => loadCursor(view, tableId, readerId))
  if (cursor === undefined) return 0
  const changes = await ctx.storage.read((view) => view.readChanges(tableId, cursor, roundChangesMax))
  if (changes.length === 0) return 0
  return ctx.storage.transact(async (tx) => {
    // Re-read inside the transaction: the destination may have been disabled meanwhile.
    const entry = await loadDestinations(tx, tableId)
    const destination = entry?.destinations.find((candidate) => candidate.streamArn === streamArn && candidate.status === 'ACTIVE')
    if (!entry || !destination || (await loadCursor(tx, tableId, readerId)) !== cursor) return 0
    const stream = await loadStream(tx, streamArn.slice(streamArn.indexOf(':stream/') + ':stream/'.length))
    if (!stream || stream.arn !== streamArn) {
      destination.status = 'ENABLE_FAILED'
      destination.statusDescription = 'The Kinesis data stream was not found'
      await saveDestinations(tx, entry)
      // A failed destination holds no checkpoint: it must not keep the change log from trimming.
      await stopCursor(tx, tableId, streamArn)
      return 0
    }
    const records: NewRecord[] = []
    for (const change of changes) {
      if (isTombstoneOnly(change)) continue
      const record = destinationRecordOf(change, entry.tableName, ctx.region, destination.precision)
      if (record.data.length > recordDataBytesMax) destination.skippedRecords += 1
      else records.push(record)
    }
    if (records.length > 0) await appendRecords(tx, stream, records, ctx.clock.now())
    if (records.length < changes.length) {
      ctx.log.warn('kinesis destination skipped records over 1 MiB', { table: entry.tableName, streamArn, skipped: changes.length - records.length })
      await saveDestinations(tx, entry)
    }
    await saveCursor(tx, tableId, readerId, changes.at(-1)!.sequence)
    return changes.length
  })
}

/** One round over every destination of the region: whether there was work, none to do, or no destination at all. */
export async function forwardAll(ctx: RegionContext): Promise<'worked' | 'idle' | 'none'> {
  let worked = false
  const entries = await ctx.storage.read((view) => listDestinations(view))
  if (entries.length === 0) return 'none'
  for (const entry of entries) {
    for (const destination of entry.destinations) {
      if (destination.status === 'ACTIVE' && (await forwardDestination(ctx, entry.tableId, destination.streamArn)) > 0) worked = true
    }
    if (!worked && (await isTableGoneAndDrained(ctx, entry))) await ctx.storage.transact((tx) => forgetDestinations(tx, entry))
  }
  return worked ? 'worked' : 'idle'
}

/** A deleted table's destinations go once they have forwarded the table's last changes. */
async function isTableGoneAndDrained(ctx: RegionContext, entry: TableDestinations): Promise<boolean> {
  if (ctx.catalog.record(entry.tableName)?.description.TableId === entry.tableId) return false
  return ctx.storage.read(async (view) => {
    const last = await view.lastChangeSequence(entry.tableId)
    for (const destination of entry.destinations) {
      const cursor = await loadCursor(view, entry.tableId, readerIdOf(destination.streamArn))
      if (destination.status === 'ACTIVE' && cursor !== undefined && cursor < last) return false
    }
    return true
  })
}

class DestinationForwarder implements BackgroundService {
  readonly #ctx: RegionContext
  /** Rounds failed in a row (storage unreachable); logged on the first and when they work again. */
  readonly #failures: FailureRunLog
  #stopping = false
  #running: Promise<void> | undefined
  #wakeSleeper: (() => void) | undefined

  constructor(ctx: RegionContext) {
    this.#ctx = ctx
    this.#failures = new FailureRunLog(ctx.log, { failed: 'kinesis destination round failed', recovered: 'kinesis destination rounds work again' }, { region: ctx.region })
  }

  start(): void {
    this.#stopping = false
    this.#running ??= this.#run()
  }

  async #run(): Promise<void> {
    const { commits } = this.#ctx
    while (!this.#stopping) {
      const generation = commits.generation
      try {
        const outcome = await forwardAll(this.#ctx)
        this.#failures.succeeded()
        // With no destination at all, commits need not wake the loop: a destination enabled
        // meanwhile starts from its own checkpoint, so it loses nothing by waiting a poll.
        if (outcome === 'none') await this.#sleep(idlePollMs)
        else if (outcome === 'idle') await commits.wait(generation, idlePollMs)
      } catch (error) {
        this.#failures.failed(error)
        await this.#sleep(failureBackoffMs)
      }
    }
  }

  /** Waits `ms`, or less when stop() is called. */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(wake, ms)
      function wake(): void {
        clearTimeout(timer)
        resolve()
      }
      this.#wakeSleeper = wake
    })
  }

  async stop(): Promise<void> {
    this.#stopping = true
    this.#wakeSleeper?.()
    this.#ctx.commits.notify()
    await this.#running
    this.#running = undefined
  }
}

/**
 * One forwarder per region, on the node holding its lease: other nodes would only race it for the
 * same records (the cursor check in each round's transaction already keeps delivery exactly once).
 */
export const kinesisDestinationFactory: BackgroundServiceFactory = leased('kinesis-destination', (ctx) => new DestinationForwarder(ctx))
