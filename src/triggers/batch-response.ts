/**
 * ReportBatchItemFailures: reading {"batchItemFailures":[{"itemIdentifier":"<SequenceNumber>"}]}.
 * Lambda treats a null or empty response, or an empty or null list, as complete success; an entry
 * with an empty or null identifier, an unknown key, or an identifier not in the batch, as complete
 * failure. Otherwise it checkpoints just before the lowest failed sequence number.
 */
import type { PendingRecord } from './event.js'

/** 'none', 'all', or the index in the batch of the first record to retry. */
export type ReportedFailure = 'none' | 'all' | number

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function reportedFailureOf(response: unknown, batch: PendingRecord[]): ReportedFailure {
  if (!isPlainObject(response)) return 'none'
  const failures = response.batchItemFailures
  if (failures === undefined || failures === null) return 'none'
  if (!Array.isArray(failures)) return 'all'
  if (failures.length === 0) return 'none'
  let lowest: number | undefined
  for (const failure of failures) {
    if (!isPlainObject(failure) || Object.keys(failure).some((key) => key !== 'itemIdentifier')) return 'all'
    const identifier = failure.itemIdentifier
    if (typeof identifier !== 'string' || identifier === '') return 'all'
    const index = batch.findIndex((pending) => pending.sequenceNumber === identifier)
    if (index < 0) return 'all'
    if (lowest === undefined || index < lowest) lowest = index
  }
  return lowest!
}
