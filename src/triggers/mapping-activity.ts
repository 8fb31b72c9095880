/**
 * What a mapping has done: its LastProcessingResult, its last function error and its counters.
 * Kept in the state store, not only in the memory of the node running the mapping (the holder of
 * the region's trigger lease), so that GetEventSourceMapping, ListEventSourceMappings and the
 * status route answer the same through every node, and a node that takes the lease over carries
 * on from it. The runner saves it in the transaction that moves a shard's checkpoint (no
 * transaction of its own for a delivered batch), and on its own after a failed invocation, which
 * moves no checkpoint (a batch retried forever never does).
 */
import type { ReadView, Transaction } from '../storage/engine.js'

/** A mapping's last function error, kept for GetEventSourceMapping and the status route. */
export interface MappingFailure {
  errorType: string
  errorMessage: string
  trace?: string[]
  /** The positions (change-log sequences, Kinesis ordinals) of the batch's first and last records. */
  firstSequence: number
  lastSequence: number
  records: number
  /** Milliseconds since the epoch. */
  atMs: number
}

export interface MappingActivity {
  /** 'No records processed', 'OK', or 'PROBLEM: ...' as Lambda words it. */
  lastProcessingResult: string
  /** Batches delivered (or discarded after their retries) since the mapping was created. */
  deliveredBatches: number
  /** Failed invocations since the mapping was created. */
  failures: number
  lastFailure?: MappingFailure
}

const namespace = 'trigger-activity'

export function noActivity(): MappingActivity {
  return { lastProcessingResult: 'No records processed', deliveredBatches: 0, failures: 0 }
}

export function saveActivity(tx: Transaction, uuid: string, activity: MappingActivity): Promise<void> {
  return tx.putState(namespace, uuid, JSON.stringify(activity))
}

export async function loadActivity(view: ReadView, uuid: string): Promise<MappingActivity> {
  const json = await view.getState(namespace, uuid)
  return json === undefined ? noActivity() : JSON.parse(json) as MappingActivity
}

/** Every stored activity, by mapping UUID (one statement, for ListEventSourceMappings and the status route). */
export async function loadActivities(view: ReadView): Promise<Map<string, MappingActivity>> {
  return new Map((await view.listState(namespace)).map((entry) => [entry.key, JSON.parse(entry.value) as MappingActivity]))
}

export function forgetActivity(tx: Transaction, uuid: string): Promise<void> {
  return tx.deleteState(namespace, uuid)
}
