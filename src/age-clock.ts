/**
 * Now, for deleting data by its age (stream and Kinesis retention, idempotency tokens, TTL), from
 * a wall clock that may step. A step back is followed at once: deletions wait, nothing is lost. A
 * step forward (a clock corrected at boot, NTP, a VM or laptop resumed) is followed only once the
 * wall clock has stayed ahead of the time the monotonic clock saw pass for `forwardStepTrustMs`:
 * until then the time the monotonic clock gives is used, so a wall clock stepped forward and back
 * again within that time deletes nothing early, and a lasting step delays deletions by that much.
 */
export const forwardStepTrustMs = 10 * 60_000
/** How far the wall clock may run ahead of the monotonic clock between two readings without counting as a step (NTP slews). */
const driftToleranceMs = 1000

export function ageClock(wallNow: () => number, monotonicNow: () => number): () => number {
  let trustedWall = wallNow()
  let trustedMonotonic = monotonicNow()
  let aheadSince: number | undefined
  return () => {
    const wall = wallNow()
    const monotonic = monotonicNow()
    const passed = trustedWall + (monotonic - trustedMonotonic)
    if (wall > passed + driftToleranceMs) {
      aheadSince ??= monotonic
      if (monotonic - aheadSince < forwardStepTrustMs) return passed
    }
    trustedWall = wall
    trustedMonotonic = monotonic
    aheadSince = undefined
    return wall
  }
}
