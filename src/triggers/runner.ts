/**
 * Runs one event source mapping. Each shard of its source (record-source.ts: the table's change
 * log, or each Kinesis shard whose parents are done) is read in its own loop: records after the
 * shard's checkpoint are filtered and delivered in order (one batch at a time, or one batch per
 * key lane with ParallelizationFactor), and the checkpoint moves after each round. A checkpoint is
 * saved only after every record up to it was delivered or discarded, so a crash redelivers, never
 * skips; a batch that keeps failing blocks only its own shard.
 */
import { randomUUID } from 'node:crypto'
import { md5Digest } from '../md5.js'
import type { RegionContext } from '../api/context.js'
import type { CommitSignal } from '../changes/commit-signal.js'
import { LeaseLost, type HeldLease } from '../cluster/leases.js'
import { deliverBatch, type DeliveryContext } from './delivery.js'
import { eventOf, type PendingRecord } from './event.js'
import { matchesAnyPattern, parsePattern, type Pattern } from './filter-pattern.js'
import { isKinesisMapping, type MappingRecord } from './mapping.js'
import { invocationRecordOf, sendToDestination, type DiscardedBatch } from './on-failure.js'
import type { RecordSource, SourcePlan } from './record-source.js'
import { sourcePlanOf } from './sources/index.js'
import type { InvokeResult, Invoker } from './targets/index.js'
import { loadActivity, saveActivity, type MappingActivity } from './mapping-activity.js'

export interface TriggerOptions {
  /** How long an idle runner waits for a commit before looking at the log anyway. */
  idlePollMs: number
  /** The first retry waits this long; each further retry doubles it, up to retryDelayMsMax. */
  retryDelayMsMin: number
  retryDelayMsMax: number
  /** How often a runner looks for shards to start besides when one finishes (Lambda lists a Kinesis stream's shards about once a minute). */
  shardListPollMs: number
}

export const defaultTriggerOptions: TriggerOptions = { idlePollMs: 20, retryDelayMsMin: 100, retryDelayMsMax: 5000, shardListPollMs: 1000 }

/**
 * A batch retried forever fails every few seconds: after the first failure of a run of them,
 * one warning per this interval says how many more there were.
 */
const failureLogIntervalMs = 30_000
/** How much of a function's error message LastProcessingResult quotes. */
const resultMessageChars = 200

/** Lambda's invocation payload cap (6 MB), kept in characters of event JSON. */
const payloadCharsMax = 6 * 1024 * 1024 - 1024
/** A shard being read, and when its last invocation ended (the batching window opens then). */
interface ShardProgress {
  source: RecordSource
  lastInvocationEndMs: number
}

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
  readonly #plan: SourcePlan
  #patterns: Pattern[] = []
  #stopping = false
  #running?: Promise<void>
  /** The loop of each shard being read, by shard id. */
  readonly #shards = new Map<string, Promise<void>>()
  /** Ends the runner's wait for the next look at the shard list (a shard finished, the mapping changed, stop). */
  #wakePlanner: (() => void) | undefined
  /** What the mapping has done (mapping-activity.ts), loaded before the first shard starts. */
  #activity: MappingActivity | undefined
  /** Rate limit of failure warnings: when one was last logged (wall clock), and how many were not since. */
  #failureLoggedAtMs = -Infinity
  #failuresNotLogged = 0

  constructor(mapping: MappingRecord, deps: RunnerDeps) {
    this.#mapping = mapping
    this.#deps = deps
    this.#plan = sourcePlanOf(mapping, { region: deps.region, lease: deps.lease, mapping: () => this.#mapping })
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
    this.#wakePlanner?.()
    this.#deps.signal.notify()
  }

  async stop(): Promise<void> {
    this.#stopping = true
    this.#wakePlanner?.()
    this.#deps.signal.notify()
    await this.#running
  }

  #setPatterns(): void {
    this.#patterns = (this.#mapping.settings.FilterCriteria?.Filters ?? [])
      .map((filter) => parsePattern(filter.Pattern))
      .filter((pattern): pattern is Pattern => pattern !== undefined)
  }

  /** Starts a loop for each shard the plan says may be read now, and looks again when one finishes. */
  async #run(): Promise<void> {
    const { region, options } = this.#deps
    while (!this.#stopping) {
      try {
        // Counters carry on from the node that ran the mapping before.
        this.#activity ??= await region.storage.read((view) => loadActivity(view, this.#mapping.UUID))
        if (this.#mapping.enabled) {
          for (const source of await this.#plan.newSources(new Set(this.#shards.keys()))) this.#startShard(source)
        }
      } catch (error) {
        region.log.warn('trigger mapping shard list failed', { uuid: this.#mapping.UUID, error: error instanceof Error ? error.stack : String(error) })
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(wake, options.shardListPollMs)
        function wake(): void {
          clearTimeout(timer)
          resolve()
        }
        this.#wakePlanner = wake
      })
    }
    await Promise.all(this.#shards.values())
  }

  #startShard(source: RecordSource): void {
    const loop = this.#runShard(source).finally(() => {
      this.#shards.delete(source.shardId)
      // A finished shard may let its children start.
      this.#wakePlanner?.()
    })
    this.#shards.set(source.shardId, loop)
  }

  /** Reads and delivers one shard until it is finished or the runner stops. */
  async #runShard(source: RecordSource): Promise<void> {
    const { region, signal, options } = this.#deps
    const shard: ShardProgress = { source, lastInvocationEndMs: 0 }
    let failures = 0
    let opened = false
    while (!this.#stopping && !source.finished) {
      const generation = signal.generation
      try {
        if (!opened) await source.open()
        opened = true
        const worked = this.#mapping.enabled && source.isReadable() && (await this.#round(shard))
        failures = 0
        if (!worked) await signal.wait(generation, options.idlePollMs)
      } catch (error) {
        failures += 1
        if (error instanceof LeaseLost) {
          // The lease moved to another node (this one is stopping, or was paused past the lease):
          // delivery goes on there from the stored position, a batch in flight perhaps again.
          region.log.info('trigger mapping handed over to another node', { uuid: this.#mapping.UUID, shard: source.shardId })
        } else {
          // Storage trouble (or a bug): log it and back off, but keep the mapping alive.
          region.log.warn('trigger mapping round failed', { uuid: this.#mapping.UUID, shard: source.shardId, error: error instanceof Error ? error.stack : String(error) })
        }
        await this.#backOff(failures)
      }
    }
  }

  /**
   * Waits before the `attempt`-th retry (1, 2, ...): retryDelayMsMin doubled each time, at most
   * retryDelayMsMax, whatever commits meanwhile (a commit must not cut a back-off short, or a
   * round that keeps failing would run as often as anything is written); ends early only when
   * the runner is told to stop.
   */
  async #backOff(attempt: number): Promise<void> {
    const { options, signal } = this.#deps
    const deadline = Date.now() + Math.min(options.retryDelayMsMax, options.retryDelayMsMin * 2 ** (attempt - 1))
    while (!this.#stopping && Date.now() < deadline) await signal.wait(signal.generation, deadline - Date.now())
  }

  /** One round of one shard: returns false when there was nothing to do. */
  async #round(shard: ShardProgress): Promise<boolean> {
    const { source } = shard
    const settings = this.#mapping.settings
    const wanted = settings.BatchSize * settings.ParallelizationFactor
    const patterns = this.#patterns
    const filter = patterns.length === 0 ? undefined : (view: unknown) => matchesAnyPattern(patterns, view)
    const { pending, through } = await source.read(wanted, filter)
    if (through === source.position) return false
    // The window opens when the previous invocation ends, or when the first record arrived.
    const windowStartMs = Math.max(shard.lastInvocationEndMs, pending[0]?.madeAtMs ?? 0)
    const waitMs = windowStartMs + settings.MaximumBatchingWindowInSeconds * 1000 - this.#deps.region.clock.now()
    if (pending.length > 0 && pending.length < wanted && waitMs > 0) {
      // Batching window: wait for a full batch or the end of the window, then read again.
      await this.#deps.signal.wait(this.#deps.signal.generation, Math.min(waitMs, 1000))
      return true
    }
    if (pending.length > 0) {
      const completed = await this.#deliverLanes(source, pending)
      shard.lastInvocationEndMs = this.#deps.region.clock.now()
      if (!completed) return true
    }
    if (through > source.position) await source.checkpoint(through, (tx) => saveActivity(tx, this.#mapping.UUID, this.#activity!))
    return true
  }

  /** Splits records into key lanes (one per ParallelizationFactor) and delivers the lanes concurrently. */
  async #deliverLanes(source: RecordSource, pending: PendingRecord[]): Promise<boolean> {
    const laneCount = this.#mapping.settings.ParallelizationFactor
    const lanes: PendingRecord[][] = Array.from({ length: laneCount }, () => [])
    for (const record of pending) lanes[laneOf(record.itemKey, laneCount)]!.push(record)
    const results = await Promise.all(lanes.filter((lane) => lane.length > 0).map((lane) => this.#deliverLane(source, lane)))
    return results.every(Boolean)
  }

  async #deliverLane(source: RecordSource, lane: PendingRecord[]): Promise<boolean> {
    for (const batch of batchesOf(lane, this.#mapping.settings.BatchSize)) {
      const outcome = await deliverBatch(batch, this.#deliveryContext(source))
      if (!outcome.problem) this.#activity!.lastProcessingResult = 'OK'
      if (outcome.completed) this.#activity!.deliveredBatches += 1
      if (!outcome.completed) return false
    }
    return true
  }

  #deliveryContext(source: RecordSource): DeliveryContext {
    const { region } = this.#deps
    const mapping = this.#mapping
    return {
      settings: mapping.settings,
      invoke: async (batch) => {
        const result = await this.#deps.invokerFor(mapping.functionName).invoke(eventOf(batch), { requestId: randomUUID(), functionArn: mapping.FunctionArn })
        if (result.ok) {
          // A success ends a run of failures: the next failure is news, logged at once.
          this.#failureLoggedAtMs = -Infinity
        } else {
          this.#failed(batch, result)
          await this.#saveActivity()
        }
        return result
      },
      discard: (discarded) => this.#discard(source, discarded),
      nowMs: () => region.clock.now(),
      pause: async (retries) => {
        await this.#backOff(retries)
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
    const activity = this.#activity!
    activity.failures += 1
    const failure = activity.lastFailure = {
      errorType: result.errorType, errorMessage: result.errorMessage, ...(result.trace ? { trace: result.trace } : {}),
      firstSequence: batch[0]!.sequence, lastSequence: batch.at(-1)!.sequence, records: batch.length, atMs: region.clock.now(),
    }
    const firstLine = result.errorMessage.split('\n', 1)[0]!.slice(0, resultMessageChars)
    activity.lastProcessingResult = `PROBLEM: Function call failed: ${result.errorType}: ${firstLine}`
    if (now - this.#failureLoggedAtMs < failureLogIntervalMs) {
      this.#failuresNotLogged += 1
      return
    }
    const mapping = this.#mapping
    region.log.warn('trigger function failed', {
      uuid: mapping.UUID, function: mapping.functionName, ...(isKinesisMapping(mapping) ? { stream: mapping.streamName } : { table: mapping.tableName }), region: region.region,
      batch: { firstSequence: failure.firstSequence, lastSequence: failure.lastSequence, records: batch.length },
      errorType: result.errorType, errorMessage: result.errorMessage,
      ...(result.trace ? { stack: result.trace.join('\n') } : {}),
      ...(this.#failuresNotLogged > 0 ? { failuresNotLogged: this.#failuresNotLogged } : {}),
    })
    this.#failureLoggedAtMs = now
    this.#failuresNotLogged = 0
  }

  /**
   * After a failed invocation, which moves no checkpoint to save the activity with: in a
   * transaction of its own, fenced by the lease. A failure to save is logged, not thrown: the
   * batch is retried either way, and the next save carries the activity.
   */
  async #saveActivity(): Promise<void> {
    const { region, lease } = this.#deps
    const { UUID } = this.#mapping
    try {
      await region.storage.transact(async (tx) => {
        await lease?.fence(tx)
        await saveActivity(tx, UUID, this.#activity!)
      })
    } catch (error) {
      region.log.warn('trigger mapping activity not saved', { uuid: UUID, error: String(error) })
    }
  }

  #discard(source: RecordSource, discarded: DiscardedBatch): Promise<void> {
    const { region } = this.#deps
    const mapping = this.#mapping
    const batchSource = { functionArn: mapping.FunctionArn, streamArn: source.streamArn, shardId: source.shardId, batchInfoKey: source.batchInfoKey }
    const record = invocationRecordOf(discarded, batchSource, region.clock.now())
    return sendToDestination(mapping.settings.DestinationConfig.OnFailure.Destination, region.config.functions, record, region.log)
  }
}

/** The lane of an item: the same item always lands in the same lane, so its changes stay in order. */
function laneOf(itemKey: string, laneCount: number): number {
  if (laneCount === 1) return 0
  return md5Digest(itemKey).readUInt32BE(0) % laneCount
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
