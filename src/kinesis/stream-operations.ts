/**
 * Stream lifecycle and settings: CreateStream, DeleteStream, DescribeStream,
 * DescribeStreamSummary, ListStreams, retention, tags and encryption. Streams are ACTIVE as
 * soon as CreateStream answers (a waiter for ACTIVE returns at once).
 */
import type { RequestContext } from '../api/context.js'
import { KinesisLimitExceeded, KinesisResourceInUse, InvalidArgumentException } from './errors.js'
import { evenRanges } from './hash-keys.js'
import { firstOrdinalAt } from './sequence-numbers.js'
import { streamDescription, streamListEntry, streamSummary } from './describe.js'
import { requireStream, type StreamTarget } from './resolve.js'
import {
  forgetStream, listStreamStates, loadStream, openShards, saveStream, shardIndexOf, streamArnOf,
  type ShardState, type StreamMode, type StreamState,
} from './stream-store.js'
import { maxRecordSizeRule, streamNameRule, streamTarget, validateInput, type Rule } from './validate.js'

/** Kinesis's default shard quota per account and region. */
export const accountShardLimit = 500
/** The most shards one DescribeStream answers with, and streams one ListStreams names. */
const describedShardsMax = 100
const listedStreamsMax = 100
/** An ON_DEMAND stream created without a shard count starts with this many shards. */
const onDemandShardCount = 4
const retentionHoursDefault = 24
export const retentionHoursMin = 24
export const retentionHoursMax = 8760
const tagsPerStreamMax = 50

interface CreateStreamInput {
  StreamName: string
  ShardCount?: number
  StreamModeDetails?: { StreamMode: StreamMode }
  Tags?: Record<string, string>
  MaxRecordSizeInKiB?: number
}
interface DeleteStreamInput extends StreamTarget { EnforceConsumerDeletion?: boolean }
interface DescribeStreamInput extends StreamTarget { Limit?: number; ExclusiveStartShardId?: string }
interface ListStreamsInput { Limit?: number; ExclusiveStartStreamName?: string; NextToken?: string }
interface RetentionInput extends StreamTarget { RetentionPeriodHours: number }
interface AddTagsInput extends StreamTarget { Tags: Record<string, string> }
interface RemoveTagsInput extends StreamTarget { TagKeys: string[] }
interface ListTagsInput extends StreamTarget { ExclusiveStartTagKey?: string; Limit?: number }
interface EncryptionInput extends StreamTarget { EncryptionType: 'NONE' | 'KMS'; KeyId: string }

export async function createStream(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<CreateStreamInput>(body, {
    StreamName: { ...streamNameRule, required: true },
    ShardCount: { type: 'integer', min: 1 },
    StreamModeDetails: { type: 'structure', members: { StreamMode: { type: 'string', required: true, enum: ['PROVISIONED', 'ON_DEMAND'] } } },
    Tags: { ...tagMapRule, max: 50 },
    MaxRecordSizeInKiB: maxRecordSizeRule,
  })
  const mode: StreamMode = input.StreamModeDetails?.StreamMode ?? (input.ShardCount === undefined ? 'ON_DEMAND' : 'PROVISIONED')
  if (mode === 'PROVISIONED' && input.ShardCount === undefined) {
    throw new InvalidArgumentException('ShardCount is required for a stream in PROVISIONED mode.')
  }
  const shardCount: number = input.ShardCount ?? onDemandShardCount
  const nowMs = ctx.clock.now()
  await ctx.storage.transact(async (tx) => {
    if (await loadStream(tx, input.StreamName)) {
      throw new KinesisResourceInUse(`Stream ${input.StreamName} under account ${ctx.accountId} already exists.`)
    }
    const shardsInUse = (await listStreamStates(tx)).reduce((sum, state) => sum + openShards(state).length, 0)
    if (shardsInUse + shardCount > accountShardLimit) {
      throw new KinesisLimitExceeded(
        `This request would exceed the shard limit for the account ${ctx.accountId} in ${ctx.region}. ` +
        `Current shard count for the account: ${shardsInUse}. Limit: ${accountShardLimit}. ` +
        `Number of additional shards that would have resulted from this request: ${shardCount}.`)
    }
    const shards: ShardState[] = evenRanges(shardCount).map((range, index) => ({
      index, startingHashKey: range.start.toString(), endingHashKey: range.end.toString(),
      createdMs: nowMs, startOrdinal: firstOrdinalAt(nowMs),
    }))
    const state: StreamState = {
      name: input.StreamName, id: `${input.StreamName}/${nowMs}`, arn: streamArnOf(ctx.region, ctx.accountId, input.StreamName),
      createdMs: nowMs, mode, retentionHours: retentionHoursDefault, shards, nextShardIndex: shardCount,
      tags: { ...(input.Tags ?? {}) }, consumers: [],
      ...(input.MaxRecordSizeInKiB !== undefined ? { maxRecordSizeKiB: input.MaxRecordSizeInKiB } : {}),
    }
    await saveStream(tx, state)
  })
  return {}
}

export async function deleteStream(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<DeleteStreamInput>(body, { ...streamTarget, EnforceConsumerDeletion: { type: 'boolean' } })
  await ctx.storage.transact(async (tx) => {
    const state = await requireStream(ctx, tx, input)
    if (state.consumers.length > 0 && input.EnforceConsumerDeletion !== true) {
      throw new KinesisResourceInUse(`Stream ${state.name} under account ${ctx.accountId} has registered consumers.`)
    }
    await forgetStream(tx, state.name)
    await tx.dropStreamRecords(state.id)
  })
  return {}
}

export async function describeStream(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<DescribeStreamInput>(body, {
    ...streamTarget, Limit: { type: 'integer', min: 1, max: 10000 },
    ExclusiveStartShardId: { type: 'string', min: 1, max: 128, pattern: '[a-zA-Z0-9_.-]+' },
  })
  const state = await ctx.storage.read((view) => requireStream(ctx, view, input))
  const after = input.ExclusiveStartShardId === undefined ? -1 : shardIndexOf(input.ExclusiveStartShardId) ?? -1
  const remaining = state.shards.filter((shard) => shard.index > after)
  // "If you specify a value greater than 100, at most 100 results are returned" (DescribeStream).
  const limit = Math.min(input.Limit ?? describedShardsMax, describedShardsMax)
  return { StreamDescription: streamDescription(state, remaining.slice(0, limit), remaining.length > limit) }
}

export async function describeStreamSummary(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<StreamTarget>(body, streamTarget)
  const state = await ctx.storage.read((view) => requireStream(ctx, view, input))
  return { StreamDescriptionSummary: streamSummary(state) }
}

export async function listStreams(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<ListStreamsInput>(body, {
    Limit: { type: 'integer', min: 1, max: 10000 }, ExclusiveStartStreamName: streamNameRule,
    NextToken: { type: 'string', min: 1, max: 1048576 },
  })
  const after: string | undefined = input.NextToken !== undefined ? decodeListToken(input.NextToken) : input.ExclusiveStartStreamName
  const all = (await ctx.storage.read((view) => listStreamStates(view))).filter((state) => after === undefined || state.name > after)
  // As DescribeStream: at most 100, whatever the Limit (ListStreams in the API reference).
  const limit = Math.min(input.Limit ?? listedStreamsMax, listedStreamsMax)
  const page = all.slice(0, limit)
  const hasMore = all.length > limit
  return {
    StreamNames: page.map((state) => state.name), HasMoreStreams: hasMore,
    StreamSummaries: page.map(streamListEntry),
    ...(hasMore ? { NextToken: Buffer.from(page.at(-1)!.name, 'utf8').toString('base64') } : {}),
  }
}

function decodeListToken(token: string): string {
  const name = Buffer.from(token, 'base64').toString('utf8')
  if (!/^[a-zA-Z0-9_.-]{1,128}$/.test(name)) throw new InvalidArgumentException(`Invalid NextToken: ${token}`)
  return name
}

// Kinesis's model puts no range on RetentionPeriodHours: both bounds are the service's own refusals (changeRetention).
const retentionRules: Record<string, Rule> = { ...streamTarget, RetentionPeriodHours: { type: 'integer', required: true } }

export async function increaseStreamRetentionPeriod(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<RetentionInput>(body, retentionRules)
  return changeRetention(ctx, input, 'increase')
}

export async function decreaseStreamRetentionPeriod(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<RetentionInput>(body, retentionRules)
  return changeRetention(ctx, input, 'decrease')
}

async function changeRetention(ctx: RequestContext, input: RetentionInput, direction: 'increase' | 'decrease'): Promise<object> {
  const hours: number = input.RetentionPeriodHours
  if (hours < retentionHoursMin) {
    throw new InvalidArgumentException(`Minimum allowed retention period is ${retentionHoursMin} hours. Requested retention period (${hours} hours) is too short.`)
  }
  if (hours > retentionHoursMax) {
    throw new InvalidArgumentException(`Maximum allowed retention period is ${retentionHoursMax} hours. Requested retention period (${hours} hours) is too long.`)
  }
  await updateStream(ctx, input, (state) => {
    if (direction === 'increase' && hours < state.retentionHours) {
      throw new InvalidArgumentException(`Requested retention period (${hours} hours) for stream ${state.name} can not be shorter than existing retention period (${state.retentionHours} hours). Use DecreaseRetentionPeriod API.`)
    }
    if (direction === 'decrease' && hours > state.retentionHours) {
      throw new InvalidArgumentException(`Requested retention period (${hours} hours) for stream ${state.name} can not be longer than existing retention period (${state.retentionHours} hours). Use IncreaseRetentionPeriod API.`)
    }
    state.retentionHours = hours
  })
  return {}
}

/** Loads the named stream in a transaction, lets `change` edit it, and saves it. */
export async function updateStream<T>(ctx: RequestContext, input: StreamTarget, change: (state: StreamState, nowMs: number) => T | Promise<T>): Promise<T> {
  return ctx.storage.transact(async (tx) => {
    const state = await requireStream(ctx, tx, input)
    const result = await change(state, ctx.clock.now())
    await saveStream(tx, state)
    return result
  })
}

/**
 * The model's TagMap: 1 to 200 tags, keys of 1 to 128 characters, values of up to 256. A key
 * outside 1..128 must be refused here: RemoveTagsFromStream and UntagResource refuse it, so a
 * tag stored under it could never be removed.
 */
export const tagMapRule = { type: 'map', min: 1, max: 200, keyLength: { min: 1, max: 128 }, valueLength: { min: 0, max: 256 } } as const satisfies Rule
/** Tags as AddTagsToStream and TagResource take them. */
export const tagsRule: Rule = { ...tagMapRule, required: true }
export const tagKeysRule: Rule = { type: 'list', required: true, min: 1, max: 50, member: { type: 'string', min: 1, max: 128 } }

/** `tags` with `added` over them; a stream or consumer (`holder`) has at most 50. */
export function mergedTags(ctx: RequestContext, tags: Record<string, string>, added: Record<string, string>, holder: string): Record<string, string> {
  const merged = { ...tags, ...added }
  if (Object.keys(merged).length > tagsPerStreamMax) {
    throw new InvalidArgumentException(`Failed to add tags to stream ${holder} under account ${ctx.accountId} because a given stream cannot have more than ${tagsPerStreamMax} tags.`)
  }
  return merged
}

export async function addTagsToStream(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<AddTagsInput>(body, { ...streamTarget, Tags: tagsRule })
  await updateStream(ctx, input, (state) => { state.tags = mergedTags(ctx, state.tags, input.Tags, state.name) })
  return {}
}

export async function removeTagsFromStream(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<RemoveTagsInput>(body, { ...streamTarget, TagKeys: tagKeysRule })
  await updateStream(ctx, input, (state) => {
    for (const key of input.TagKeys as string[]) delete state.tags[key]
  })
  return {}
}

export async function listTagsForStream(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<ListTagsInput>(body, { ...streamTarget, ExclusiveStartTagKey: { type: 'string', min: 1, max: 128 }, Limit: { type: 'integer', min: 1, max: 50 } })
  const state = await ctx.storage.read((view) => requireStream(ctx, view, input))
  const keys = Object.keys(state.tags).sort().filter((key) => input.ExclusiveStartTagKey === undefined || key > input.ExclusiveStartTagKey)
  const limit: number = input.Limit ?? 50
  return { Tags: keys.slice(0, limit).map((key) => ({ Key: key, Value: state.tags[key] })), HasMoreTags: keys.length > limit }
}

const encryptionRules: Record<string, Rule> = {
  ...streamTarget,
  EncryptionType: { type: 'string', required: true, enum: ['NONE', 'KMS'] },
  KeyId: { type: 'string', required: true, min: 1, max: 2048 },
}

/** Accepted and recorded (DescribeStream shows KMS and the key); data is stored as it came. */
export async function startStreamEncryption(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<EncryptionInput>(body, encryptionRules)
  if (input.EncryptionType !== 'KMS') throw new InvalidArgumentException('EncryptionType must be KMS.')
  await updateStream(ctx, input, (state) => { state.encryption = { keyId: input.KeyId } })
  return {}
}

export async function stopStreamEncryption(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<EncryptionInput>(body, encryptionRules)
  await updateStream(ctx, input, (state) => { delete state.encryption })
  return {}
}

