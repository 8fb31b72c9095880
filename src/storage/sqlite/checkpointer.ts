/**
 * Checkpoints the WAL off the event loop. SQLite's automatic checkpoint runs inside the COMMIT
 * that passes its threshold: it copies the WAL into the database file and fsyncs it, 15–25 ms
 * during which the event loop, and every request in flight, waits (that was the p99 of writes).
 * Here a worker thread with its own connection checkpoints (PASSIVE) shortly after commits, at
 * most one checkpoint running at a time, so the writer's COMMIT only appends to the WAL.
 *
 * The WAL starts over only at a write that begins after a checkpoint has copied all of it, and
 * under steady writes the worker's passes always trail by the commits made while they ran. So
 * once the WAL is past restartFramesMin, the engine holds its next write until one more pass
 * (catchUp) has copied everything: writes wait for it, asynchronously, while reads go on; the
 * next write then starts the WAL over. That wait lasts as long as the pass: it copies what was
 * committed while the pass before it ran, and (SQLite's doing, checkpoint-worker.ts) flushes
 * every page copied since the WAL last started over. So first the passes run back to back and
 * flush the file themselves, until one copies little (converging passes, below); the wait is
 * then 3 ms instead of 10-12 (wrk, PutItem on disk). The writer keeps an automatic checkpoint at
 * a larger threshold as a backstop (a worker that cannot keep up); it runs on the event loop,
 * fsyncs included, which took 470 ms once another process was writing gigabytes beside it.
 */
import { Worker } from 'node:worker_threads'
import type { CheckpointReport, CheckpointRequest, CheckpointWorkerData } from './checkpoint-worker.js'

/** WAL pages (4 KiB) at which the writer checkpoints itself (SQLite's default is 1,000). */
export const backstopCheckpointPages = 16_000
/**
 * WAL frames past which the engine holds writes for a catch-up pass (see above), about 48 MiB of
 * WAL. A catch-up copies what one pass left, so it waits about as long whatever this is (about
 * 10 ms); a larger value only makes the waits rarer. Measured against 4,096 (wrk, on disk, four
 * interleaved rounds): p99 of PutItem 8.1-8.5 ms -> 5.6-6.2 ms (1.05x the throughput), of
 * UpdateItem+condition 7.8-8.6 -> 5.5-6.3; BatchWriteItem-25 unchanged. It stays below the
 * backstop.
 */
export const restartFramesMin = 12_288
/**
 * Once the WAL is past the restart size, passes follow each other at once, each copying what was
 * committed while the one before it ran and flushing the database file, until a pass copies at
 * most this many frames; only then is a write held for the catch-up pass, which copies about as
 * much. A frame costs the worker 15-20 µs here (read from the WAL, written to the database file).
 */
const convergedFramesMax = 128
/**
 * Bounds on converging, past which a write is held whatever the last pass copied: writes may
 * outpace the worker. In frames past the restart size, it keeps the WAL below the writer's
 * backstop (restartFramesMin + this < backstopCheckpointPages).
 */
const convergingPassesMax = 5
const convergingFramesMax = 2_048
/** After a catch-up that could not copy everything (a reader elsewhere holds the WAL), how long before trying again. */
const catchUpRetryMs = 1_000
/**
 * After a commit, how long to gather further commits before asking for a checkpoint. Measured
 * both ways: 5 ms cost 1.065x the CPU per PutItem (more passes); 250 ms cost 0.88x in process (a
 * page written many times is copied once per pass), but under wrk, where the worker runs on the
 * other core, PutItem's throughput stayed the same and its p99 rose from 14-17 to 18-21 ms, as
 * each catch-up pass had more to copy. 1,000 ms (0.84x in process) could also let heavy batch
 * writes carry the WAL past the writer's backstop (16,000 pages) between two passes, and that
 * checkpoint runs on the event loop.
 */
const checkpointDelayMs = 50

const workerUrl = new URL('./checkpoint-worker.js', import.meta.url)

export class WalCheckpointer {
  readonly #data: CheckpointWorkerData
  readonly #restartFrames: number
  readonly #convergingFrames: number
  #worker: Worker | undefined
  /** A checkpoint was asked for and has not answered yet. */
  #running = false
  #timer: NodeJS.Timeout | undefined
  /** Commits made since the running or last checkpoint started. */
  #dirty = false
  #closed = false
  /** The WAL's length in frames when the last pass ran (0 once a catch-up copied all of it). */
  #walFrames = 0
  /** Frames in the database file after the last pass (how far the WAL has been copied). */
  #checkpointedFrames = 0
  /** Flushing passes run back to back since the WAL passed the restart size (see convergedFramesMax). */
  #convergingPasses = 0
  /** The running pass flushes the database file ('checkpoint-and-flush'). */
  #passFlushes = false
  /** The last pass copied little enough, or enough passes have run: the next write may be held. */
  #converged = false
  #catchUpRetryAtMs = 0
  /** Callers of catchUp() waiting for the pass that started after they asked. */
  #catchUps: Array<() => void> = []
  /** Those of them whose pass is running. */
  #catchUpsInPass: Array<() => void> = []
  #restarts = 0
  #flushingPasses = 0

  /** `restartFrames` and `convergingFrames` are restartFramesMin and convergingFramesMax but in tests. */
  constructor(data: CheckpointWorkerData, restartFrames = restartFramesMin, convergingFrames = convergingFramesMax) {
    this.#data = data
    this.#restartFrames = restartFrames
    this.#convergingFrames = convergingFrames
  }

  /** Called after each commit: a checkpoint follows soon, after the running one if any. */
  committed(): void {
    this.#dirty = true
    this.#schedule()
  }

  /** The WAL is past the restart size and the passes have converged: the next write should wait for catchUp(). */
  get restartDue(): boolean {
    return !this.#closed && this.#converged && this.#walFrames >= this.#restartFrames &&
      performance.now() >= this.#catchUpRetryAtMs
  }

  /** Catch-up passes that copied the whole WAL, so that the next write could start it over. */
  get restarts(): number {
    return this.#restarts
  }

  /** Passes that also flushed the database file ('checkpoint-and-flush'), all answered. */
  get flushingPasses(): number {
    return this.#flushingPasses
  }

  /**
   * A pass now (after the running one, if any); resolves when it has answered, whatever it
   * managed. The caller must not write meanwhile, or the pass cannot reach the WAL's end.
   */
  catchUp(): Promise<void> {
    if (this.#closed) return Promise.resolve()
    return new Promise((resolve) => {
      this.#catchUps.push(resolve)
      // A pass already running started before the caller stopped writing: the next one follows it.
      if (this.#running) return
      clearTimeout(this.#timer)
      this.#timer = undefined
      this.#start()
    })
  }

  /** Ends the worker; the engine then checkpoints what is left itself, when it closes. */
  async close(): Promise<void> {
    this.#closed = true
    clearTimeout(this.#timer)
    this.#answerCatchUps()
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
    if (this.#closed || (!this.#dirty && this.#catchUps.length === 0)) return
    this.#dirty = false
    this.#running = true
    this.#catchUpsInPass = this.#catchUps
    this.#catchUps = []
    // Passes that converge on a catch-up also flush the database file, so the catch-up need not.
    this.#passFlushes = this.#walFrames >= this.#restartFrames && this.#catchUpsInPass.length === 0
    const request: CheckpointRequest = this.#passFlushes ? 'checkpoint-and-flush' : 'checkpoint'
    this.#workerStarted().postMessage(request)
  }

  #answered(report: CheckpointReport | undefined): void {
    this.#running = false
    const catchingUp = this.#catchUpsInPass.length > 0
    // A WAL that started over since the last pass holds fewer frames than were copied then.
    const copied = report === undefined ? 0
      : report.log < this.#checkpointedFrames ? report.checkpointed : report.checkpointed - this.#checkpointedFrames
    if (report === undefined) {
      this.#walFrames = 0
    } else if (catchingUp && report.checkpointed >= report.log) {
      // Nothing was written since this pass started: the next write starts the WAL over.
      this.#walFrames = 0
      if (report.log > 0) this.#restarts++
    } else {
      this.#walFrames = report.log
      if (catchingUp) this.#catchUpRetryAtMs = performance.now() + catchUpRetryMs
    }
    this.#checkpointedFrames = report?.checkpointed ?? 0
    const converging = this.#walFrames >= this.#restartFrames && !catchingUp
    if (this.#passFlushes) this.#flushingPasses++
    this.#convergingPasses = !converging ? 0 : this.#passFlushes ? this.#convergingPasses + 1 : this.#convergingPasses
    // The first flushing pass writes out every page copied since the WAL started over, the longest
    // flush, and what the pass after it copies was committed meanwhile: so at least two.
    this.#converged = converging && ((this.#convergingPasses >= 2 && copied <= convergedFramesMax) ||
      this.#convergingPasses >= convergingPassesMax || this.#walFrames >= this.#restartFrames + this.#convergingFrames)
    const answered = this.#catchUpsInPass
    this.#catchUpsInPass = []
    for (const resolve of answered) resolve()
    if (this.#catchUps.length > 0) this.#start()
    else if (converging && !this.#converged) this.#start()
    else if (this.#dirty) this.#schedule()
  }

  /** Lets every caller of catchUp() go on (closing, or the worker is gone). */
  #answerCatchUps(): void {
    const waiting = [...this.#catchUpsInPass, ...this.#catchUps]
    this.#catchUpsInPass = []
    this.#catchUps = []
    for (const resolve of waiting) resolve()
  }

  /** Started at the first checkpoint, so servers and tests that never write start no thread. */
  #workerStarted(): Worker {
    if (this.#worker) return this.#worker
    const worker = new Worker(workerUrl, { workerData: this.#data })
    // A checkpointer left running must not keep the process alive.
    worker.unref()
    worker.on('message', (report: CheckpointReport | null) => this.#answered(report ?? undefined))
    worker.on('error', () => {
      // Without the worker, the writer's backstop checkpoint still keeps the WAL bounded.
      this.#running = false
      this.#worker = undefined
      this.#closed = true
      this.#answerCatchUps()
    })
    this.#worker = worker
    return worker
  }
}
