/**
 * Lets long synchronous work wait while a burst of new connections is being accepted.
 *
 * Why: libuv (1.45 and later, so Node 20) accepts one connection per turn of the event loop
 * (libuv pull request 3696); the next one waits in the kernel's accept queue for the next turn.
 * A turn that also runs a long stretch of synchronous work, such as a group commit of 32
 * BatchWriteItem requests (about 16 ms), makes a burst of N new connections wait N such turns:
 * measured after a pause, wrk's 32 fresh connections took 300 ms to be accepted, and their first
 * requests were BatchWriteItem-25's whole p99 (130 ms, against 22 ms without the burst).
 *
 * The servers report each connection they accept; work scheduled through AfterAccepts starts in
 * the first turn that accepted none, so a burst is accepted in short turns first. The wait is
 * bounded, so a stream of new connections (clients that do not keep connections alive) delays
 * the work by at most acceptWaitMsMax.
 */

/**
 * Work waits for accepts at most this long after it was due. Measured: wrk's 32 new connections
 * were all accepted 13 ms after the first, in turns that each also read the new requests; with
 * 5 ms, groups of batch writes ran between the accepts again.
 */
export const acceptWaitMsMax = 20

let connectionsAccepted = 0

/** Called by every server when it accepts a connection. */
export function connectionAccepted(): void {
  connectionsAccepted++
}

/** Runs work in the event loop's check phase (setImmediate), after pending accepts. */
export class AfterAccepts {
  /** The count of accepted connections when this scheduler last looked. */
  #acceptsSeen = connectionsAccepted
  #dueAtMs = 0
  #work: (() => void) | undefined
  readonly #turn = (): void => this.#startOrWait()
  readonly #waitMsMax: number

  constructor(waitMsMax = acceptWaitMsMax) {
    this.#waitMsMax = waitMsMax
  }

  /** Runs `work` soon; one call at a time (the caller schedules again after it has run). */
  schedule(work: () => void): void {
    this.#work = work
    this.#dueAtMs = performance.now()
    setImmediate(this.#turn)
  }

  #startOrWait(): void {
    // Accepted since the last look: the queue may hold more, and this turn's poll took just one.
    const accepting = this.#acceptsSeen !== connectionsAccepted
    this.#acceptsSeen = connectionsAccepted
    if (accepting && performance.now() - this.#dueAtMs < this.#waitMsMax) {
      setImmediate(this.#turn)
      return
    }
    const work = this.#work!
    this.#work = undefined
    work()
  }
}
