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
 *
 * The guaranteed minimum: however busy the loop, the pause after a page is at most
 * `pageMs × (1 / busyShare − 1)` and never over `pauseMsMax`. So an export under steady traffic
 * always has at least `busyShare` (5%) of the wall clock, and always takes its next page within
 * `pauseMsMax` (100 ms) of the last: at 500 items per page, at least about 4,000 items/s. Where a
 * page takes longer than 5 ms (long items, a slow disk), the cap gives the export more than 5%;
 * the traffic then pays for the progress, which is the point of a minimum.
 *
 * A look lasts `probeMs` (10 ms): a shorter one is decided by a single request in it, and on a
 * machine whose cores are shared, one request descheduled mid-way filled a 5 ms look and put an
 * export with no traffic at all into pacing.
 */
import { performance } from 'node:perf_hooks'

/** The share of the loop an export takes while requests keep the loop busy. */
const busyShare = 0.05
/** Others' share of the loop during a look above which the export paces itself... */
const pacingShareMin = 0.5
/** ...and below which it goes back to full speed (a gap, so it does not flap). */
const fullSpeedShareMax = 0.2
/** At full speed: how often, and how long, the export pauses to look (about 6% of its time). */
const probeEveryPages = 32
const probeMs = 10
/** The longest pause after one page: the export's guaranteed progress (and a prompt stop). */
const pauseMsMax = 100

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
