/**
 * Wakes change-log readers (trigger runners) as soon as a write commits, instead of making them
 * poll often: the difference between a handler running within a millisecond of the write and
 * within a poll interval. Each region has one (RegionContext.commits). Runners take the generation before reading the log and wait on it, so a commit that
 * lands between their read and their wait is not missed.
 */
import type { StorageEngine } from '../storage/engine.js'

export class CommitSignal {
  #generation = 0
  readonly #waiters = new Set<() => void>()

  get generation(): number {
    return this.#generation
  }

  notify(): void {
    this.#generation += 1
    if (this.#waiters.size === 0) return
    const waiters = [...this.#waiters]
    this.#waiters.clear()
    for (const wake of waiters) wake()
  }

  /** Resolves on the first commit after `generation`, or after timeoutMs, whichever is first. */
  wait(generation: number, timeoutMs: number): Promise<void> {
    if (this.#generation !== generation) return Promise.resolve()
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer)
        this.#waiters.delete(wake)
        resolve()
      }
      const timer = setTimeout(wake, timeoutMs)
      this.#waiters.add(wake)
    })
  }
}

/**
 * The same storage engine, notifying `signal` after every committed transaction. Reads and
 * close go straight to the engine (bound once, not per call: reads are the hot path).
 */
export function signalingStorage(storage: StorageEngine, signal: CommitSignal): StorageEngine {
  return {
    read: storage.read.bind(storage),
    close: storage.close.bind(storage),
    ...(storage.onCommit ? { onCommit: storage.onCommit.bind(storage) } : {}),
    ...(storage.stateChanges ? { stateChanges: storage.stateChanges.bind(storage) } : {}),
    async transact(fn, options) {
      const result = await storage.transact(fn, options)
      signal.notify()
      return result
    },
  }
}
