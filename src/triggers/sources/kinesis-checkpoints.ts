/**
 * The checkpoints of Kinesis mappings: per mapping and shard, the ordinal up to which every record
 * was delivered or discarded, in the storage state store (so they hold on PostgreSQL with many
 * nodes as well). A shard without a checkpoint is read from its start (TRIM_HORIZON), which is
 * where a child shard created after the mapping begins.
 */
import type { ReadView, Transaction } from '../../storage/engine.js'

const namespace = 'trigger-kinesis-checkpoints'

function checkpointKey(uuid: string, shardIndex: number): string {
  return `${uuid}/${shardIndex}`
}

export function saveShardCheckpoint(tx: Transaction, uuid: string, shardIndex: number, ordinal: number): Promise<void> {
  return tx.putState(namespace, checkpointKey(uuid, shardIndex), String(ordinal))
}

export async function loadShardCheckpoint(view: ReadView, uuid: string, shardIndex: number): Promise<number> {
  const value = await view.getState(namespace, checkpointKey(uuid, shardIndex))
  return value === undefined ? 0 : Number(value)
}

/** Every checkpoint of one mapping, by shard index. */
export async function loadShardCheckpoints(view: ReadView, uuid: string): Promise<Map<number, number>> {
  const checkpoints = new Map<number, number>()
  for (const entry of await view.listState(namespace)) {
    if (entry.key.startsWith(`${uuid}/`)) checkpoints.set(Number(entry.key.slice(uuid.length + 1)), Number(entry.value))
  }
  return checkpoints
}

export async function forgetShardCheckpoints(tx: Transaction, uuid: string): Promise<void> {
  for (const shardIndex of (await loadShardCheckpoints(tx, uuid)).keys()) await tx.deleteState(namespace, checkpointKey(uuid, shardIndex))
}
