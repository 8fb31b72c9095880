/**
 * Checkpoints the WAL off the event loop. SQLite's automatic checkpoint runs inside the COMMIT
 * that passes its threshold: it copies the WAL into the database file and fsyncs it, 15–25 ms
 * during which the event loop, and every request in flight, waits (that was the p99 of writes).
 * Here a worker thread with its own connection checkpoints (PASSIVE) shortly after commits, at
 * most one checkpoint running at a time, so the writer's COMMIT only appends to the WAL.
 *
 * The writer keeps an automatic checkpoint at a much larger threshold as a backstop: the WAL can
 * only start over when it has been checkpointed to its end at a commit, and under steady writes
 * the worker's passes may keep trailing by a few commits. The backstop's checkpoint then has
 * almost nothing left to copy.
 */
import { Worker } from 'node:worker_threads'
import type { CheckpointWorkerData } from './checkpoint-worker.js'

/** WAL pages (4 KiB) at which the writer checkpoints itself (SQLite's default is 1,000). */
export const backstopCheckpointPages = 16_000
/** After a commit, how long to gather further commits before asking for a checkpoint. */
const checkpointDelayMs = 50

const workerUrl = new URL('./checkpoint-worker.js', import.meta.url)

export class WalCheckpointer {
  readonly #data: CheckpointWorkerData
  #worker: Worker | undefined
  /** A checkpoint was asked for and has not answered yet. */
  #running = false
  #timer: NodeJS.Timeout | undefined
  /** Commits made since the running or last checkpoint started. */
  #dirty = false
  #closed = false

  constructor(data: CheckpointWorkerData) {
    this.#data = data
  }

  /** Called after each commit: a checkpoint follows soon, after the running one if any. */
  committed(): void {
    this.#dirty = true
    this.#schedule()
  }

  /** Ends the worker; the engine then checkpoints what is left itself, when it closes. */
  async close(): Promise<void> {
    this.#closed = true
    clearTimeout(this.#timer)
    const worker = this.#worker
    if (!worker) return
    const exited = new Promise((resolve) => worker.once('exit', resolve))
    // Waited for now: an unreferenced worker would let the process exit under this await.
    worker.ref()
    worker.postMessage('close')
    await exited
  }

  #schedule(): void {
    if (this.#closed || this.#running || this.#timer) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.#start()
    }, checkpointDelayMs)
    this.#timer.unref()
  }

  #start(): void {
    if (this.#closed || !this.#dirty) return
    this.#dirty = false
    this.#running = true
    this.#workerStarted().postMessage('checkpoint')
  }

  /** Started at the first checkpoint, so servers and tests that never write start no thread. */
  #workerStarted(): Worker {
    if (this.#worker) return this.#worker
    const worker = new Worker(workerUrl, { workerData: this.#data })
    // A checkpointer left running must not keep the process alive.
    worker.unref()
    worker.on('message', () => {
      this.#running = false
      if (this.#dirty) this.#schedule()
    })
    worker.on('error', () => {
      // Without the worker, the writer's backstop checkpoint still keeps the WAL bounded.
      this.#running = false
      this.#worker = undefined
      this.#closed = true
    })
    this.#worker = worker
    return worker
  }
}
