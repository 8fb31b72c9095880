/**
 * Mappings persist in the storage state store, one entry per mapping keyed by UUID, so they
 * survive restarts. A mapping's checkpoint is a change-log cursor (src/changes/cursors.ts) saved
 * in the same transaction as the mapping itself when it is created, so the starting position
 * is fixed the moment the client is told the mapping exists.
 */
import type { ReadView, StorageEngine, Transaction } from '../storage/engine.js'
import type { MappingRecord } from './mapping.js'
import { forgetCheckpoints, startCheckpoints } from './sources/index.js'
import { forgetActivity } from './mapping-activity.js'

const namespace = 'trigger-mappings'

/** The id a DynamoDB stream mapping's cursor is saved under (one cursor per mapping: one shard per table here). */
export function readerIdOf(uuid: string): string {
  return `trigger/${uuid}`
}

function parseMapping(json: string): MappingRecord {
  const mapping = JSON.parse(json) as MappingRecord
  if (mapping.version !== 1) throw new Error(`unknown trigger mapping version ${String(mapping.version)}`)
  return mapping
}

export async function loadMappings(view: ReadView): Promise<MappingRecord[]> {
  return (await view.listState(namespace)).map((entry) => parseMapping(entry.value))
}

export async function loadMapping(view: ReadView, uuid: string): Promise<MappingRecord | undefined> {
  const json = await view.getState(namespace, uuid)
  return json === undefined ? undefined : parseMapping(json)
}

/**
 * Inside a transaction: stores a new mapping with its starting checkpoints (sources/): LATEST is
 * the newest record at this moment, read in the same transaction.
 */
export async function insertMapping(tx: Transaction, mapping: MappingRecord): Promise<void> {
  await saveMapping(tx, mapping)
  await startCheckpoints(tx, mapping)
}

/** Inside a transaction that read the mapping it replaces (create, update and delete check and change in one). */
export function saveMapping(tx: Transaction, mapping: MappingRecord): Promise<void> {
  return tx.putState(namespace, mapping.UUID, JSON.stringify(mapping))
}

/**
 * Changes a mapping's tags in one transaction (read and written together, so two tag changes at
 * once both land); false when there is no such mapping.
 */
export function changeMappingTags(storage: StorageEngine, uuid: string, change: (tags: Record<string, string>) => void): Promise<boolean> {
  return storage.transact(async (tx) => {
    const mapping = await loadMapping(tx, uuid)
    if (!mapping) return false
    const tags = { ...mapping.tags }
    change(tags)
    await tx.putState(namespace, uuid, JSON.stringify({ ...mapping, tags }))
    return true
  })
}

/**
 * Inside a transaction: deletes a mapping, its activity and its checkpoints, so it no longer
 * holds back trimming of the change log.
 */
export async function removeMapping(tx: Transaction, mapping: MappingRecord): Promise<void> {
  await tx.deleteState(namespace, mapping.UUID)
  await forgetCheckpoints(tx, mapping)
  await forgetActivity(tx, mapping.UUID)
}
