/**
 * GetShardIterator and GetRecords. An iterator names a position in one shard: "after ordinal
 * N". It is a stateless token (tokens.ts) that expires 5 minutes after it was issued; GetRecords
 * answers the next one. At the end of a closed shard there is no next iterator and ChildShards
 * says where to go on. A dry run of either (dry-run.ts) stops after its checks: no iterator is
 * issued and no record read.
 */
import type { RegionContext, RequestContext } from '../api/context.js'
import type { ReadView, StorageEngine, StreamRecordRow } from '../storage/engine.js'
import { InvalidArgumentException, KinesisExpiredIterator, KinesisResourceNotFound, shardNotFound } from './errors.js'
import { childShards, encryptionTypeOf, epochSeconds } from './describe.js'
import { dryRunRule, stopIfDryRun, type DryRunnable } from './dry-run.js'
import { firstOrdinalAt, formatSequenceNumber, ordinalFor } from './sequence-numbers.js'
import { requireStream, type StreamTarget } from './resolve.js'
import { loadStream, shardIdOf, shardIndexOf, type ShardState, type StreamState } from './stream-store.js'
import { decodeToken, encodeToken, isUnsignedToken, tokenLifetimeMs } from './tokens.js'
import { sequenceNumberRule, shardIdRule, streamArnRule, streamIdRule, streamTarget, validateInput } from './validate.js'

export type IteratorType = 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER' | 'AT_TIMESTAMP' | 'TRIM_HORIZON' | 'LATEST'

export interface StartingPosition {
  Type: IteratorType
  SequenceNumber?: string
  /** Milliseconds since the epoch. */
  Timestamp?: number
}

interface IteratorPayload {
  stream: string
  createdMs: number
  shard: number
  after: number
  issuedMs: number
}

/** GetRecords answers at most this much data at once (Kinesis: 10 MiB). */
const getRecordsBytesMax = 10 * 1024 * 1024
const getRecordsLimitMax = 10_000

interface GetShardIteratorInput extends StreamTarget, DryRunnable {
  ShardId: string
  ShardIteratorType: IteratorType
  StartingSequenceNumber?: string
  Timestamp?: number
}
interface GetRecordsInput extends DryRunnable { ShardIterator: string; Limit?: number; StreamARN?: string }

export async function getShardIterator(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<GetShardIteratorInput>(body, {
    ...streamTarget,
    ShardId: { ...shardIdRule, required: true },
    ShardIteratorType: { type: 'string', required: true, enum: ['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER', 'TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'] },
    StartingSequenceNumber: sequenceNumberRule,
    Timestamp: { type: 'timestamp' },
    DryRun: dryRunRule,
  })
  const nowMs = ctx.clock.now()
  const { state, shard } = await ctx.storage.read(async (view) => {
    const state = await requireStream(ctx, view, input)
    return { state, shard: requireShard(ctx, state, input.ShardId) }
  })
  const position: StartingPosition = { Type: input.ShardIteratorType, SequenceNumber: input.StartingSequenceNumber, Timestamp: input.Timestamp }
  const after = await ctx.storage.read((view) => startingOrdinal(ctx, view, state, shard, position, nowMs))
  stopIfDryRun(input)
  return { ShardIterator: await iteratorFor(ctx.storage, state, shard.index, after, nowMs) }
}

export function requireShard(ctx: RequestContext, state: StreamState, shardId: string): ShardState {
  const index = shardIndexOf(shardId)
  const shard = state.shards.find((candidate) => candidate.index === index)
  if (!shard) throw shardNotFound(shardId, state.name, ctx.accountId)
  return shard
}

/** The ordinal a reader starting at `position` has read through (it reads what comes after). */
export async function startingOrdinal(ctx: RequestContext, view: ReadView, state: StreamState, shard: ShardState,
  position: StartingPosition, nowMs: number): Promise<number> {
  const shardId = shardIdOf(shard.index)
  switch (position.Type) {
    case 'TRIM_HORIZON':
      return 0
    case 'LATEST':
      if (shard.endOrdinal !== undefined) return shard.endOrdinal
      return Math.max((await view.lastStreamRecord(state.id, shard.index))?.ordinal ?? 0, shard.startOrdinal - 1)
    case 'AT_SEQUENCE_NUMBER':
    case 'AFTER_SEQUENCE_NUMBER': {
      if (position.SequenceNumber === undefined) {
        throw new InvalidArgumentException(`StartingSequenceNumber must be specified for ShardIteratorType ${position.Type}.`)
      }
      const ordinal = ordinalFor(position.SequenceNumber, shard.index, state.createdMs, shardId, state.name)
      return position.Type === 'AT_SEQUENCE_NUMBER' ? ordinal - 1 : ordinal
    }
    case 'AT_TIMESTAMP': {
      if (position.Timestamp === undefined) throw new InvalidArgumentException('Timestamp must be specified for ShardIteratorType AT_TIMESTAMP.')
      if (position.Timestamp > nowMs) {
        throw new InvalidArgumentException(
          `The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. timestampInMillis: ${position.Timestamp}, currentTimestampInMillis: ${nowMs}`)
      }
      return firstOrdinalAt(position.Timestamp) - 1
    }
  }
}

const isIteratorPayload = (value: any): boolean =>
  typeof value.stream === 'string' && typeof value.shard === 'number' && typeof value.after === 'number' && typeof value.issuedMs === 'number'

export function iteratorFor(storage: StorageEngine, state: StreamState, shard: number, after: number, nowMs: number): Promise<string> {
  return encodeToken(storage, { stream: state.name, createdMs: state.createdMs, shard, after, issuedMs: nowMs } satisfies IteratorPayload)
}

/**
 * An iterator sent inside double quotes, as the AWS CLI's JSON output pastes it into the next
 * command, is read without them: Kinesis accepts it (LocalStack's test run against AWS).
 */
function unquoted(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text
}

export async function getRecords(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<GetRecordsInput>(body, {
    ShardIterator: { type: 'string', required: true, min: 1, max: 512 },
    Limit: { type: 'integer', min: 1, max: getRecordsLimitMax },
    StreamARN: streamArnRule, StreamId: streamIdRule, DryRun: dryRunRule,
  })
  const nowMs = ctx.clock.now()
  const shardIterator = unquoted(input.ShardIterator)
  const iterator = await decodeToken<IteratorPayload>(ctx.storage, shardIterator, isIteratorPayload)
  if (!iterator) {
    if (isUnsignedToken(shardIterator, isIteratorPayload)) {
      throw new KinesisExpiredIterator('Iterator expired. It was issued by the EddyDB this server was upgraded from; get a new iterator.')
    }
    throw new InvalidArgumentException('Invalid ShardIterator.')
  }
  if (iterator.issuedMs + tokenLifetimeMs < nowMs) {
    throw new KinesisExpiredIterator(
      `Iterator expired. The iterator was created at time ${new Date(iterator.issuedMs).toUTCString()} while right now it is ` +
      `${new Date(nowMs).toUTCString()} which is further in the future than the tolerated delay of ${tokenLifetimeMs} milliseconds.`)
  }
  const state = await ctx.storage.read((view) => loadStream(view, iterator.stream))
  const shard = state?.createdMs === iterator.createdMs ? state.shards.find((candidate) => candidate.index === iterator.shard) : undefined
  if (!state || !shard) {
    throw new KinesisResourceNotFound(`Shard ${shardIdOf(iterator.shard)} in stream ${iterator.stream} under account ${ctx.accountId} does not exist`)
  }
  stopIfDryRun(input)
  const batch = await readBatch(ctx, state, shard, iterator.after, input.Limit ?? getRecordsLimitMax, nowMs)
  const output: Record<string, unknown> = {
    Records: batch.records.map((record) => wireRecord(state, record)),
    MillisBehindLatest: batch.millisBehindLatest,
  }
  if (batch.shardEnded) output.ChildShards = childShards(state, shard)
  else output.NextShardIterator = await iteratorFor(ctx.storage, state, shard.index, batch.after, nowMs)
  return output
}

export interface RecordBatch {
  records: StreamRecordRow[]
  /** The position after the batch. */
  after: number
  millisBehindLatest: number
  /** True when the shard is closed and the batch reached its end. */
  shardEnded: boolean
}

/** Up to `limit` records after `after` (and at most 10 MiB), with where the reader stands. */
export async function readBatch(ctx: RegionContext, state: StreamState, shard: ShardState, after: number, limit: number, nowMs: number): Promise<RecordBatch> {
  const rows = await ctx.storage.read((view) => view.readStreamRecords(state.id, shard.index, after, limit + 1))
  const records: StreamRecordRow[] = []
  let bytes = 0
  for (const row of rows) {
    if (records.length >= limit || (records.length > 0 && bytes + row.data.length > getRecordsBytesMax)) break
    records.push(row)
    bytes += row.data.length
  }
  const caughtUp = records.length === rows.length
  const position = records.at(-1)?.ordinal ?? after
  return {
    records,
    after: position,
    millisBehindLatest: caughtUp ? 0 : Math.max(0, nowMs - rows[records.length]!.arrivalMs),
    shardEnded: caughtUp && shard.endOrdinal !== undefined,
  }
}

/**
 * A record as GetRecords and SubscribeToShard show it (Data as base64 in JSON). A record of an
 * unencrypted stream has no EncryptionType member, as in Kinesis' responses recorded against AWS
 * (LocalStack's snapshots of GetRecords and SubscribeToShard, 2022-2024); an encrypted one says KMS.
 */
export function wireRecord(state: StreamState, record: StreamRecordRow): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    SequenceNumber: formatSequenceNumber(record.ordinal, record.shard, state.createdMs),
    ApproximateArrivalTimestamp: epochSeconds(record.arrivalMs),
    Data: record.data.toString('base64'),
    PartitionKey: record.partitionKey,
  }
  if (state.encryption) wire.EncryptionType = encryptionTypeOf(state)
  return wire
}
