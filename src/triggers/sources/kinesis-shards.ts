/**
 * A Kinesis stream as an event source: one source per shard, each with its own checkpoint
 * (kinesis-checkpoints.ts), read independently so a failing batch blocks only its shard. After a
 * split or merge a child shard starts only once its parents were read to their ends, as Lambda
 * does; a parent that retention already removed counts as read.
 */
import { firstOrdinalAt } from '../../kinesis/sequence-numbers.js'
import { loadStream, shardIdOf, type ShardState, type StreamState } from '../../kinesis/stream-store.js'
import type { Transaction } from '../../storage/engine.js'
import type { PendingRecord } from '../event.js'
import type { KinesisMapping } from '../mapping.js'
import { readPageRecords, roundScanRecordsMax, type RecordFilter, type RecordSource, type SourceDeps, type SourceKind, type SourceRead } from '../record-source.js'
import { forgetShardCheckpoints, loadShardCheckpoint, loadShardCheckpoints, saveShardCheckpoint } from './kinesis-checkpoints.js'
import { invokeIdentityArnOf, kinesisFilterViewOf, kinesisPendingRecordOf } from './kinesis-event.js'

class KinesisShardSource implements RecordSource {
  readonly batchInfoKey = 'KinesisBatchInfo'
  readonly shardId: string
  readonly #deps: SourceDeps
  readonly #shardIndex: number
  /** Known once the shard is closed (from the plan, or from a later read). */
  #endOrdinal: number | undefined
  #position = 0

  constructor(deps: SourceDeps, shard: ShardState) {
    this.#deps = deps
    this.#shardIndex = shard.index
    this.#endOrdinal = shard.endOrdinal
    this.shardId = shardIdOf(shard.index)
  }

  get #mapping(): KinesisMapping {
    return this.#deps.mapping() as KinesisMapping
  }

  get streamArn(): string {
    return this.#mapping.streamArn
  }

  get position(): number {
    return this.#position
  }

  get finished(): boolean {
    return this.#endOrdinal !== undefined && this.#position >= this.#endOrdinal
  }

  async open(): Promise<void> {
    this.#position = await this.#deps.region.storage.read((view) => loadShardCheckpoint(view, this.#mapping.UUID, this.#shardIndex))
  }

  isReadable(): boolean {
    return true
  }

  async read(wanted: number, filter: RecordFilter | undefined): Promise<SourceRead> {
    const { region } = this.#deps
    const mapping = this.#mapping
    const pending: PendingRecord[] = []
    let through = this.#position
    // The stream's state first: when it says the shard is closed, every record of the shard is already stored.
    const state = await region.storage.read((view) => loadStream(view, mapping.streamName))
    const shard = state?.id === mapping.streamId ? state.shards.find((candidate) => candidate.index === this.#shardIndex) : undefined
    if (!state || !shard) return { pending, through }
    this.#endOrdinal = shard.endOrdinal
    const context = {
      // Records name the stream they come from, also when read through a fan-out consumer.
      region: region.region, shardId: this.shardId, streamCreatedMs: state.createdMs, eventSourceArn: mapping.streamArn,
      invokeIdentityArn: invokeIdentityArnOf(region.region, region.accountId, mapping.functionName),
    }
    let drained = false
    for (let scanned = 0; pending.length < wanted && scanned < roundScanRecordsMax;) {
      const rows = await region.storage.read((view) => view.readStreamRecords(state.id, this.#shardIndex, through, readPageRecords))
      for (const row of rows) {
        if (pending.length >= wanted) break
        through = row.ordinal
        scanned += 1
        if (!filter || filter(kinesisFilterViewOf(row))) pending.push(kinesisPendingRecordOf(row, context))
      }
      drained = rows.length < readPageRecords && pending.length < wanted
      if (rows.length < readPageRecords) break
    }
    // A closed shard read to its end: the checkpoint moves to its end, which finishes it.
    if (drained && shard.endOrdinal !== undefined) through = Math.max(through, shard.endOrdinal)
    return { pending, through }
  }

  async checkpoint(through: number, alongside?: (tx: Transaction) => Promise<void>): Promise<void> {
    await this.#deps.region.storage.transact(async (tx) => {
      await this.#deps.lease?.fence(tx)
      await saveShardCheckpoint(tx, this.#mapping.UUID, this.#shardIndex, through)
      await alongside?.(tx)
    })
    this.#position = through
  }
}

/** The shards that may be read now: not finished, and with every parent finished. */
function readyShards(state: StreamState, checkpoints: Map<number, number>): ShardState[] {
  const byIndex = new Map(state.shards.map((shard) => [shard.index, shard]))
  const isFinished = (index: number): boolean => {
    const shard = byIndex.get(index)
    // A shard retention removed was closed long ago: nothing of it is left to read.
    if (!shard) return true
    return shard.endOrdinal !== undefined && (checkpoints.get(index) ?? 0) >= shard.endOrdinal
  }
  return state.shards.filter((shard) => !isFinished(shard.index)
    && (shard.parentIndex === undefined || isFinished(shard.parentIndex))
    && (shard.adjacentParentIndex === undefined || isFinished(shard.adjacentParentIndex)))
}

/** Where a new mapping starts in a shard that exists when it is created (later shards start at their beginning). */
async function startingCheckpointOf(mapping: KinesisMapping, shard: ShardState, lastOrdinal: () => Promise<number>): Promise<number | undefined> {
  switch (mapping.StartingPosition) {
    case 'TRIM_HORIZON':
      return undefined
    case 'LATEST':
      return shard.endOrdinal ?? Math.max(await lastOrdinal(), shard.startOrdinal - 1)
    case 'AT_TIMESTAMP':
      return firstOrdinalAt(mapping.startingPositionTimestampMs!) - 1
  }
}

export const kinesisStreamKind: SourceKind<KinesisMapping> = {
  async startCheckpoints(tx, mapping) {
    const state = await loadStream(tx, mapping.streamName)
    if (state?.id !== mapping.streamId) return
    for (const shard of state.shards) {
      const lastOrdinal = async () => (await tx.lastStreamRecord(state.id, shard.index))?.ordinal ?? 0
      const checkpoint = await startingCheckpointOf(mapping, shard, lastOrdinal)
      if (checkpoint !== undefined && checkpoint > 0) await saveShardCheckpoint(tx, mapping.UUID, shard.index, checkpoint)
    }
  },
  forgetCheckpoints: (tx, mapping) => forgetShardCheckpoints(tx, mapping.UUID),
  plan: (deps) => ({
    async newSources(running) {
      const mapping = deps.mapping() as KinesisMapping
      const { state, checkpoints } = await deps.region.storage.read(async (view) => ({
        state: await loadStream(view, mapping.streamName),
        checkpoints: await loadShardCheckpoints(view, mapping.UUID),
      }))
      // A deleted stream (or one created again under its name) has nothing more for this mapping.
      if (state?.id !== mapping.streamId) return []
      return readyShards(state, checkpoints).filter((shard) => !running.has(shardIdOf(shard.index))).map((shard) => new KinesisShardSource(deps, shard))
    },
  }),
}
