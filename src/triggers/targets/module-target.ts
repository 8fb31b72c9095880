/**
 * A JS module handler run in worker threads, so a crash or a hang cannot stall the server: a
 * hang past the timeout terminates its worker. Workers are kept between invocations (starting
 * one costs tens of milliseconds) and each runs one invocation at a time.
 */
import { Worker } from 'node:worker_threads'
import type { FunctionTarget } from '../functions-config.js'
import { timedOut, type InvokeContext, type InvokeResult, type Invoker } from './invoker.js'

type ModuleFunction = Extract<FunctionTarget, { kind: 'module' }>

/** Concurrent invocations per function: ParallelizationFactor's maximum. */
const workersMax = 10

interface Pending {
  resolve(result: InvokeResult): void
}

interface PooledWorker {
  worker: Worker
  pending?: Pending
}

const workerUrl = new URL('./module-worker.js', import.meta.url)

export class ModuleInvoker implements Invoker {
  readonly #target: ModuleFunction
  readonly #idle: PooledWorker[] = []
  readonly #all = new Set<PooledWorker>()
  #nextId = 0

  readonly #runtimeEnvironment: Record<string, string>

  constructor(target: ModuleFunction, runtimeEnvironment: Record<string, string> = {}) {
    this.#target = target
    this.#runtimeEnvironment = runtimeEnvironment
  }

  async invoke(event: unknown, context: InvokeContext): Promise<InvokeResult> {
    const pooled = this.#idle.pop() ?? this.#spawn()
    if (!pooled) return { ok: false, errorType: 'TooManyRequestsException', errorMessage: 'Too many concurrent invocations' }
    const timeoutMs = this.#target.timeoutMs
    const result = await new Promise<InvokeResult>((resolve) => {
      const timer = setTimeout(() => {
        this.#discard(pooled)
        resolve(timedOut(timeoutMs))
      }, timeoutMs)
      pooled.pending = { resolve: (outcome) => { clearTimeout(timer); resolve(outcome) } }
      pooled.worker.postMessage({ id: ++this.#nextId, event, ...context, deadlineMs: Date.now() + timeoutMs })
    })
    pooled.pending = undefined
    if (this.#all.has(pooled)) this.#idle.push(pooled)
    return result
  }

  #spawn(): PooledWorker | undefined {
    if (this.#all.size >= workersMax) return undefined
    const { modulePath, handler, name, environment } = this.#target
    const worker = new Worker(workerUrl, {
      workerData: { modulePath, handler, functionName: name },
      env: { ...process.env, ...this.#runtimeEnvironment, ...environment, AWS_LAMBDA_FUNCTION_NAME: name },
    })
    const pooled: PooledWorker = { worker }
    worker.on('message', (message: { ok: boolean; response?: unknown; errorType?: string; errorMessage?: string; trace?: string[] }) => {
      pooled.pending?.resolve(message.ok
        ? { ok: true, response: message.response }
        : { ok: false, errorType: message.errorType ?? 'Error', errorMessage: message.errorMessage ?? '', ...(message.trace ? { trace: message.trace } : {}) })
    })
    // A module that fails to load, throws outside a handler or exits is a crashed worker.
    worker.on('error', (error) => this.#crashed(pooled, error.name, error.message, error.stack?.split('\n')))
    worker.on('exit', (code) => this.#crashed(pooled, 'Runtime.ExitError', `Worker exited with code ${code}`))
    worker.unref()
    this.#all.add(pooled)
    return pooled
  }

  #crashed(pooled: PooledWorker, errorType: string, errorMessage: string, trace?: string[]): void {
    const pending = pooled.pending
    this.#discard(pooled)
    pending?.resolve({ ok: false, errorType, errorMessage, ...(trace ? { trace } : {}) })
  }

  #discard(pooled: PooledWorker): void {
    if (!this.#all.delete(pooled)) return
    const at = this.#idle.indexOf(pooled)
    if (at >= 0) this.#idle.splice(at, 1)
    void pooled.worker.terminate()
  }

  async close(): Promise<void> {
    const workers = [...this.#all]
    this.#all.clear()
    this.#idle.length = 0
    await Promise.all(workers.map(({ worker }) => worker.terminate()))
  }
}
