/**
 * The TTL sweeper: one per region, a BackgroundService that every ttlSweepIntervalMs runs one
 * pass: first it advances the pending expiry scans left by UpdateTimeToLive, then it deletes the
 * expired items of every table with TTL on. Each pass does a bounded amount of work, so a table
 * with millions of expired items is worked off over several passes instead of stalling writes.
 *
 * Passes never overlap (the next one is scheduled when the last ends) and stop() waits for the
 * one in progress, so the region's storage is never closed under it.
 */
import { sweepsExpiredItems } from '../replication/ttl-owner.js'
import { ageNow, type BackgroundService, type BackgroundServiceFactory, type RegionContext } from '../api/context.js'
import { leased } from '../cluster/leases.js'
import { runExpiryScans } from './expiry-scan.js'
import { sweepPage, sweepPageItems } from './sweep.js'
import { FailureRunLog } from '../log.js'

/** Expiry-scan pages per pass, over all tables of the region. */
export const expiryScanPagesPerPass = 40

/** Delete pages per table per pass. */
export const sweepPagesPerTablePerPass = 10

export interface TtlPassResult {
  /** Items deleted because they expired. */
  expiredItems: number
  /** Whether the pass stopped at a bound with work left (the next pass goes on). */
  workLeft: boolean
}

/** One bounded pass over a region: expiry scans, then expired-item deletes. */
export async function runTtlPass(ctx: RegionContext): Promise<TtlPassResult> {
  const scanPages = await runExpiryScans(ctx, expiryScanPagesPerPass)
  let workLeft = scanPages >= expiryScanPagesPerPass
  const nowSeconds = ageNow(ctx.clock) / 1000
  let expiredItems = 0
  for (const name of ctx.catalog.names()) {
    const table = ctx.catalog.get(name)
    const ttlAttribute = table?.ttlAttribute
    if (!table || ttlAttribute === undefined) continue
    if (!sweepsExpiredItems(ctx, name)) continue
    let pages = 0
    let examined = sweepPageItems
    while (examined === sweepPageItems && pages < sweepPagesPerTablePerPass) {
      const page = await sweepPage(ctx, table, ttlAttribute, nowSeconds)
      expiredItems += page.deleted
      examined = page.examined
      pages++
    }
    if (examined === sweepPageItems) workLeft = true
  }
  return { expiredItems, workLeft }
}

/** The region's TTL sweeper; register `ttlSweeperFactory` with the server's background services. */
export class TtlSweeper implements BackgroundService {
  readonly #ctx: RegionContext
  readonly #intervalMs: number
  /** Passes failed in a row (storage unreachable); logged on the first and when they work again. */
  readonly #failures: FailureRunLog
  #timer: NodeJS.Timeout | undefined
  #pass: Promise<void> | undefined
  #stopped = false

  constructor(ctx: RegionContext, intervalMs: number = ctx.config.ttlSweepIntervalMs) {
    this.#ctx = ctx
    this.#failures = new FailureRunLog(ctx.log, { failed: 'ttl sweep failed', recovered: 'ttl sweeps work again' }, { region: ctx.region })
    this.#intervalMs = intervalMs
  }

  start(): void {
    this.#stopped = false
    this.#schedule()
  }

  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#timer)
    this.#timer = undefined
    await this.#pass
  }

  /** A pass that stopped at a bound with work left is followed at once, not after the interval. */
  #schedule(delayMs: number = this.#intervalMs): void {
    if (this.#stopped || this.#timer) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.#pass = this.#runPass().then((workLeft) => {
        this.#pass = undefined
        this.#schedule(workLeft ? 0 : this.#intervalMs)
      })
    }, delayMs)
    // A sweeper alone must not keep the process alive.
    this.#timer.unref()
  }

  /** Runs one pass, never throwing; returns whether work is left. */
  async #runPass(): Promise<boolean> {
    try {
      const result = await runTtlPass(this.#ctx)
      if (result.expiredItems > 0) {
        this.#ctx.log.debug('ttl sweep', { region: this.#ctx.region, expiredItems: result.expiredItems })
      }
      this.#failures.succeeded()
      return result.workLeft
    } catch (error) {
      // A failed pass (storage busy, a table dropped under it) is retried by the next one.
      this.#failures.failed(error)
      return false
    }
  }
}

/**
 * The region's sweeper runs on the node holding the 'ttl-sweeper' lease (cluster/leases.ts). Its
 * deletes need no fence: each re-reads the item and its expiry inside its own transaction.
 */
export const ttlSweeperFactory: BackgroundServiceFactory = leased('ttl-sweeper', (region) => new TtlSweeper(region))
