/**
 * Runs one event source mapping: reads the table's change log after the mapping's cursor, turns
 * changes into records, filters them, delivers them in order (one batch at a time, or one batch per
 * key lane with ParallelizationFactor) and moves the cursor after each round. The cursor is saved
 * only after every record up to it was delivered or discarded, so a crash redelivers, never skips.
 */
import { createHash, randomUUID } from 'node:crypto'
import type { RegionContext } from '../api/context.js'
import { loadCursor, saveCursor } from '../changes/cursors.js'
import type { CommitSignal } from '../changes/commit-signal.js'
import type { HeldLease } from '../cluster/leases.js'
import { deliverBatch, type DeliveryContext } from './delivery.js'
import { eventOf, pendingRecordOf, type PendingRecord } from './event.js'
import { matchesAnyPattern, parsePattern, type Pattern } from './filter-pattern.js'
import type { MappingRecord } from './mapping.js'
import { readerIdOf } from './mapping-store.js'
import { invocationRecordOf, sendToDestination, type DiscardedBatch } from './on-failure.js'
import type { InvokeResult, Invoker } from './targets/index.js'

export interface TriggerOptions {
  /** How long an idle runner waits for a commit before looking at the log anyway. */
  idlePollMs: number
  /** The first retry waits this long; each further retry doubles it, up to retryDelayMsMax. */
  retryDelayMsMin: number
  retryDelayMsMax: number
}

export const defaultTriggerOptions: TriggerOptions = { idlePollMs: 20, retryDelayMsMin: 100, retryDelayMsMax: 5000 }

/**
 * A batch retried forever fails every few seconds: after the first failure of a run of them,
 * one warning per this interval says how many more there were.
 */
const failureLogIntervalMs = 30_000
/** How much of a function's error message LastProcessingResult quotes. */
const resultMessageChars = 200

/** A mapping's last function error, kept for GetEventSourceMapping and the status route. */
export interface MappingFailure {
  errorType: string
  errorMessage: string
  trace?: string[]
  /** The change-log sequence numbers of the batch's first and last records. */
  firstSequence: number
  lastSequence: number
  records: number
  /** Milliseconds since the epoch. */
  atMs: number
}

/** Lambda's invocation payload cap (6 MB), kept in characters of event JSON. */
const payloadCharsMax = 6 * 1024 * 1024 - 1024
/** Changes read per storage call. */
const readPageChanges = 1000
/** Changes a round looks at, matching or not, before delivering what it has (filters skip most). */
const roundScanChangesMax = 10_000

export interface RunnerDeps {
  region: RegionContext
  signal: CommitSignal
  options: TriggerOptions
  /** The lease the runner works under: its checkpoints are fenced by it (cluster/leases.ts). */
  lease?: HeldLease
  invokerFor(functionName: string): Invoker
}

export class MappingRunner {
  #mapping: MappingRecord
  readonly #deps: RunnerDeps
  #patterns: Pattern[] = []
  #cursor = 0
  #stopping = false
  #running?: Promise<void>
  #lastInvocationEndMs = 0
  lastProcessingResult = 'No records processed'
  lastFailure?: MappingFailure
  /** Function errors since the runner started, and batches delivered. */
  failureCount = 0
  deliveredBatchCount = 0
  /** Rate limit of failure warnings: when one was last logged (wall clock), and how many were not since. */
  #failureLoggedAtMs = -Infinity
  #failuresNotLogged = 0

  constructor(mapping: MappingRecord, deps: RunnerDeps) {
    this.#mapping = mapping
    this.#deps = deps
    this.#setPatterns()
  }

  get mapping(): MappingRecord {
    return this.#mapping
  }

  start(): void {
    this.#running ??= this.#run()
  }

  update(mapping: MappingRecord): void {
    this.#mapping = mapping
    this.#setPatterns()
    this.#deps.signal.notify()
  }

  async stop(): Promise<void> {
    this.#stopping = true
    this.#deps.signal.notify()
    await this.#running
  }

  #setPatterns(): void {
    this.#patterns = (this.#mapping.settings.FilterCriteria?.Filters ?? [])
      .map((filter) => parsePattern(filter.Pattern))
      .filter((pattern): pattern is Pattern => pattern !== undefined)
  }

  async #run(): Promise<void> {
    const { region, signal, options } = this.#deps
    const { tableId, UUID } = this.#mapping
    this.#cursor = (await region.storage.read((view) => loadCursor(view, tableId, readerIdOf(UUID)))) ?? 0
    let failures = 0
    while (!this.#stopping) {
      const generation = signal.generation
      try {
        const worked = this.#mapping.enabled && this.#isStreamReadable() && (await this.#round())
        failures = 0
        if (!worked) await signal.wait(generation, options.idlePollMs)
      } catch (error) {
        // Storage trouble (or a bug): log it and back off, but keep the mapping alive.
        failures += 1
        region.log.warn('trigger mapping round failed', { uuid: UUID, error: error instanceof Error ? error.stack : String(error) })
        await signal.wait(-1, Math.min(options.retryDelayMsMax, options.retryDelayMsMin * 2 ** failures))
      }
    }
  }

  /**
   * The stream is readable unless its table is live with another stream (or none): then changes
   * being made now are not in this stream. A deleted table's stream stays readable to its end.
   */
  #isStreamReadable(): boolean {
    const record = this.#deps.region.catalog.record(this.#mapping.tableName)
    if (!record || record.description.TableId !== this.#mapping.tableId) return true
    return record.description.StreamSpecification?.StreamEnabled === true && record.description.LatestStreamArn === this.#mapping.EventSourceArn
  }

  /** One round: returns false when there was nothing to do. */
  async #round(): Promise<boolean> {
    const settings = this.#mapping.settings
    const wanted = settings.BatchSize * settings.ParallelizationFactor
    const { pending, lastScanned } = await this.#collect(wanted)
    if (lastScanned === this.#cursor) return false
    // The window opens when the previous invocation ends, or when the first record arrived.
    const windowStartMs = Math.max(this.#lastInvocationEndMs, pending[0]?.madeAtMs ?? 0)
    const waitMs = windowStartMs + settings.MaximumBatchingWindowInSeconds * 1000 - this.#deps.region.clock.now()
    if (pending.length > 0 && pending.length < wanted && waitMs > 0) {
      // Batching window: wait for a full batch or the end of the window, then read again.
      await this.#deps.signal.wait(this.#deps.signal.generation, Math.min(waitMs, 1000))
      return true
    }
    if (pending.length > 0) {
      const completed = await this.#deliverLanes(pending)
      this.#lastInvocationEndMs = this.#deps.region.clock.now()
      if (!completed) return true
    }
    await this.#checkpoint(lastScanned)
    return true
  }

  /** Reads changes after the cursor: those in the stream that pass the filters, and the last one looked at. */
  async #collect(wanted: number): Promise<{ pending: PendingRecord[]; lastScanned: number }> {
    const { region } = this.#deps
    const mapping = this.#mapping
    const viewType = mapping.streamViewType
    const pending: PendingRecord[] = []
    let lastScanned = this.#cursor
    for (let scanned = 0; pending.length < wanted && scanned < roundScanChangesMax;) {
      const changes = await region.storage.read((view) => view.readChanges(mapping.tableId, lastScanned, readPageChanges))
      for (const change of changes) {
        if (pending.length >= wanted) break
        lastScanned = change.sequence
        scanned += 1
        if (change.timeMicros < mapping.streamStartMs * 1000) continue
        const record = pendingRecordOf(change, viewType, region.region, mapping.EventSourceArn)
        if (matchesAnyPattern(this.#patterns, record.record)) pending.push(record)
      }
      if (changes.length < readPageChanges) break
    }
    return { pending, lastScanned }
  }

  async #checkpoint(sequence: number): Promise<void> {
    if (sequence <= this.#cursor) return
    const { tableId, UUID } = this.#mapping
    await this.#deps.region.storage.transact(async (tx) => {
      await this.#deps.lease?.fence(tx)
      await saveCursor(tx, tableId, readerIdOf(UUID), sequence)
    })
    this.#cursor = sequence
  }

  /** Splits records into key lanes (one per ParallelizationFactor) and delivers the lanes concurrently. */
  async #deliverLanes(pending: PendingRecord[]): Promise<boolean> {
    const laneCount = this.#mapping.settings.ParallelizationFactor
    const lanes: PendingRecord[][] = Array.from({ length: laneCount }, () => [])
    for (const record of pending) lanes[laneOf(record.itemKey, laneCount)]!.push(record)
    const results = await Promise.all(lanes.filter((lane) => lane.length > 0).map((lane) => this.#deliverLane(lane)))
    return results.every(Boolean)
  }

  async #deliverLane(lane: PendingRecord[]): Promise<boolean> {
    for (const batch of batchesOf(lane, this.#mapping.settings.BatchSize)) {
      const outcome = await deliverBatch(batch, this.#deliveryContext())
      if (!outcome.problem) this.lastProcessingResult = 'OK'
      if (outcome.completed) this.deliveredBatchCount += 1
      if (!outcome.completed) return false
    }
    return true
  }

  #deliveryContext(): DeliveryContext {
    const { region, options, signal } = this.#deps
    const mapping = this.#mapping
    return {
      settings: mapping.settings,
      invoke: async (batch) => {
        const result = await this.#deps.invokerFor(mapping.functionName).invoke(eventOf(batch), { requestId: randomUUID(), functionArn: mapping.FunctionArn })
        if (!result.ok) this.#failed(batch, result)
        // A success ends a run of failures: the next failure is news, logged at once.
        else this.#failureLoggedAtMs = -Infinity
        return result
      },
      discard: (discarded) => this.#discard(discarded),
      nowMs: () => region.clock.now(),
      pause: async (retries) => {
        const delayMs = Math.min(options.retryDelayMsMax, options.retryDelayMsMin * 2 ** (retries - 1))
        const deadline = Date.now() + delayMs
        // Bounded: each wait ends at the deadline, or early when the runner is told to stop.
        while (!this.#stopping && Date.now() < deadline) await signal.wait(signal.generation, deadline - Date.now())
        return !this.#stopping
      },
      isStopping: () => this.#stopping,
    }
  }

  /**
   * Keeps a function error as the mapping's last error (LastProcessingResult quotes it) and logs
   * it at warn with the mapping and the batch, at most once per failureLogIntervalMs while a
   * batch keeps failing.
   */
  #failed(batch: PendingRecord[], result: Extract<InvokeResult, { ok: false }>): void {
    const { region } = this.#deps
    const now = Date.now()
    this.failureCount += 1
    this.lastFailure = {
      errorType: result.errorType, errorMessage: result.errorMessage, ...(result.trace ? { trace: result.trace } : {}),
      firstSequence: batch[0]!.sequence, lastSequence: batch.at(-1)!.sequence, records: batch.length, atMs: region.clock.now(),
    }
    const firstLine = result.errorMessage.split('\n', 1)[0]!.slice(0, resultMessageChars)
    this.lastProcessingResult = `PROBLEM: Function call failed: ${result.errorType}: ${firstLine}`
    if (now - this.#failureLoggedAtMs < failureLogIntervalMs) {
      this.#failuresNotLogged += 1
      return
    }
    const mapping = this.#mapping
    region.log.warn('trigger function failed', {
      uuid: mapping.UUID, function: mapping.functionName, table: mapping.tableName, region: region.region,
      batch: { firstSequence: this.lastFailure.firstSequence, lastSequence: this.lastFailure.lastSequence, records: batch.length },
      errorType: result.errorType, errorMessage: result.errorMessage,
      ...(result.trace ? { stack: result.trace.join('\n') } : {}),
      ...(this.#failuresNotLogged > 0 ? { failuresNotLogged: this.#failuresNotLogged } : {}),
    })
    this.#failureLoggedAtMs = now
    this.#failuresNotLogged = 0
  }

  #discard(discarded: DiscardedBatch): Promise<void> {
    const { region } = this.#deps
    const mapping = this.#mapping
    const record = invocationRecordOf(discarded, { functionArn: mapping.FunctionArn, streamArn: mapping.EventSourceArn, shardId: shardIdOf(mapping) }, region.clock.now())
    return sendToDestination(mapping.settings.DestinationConfig.OnFailure.Destination, region.config.functions, record, region.log)
  }
}

/** The lane of an item: the same item always lands in the same lane, so its changes stay in order. */
function laneOf(itemKey: string, laneCount: number): number {
  if (laneCount === 1) return 0
  return createHash('md5').update(itemKey).digest().readUInt32BE(0) % laneCount
}

/** Consecutive batches of at most `batchSize` records and Lambda's payload cap. */
function batchesOf(records: PendingRecord[], batchSize: number): PendingRecord[][] {
  const batches: PendingRecord[][] = []
  let current: PendingRecord[] = []
  let chars = 0
  for (const record of records) {
    if (current.length > 0 && (current.length >= batchSize || chars + record.sizeChars > payloadCharsMax)) {
      batches.push(current)
      current = []
      chars = 0
    }
    current.push(record)
    chars += record.sizeChars
  }
  if (current.length > 0) batches.push(current)
  return batches
}

/**
 * The shard id shown in failure records. Triggers read a table's whole change log as one shard;
 * the id follows DynamoDB's format, from the stream's creation time and table.
 */
export function shardIdOf(mapping: MappingRecord): string {
  const suffix = createHash('md5').update(mapping.tableId).digest('hex').slice(0, 8)
  return `shardId-${String(mapping.streamStartMs).padStart(20, '0')}-${suffix}`
}
