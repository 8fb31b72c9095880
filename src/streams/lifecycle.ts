/**
 * Keeps stream history in step with the table catalog. CreateTable, UpdateTable and DeleteTable
 * call syncStreams inside the transaction that stores the table's new record, so a stream starts
 * exactly after the last change committed before it was enabled, and ends exactly at the last
 * change committed before it was disabled (the change log is one sequence per table). Changes
 * of writes running at the same moment fall on one side of that position each. The position is
 * the transaction's own (Transaction.lastChangeSequence): on PostgreSQL it reads nothing that
 * writers write, so a table taking writes through other nodes does not make the change conflict.
 */
import type { Transaction } from '../storage/engine.js'
import type { StoredDescription } from '../tables/record.js'
import { streamArn, streamLabelAt } from '../tables/describe.js'
import type { StreamState } from './history.js'
import { loadStream, saveStream } from './history.js'
import { disabled, newShard } from './shards.js'

/** How far a new stream's label may move (1 ms each) to differ from an older stream's. */
const labelAttemptsMax = 1000

function streamEnabled(description: StoredDescription | undefined): boolean {
  return description?.StreamSpecification?.StreamEnabled === true
}

/**
 * Records what changed between a table's old and new description: a stream disabled (or its
 * table deleted, `after` undefined) becomes DISABLED with its open shard closed; a stream newly
 * enabled gets its history entry and first shard. May move `after`'s LatestStreamLabel/Arn on
 * by a millisecond or more so that the new stream's ARN is not an older stream's.
 */
export async function syncStreams(
  tx: Transaction, before: StoredDescription | undefined, after: StoredDescription | undefined, nowMs: number,
): Promise<void> {
  const startsNew = streamEnabled(after) && (!streamEnabled(before) || before!.LatestStreamArn !== after!.LatestStreamArn)
  if (streamEnabled(before) && (!streamEnabled(after) || startsNew)) await stopStream(tx, before!, nowMs)
  if (startsNew) await startStream(tx, after!, nowMs)
}

async function stopStream(tx: Transaction, description: StoredDescription, nowMs: number): Promise<void> {
  const state = await loadStream(tx, description.LatestStreamArn!)
  if (!state || state.status === 'DISABLED') return
  await saveStream(tx, disabled(state, nowMs, await tx.lastChangeSequence(state.tableId)))
}

async function startStream(tx: Transaction, description: StoredDescription, nowMs: number): Promise<void> {
  await claimUnusedLabel(tx, description)
  const lastSequence = await tx.lastChangeSequence(description.TableId)
  const state: StreamState = {
    version: 1,
    streamArn: description.LatestStreamArn!,
    streamLabel: description.LatestStreamLabel!,
    tableName: description.TableName,
    tableId: description.TableId,
    keySchema: description.KeySchema.map(({ AttributeName, KeyType }) => ({ AttributeName, KeyType })),
    viewType: description.StreamSpecification!.StreamViewType!,
    status: 'ENABLED',
    createdMs: nowMs,
    firstSequence: lastSequence + 1,
    shards: [],
  }
  state.shards.push(newShard(state, nowMs, lastSequence))
  await saveStream(tx, state)
}

/**
 * Labels are creation times in milliseconds, so a table re-enabling its stream (or re-created
 * under the same name) within one millisecond would repeat an ARN; move the label on instead.
 */
async function claimUnusedLabel(tx: Transaction, description: StoredDescription): Promise<void> {
  const labelMs = Date.parse(`${description.LatestStreamLabel!}Z`)
  for (let attempt = 0; attempt < labelAttemptsMax; attempt++) {
    const label = streamLabelAt(labelMs + attempt)
    const arn = streamArn(description.TableArn, label)
    if (await loadStream(tx, arn)) continue
    description.LatestStreamLabel = label
    description.LatestStreamArn = arn
    return
  }
  throw new Error(`no unused stream label near ${description.LatestStreamLabel!}`)
}
