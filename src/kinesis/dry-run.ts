/**
 * Kinesis's DryRun member (PutRecord, PutRecords, GetShardIterator, GetRecords and
 * SubscribeToShard): the operation runs every check it would run — the model's types and
 * constraints, authorization (src/api/dispatch.ts, before any operation runs), that the stream,
 * shard or consumer exists, its own argument checks — and then, where it would write, read or
 * hand out an iterator or a subscription, stops with DryRunOperationException instead
 * (https://docs.aws.amazon.com/streams/latest/dev/kds-dryrun-validation.html). A failed check
 * answers the same error as without DryRun, because the checks are the operation's own.
 */
import { DryRunOperationException } from './errors.js'
import type { Rule } from './validate.js'

export const dryRunRule: Rule = { type: 'boolean' }

/**
 * No public source shows the text of Kinesis's DryRunOperationException, so it is told plainly
 * (docs/kinesis.md says it is unconfirmed); clients go by the error's name.
 */
export const dryRunMessage = 'The request would have succeeded, but DryRun was set.'

export interface DryRunnable {
  DryRun?: boolean
}

/** The answer to a dry run whose checks all passed. */
export function dryRunSucceeded(): DryRunOperationException {
  return new DryRunOperationException(dryRunMessage)
}

/** Throws DryRunOperationException when the request is a dry run: call it once every check has passed. */
export function stopIfDryRun(input: DryRunnable): void {
  if (input.DryRun === true) throw dryRunSucceeded()
}
