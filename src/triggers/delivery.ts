/**
 * Delivering one batch with Lambda's error handling: on a function error the batch is retried
 * (blocking the shard) until it succeeds, its retries run out or its records grow too old; with
 * BisectBatchOnFunctionError a failing batch is split in two first (a split is not a retry); with
 * ReportBatchItemFailures only the records from the lowest reported failure on are retried.
 * Discarded records go to the OnFailure destination.
 */
import type { InvokeResult } from './targets/index.js'
import { reportedFailureOf } from './batch-response.js'
import type { PendingRecord } from './event.js'
import type { MappingSettings } from './mapping.js'
import type { DiscardedBatch } from './on-failure.js'

export interface DeliveryContext {
  settings: MappingSettings
  invoke(batch: PendingRecord[]): Promise<InvokeResult>
  discard(discarded: DiscardedBatch): Promise<void>
  nowMs(): number
  /** Waits before a retry; resolves early (false) when the runner is stopping. */
  pause(retries: number): Promise<boolean>
  isStopping(): boolean
}

export interface DeliveryOutcome {
  /** False when the runner stopped before the batch was done (it will be delivered again). */
  completed: boolean
  /**
   * Whether the last invocation failed, or reported failed items (LastProcessingResult: Lambda's
   * is the result of the last invocation, so a batch that failed, then went through on a retry,
   * is OK).
   */
  problem: boolean
}

interface Segment {
  records: PendingRecord[]
  retries: number
}

/** Splits off the records older than MaximumRecordAgeInSeconds. */
function splitByAge(records: PendingRecord[], settings: MappingSettings, nowMs: number): [PendingRecord[], PendingRecord[]] {
  if (settings.MaximumRecordAgeInSeconds === -1) return [[], records]
  const oldestAllowedMs = nowMs - settings.MaximumRecordAgeInSeconds * 1000
  return [records.filter((pending) => pending.madeAtMs < oldestAllowedMs), records.filter((pending) => pending.madeAtMs >= oldestAllowedMs)]
}

export async function deliverBatch(batch: PendingRecord[], context: DeliveryContext): Promise<DeliveryOutcome> {
  const { settings } = context
  const reportsItems = settings.FunctionResponseTypes.includes('ReportBatchItemFailures')
  const queue: Segment[] = [{ records: batch, retries: 0 }]
  let problem = false
  while (queue.length > 0) {
    if (context.isStopping()) return { completed: false, problem }
    const segment = queue[0]!
    const [expired, fresh] = splitByAge(segment.records, settings, context.nowMs())
    if (expired.length > 0) {
      await context.discard({ condition: 'RecordAgeExceeded', batch: expired, invokeCount: segment.retries, functionError: segment.retries > 0 })
      segment.records = fresh
    }
    if (segment.records.length === 0) {
      queue.shift()
      continue
    }
    const result = await context.invoke(segment.records)
    const failedFrom = !result.ok ? 'all' : reportsItems ? reportedFailureOf(result.response, segment.records) : 'none'
    problem = failedFrom !== 'none'
    if (failedFrom === 'none') {
      queue.shift()
      continue
    }
    const failing = failedFrom === 'all' ? segment.records : segment.records.slice(failedFrom)
    if (settings.BisectBatchOnFunctionError && (failedFrom !== 'all' && failedFrom > 0 || failing.length > 1)) {
      // Split at the reported failure, or in half: the first part is retried first, keeping order.
      const parts = failedFrom !== 'all' && failedFrom > 0
        ? [failing]
        : [failing.slice(0, Math.ceil(failing.length / 2)), failing.slice(Math.ceil(failing.length / 2))]
      queue.splice(0, 1, ...parts.map((records) => ({ records, retries: segment.retries })))
      continue
    }
    segment.records = failing
    segment.retries += 1
    if (settings.MaximumRetryAttempts !== -1 && segment.retries > settings.MaximumRetryAttempts) {
      await context.discard({ condition: 'RetryAttemptsExhausted', batch: failing, invokeCount: segment.retries, functionError: !result.ok })
      queue.shift()
      continue
    }
    if (!(await context.pause(segment.retries))) return { completed: false, problem }
  }
  return { completed: true, problem }
}
