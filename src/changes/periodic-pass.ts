/**
 * A background service that runs one pass of some work every interval, never two at once; a
 * failed pass is logged and the next one runs on schedule. stop() waits for a running pass.
 */
import type { BackgroundService, RegionContext } from '../api/context.js'

export class PeriodicPass implements BackgroundService {
  readonly #ctx: RegionContext
  readonly #intervalMs: number
  readonly #pass: (ctx: RegionContext) => Promise<void>
  readonly #failureMessage: string
  #timer: NodeJS.Timeout | undefined
  #running: Promise<void> = Promise.resolve()
  #stopped = false

  constructor(ctx: RegionContext, intervalMs: number, pass: (ctx: RegionContext) => Promise<void>, failureMessage: string) {
    this.#ctx = ctx
    this.#intervalMs = intervalMs
    this.#pass = pass
    this.#failureMessage = failureMessage
  }

  start(): void {
    this.#stopped = false
    this.#schedule()
  }

  #schedule(): void {
    if (this.#stopped) return
    this.#timer = setTimeout(() => {
      this.#running = this.#pass(this.#ctx)
        .catch((error) => this.#ctx.log.warn(this.#failureMessage, { error: String(error) }))
        .finally(() => this.#schedule())
    }, this.#intervalMs)
    this.#timer.unref()
  }

  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#timer)
    await this.#running
  }
}
