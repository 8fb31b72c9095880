/**
 * Code that only some servers use is loaded on first use instead of at startup: imported
 * eagerly, the ~400 modules of every subsystem took most of the time from `eddydb serve` to its
 * first answer (issue 16; bench/startup.js measures it), and memory that a server which never
 * exports, backs up or forwards kept for nothing.
 *
 * - lazyRequire: CommonJS packages (the PostgreSQL driver, the S3 client and its multipart
 *   uploader, Ion, node:http2) through a synchronous require, so their callers stay as they are.
 * - importedOnFirstCall: an async function of one of our own modules, imported when first called.
 * - startedAfterImport: a region's background service, imported when the region starts it.
 */
import { createRequire } from 'node:module'
import type { BackgroundService, BackgroundServiceFactory, RegionContext } from './api/context.js'

const require = createRequire(import.meta.url)

/** A function returning the package, loading it the first time it is called. */
export function lazyRequire<T>(specifier: string): () => T {
  let loaded: T | undefined
  return () => (loaded ??= require(specifier) as T)
}

/** Stands for the async function `load` resolves to; the module is imported on the first call. */
export function importedOnFirstCall<F extends (...args: any[]) => Promise<unknown>>(load: () => Promise<F>): F {
  let loading: Promise<F> | undefined
  return (async (...args: Parameters<F>) => (await (loading ??= load()))(...args)) as F
}

/**
 * Stands for the background service factory `load` resolves to. The region's start() begins
 * the import and returns; the real service starts once its module is in, so its first pass
 * (resuming jobs, a sweep) runs after the server listens instead of before. stop() waits for
 * that start, so a service is never left running after its region closes.
 */
export function startedAfterImport(load: () => Promise<BackgroundServiceFactory>): BackgroundServiceFactory {
  return (region) => new ImportedService(region, load)
}

class ImportedService implements BackgroundService {
  #started: Promise<BackgroundService | undefined> = Promise.resolve(undefined)
  #stopped = false

  constructor(readonly region: RegionContext, readonly load: () => Promise<BackgroundServiceFactory>) {}

  start(): void {
    this.#started = this.load().then((create) => {
      if (this.#stopped) return undefined
      const service = create(this.region)
      service.start()
      return service
    }, (error: unknown) => {
      this.region.log.error('a background service failed to load', { region: this.region.region, error: String(error) })
      return undefined
    })
  }

  async stop(): Promise<void> {
    this.#stopped = true
    await (await this.#started)?.stop()
  }
}
