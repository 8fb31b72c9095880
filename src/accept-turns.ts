/**
 * Lets work wait while a burst of new connections is being accepted.
 *
 * Why: libuv (1.45 and later, so Node 20) accepts one connection per turn of the event loop
 * (libuv pull request 3696); the next one waits in the kernel's accept queue for the next turn.
 * Each turn also serves every request that arrived on the open connections and runs the write
 * group they queued, so a burst of N new connections waited N such turns: measured after a
 * pause, wrk's 32 fresh connections took 300 ms to be accepted behind 16-ms groups of
 * BatchWriteItem-25 (and 100 ms behind Scan pages), and their first requests were the whole p99.
 *
 * The servers report each connection they accept. While a turn has accepted one, requests and
 * write groups wait for a turn that accepts none, so that the burst is accepted in short turns
 * first; then they run, in the order they came. The wait is bounded (acceptWaitSettings), so a
 * stream of new connections (clients that do not keep connections alive) delays work by at most
 * that much. Without new connections nothing waits: a request is served at once, a group starts
 * in the same turn's check phase, as with setImmediate.
 */

/**
 * Work waits for accepts at most `waitMsMax` after the first of it was put off. Measured: wrk's
 * 32 new connections were all accepted 13 ms after the first, in turns that each also read the
 * new requests; with 5 ms, groups of batch writes ran between the accepts again. A setting rather
 * than a constant so that tests can lift the bound: on a loaded machine 20 ms may pass between
 * two accepts, and a test of the ordering must not depend on how fast the machine is.
 */
export const acceptWaitSettings = { waitMsMax: 20 }

let connectionsAccepted = 0
/** The count at the last look from the check phase: a higher count means a turn accepted since. */
let acceptsSeen = 0
/** Work put off, in arrival order, and when the first of it was. */
let waiting: Array<() => void> = []
let waitingSinceMs = 0
/**
 * Requests among that work: a later request waits behind them, to keep their order. A write
 * group alone does not hold requests back, or every request after the first of a turn would
 * miss the group its turn starts (measured: PutItem in memory 1.05x the CPU).
 */
let requestsWaiting = false

/** Called by every server when it accepts a connection. */
export function connectionAccepted(): void {
  connectionsAccepted++
}

/** Runs `work` in the check phase of this turn, or, while connections are being accepted, of a later one. */
export function afterAccepts(work: () => void): void {
  if (waiting.length === 0) {
    waitingSinceMs = performance.now()
    setImmediate(startOrWait)
  }
  waiting.push(work)
}

/** Runs `work` now, or after the accepts when a connection was accepted this turn (or requests already wait). */
export function nowOrAfterAccepts(work: () => void): void {
  if (connectionsAccepted === acceptsSeen && !requestsWaiting) {
    work()
    return
  }
  requestsWaiting = true
  afterAccepts(work)
}

function startOrWait(): void {
  // Accepted since the last look: the queue may hold more, and the turn's poll took just one.
  const accepting = connectionsAccepted !== acceptsSeen
  acceptsSeen = connectionsAccepted
  if (accepting && performance.now() - waitingSinceMs < acceptWaitSettings.waitMsMax) {
    setImmediate(startOrWait)
    return
  }
  // Work queued while this runs (a request's write group) waits for the next turn.
  const works = waiting
  waiting = []
  requestsWaiting = false
  // The works catch their own errors (a request answers with one, a group hands them to its members).
  for (const work of works) work()
}
