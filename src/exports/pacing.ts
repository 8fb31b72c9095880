/**
 * How an export shares the event loop with the requests the server answers. DynamoDB promises
 * that an export does not affect the table's traffic; here the export runs in the same process,
 * so it gives way to that traffic: after a page during which requests came in (item reads and
 * writes, queries, DAX; see src/api/foreground.ts), it pauses for `pageMs × (1 / busyShare − 1)`,
 * so that it takes `busyShare` (5%) of the wall clock while requests keep coming, and a request
 * rarely finds a page in its way. A page with no request in it (nor in the pause before it) is
 * followed at once by the next, only letting pending callbacks run: with no traffic, or one
 * request now and then, the export goes at full speed.
 *
 * Requests, not the loop's utilization, are the signal: one client sending requests back to back
 * leaves the loop mostly idle while it waits for each answer, yet every page in its way adds to
 * its latency.
 *
 * The guaranteed minimum: a pause is at most `pauseMsMax` (100 ms), so an export under steady
 * traffic takes its next page within 100 ms of the last (at 500 items per page, at least about
 * 4,000 items/s). Where a page takes longer than 5 ms (long items, a slow disk), the cap gives the
 * export more than 5%; the traffic then pays for the progress, which is the point of a minimum.
 */
import { performance } from 'node:perf_hooks'
import { foregroundRequestCount } from '../api/foreground.js'

/** The share of the wall clock an export takes while requests keep coming. */
const busyShare = 0.05
/** The longest pause after one page: the export's guaranteed progress (and a prompt stop). */
const pauseMsMax = 100

export class ExportPacer {
  #requestsSeen = foregroundRequestCount()
  #pageStartedMs = performance.now()

  /** Called between pages: waits as long as the requests being served call for. */
  async betweenPages(): Promise<void> {
    const pageMs = performance.now() - this.#pageStartedMs
    if (this.#requestsCameIn()) {
      await new Promise<void>((resolve) => setTimeout(resolve, Math.min(pauseMsMax, pageMs * (1 / busyShare - 1))))
    } else {
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
    // Requests during the pause count for the next page's decision.
    this.#pageStartedMs = performance.now()
  }

  #requestsCameIn(): boolean {
    const count = foregroundRequestCount()
    const cameIn = count !== this.#requestsSeen
    this.#requestsSeen = count
    return cameIn
  }
}
