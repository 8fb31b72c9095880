/**
 * Trims each Kinesis stream's records to its retention period (24 hours to 365 days), and
 * forgets closed shards once every record they held has expired, so they leave DescribeStream
 * and ListShards as in Kinesis. A background service per region.
 */
import { ageNow, type BackgroundServiceFactory, type RegionContext } from '../api/context.js'
import { leased } from '../cluster/leases.js'
import { PeriodicPass } from '../changes/periodic-pass.js'
import { firstOrdinalAt } from './sequence-numbers.js'
import { listStreamStates, loadStream, saveStream } from './stream-store.js'

const passIntervalMs = 60_000

/** One pass over every stream of the region. */
export async function trimStreamsOnce(ctx: RegionContext): Promise<void> {
  const nowMs = ageNow(ctx.clock)
  for (const listed of await ctx.storage.read((view) => listStreamStates(view))) {
    await ctx.storage.transact(async (tx) => {
      const state = await loadStream(tx, listed.name)
      if (!state || state.id !== listed.id) return
      const horizonMs = nowMs - state.retentionHours * 3_600_000
      await tx.trimStreamRecords(state.id, firstOrdinalAt(horizonMs))
      const kept = state.shards.filter((shard) => shard.closedMs === undefined || shard.closedMs > horizonMs)
      if (kept.length < state.shards.length) await saveStream(tx, { ...state, shards: kept })
    })
  }
}

/** One trimmer per region, on the node holding its lease (src/cluster/leases.ts). */
export const kinesisRetentionFactory: BackgroundServiceFactory = leased('kinesis-retention', (ctx) =>
  new PeriodicPass(ctx, passIntervalMs, trimStreamsOnce, 'kinesis retention pass failed'))
