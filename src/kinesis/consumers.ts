/**
 * Enhanced fan-out consumers: RegisterStreamConsumer, DescribeStreamConsumer,
 * ListStreamConsumers and DeregisterStreamConsumer. Consumers live in their stream's state; a
 * consumer is ACTIVE once registered (RegisterStreamConsumer answers CREATING, as Kinesis does).
 */
import type { RequestContext } from '../api/context.js'
import type { ReadView } from '../storage/engine.js'
import { InvalidArgumentException, KinesisLimitExceeded, KinesisResourceInUse, KinesisResourceNotFound } from './errors.js'
import { epochSeconds } from './describe.js'
import { requireStream } from './resolve.js'
import { loadStream, saveStream, type ConsumerState, type StreamState } from './stream-store.js'
import { mergedTags, tagMapRule, updateStream } from './stream-operations.js'
import { consumerArnRule, streamArnRule, streamIdRule, validateInput, type Rule } from './validate.js'

const consumersPerStreamMax = 20
const consumerNameRule: Rule = { type: 'string', min: 1, max: 128, pattern: '[a-zA-Z0-9_.-]+' }

interface RegisterConsumerInput { StreamARN: string; ConsumerName: string; Tags?: Record<string, string> }
/** A consumer is named by its ARN, or by its stream's ARN and its name. */
export interface ConsumerTarget { StreamARN?: string; ConsumerName?: string; ConsumerARN?: string }
interface ListConsumersInput { StreamARN: string; NextToken?: string; MaxResults?: number; StreamCreationTimestamp?: number }

function consumerDescription(state: StreamState, consumer: ConsumerState, status = 'ACTIVE'): Record<string, unknown> {
  return {
    ConsumerName: consumer.name, ConsumerARN: consumer.arn, ConsumerStatus: status,
    ConsumerCreationTimestamp: epochSeconds(consumer.createdMs), StreamARN: state.arn,
  }
}

export async function registerStreamConsumer(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<RegisterConsumerInput>(body, {
    StreamARN: { ...streamArnRule, required: true }, ConsumerName: { ...consumerNameRule, required: true }, StreamId: streamIdRule, Tags: tagMapRule,
  })
  return updateStream(ctx, input, (state, nowMs) => {
    if (state.consumers.some((consumer) => consumer.name === input.ConsumerName)) {
      throw new KinesisResourceInUse(`Consumer ${input.ConsumerName} under stream ${state.name} already exists for account ${ctx.accountId}.`)
    }
    if (state.consumers.length >= consumersPerStreamMax) {
      throw new KinesisLimitExceeded(`Stream ${state.name} under account ${ctx.accountId} already has ${consumersPerStreamMax} registered consumers.`)
    }
    const consumer: ConsumerState = { name: input.ConsumerName, arn: `${state.arn}/consumer/${input.ConsumerName}:${Math.floor(nowMs / 1000)}`, createdMs: nowMs }
    // The tags hold from the CREATING status on (Kinesis's reference), so they are there at once;
    // TagResource's limit of 50 applies to them too.
    if (input.Tags !== undefined) consumer.tags = mergedTags(ctx, {}, input.Tags, input.ConsumerName)
    state.consumers.push(consumer)
    const { StreamARN: _streamArn, ...shown } = consumerDescription(state, consumer, 'CREATING')
    return { Consumer: shown }
  })
}

export async function describeStreamConsumer(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<ConsumerTarget>(body, { StreamARN: streamArnRule, ConsumerName: consumerNameRule, ConsumerARN: consumerArnRule, StreamId: streamIdRule })
  const { state, consumer } = await ctx.storage.read((view) => findConsumer(ctx, view, input))
  return { ConsumerDescription: consumerDescription(state, consumer) }
}

export async function listStreamConsumers(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<ListConsumersInput>(body, {
    StreamARN: { ...streamArnRule, required: true }, NextToken: { type: 'string', min: 1, max: 1048576 },
    MaxResults: { type: 'integer', min: 1, max: 10000 }, StreamCreationTimestamp: { type: 'timestamp' }, StreamId: streamIdRule,
  })
  const state = await ctx.storage.read((view) => requireStream(ctx, view, input))
  const start = input.NextToken === undefined ? 0 : Number(Buffer.from(input.NextToken, 'base64').toString('utf8'))
  if (!Number.isInteger(start) || start < 0) throw new InvalidArgumentException(`Invalid NextToken: ${input.NextToken}`)
  const limit: number = input.MaxResults ?? 100
  const page = state.consumers.slice(start, start + limit)
  return {
    Consumers: page.map((consumer) => {
      const { StreamARN: _streamArn, ...shown } = consumerDescription(state, consumer)
      return shown
    }),
    ...(start + limit < state.consumers.length ? { NextToken: Buffer.from(String(start + limit)).toString('base64') } : {}),
  }
}

export async function deregisterStreamConsumer(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<ConsumerTarget>(body, { StreamARN: streamArnRule, ConsumerName: consumerNameRule, ConsumerARN: consumerArnRule, StreamId: streamIdRule })
  await ctx.storage.transact(async (tx) => {
    const { state, consumer } = await findConsumer(ctx, tx, input)
    state.consumers = state.consumers.filter((other) => other !== consumer)
    await saveStream(tx, state)
  })
  return {}
}

/** The consumer a request names, by ConsumerARN or by StreamARN and ConsumerName. */
export async function findConsumer(ctx: RequestContext, view: ReadView, input: ConsumerTarget): Promise<{ state: StreamState; consumer: ConsumerState }> {
  let state: StreamState | undefined
  let matches: (consumer: ConsumerState) => boolean
  if (input.ConsumerARN !== undefined) {
    const arn: string = input.ConsumerARN
    const streamName = /:stream\/([a-zA-Z0-9_.-]+)\/consumer\//.exec(arn)?.[1]
    state = streamName === undefined ? undefined : await loadStream(view, streamName)
    matches = (consumer) => consumer.arn === arn
  } else {
    if (input.StreamARN === undefined || input.ConsumerName === undefined) {
      throw new InvalidArgumentException('Either ConsumerARN or both ConsumerName and StreamARN must be provided.')
    }
    state = await requireStream(ctx, view, input)
    matches = (consumer) => consumer.name === input.ConsumerName
  }
  const consumer = state?.consumers.find(matches)
  if (!state || !consumer) {
    throw new KinesisResourceNotFound(`Consumer ${input.ConsumerARN ?? input.ConsumerName}, account ${ctx.accountId} not found.`)
  }
  return { state, consumer }
}
