/**
 * DestinationConfig.OnFailure: when a batch is discarded (retries exhausted, or records too old),
 * Lambda sends an invocation record describing it, not the records themselves. Here the
 * destination ARN names a local file (one JSON record per line) or a webhook in the config.
 */
import { randomUUID } from 'node:crypto'
import { appendFile } from 'node:fs/promises'
import type { Logger } from '../log.js'
import type { PendingRecord } from './event.js'
import { destinationNameOf, destinationTargetOf } from './functions-config.js'

export type FailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded'

export interface DiscardedBatch {
  condition: FailureCondition
  batch: PendingRecord[]
  invokeCount: number
  /** Whether the last invocation ended in a function error ('Unhandled'). */
  functionError: boolean
}

export interface BatchSource {
  functionArn: string
  streamArn: string
  shardId: string
  /** Where the batch's details go: DDBStreamBatchInfo or KinesisBatchInfo. */
  batchInfoKey: 'DDBStreamBatchInfo' | 'KinesisBatchInfo'
}

/** The invocation record Lambda sends to a failure destination for a stream (DynamoDB or Kinesis). */
export function invocationRecordOf(discarded: DiscardedBatch, source: BatchSource, nowMs: number): object {
  const { batch } = discarded
  return {
    requestContext: {
      requestId: randomUUID(),
      functionArn: source.functionArn,
      condition: discarded.condition,
      approximateInvokeCount: discarded.invokeCount,
    },
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      functionError: discarded.functionError ? 'Unhandled' : null,
    },
    version: '1.0',
    timestamp: new Date(nowMs).toISOString(),
    [source.batchInfoKey]: {
      shardId: source.shardId,
      startSequenceNumber: batch[0]!.sequenceNumber,
      endSequenceNumber: batch[batch.length - 1]!.sequenceNumber,
      approximateArrivalOfFirstRecord: new Date(batch[0]!.madeAtMs).toISOString(),
      approximateArrivalOfLastRecord: new Date(batch[batch.length - 1]!.madeAtMs).toISOString(),
      batchSize: batch.length,
      streamArn: source.streamArn,
    },
  }
}

/**
 * Delivers an invocation record. A missing or unusable destination is logged, not retried:
 * Lambda likewise moves on when it cannot deliver to the destination.
 */
export async function sendToDestination(
  destinationArn: string | undefined, functions: Record<string, unknown>, invocationRecord: object, log: Logger,
): Promise<void> {
  if (!destinationArn) {
    log.warn('trigger batch discarded', { invocationRecord })
    return
  }
  try {
    const target = destinationTargetOf(functions, destinationNameOf(destinationArn))
    const line = JSON.stringify(invocationRecord)
    if (target.kind === 'file') {
      await appendFile(target.path, line + '\n')
      return
    }
    const reply = await fetch(target.url, {
      method: 'POST', headers: { 'content-type': 'application/json', ...target.headers }, body: line, signal: AbortSignal.timeout(10_000),
    })
    await reply.arrayBuffer()
    if (!reply.ok) throw new Error(`HTTP ${reply.status}`)
  } catch (error) {
    log.warn('trigger failure destination unavailable', { destination: destinationArn, error: (error as Error).message, invocationRecord })
  }
}
