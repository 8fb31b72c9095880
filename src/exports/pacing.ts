/**
 * How an export shares the event loop with the requests the server answers. DynamoDB promises
 * that an export does not affect the table's traffic; here the export runs in the same process,
 * so it takes pages at full speed only while requests leave the loop mostly idle, and otherwise
 * at most `busyShare` of the loop's time.
 *
 * The requests' demand is measured by the loop's own utilization during the export's pauses
 * (performance.eventLoopUtilization): whatever ran while the export waited was somebody else's
 * work. At full speed the export pauses briefly every `probeEveryPages` pages to look; while it
 * is pacing, every pause is a look. Between pages it otherwise only lets pending callbacks run.
 */
import { performance } from 'node:perf_hooks'

/** The share of the loop an export takes while requests keep the loop busy. */
const busyShare = 0.05
/** Others' share of the loop during a look above which the export paces itself... */
const pacingShareMin = 0.5
/** ...and below which it goes back to full speed (a gap, so it does not flap). */
const fullSpeedShareMax = 0.2
/** At full speed: how often, and how long, the export pauses to look. */
const probeEveryPages = 16
const probeMs = 5
/** The longest pause after one page, so a stopping server never waits long for an export. */
const pauseMsMax = 250

export class ExportPacer {
  #pacing = false
  #pagesSinceLook = 0
  #pageStartedMs = performance.now()

  /** Called between pages: waits as long as the requests being served call for. */
  async betweenPages(): Promise<void> {
    const pageMs = performance.now() - this.#pageStartedMs
    this.#pagesSinceLook++
    const look = this.#pacing || this.#pagesSinceLook >= probeEveryPages
    if (look) {
      this.#pagesSinceLook = 0
      const waitMs = this.#pacing ? Math.min(pauseMsMax, Math.max(probeMs, pageMs * (1 / busyShare - 1))) : probeMs
      const before = performance.eventLoopUtilization()
      await new Promise<void>((resolve) => setTimeout(resolve, waitMs))
      const othersShare = performance.eventLoopUtilization(before).utilization
      this.#pacing = othersShare > (this.#pacing ? fullSpeedShareMax : pacingShareMin)
    } else {
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
    this.#pageStartedMs = performance.now()
  }
}
