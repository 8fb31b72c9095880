/**
 * Where a mapping's records come from, so one runner (runner.ts) and one set of delivery rules
 * (delivery.ts) serve every kind of event source. A source is one shard: a DynamoDB stream is read
 * as one shard (the table's change log), a Kinesis stream has one source per shard. A plan says
 * which shards may run now (children only once their parents are finished).
 */
import type { RegionContext } from '../api/context.js'
import type { HeldLease } from '../cluster/leases.js'
import type { Transaction } from '../storage/engine.js'
import type { PendingRecord } from './event.js'
import type { MappingRecord } from './mapping.js'

export interface SourceRead {
  /** Records after the checkpoint that passed the filters, in shard order. */
  pending: PendingRecord[]
  /** The position the checkpoint moves to once `pending` is delivered (the checkpoint itself when nothing new was seen). */
  through: number
}

/** Decides whether a record passes the mapping's filters, given what the patterns look at. */
export type RecordFilter = (filterView: unknown) => boolean

export interface RecordSource {
  /** The shard id failure records name. */
  readonly shardId: string
  /** The member of a failure record that describes the batch. */
  readonly batchInfoKey: 'DDBStreamBatchInfo' | 'KinesisBatchInfo'
  /** The stream ARN failure records name. */
  readonly streamArn: string
  /** The checkpoint: every record up to it was delivered or discarded. */
  readonly position: number
  /** True once a closed shard was read to its end (its children may start). */
  readonly finished: boolean
  /** Loads the saved checkpoint. */
  open(): Promise<void>
  /** Whether the records can be read now (a DynamoDB stream replaced by another cannot). */
  isReadable(): boolean
  /** Up to `wanted` records after the checkpoint that pass `filter` (every record when it is undefined). */
  read(wanted: number, filter: RecordFilter | undefined): Promise<SourceRead>
  /**
   * Saves the checkpoint, fenced by the runner's lease, with what `alongside` writes in the same
   * transaction (the mapping's activity, mapping-activity.ts).
   */
  checkpoint(through: number, alongside?: (tx: Transaction) => Promise<void>): Promise<void>
}

export interface SourceDeps {
  region: RegionContext
  /** The mapping as it is now (it may be updated while its shards run). */
  mapping(): MappingRecord
  lease?: HeldLease
}

export interface SourcePlan {
  /** The shards that may be read now and are not among `running` (shard ids). */
  newSources(running: ReadonlySet<string>): Promise<RecordSource[]>
}

/** What each kind of source provides to the mapping operations, the store and the runner. */
export interface SourceKind<M extends MappingRecord> {
  /** Saves the starting checkpoints of a new mapping, in the transaction that stores it. */
  startCheckpoints(tx: Transaction, mapping: M): Promise<void>
  /** Deletes every checkpoint of a deleted mapping, so nothing holds back trimming for it. */
  forgetCheckpoints(tx: Transaction, mapping: M): Promise<void>
  plan(deps: SourceDeps): SourcePlan
}

/** Changes or records read per storage call. */
export const readPageRecords = 1000
/** Records a round looks at, matching or not, before delivering what it has (filters skip most). */
export const roundScanRecordsMax = 10_000
