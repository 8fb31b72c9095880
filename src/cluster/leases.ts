/**
 * Leases: background work that must run on exactly one node of all the nodes sharing a database
 * (the TTL sweeper, change-log retention, stream trigger runners; later backups, replication,
 * Kinesis forwarding, exports). One generic facility, on every storage engine:
 *
 *   const factory = leased('ttl-sweeper', (ctx, lease) => new TtlSweeper(ctx))
 *
 * `leased(name, create)` is a BackgroundServiceFactory. Each node's instance tries to take the
 * lease `name` (per region) every `renewEveryMs`; the node that gets it calls `create(ctx, lease)`
 * and starts the service, then renews the lease every `renewEveryMs`. A renewal that fails, or
 * that cannot be made before the lease would expire, stops the service (a node that lost its
 * lease stops); another node then takes the lease once it has expired, and creates its own
 * service, which starts from whatever the work persisted (checkpoints are in storage).
 *
 * Fencing: every acquisition raises the lease's token. Work whose effect must not come from a
 * node that has lost the lease (a trigger checkpoint, a log trim) calls `lease.fence(tx)` inside
 * its transaction: it throws LeaseLost unless this holder still holds the lease under the same
 * token, so the transaction rolls back. Work that re-checks its own preconditions inside its
 * transaction (a TTL delete re-reads the item) needs no fence.
 *
 * Leases live in the storage state store (namespace 'leases', one row per lease) and are
 * taken and renewed in serializable transactions, so two nodes cannot both win. Expiry times
 * are wall-clock milliseconds of the nodes: their clocks must agree to well within `ttlMs`
 * (NTP does). On a data directory (SQLite) one process owns the storage (data-dir-lock.ts), so it
 * takes every lease at once, whoever held it before (`exclusive`): a restart after kill -9 does
 * not wait for the old process's leases to expire. An exclusive holder keeps its leases for the
 * life of the process and never renews them: a renewal is a commit, and every commit makes
 * SQLite's read connection drop its page cache and memory map (engine.ts), which renewing six
 * leases every second did to an idle server several times a second.
 */
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { BackgroundService, BackgroundServiceFactory, RegionContext } from '../api/context.js'
import type { ReadView, StorageEngine, Transaction } from '../storage/engine.js'
import { FailureRunLog } from '../log.js'

const namespace = 'leases'

export interface LeaseTiming {
  /** How long a lease lasts after its last renewal. A dead holder's work resumes after at most this (plus one renewEveryMs). */
  ttlMs: number
  /** How often the holder renews, and how often the others try to take the lease. */
  renewEveryMs: number
}

export const defaultLeaseTiming: LeaseTiming = { ttlMs: 4000, renewEveryMs: 1000 }

/** The expiry an exclusive holder writes: held until released (or taken by the next owner of the directory). */
const heldForLifeMs = Number.MAX_SAFE_INTEGER

/** What the state store keeps per lease. */
interface LeaseRecord {
  holder: string
  /** Raised by every acquisition: the fencing token. */
  token: number
  expiresAtMs: number
}

/** Thrown by fence() in a transaction of a node that no longer holds the lease. */
export class LeaseLost extends Error {}

/** A lease this node holds (or held: `held` turns false when it is lost or released). */
export interface HeldLease {
  readonly name: string
  readonly holder: string
  readonly token: number
  readonly held: boolean
  /** Inside a transaction: throws LeaseLost unless this holder still holds the lease under this token. */
  fence(view: ReadView): Promise<void>
}

/** A holder id naming this node's instance: host, process and a random part (several servers may share a process). */
export function newHolderId(): string {
  return `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`
}

async function readLease(view: ReadView, name: string): Promise<LeaseRecord | undefined> {
  const json = await view.getState(namespace, name)
  return json === undefined ? undefined : (JSON.parse(json) as LeaseRecord)
}

function writeLease(tx: Transaction, name: string, record: LeaseRecord): Promise<void> {
  return tx.putState(namespace, name, JSON.stringify(record))
}

/**
 * Takes the lease when it is free, expired, already ours, or `exclusive`; returns the new fencing
 * token, or undefined when another holder has it.
 */
export function acquireLease(storage: StorageEngine, name: string, holder: string, timing: LeaseTiming, exclusive = false): Promise<number | undefined> {
  return storage.transact(async (tx) => {
    const current = await readLease(tx, name)
    const nowMs = Date.now()
    if (current && current.holder !== holder && current.expiresAtMs > nowMs && !exclusive) return undefined
    const token = (current?.token ?? 0) + 1
    await writeLease(tx, name, { holder, token, expiresAtMs: exclusive ? heldForLifeMs : nowMs + timing.ttlMs })
    return token
  })
}

/** Extends a lease this holder holds under `token`; false when it has been lost. */
export function renewLease(storage: StorageEngine, name: string, holder: string, token: number, timing: LeaseTiming): Promise<boolean> {
  return storage.transact(async (tx) => {
    const current = await readLease(tx, name)
    const nowMs = Date.now()
    if (!current || current.holder !== holder || current.token !== token || current.expiresAtMs <= nowMs) return false
    await writeLease(tx, name, { holder, token, expiresAtMs: nowMs + timing.ttlMs })
    return true
  })
}

/** Gives a held lease up at once (on shutdown), so another node need not wait for it to expire. */
export function releaseLease(storage: StorageEngine, name: string, holder: string, token: number): Promise<void> {
  return storage.transact(async (tx) => {
    const current = await readLease(tx, name)
    if (current?.holder === holder && current.token === token) await writeLease(tx, name, { ...current, expiresAtMs: 0 })
  })
}

/** Who holds a lease now, if anyone (for status and tests). */
export async function leaseHolder(view: ReadView, name: string): Promise<string | undefined> {
  const current = await readLease(view, name)
  return current && current.expiresAtMs > Date.now() ? current.holder : undefined
}

/** The handle of a lease taken with acquireLease (leased() makes these itself). */
export function heldLease(name: string, holder: string, token: number): HeldLease {
  return new Lease(name, holder, token)
}

class Lease implements HeldLease {
  held = true
  constructor(readonly name: string, readonly holder: string, readonly token: number) {}

  async fence(view: ReadView): Promise<void> {
    const current = await readLease(view, this.name)
    if (!this.held || current?.holder !== this.holder || current.token !== this.token) {
      throw new LeaseLost(`lease ${this.name} is no longer held by ${this.holder}`)
    }
  }
}

export type LeasedServiceFactory = (ctx: RegionContext, lease: HeldLease) => BackgroundService

export interface LeasedOptions extends Partial<LeaseTiming> {
  /** Told when this node starts or stops holding the lease (tests, status). */
  onChange?: (held: boolean) => void
}

/** Runs the service `create` makes only while this node holds the lease `name` (see the file comment). */
export function leased(name: string, create: LeasedServiceFactory, options: LeasedOptions = {}): BackgroundServiceFactory {
  const timing: LeaseTiming = { ...defaultLeaseTiming, ...options }
  // A data directory has one process (its lock): that process always holds every lease.
  return (ctx) => new LeasedService(ctx, name, create, timing, ctx.config.storageUrl === undefined, options.onChange)
}

class LeasedService implements BackgroundService {
  readonly #holder = newHolderId()
  #lease: Lease | undefined
  #service: BackgroundService | undefined
  /** When this node must consider the lease lost if no renewal has succeeded (its own clock). */
  #heldUntilMs = 0
  #timer: NodeJS.Timeout | undefined
  #tick: Promise<void> = Promise.resolve()
  #stopped = false
  /** Steps failed in a row (storage unreachable); logged on the first and when they work again. */
  readonly #failures: FailureRunLog

  constructor(
    readonly ctx: RegionContext,
    readonly name: string,
    readonly create: LeasedServiceFactory,
    readonly timing: LeaseTiming,
    readonly exclusive: boolean,
    readonly onChange: ((held: boolean) => void) | undefined,
  ) {
    this.#failures = new FailureRunLog(ctx.log, { failed: 'lease step failed', recovered: 'lease steps work again' }, { region: ctx.region, lease: name })
  }

  start(): void {
    this.#stopped = false
    this.#schedule(0)
  }

  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#timer)
    await this.#tick
    const lease = this.#lease
    await this.#lose()
    if (lease) await releaseLease(this.ctx.storage, this.name, this.#holder, lease.token).catch(() => undefined)
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return
    this.#timer = setTimeout(() => {
      this.#tick = this.#step().finally(() => {
        // An exclusive lease, once taken, is held for the life of the process (file comment).
        if (!(this.exclusive && this.#lease)) this.#schedule(this.timing.renewEveryMs)
      })
    }, delayMs)
    this.#timer.unref()
  }

  /** One renewal (when held) or one attempt to take the lease (when not). Never throws. */
  async #step(): Promise<void> {
    try {
      await this.#renewOrTake()
      this.#failures.succeeded()
    } catch (error) {
      this.#failures.failed(error)
      // Storage unreachable: past the lease's end another node may hold it, so stop the work.
      if (this.#lease && Date.now() >= this.#heldUntilMs) await this.#lose()
    }
  }

  async #renewOrTake(): Promise<void> {
    // The lease counts from before the transaction, so a slow commit never stretches it.
    const startedMs = Date.now()
    if (this.#lease) {
      const renewed = await renewLease(this.ctx.storage, this.name, this.#holder, this.#lease.token, this.timing)
      if (renewed && Date.now() < startedMs + this.timing.ttlMs) this.#heldUntilMs = startedMs + this.timing.ttlMs
      else await this.#lose()
      return
    }
    const token = await acquireLease(this.ctx.storage, this.name, this.#holder, this.timing, this.exclusive)
    if (token === undefined || this.#stopped) return
    this.#heldUntilMs = startedMs + this.timing.ttlMs
    this.#lease = new Lease(this.name, this.#holder, token)
    this.ctx.log.debug('lease taken', { region: this.ctx.region, lease: this.name, holder: this.#holder, token })
    this.#service = this.create(this.ctx, this.#lease)
    this.#service.start()
    this.onChange?.(true)
  }

  async #lose(): Promise<void> {
    const lease = this.#lease
    const service = this.#service
    if (!lease) return
    lease.held = false
    this.#lease = undefined
    this.#service = undefined
    await service?.stop()
    this.ctx.log.debug('lease given up', { region: this.ctx.region, lease: this.name, holder: this.#holder })
    this.onChange?.(false)
  }
}
