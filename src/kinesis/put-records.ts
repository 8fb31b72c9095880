/**
 * PutRecord and PutRecords: each record goes to the open shard whose hash key range holds the
 * MD5 of its partition key (or its ExplicitHashKey), under the shard's next ordinal, in one
 * storage transaction per request. Appending is also what the table destination calls
 * (appendRecords), so both write records the same way. A dry run (dry-run.ts) makes the same
 * checks in a read and writes nothing.
 */
import type { RequestContext } from '../api/context.js'
import type { StreamRecordRow, Transaction } from '../storage/engine.js'
import { dryRunRule, dryRunSucceeded, type DryRunnable } from './dry-run.js'
import { InvalidArgumentException, KinesisResourceInUse } from './errors.js'
import { hashKeyMax, hashKeyOfPartitionKey } from './hash-keys.js'
import { encryptionTypeOf } from './describe.js'
import { formatSequenceNumber, nextOrdinal } from './sequence-numbers.js'
import { requireStream, type StreamTarget } from './resolve.js'
import {
  defaultMaxRecordSizeKiB, largestMaxRecordSizeKiB, maxRecordDataBytes, openShards, shardIdOf, type ShardState, type StreamState,
} from './stream-store.js'
import { blobTooLong, hashKeyRule, sequenceNumberRule, streamTarget, validateInput, type Rule } from './validate.js'

/**
 * A record's data may be up to 1 MiB (what a table's streaming destination writes at most), or
 * up to 10 MiB on a stream whose maximum record size allows it: checked against the stream once
 * it is loaded. PutRecords carries at most 500 records and 5 MiB (10 MiB to such a stream).
 */
export const recordDataBytesMax = defaultMaxRecordSizeKiB * 1024
const putRecordsCountMax = 500
const putRecordsBytesMax = 5 * 1024 * 1024
const largeRecordsRequestBytesMax = 10 * 1024 * 1024

export interface NewRecord {
  data: Buffer
  partitionKey: string
  explicitHashKey?: string
}

export interface PutResult {
  shardId: string
  sequenceNumber: string
}

interface RecordEntry { Data: Buffer; PartitionKey: string; ExplicitHashKey?: string }
interface PutTarget extends StreamTarget, DryRunnable {}
interface PutRecordInput extends PutTarget, RecordEntry { SequenceNumberForOrdering?: string }
interface PutRecordsInput extends PutTarget { Records: RecordEntry[] }

const partitionKeyRule: Rule = { type: 'string', required: true, min: 1, max: 256 }
const dataRule: Rule = { type: 'blob', required: true, max: largestMaxRecordSizeKiB * 1024 }

// The rules are made once: built per request, a spread followed by members gave each one a V8
// hidden class of its own (src/api/hidden-classes.test.ts says why that costs).
const putRecordRules: Record<string, Rule> = {
  ...streamTarget, Data: dataRule, PartitionKey: partitionKeyRule, ExplicitHashKey: hashKeyRule,
  SequenceNumberForOrdering: sequenceNumberRule, DryRun: dryRunRule,
}
const putRecordsRules: Record<string, Rule> = {
  ...streamTarget, DryRun: dryRunRule,
  Records: {
    type: 'list', required: true, min: 1, max: putRecordsCountMax,
    member: { type: 'structure', members: { Data: dataRule, PartitionKey: partitionKeyRule, ExplicitHashKey: hashKeyRule } },
  },
}

export async function putRecord(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<PutRecordInput>(body, putRecordRules)
  const record: NewRecord = { data: input.Data, partitionKey: input.PartitionKey, explicitHashKey: input.ExplicitHashKey }
  checkExplicitHashKey(record)
  const { results, encryptionType } = await appendChecked(ctx, input, [record], (state) => {
    checkRecordSizes(state, [record], () => 'data')
  })
  return { ShardId: results[0]!.shardId, SequenceNumber: results[0]!.sequenceNumber, EncryptionType: encryptionType }
}

export async function putRecords(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<PutRecordsInput>(body, putRecordsRules)
  const records: NewRecord[] = input.Records.map((entry) => ({
    data: entry.Data, partitionKey: entry.PartitionKey, explicitHashKey: entry.ExplicitHashKey,
  }))
  records.forEach(checkExplicitHashKey)
  const { results, encryptionType } = await appendChecked(ctx, input, records, (state) => {
    checkRecordSizes(state, records, (index) => `records.${index + 1}.member.data`)
    checkRequestSize(state, records)
  })
  return {
    FailedRecordCount: 0,
    Records: results.map((result) => ({ SequenceNumber: result.sequenceNumber, ShardId: result.shardId })),
    EncryptionType: encryptionType,
  }
}

/**
 * Loads the stream the request names, runs the checks that need it, and appends the records in
 * one transaction. A dry run stops after the same checks (DryRunOperationException) and does
 * them in a read, not a transaction, so it takes no write lock and writes nothing.
 */
async function appendChecked(ctx: RequestContext, input: PutTarget, records: NewRecord[],
  check: (state: StreamState) => void): Promise<{ results: PutResult[]; encryptionType: string }> {
  if (input.DryRun === true) {
    const state = await ctx.storage.read((view) => requireStream(ctx, view, input))
    check(state)
    requireOpenShards(state)
    throw dryRunSucceeded()
  }
  return ctx.storage.transact(async (tx) => {
    const state = await requireStream(ctx, tx, input)
    check(state)
    return { results: await appendRecords(tx, state, records, ctx.clock.now()), encryptionType: encryptionTypeOf(state) }
  })
}

/**
 * A PutRecords request carries at most 5 MiB of data and partition keys, or 10 MiB to a stream
 * that takes records over 1 MiB (Kinesis's PutRecords reference since large records: "up to a
 * limit of 10 MiB for the entire request").
 */
function checkRequestSize(state: StreamState, records: NewRecord[]): void {
  const max = maxRecordDataBytes(state) > recordDataBytesMax ? largeRecordsRequestBytesMax : putRecordsBytesMax
  const totalBytes = records.reduce((sum, record) => sum + record.data.length + Buffer.byteLength(record.partitionKey), 0)
  if (totalBytes > max) throw new InvalidArgumentException(`Records size exceeds ${max / (1024 * 1024)} MB limit`)
}

/**
 * Each record within the stream's maximum record size: its data, or the ValidationException the
 * model's limit gives; then its data and partition key together ("When the data blob ... is added
 * to the partition key size, the total size must not exceed the maximum record size", PutRecord
 * in the API reference; the wording of AWS's refusal is not known, so it is told plainly).
 */
function checkRecordSizes(state: StreamState, records: NewRecord[], pathOf: (index: number) => string): void {
  const max = maxRecordDataBytes(state)
  const index = records.findIndex((record) => record.data.length > max)
  if (index >= 0) throw blobTooLong(pathOf(index), records[index]!.data.length, max)
  const withKey = records.find((record) => record.data.length + Buffer.byteLength(record.partitionKey) > max)
  if (withKey) {
    const bytes = withKey.data.length + Buffer.byteLength(withKey.partitionKey)
    throw new InvalidArgumentException(`Record size of ${bytes} bytes, data and partition key together, exceeds the stream's maximum record size of ${max} bytes`)
  }
}

function checkExplicitHashKey(record: NewRecord): void {
  if (record.explicitHashKey !== undefined && BigInt(record.explicitHashKey) > hashKeyMax) {
    throw new InvalidArgumentException(
      `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${record.explicitHashKey}`)
  }
}

/**
 * Appends records to a stream inside `tx`, in order; returns where each one went. The newest
 * ordinal of every shard written is read in one query and the records are written in one
 * statement, so a PutRecords costs the same few round trips for 1 record or 500 (on PostgreSQL).
 */
export async function appendRecords(tx: Transaction, state: StreamState, records: NewRecord[], nowMs: number): Promise<PutResult[]> {
  // Hash key bounds parsed once per call, not once per record.
  const shards = requireOpenShards(state).map((shard) => ({ shard, start: BigInt(shard.startingHashKey), end: BigInt(shard.endingHashKey) }))
  const targets = records.map((record) =>
    shardFor(shards, record.explicitHashKey !== undefined ? BigInt(record.explicitHashKey) : hashKeyOfPartitionKey(record.partitionKey)))
  const touched = [...new Set(targets.map((shard) => shard.index))]
  const stored = await tx.lastStreamOrdinals(state.id, touched)
  // A shard's first record comes after its StartingSequenceNumber, as on Kinesis, so that AFTER_SEQUENCE_NUMBER
  // of that number (what a consumer with no checkpoint yet often sends) reads it.
  const lastOrdinals = new Map(targets.map((shard) => [shard.index, Math.max(stored.get(shard.index) ?? 0, shard.startOrdinal)]))
  const rows: StreamRecordRow[] = []
  const results: PutResult[] = records.map((record, index) => {
    const shard = targets[index]!
    const ordinal = nextOrdinal(lastOrdinals.get(shard.index)!, nowMs)
    lastOrdinals.set(shard.index, ordinal)
    rows.push({ stream: state.id, shard: shard.index, ordinal, arrivalMs: nowMs, partitionKey: record.partitionKey, data: record.data })
    return { shardId: shardIdOf(shard.index), sequenceNumber: formatSequenceNumber(ordinal, shard.index, state.createdMs) }
  })
  await tx.appendStreamRecords(rows)
  return results
}

function requireOpenShards(state: StreamState): ShardState[] {
  const shards = openShards(state)
  if (shards.length === 0) throw new KinesisResourceInUse(`Stream ${state.name} has no open shards.`)
  return shards
}

function shardFor(shards: Array<{ shard: ShardState; start: bigint; end: bigint }>, hashKey: bigint): ShardState {
  const found = shards.find((candidate) => candidate.start <= hashKey && hashKey <= candidate.end)
  // Open shards always cover the whole hash key space.
  if (!found) throw new Error(`no open shard covers hash key ${hashKey}`)
  return found.shard
}
