/**
 * How many requests for a table's traffic the server has taken: item reads and writes, queries,
 * scans, PartiQL and transactions over HTTP, and every DAX request. Background jobs that share
 * the event loop read it to give way to that traffic (src/exports/pacing.ts).
 *
 * Describe* and List* calls do not count: a client polling its export's status every few
 * milliseconds must not slow the export down to its trickle.
 */
let requestsTaken = 0

export function noteForegroundRequest(): void {
  requestsTaken++
}

export function foregroundRequestCount(): number {
  return requestsTaken
}

/** Whether a DynamoDB action serves a table's traffic (see above). */
export function isForegroundAction(action: string): boolean {
  return !action.startsWith('Describe') && !action.startsWith('List')
}
