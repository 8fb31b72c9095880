/**
 * The operations that name a stream or a consumer by ARN alone: TagResource, UntagResource,
 * ListTagsForResource, PutResourcePolicy, GetResourcePolicy and DeleteResourcePolicy. Tags and a
 * policy live with their stream (a consumer's inside its entry), so they go when it goes.
 * Resource policies are kept and returned, not enforced: see docs/kinesis.md.
 */
import type { RequestContext } from '../api/context.js'
import type { ReadView } from '../storage/engine.js'
import { findConsumer } from './consumers.js'
import { InvalidArgumentException, KinesisResourceNotFound } from './errors.js'
import { requireStream } from './resolve.js'
import { saveStream, type ConsumerState, type StreamState } from './stream-store.js'
import { mergedTags, tagKeysRule, tagsRule } from './stream-operations.js'
import { streamIdRule, validateInput, type Rule } from './validate.js'

/** A stream's ARN, or one of its consumers' (`…:stream/<name>/consumer/<consumer>:<epoch>`). */
const resourceArnRule: Rule = { type: 'string', required: true, min: 1, max: 2048, pattern: 'arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+' }

interface ResourceInput { ResourceARN: string }
interface TagResourceInput extends ResourceInput { Tags: Record<string, string> }
interface UntagResourceInput extends ResourceInput { TagKeys: string[] }
interface PutPolicyInput extends ResourceInput { Policy: string }

/** What a ResourceARN names: a stream, or a consumer of one. */
interface Resource {
  state: StreamState
  /** The consumer, when the ARN names one; its tags and policy are its own. */
  consumer?: ConsumerState
}

async function requireResource(ctx: RequestContext, view: ReadView, arn: string): Promise<Resource> {
  if (arn.includes('/consumer/')) return findConsumer(ctx, view, { ConsumerARN: arn })
  return { state: await requireStream(ctx, view, { StreamARN: arn }) }
}

/** The tags and policy of what `resource` names, as one record to read and change. */
function holderOf(resource: Resource): { tags?: Record<string, string>; policy?: string } {
  return resource.consumer ?? resource.state
}

/** Loads the resource an ARN names in a transaction, lets `change` edit it, and saves its stream. */
function updateResource<T>(ctx: RequestContext, arn: string, change: (resource: Resource) => T): Promise<T> {
  return ctx.storage.transact(async (tx) => {
    const resource = await requireResource(ctx, tx, arn)
    const result = change(resource)
    await saveStream(tx, resource.state)
    return result
  })
}

export async function tagResource(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<TagResourceInput>(body, { ResourceARN: resourceArnRule, StreamId: streamIdRule, Tags: tagsRule })
  await updateResource(ctx, input.ResourceARN, (resource) => {
    const holder = holderOf(resource)
    holder.tags = mergedTags(ctx, holder.tags ?? {}, input.Tags, resource.consumer?.name ?? resource.state.name)
  })
  return {}
}

export async function untagResource(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<UntagResourceInput>(body, { ResourceARN: resourceArnRule, StreamId: streamIdRule, TagKeys: tagKeysRule })
  await updateResource(ctx, input.ResourceARN, (resource) => {
    const holder = holderOf(resource)
    for (const key of input.TagKeys) delete holder.tags?.[key]
  })
  return {}
}

export async function listTagsForResource(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<ResourceInput>(body, { ResourceARN: resourceArnRule, StreamId: streamIdRule })
  const tags = holderOf(await ctx.storage.read((view) => requireResource(ctx, view, input.ResourceARN))).tags ?? {}
  return { Tags: Object.keys(tags).sort().map((key) => ({ Key: key, Value: tags[key] })) }
}

export async function putResourcePolicy(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<PutPolicyInput>(body, { ResourceARN: resourceArnRule, StreamId: streamIdRule, Policy: { type: 'string', required: true } })
  if (!isJsonObject(input.Policy)) throw new InvalidArgumentException('Policy must be a JSON object.')
  await updateResource(ctx, input.ResourceARN, (resource) => { holderOf(resource).policy = input.Policy })
  return {}
}

/** The policy as it was put; `{}` when there is none. */
export async function getResourcePolicy(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<ResourceInput>(body, { ResourceARN: resourceArnRule, StreamId: streamIdRule })
  const resource = await ctx.storage.read((view) => requireResource(ctx, view, input.ResourceARN))
  return { Policy: holderOf(resource).policy ?? '{}' }
}

export async function deleteResourcePolicy(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<ResourceInput>(body, { ResourceARN: resourceArnRule, StreamId: streamIdRule })
  await updateResource(ctx, input.ResourceARN, (resource) => {
    const holder = holderOf(resource)
    if (holder.policy === undefined) throw new KinesisResourceNotFound(`No resource policy found for resource ARN ${input.ResourceARN}.`)
    delete holder.policy
  })
  return {}
}

function isJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text)
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
  } catch {
    return false
  }
}
