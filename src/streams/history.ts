/**
 * Stream history: every stream a table has had, kept in the storage state store so that streams
 * outlive a disable, a DeleteTable and a restart. A stream is a window over its table's change
 * log: the changes with sequence in [firstSequence, lastSequence], cut into shards that each
 * cover a contiguous part of that window. Nothing about a stream is stored per record.
 */
import type { KeySchemaElement, StreamViewType } from '../tables/record.js'
import type { ReadView, TableId, Transaction } from '../storage/engine.js'

/** State-store namespace of stream states, keyed by stream ARN (so a listing is in ARN order). */
const namespace = 'streams'

export interface ShardState {
  shardId: string
  parentShardId?: string
  /** Creation time; the ShardId embeds it, and rollover counts from it. */
  createdMs: number
  /** The first change-log sequence the shard covers. */
  startSequence: number
  /** The last sequence it covers, once closed (startSequence - 1 for a shard closed empty). */
  endSequence?: number
}

export interface StreamState {
  version: 1
  streamArn: string
  streamLabel: string
  tableName: string
  tableId: TableId
  keySchema: KeySchemaElement[]
  viewType: StreamViewType
  status: 'ENABLED' | 'DISABLED'
  createdMs: number
  /** The first change-log sequence of the stream's lifetime. */
  firstSequence: number
  /** The last sequence of its lifetime, once disabled. */
  lastSequence?: number
  disabledMs?: number
  /** In ShardId order (creation order); the last one is open while the stream is enabled. */
  shards: ShardState[]
}

function parseState(json: string): StreamState {
  const state = JSON.parse(json) as StreamState
  if (state.version !== 1) throw new Error(`unknown stream state version ${String(state.version)}`)
  return state
}

export async function loadStream(view: ReadView, streamArn: string): Promise<StreamState | undefined> {
  const json = await view.getState(namespace, streamArn)
  return json === undefined ? undefined : parseState(json)
}

/** Every stream of the region still on record, in ARN order. */
export async function listStreams(view: ReadView): Promise<StreamState[]> {
  return (await view.listState(namespace)).map((entry) => parseState(entry.value))
}

export function saveStream(tx: Transaction, state: StreamState): Promise<void> {
  return tx.putState(namespace, state.streamArn, JSON.stringify(state))
}

export function forgetStream(tx: Transaction, streamArn: string): Promise<void> {
  return tx.deleteState(namespace, streamArn)
}

/** The shard open for new records, if the stream has one. */
export function openShard(state: StreamState): ShardState | undefined {
  const last = state.shards[state.shards.length - 1]
  return last && last.endSequence === undefined ? last : undefined
}

/** Whether a stream is past its retention and should no longer be listed or read. */
export function isExpired(state: StreamState, nowMs: number, retentionMs: number): boolean {
  return state.status === 'DISABLED' && state.disabledMs !== undefined && state.disabledMs + retentionMs <= nowMs
}
