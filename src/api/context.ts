/**
 * What an operation is given. A RegionContext is one region's namespace (its own storage and
 * catalog); a RequestContext adds what belongs to one request.
 */
import type { StorageEngine } from '../storage/engine.js'
import type { TableCatalog } from '../tables/catalog.js'
import type { Logger } from '../log.js'
import type { Config } from '../config.js'
import type { CommitSignal } from '../changes/commit-signal.js'
import type { GlobalTables } from '../replication/global-tables.js'
import { ageClock } from '../age-clock.js'
import { settleStrongWrites, StrongWrites } from '../replication/strong-writes.js'

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
  /**
   * Now, for deleting data by its age (stream and Kinesis retention, idempotency tokens, TTL,
   * expired system backups), which follows a wall clock stepped forward only once the step has
   * lasted (age-clock.ts). A clock without one (tests' manual clocks) uses now(). See ageNow().
   */
  ageNow?(): number
}

export const systemClock: Clock = { now: () => Date.now(), ageNow: ageClock(() => Date.now(), () => performance.now()) }

/** The clock's now for deleting data by its age (Clock.ageNow). */
export function ageNow(clock: Clock): number {
  return clock.ageNow?.() ?? clock.now()
}

export interface RegionContext {
  region: string
  accountId: string
  storage: StorageEngine
  catalog: TableCatalog
  clock: Clock
  log: Logger
  config: Config
  /** Notified after every committed storage transaction: change-log readers wait on it. */
  commits: CommitSignal
  /** Global tables: the other regions of a replica group, here or on peers (absent in unit tests). */
  globalTables?: GlobalTables
}

/** Work a region runs in the background (TTL sweeper, trigger runners, ...). */
export interface BackgroundService {
  start(): void
  /** Stops, letting work in progress finish. */
  stop(): Promise<void>
}

export type BackgroundServiceFactory = (region: RegionContext) => BackgroundService

export interface RequestContext extends RegionContext {
  requestId: string
  /** Where the region holds strongly consistent tables: what the request's writes claimed, settled after the operation (replication/strong-writes.ts). */
  strongWrites?: StrongWrites
}

/**
 * The context of one request in `region`. The request id comes first: on Node 20, properties
 * written after a spread (`{ ...region, requestId }`) cost about 2 µs per object, as V8 then
 * gives every such object a hidden class of its own; a spread that only follows is a copy.
 */
export function requestContextIn(region: RegionContext, requestId: string): RequestContext {
  return { requestId, ...region }
}

/**
 * Runs an accepted operation in a new context of `region`: the one way every surface (the
 * DynamoDB endpoint, DAX's upstream) runs one, so that a write to a strongly consistent global
 * table is answered only once the other replicas have it (replication/strong-writes.ts). Where
 * the region holds no such table, the operation runs as it is, without a step more.
 */
export function runOperation<T>(region: RegionContext, requestId: string, accepted: (ctx: RequestContext) => Promise<T>): Promise<T> {
  const ctx = requestContextIn(region, requestId)
  if (!region.catalog.holdsStrongTables) return accepted(ctx)
  const writes = ctx.strongWrites = new StrongWrites()
  return settledAfter(ctx, writes, accepted)
}

async function settledAfter<T>(ctx: RequestContext, writes: StrongWrites, accepted: (ctx: RequestContext) => Promise<T>): Promise<T> {
  try {
    return await accepted(ctx)
  } finally {
    await settleStrongWrites(ctx, writes)
  }
}

/**
 * An API action: validated input in, the JSON-ready output out. Errors are thrown as DynamoErrors.
 * `Input` is what the operation's validation proves (src/api/operation.ts ties the two).
 */
export type OperationHandler<Input> = (ctx: RequestContext, input: Input) => Promise<object>
