// Exports and imports are jobs that run in the background: the list calls name them, a describe
// call says how far each has got. This polls both, describing again only the jobs still running.
import { useRef } from 'preact/hooks'
import { html } from './html.js'
import { usePolling } from './components.js'

const jobRefreshMs = 2000
/** The newest jobs shown, each described once (and again while it runs). */
const jobsShownMax = 25

const finished = (status) => status === 'COMPLETED' || status === 'FAILED' || status === 'CANCELLED'

/**
 * list() → summaries (newest first, with `arn` and `status`); describe(arn) → description with
 * `status`. Returns usePolling's state whose data is [{ summary, description }].
 */
export function useJobs(list, describe, deps) {
  const described = useRef(new Map())
  return usePolling(async () => {
    const summaries = (await list()).slice(0, jobsShownMax)
    return Promise.all(summaries.map(async (summary) => {
      let description = described.current.get(summary.arn)
      if (!description || !finished(description.status)) {
        description = await describe(summary.arn)
        described.current.set(summary.arn, description)
      }
      return { summary, description }
    }))
  }, jobRefreshMs, deps)
}

export function JobStatus({ status, failure }) {
  return status === 'IN_PROGRESS'
    ? html`<span class="progress"><progress aria-label="In progress"></progress> IN_PROGRESS</span>`
    : html`<span class=${`status ${status === 'COMPLETED' ? 'ACTIVE' : status === 'FAILED' ? 'problem' : ''}`} title=${failure ?? ''}>${status}</span>`
}
