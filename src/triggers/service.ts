/**
 * Stream triggers for a server: one TriggerService per region runs that region's mappings, and
 * the REST route tells it when a mapping changes. src/server.ts wires it:
 *   const triggers = new Triggers()
 *   backgroundServices: [triggers.backgroundService], routes: triggers.routes(regions, config.defaultRegion)
 */
import type { BackgroundService, BackgroundServiceFactory, RegionContext } from '../api/context.js'
import type { PathRoute } from '../http/server.js'
import type { Authenticator } from '../http/auth.js'
import { FunctionConfigError, functionTargetOf } from './functions-config.js'
import { sourceNameOf, type MappingRecord } from './mapping.js'
import type { MappingRegistry } from './mapping-operations.js'
import { leased, type HeldLease } from '../cluster/leases.js'
import { loadMapping, loadMappings } from './mapping-store.js'
import { forgetCheckpoints } from './sources/index.js'
import { mappingRoutes } from './rest-api.js'
import { defaultTriggerOptions, MappingRunner, type TriggerOptions } from './runner.js'
import { forgetActivity, loadActivities, noActivity, type MappingFailure } from './mapping-activity.js'
import { createInvoker, type Invoker } from './targets/index.js'
import { lambdaEnvironment } from './targets/lambda-environment.js'
import { FailureRunLog } from '../log.js'

/** Stands in for a function the config does not declare (or declares wrongly): every call fails. */
function failingInvoker(message: string): Invoker {
  return {
    invoke: async () => ({ ok: false, errorType: 'ResourceNotFoundException', errorMessage: message }),
    close: async () => {},
  }
}

/** A mapping as the status route shows it: from storage, so every node shows the same. */
export interface MappingStatus {
  uuid: string
  functionName: string
  /** The table, or the Kinesis stream, the mapping reads. */
  table: string
  enabled: boolean
  lastProcessingResult: string
  deliveredBatches: number
  failures: number
  lastFailure?: MappingFailure
}

/** How often the service compares its runners with the mappings in storage (changes made on other nodes). */
export const mappingReconcileMs = 500

export class TriggerService implements BackgroundService, MappingRegistry {
  readonly #region: RegionContext
  readonly #options: TriggerOptions
  readonly #runners = new Map<string, MappingRunner>()
  readonly #invokers = new Map<string, Invoker>()
  readonly #serverUrl: () => string | undefined
  readonly #lease: HeldLease | undefined
  /** Mapping changes and reconciliations, one at a time. */
  #changes: Promise<void> = Promise.resolve()
  #timer: NodeJS.Timeout | undefined
  #stopped = false
  /** Mapping changes and reconciliations failed in a row; logged on the first and when they work again. */
  readonly #failures: FailureRunLog

  constructor(region: RegionContext, options: TriggerOptions, serverUrl: () => string | undefined = () => undefined, lease?: HeldLease) {
    this.#region = region
    this.#options = options
    this.#serverUrl = serverUrl
    this.#lease = lease
    this.#failures = new FailureRunLog(region.log, { failed: 'trigger mappings could not be loaded', recovered: 'trigger mappings load again' }, { region: region.region }, 'error')
  }

  start(): void {
    this.#reconcileSoon(0)
  }

  /**
   * Mappings are stored by whichever node served the request; the node running the triggers (the
   * lease holder) picks changes up here: at once when the change was made through this node,
   * otherwise at its next reconciliation.
   */
  mappingChanged(uuid: string): Promise<void> {
    return this.#serially(async () => {
      const mapping = await this.#region.storage.read((view) => loadMapping(view, uuid))
      await this.#apply(uuid, mapping)
    })
  }

  #reconcileSoon(delayMs: number): void {
    if (this.#stopped) return
    this.#timer = setTimeout(() => {
      // A failed round (storage unreachable) is logged by #serially; the next round comes all the same.
      this.#serially(() => this.#reconcile())
        .catch(() => undefined)
        .finally(() => this.#reconcileSoon(mappingReconcileMs))
    }, delayMs)
    this.#timer.unref()
  }

  #serially(work: () => Promise<void>): Promise<void> {
    const result = this.#changes.then(work)
    this.#changes = result.then(() => this.#failures.succeeded(), (error: unknown) => this.#failures.failed(error))
    return result
  }

  async #reconcile(): Promise<void> {
    if (this.#stopped) return
    const stored = new Map((await this.#region.storage.read(loadMappings)).map((mapping) => [mapping.UUID, mapping]))
    for (const uuid of [...this.#runners.keys()]) if (!stored.has(uuid)) await this.#apply(uuid, undefined)
    for (const [uuid, mapping] of stored) await this.#apply(uuid, mapping)
  }

  /** Brings the runner of one mapping in line with its stored record (undefined: deleted). */
  async #apply(uuid: string, mapping: MappingRecord | undefined): Promise<void> {
    const runner = this.#runners.get(uuid)
    if (!mapping) {
      this.#runners.delete(uuid)
      if (runner) {
        await runner.stop()
        // A checkpoint the runner saved while the mapping was being deleted would hold back
        // trimming of the change log forever, so the cursor (and the activity saved with it) is
        // removed again once it has stopped.
        await this.#region.storage.transact(async (tx) => {
          await forgetCheckpoints(tx, runner.mapping)
          await forgetActivity(tx, uuid)
        })
      }
      return
    }
    if (!runner) this.#startRunner(mapping)
    else if (JSON.stringify(runner.mapping) !== JSON.stringify(mapping)) runner.update(mapping)
  }

  #startRunner(mapping: MappingRecord): void {
    if (this.#stopped) return
    const runner = new MappingRunner(mapping, {
      region: this.#region,
      signal: this.#region.commits,
      options: this.#options,
      lease: this.#lease,
      invokerFor: (functionName) => this.#invokerFor(functionName),
    })
    this.#runners.set(mapping.UUID, runner)
    runner.start()
  }

  #invokerFor(functionName: string): Invoker {
    let invoker = this.#invokers.get(functionName)
    if (!invoker) {
      try {
        const environment = lambdaEnvironment(this.#region.region, this.#serverUrl())
        invoker = createInvoker(functionTargetOf(this.#region.config.functions, functionName), environment)
      } catch (error) {
        if (!(error instanceof FunctionConfigError)) throw error
        invoker = failingInvoker(error.message)
      }
      this.#invokers.set(functionName, invoker)
    }
    return invoker
  }

  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#timer)
    await this.#changes
    await Promise.all([...this.#runners.values()].map((runner) => runner.stop()))
    this.#runners.clear()
    await Promise.all([...this.#invokers.values()].map((invoker) => invoker.close()))
    this.#invokers.clear()
  }
}

/** The pieces the server registers: the REST route and a background service per region. */
export class Triggers {
  readonly #options: TriggerOptions
  readonly #services = new WeakMap<RegionContext, TriggerService>()
  /** This server's URL once it listens: functions are pointed at it (lambda-environment.ts). */
  serverUrl: string | undefined

  constructor(options: Partial<TriggerOptions> = {}) {
    this.#options = { ...defaultTriggerOptions, ...options }
  }

  /** The region's runners run on the node holding its 'stream-triggers' lease (cluster/leases.ts). */
  readonly backgroundService: BackgroundServiceFactory = leased('stream-triggers', (region, lease) => {
    const service = new TriggerService(region, this.#options, () => this.serverUrl, lease)
    this.#services.set(region, service)
    return service
  })

  routes(regions: { get(region: string, accountId?: string): RegionContext | Promise<RegionContext> }, defaultRegion: string,
    authenticator?: Authenticator): PathRoute[] {
    return mappingRoutes({
      region: (name, accountId) => regions.get(name, accountId),
      registry: (region) => this.#registryOf(region),
      defaultRegion,
      authenticator,
    })
  }

  /** The region's mappings and what each has done, as stored: the same on every node. */
  async statusOf(region: RegionContext): Promise<MappingStatus[]> {
    const { mappings, activities } = await region.storage.read(async (view) => ({
      mappings: await loadMappings(view), activities: await loadActivities(view),
    }))
    return mappings.map((mapping) => {
      const { lastProcessingResult, deliveredBatches, failures, lastFailure } = activities.get(mapping.UUID) ?? noActivity()
      return {
        uuid: mapping.UUID, functionName: mapping.functionName, table: sourceNameOf(mapping), enabled: mapping.enabled,
        lastProcessingResult, deliveredBatches, failures, ...(lastFailure ? { lastFailure } : {}),
      }
    })
  }

  #registryOf(region: RegionContext): MappingRegistry {
    const service = this.#services.get(region)
    // Without a running service (not registered), mappings are still stored and listed.
    return service ?? { mappingChanged: async () => {} }
  }
}
