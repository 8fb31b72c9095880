/**
 * An async readers-writer lock for one Node process. Transactions take it exclusively, which
 * serializes them: their fns await, so without it two could interleave on one connection.
 * Reads take it shared only in in-memory mode, where there is a single connection and a read
 * must not run while a transaction has uncommitted writes on it.
 *
 * Readers join whenever no writer holds the lock, even if a writer is waiting. That lets a
 * read() nest inside another read() without deadlock (a writer queued between the two would
 * otherwise wait for the outer read while the inner one waits for it). A writer can only be
 * starved by reads that overlap without pause; storage reads finish within microseconds, so
 * that needs a read fn that awaits something slow. Waiters are woken in arrival order.
 *
 * The exclusive side cannot be re-entered: calling transact() or read() from inside a
 * transact() fn, or transact() from inside a read() fn, waits forever. Use the tx you were given.
 */
interface Waiter {
  exclusive: boolean
  wake: () => void
}

export class ReadWriteLock {
  #readers = 0
  #writer = false
  readonly #waiting: Waiter[] = []

  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#writer || this.#readers > 0 || this.#waiting.length > 0) {
      await new Promise<void>((wake) => this.#waiting.push({ exclusive: true, wake }))
    } else {
      this.#writer = true
    }
    try {
      return await fn()
    } finally {
      this.#writer = false
      this.#dispatch()
    }
  }

  async shared<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#writer) {
      await new Promise<void>((wake) => this.#waiting.push({ exclusive: false, wake }))
    } else {
      this.#readers++
    }
    try {
      return await fn()
    } finally {
      this.#readers--
      this.#dispatch()
    }
  }

  /** Hands the lock to the waiters at the head of the queue that can hold it now. */
  #dispatch(): void {
    while (this.#waiting.length > 0 && !this.#writer) {
      const next = this.#waiting[0]!
      if (next.exclusive) {
        if (this.#readers > 0) return
        this.#writer = true
      } else {
        this.#readers++
      }
      this.#waiting.shift()
      next.wake()
    }
  }
}
