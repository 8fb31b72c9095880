/**
 * Writes to a multi-Region strongly consistent global table (strong-consistency.ts), as DynamoDB
 * makes them: an item one Region is writing cannot be written by another until the first write
 * has reached every replica (the second gets ReplicatedWriteConflictException, which SDKs retry),
 * and a write is answered only once every other replica has applied it, so a read in any Region
 * after the answer sees it.
 *
 * A request's writes claim their items as they are applied (applyWrite, inside the storage
 * transaction, so a claim refused rolls the write back); the request pipeline then waits for the
 * replicas and releases the claims, whether the request succeeded or not (runOperation). Claims
 * live in this process: the regions of one server, or of one data directory, exclude each other;
 * regions on --peer servers or other nodes of a shared database are excluded by last writer wins
 * only.
 */
import type { RegionContext, RequestContext } from '../api/context.js'
import { InternalServerError, ReplicatedWriteConflictException } from '../errors.js'
import type { PrimaryKey } from '../items/keys.js'
import type { TableSchema } from '../tables/schema.js'
import { loadCheckpoint } from './checkpoints.js'
import { replicationTargets } from './replica-set.js'

/**
 * How long a write waits for the other replicas before it is answered with an error (the write
 * stays, and reaches them once they can take it). In one process they take it within milliseconds.
 */
const replicasWaitMs = 10_000
/** How often the wait looks again when no commit of this region wakes it (another node may move the checkpoints). */
const recheckMs = 25

/** The claims of every strongly consistent write in progress in this process: item → the region writing it. */
export class WriteClaims {
  readonly #claims = new Map<string, { region: string; holders: number }>()

  /** Claims `item` for `region`, or refuses: another region is writing it. */
  claim(item: string, region: string): void {
    const held = this.#claims.get(item)
    if (held === undefined) this.#claims.set(item, { region, holders: 1 })
    else if (held.region === region) held.holders++
    else throw new ReplicatedWriteConflictException()
  }

  release(item: string): void {
    const held = this.#claims.get(item)
    if (held !== undefined && --held.holders === 0) this.#claims.delete(item)
  }
}

/** One request's strongly consistent writes: the tables to wait for, and the items it has claimed. */
export class StrongWrites {
  readonly tables = new Set<string>()
  readonly claimed = new Set<string>()
}

/**
 * Claims the item a write is about to change on a strongly consistent table, for the request
 * making it. A transaction run again after a conflict claims again: a request holds each item once.
 * Only requests that will settle their claims make them (runOperation gives them StrongWrites):
 * not writes made outside a request (none reach such a table: it has no TTL, and replicated
 * writes do not claim), nor a request already running when its table's group was made.
 */
export function claimStrongWrite(ctx: RegionContext, table: TableSchema, key: PrimaryKey): void {
  const writes = (ctx as Partial<RequestContext>).strongWrites
  if (writes === undefined || ctx.globalTables === undefined) return
  writes.tables.add(table.name)
  const item = `${ctx.accountId}/${table.name}/${key.encoded.toString('base64')}`
  if (writes.claimed.has(item)) return
  ctx.globalTables.writeClaims.claim(item, ctx.region)
  writes.claimed.add(item)
}

/** Waits until every other replica has applied the request's writes, then releases its claims. */
export async function settleStrongWrites(ctx: RequestContext, writes: StrongWrites): Promise<void> {
  if (writes.tables.size === 0) return
  try {
    for (const tableName of writes.tables) await waitForReplicas(ctx, tableName)
  } finally {
    for (const item of writes.claimed) ctx.globalTables?.writeClaims.release(item)
  }
}

/**
 * Waits until replication to each other replica has passed the table's last change (the
 * request's own writes are at or before it): each pair's checkpoint moves once its target has
 * applied the changes (replicator.ts).
 */
async function waitForReplicas(ctx: RequestContext, tableName: string): Promise<void> {
  const record = ctx.catalog.record(tableName)
  if (!record?.replication) return
  const tableId = record.description.TableId
  const targets = replicationTargets(record.replication, ctx.region)
  const last = await ctx.storage.read((view) => view.lastChangeSequence(tableId))
  const deadline = Date.now() + replicasWaitMs
  for (;;) {
    const generation = ctx.commits.generation
    const checkpoints = await ctx.storage.read((view) => Promise.all(targets.map((target) => loadCheckpoint(view, tableId, target))))
    // A target without a checkpoint has left the group: nothing to wait for there.
    if (checkpoints.every((checkpoint) => checkpoint === undefined || checkpoint >= last)) return
    if (Date.now() > deadline) {
      throw new InternalServerError('The write was not confirmed by the other Regions of the global table in time; it will reach them when they can take it.')
    }
    await ctx.commits.wait(generation, recheckMs)
  }
}
