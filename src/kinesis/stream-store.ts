/**
 * A Kinesis stream's description (shards, retention, tags, consumers) as kept in the storage
 * state store, one entry per stream name. Records live apart, in kinesis_records, under the
 * stream's `id`: a stream deleted and created again under the same name starts empty.
 */
import type { ReadView, Transaction } from '../storage/engine.js'
import { arnPartition } from '../region-names.js'

const namespace = 'kinesis-streams'

export type StreamMode = 'PROVISIONED' | 'ON_DEMAND'

export interface ShardState {
  index: number
  parentIndex?: number
  adjacentParentIndex?: number
  /** Decimal strings, as on the wire. */
  startingHashKey: string
  endingHashKey: string
  createdMs: number
  startOrdinal: number
  /** Set when the shard was closed by a split, merge or UpdateShardCount. */
  closedMs?: number
  endOrdinal?: number
}

export interface ConsumerState {
  name: string
  arn: string
  createdMs: number
  /** TagResource's tags of this consumer (absent until it has any). */
  tags?: Record<string, string>
  /** PutResourcePolicy's document, as it was put. */
  policy?: string
}

export interface StreamState {
  name: string
  /** Storage id of this incarnation's records: `<name>/<createdMs>`. */
  id: string
  arn: string
  createdMs: number
  mode: StreamMode
  retentionHours: number
  shards: ShardState[]
  nextShardIndex: number
  tags: Record<string, string>
  encryption?: { keyId: string }
  consumers: ConsumerState[]
  /** EnableEnhancedMonitoring's metrics, in the API's order (absent until any were enabled). */
  shardLevelMetrics?: string[]
  /** PutResourcePolicy's document, as it was put. */
  policy?: string
  /** UpdateMaxRecordSize's (or CreateStream's) limit on one record's data, in KiB; absent: 1024. */
  maxRecordSizeKiB?: number
}

/** A record's data may be up to 1 MiB, unless the stream allows more (up to 10 MiB). */
export const defaultMaxRecordSizeKiB = 1024
export const largestMaxRecordSizeKiB = 10240

export function maxRecordDataBytes(state: StreamState): number {
  return (state.maxRecordSizeKiB ?? defaultMaxRecordSizeKiB) * 1024
}

export async function loadStream(view: ReadView, name: string): Promise<StreamState | undefined> {
  const json = await view.getState(namespace, name)
  return json === undefined ? undefined : (JSON.parse(json) as StreamState)
}

/**
 * One stream's state as a long-lived reader keeps looking at it, parsed again only when its text
 * changed: a SubscribeToShard subscription looks every 200 ms while idle, and the state of a
 * stream of 1,500 shards is hundreds of KB of JSON (sixty idle subscriptions took most of a core
 * parsing it). What `load` returns is shared between looks: read it, never change it.
 */
export class StreamWatch {
  #text: string | undefined
  #state: StreamState | undefined

  constructor(readonly name: string) {}

  async load(view: ReadView): Promise<Readonly<StreamState> | undefined> {
    const text = await view.getState(namespace, this.name)
    if (text === undefined) return undefined
    if (text !== this.#text) {
      this.#state = JSON.parse(text) as StreamState
      this.#text = text
    }
    return this.#state
  }
}

export function saveStream(tx: Transaction, state: StreamState): Promise<void> {
  return tx.putState(namespace, state.name, JSON.stringify(state))
}

export function forgetStream(tx: Transaction, name: string): Promise<void> {
  return tx.deleteState(namespace, name)
}

export async function listStreamStates(view: ReadView): Promise<StreamState[]> {
  return (await view.listState(namespace)).map((entry) => JSON.parse(entry.value) as StreamState)
}

export function shardIdOf(index: number): string {
  return `shardId-${String(index).padStart(12, '0')}`
}

const shardIdPattern = /^shardId-(\d{12})$/

/** The index a shard id names, or undefined when it is not a shard id. Kinesis also accepts the bare number. */
export function shardIndexOf(shardId: string): number | undefined {
  const match = shardIdPattern.exec(shardId)
  if (match) return Number(match[1])
  return /^\d{1,12}$/.test(shardId) ? Number(shardId) : undefined
}

export function isOpen(shard: ShardState): boolean {
  return shard.closedMs === undefined
}

export function openShards(state: StreamState): ShardState[] {
  return state.shards.filter(isOpen)
}

export function streamArnOf(region: string, accountId: string, name: string): string {
  return `arn:${arnPartition(region)}:kinesis:${region}:${accountId}:stream/${name}`
}
