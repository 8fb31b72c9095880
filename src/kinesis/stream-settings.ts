/**
 * A stream's capacity mode, maximum record size and shard-level metrics, and the account's
 * limits: UpdateStreamMode, UpdateMaxRecordSize, EnableEnhancedMonitoring,
 * DisableEnhancedMonitoring and DescribeLimits. Like every stream
 * change here they take effect at once: the stream stays ACTIVE (Kinesis shows UPDATING for a
 * while). Metrics are recorded and described; there is no CloudWatch to send them to.
 */
import type { RequestContext } from '../api/context.js'
import { accountShardLimit, updateStream } from './stream-operations.js'
import { listStreamStates, openShards, type StreamMode, type StreamState } from './stream-store.js'
import { maxRecordSizeRule, streamArnRule, streamIdRule, streamTarget, validateInput, type Rule } from './validate.js'

/** Kinesis's default quota of on-demand streams per account and region. */
const onDemandStreamCountLimit = 50

/** The shard-level metrics, in the order the API lists them; 'ALL' stands for every one. */
export const shardLevelMetricNames = [
  'IncomingBytes', 'IncomingRecords', 'OutgoingBytes', 'OutgoingRecords',
  'WriteProvisionedThroughputExceeded', 'ReadProvisionedThroughputExceeded', 'IteratorAgeMilliseconds',
] as const

interface UpdateStreamModeInput { StreamARN: string; StreamModeDetails: { StreamMode: StreamMode } }
interface MonitoringInput { StreamName?: string; StreamARN?: string; ShardLevelMetrics: string[] }

const streamModeRule: Rule = {
  type: 'structure', required: true, members: { StreamMode: { type: 'string', required: true, enum: ['PROVISIONED', 'ON_DEMAND'] } },
}

/**
 * Switches a stream between PROVISIONED and ON_DEMAND; its shards stay as they are (an on-demand
 * stream that becomes provisioned keeps the shard count it had, as in Kinesis). Kinesis's limit
 * of two switches in 24 hours is not enforced; WarmThroughputMiBps is not a member here, so it
 * is dropped unread.
 */
export async function updateStreamMode(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<UpdateStreamModeInput>(body, {
    StreamARN: { ...streamArnRule, required: true }, StreamModeDetails: streamModeRule, StreamId: streamIdRule,
  })
  await updateStream(ctx, input, (state) => { state.mode = input.StreamModeDetails.StreamMode })
  return {}
}

interface UpdateMaxRecordSizeInput { StreamARN?: string; MaxRecordSizeInKiB: number }

export async function updateMaxRecordSize(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<UpdateMaxRecordSizeInput>(body, {
    StreamARN: streamArnRule, MaxRecordSizeInKiB: { ...maxRecordSizeRule, required: true }, StreamId: streamIdRule,
  })
  await updateStream(ctx, input, (state) => { state.maxRecordSizeKiB = input.MaxRecordSizeInKiB })
  return {}
}

const monitoringRules: Record<string, Rule> = {
  ...streamTarget,
  ShardLevelMetrics: { type: 'list', required: true, min: 1, max: 7, member: { type: 'string', enum: [...shardLevelMetricNames, 'ALL'] } },
}

export async function enableEnhancedMonitoring(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<MonitoringInput>(body, monitoringRules)
  const named = metricsNamed(input.ShardLevelMetrics)
  return changeMetrics(ctx, input, (metric, enabled) => enabled || named.has(metric))
}

export async function disableEnhancedMonitoring(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  const input = validateInput<MonitoringInput>(body, monitoringRules)
  const named = metricsNamed(input.ShardLevelMetrics)
  return changeMetrics(ctx, input, (metric, enabled) => enabled && !named.has(metric))
}

/** The metrics a request names, 'ALL' expanded. */
function metricsNamed(requested: string[]): Set<string> {
  return new Set(requested.includes('ALL') ? shardLevelMetricNames : requested)
}

/**
 * Keeps the stream's metrics for which `wanted` says yes (given whether each is enabled now), in
 * the API's order; answers with the metrics before and after, as both monitoring calls do.
 */
function changeMetrics(ctx: RequestContext, input: MonitoringInput, wanted: (metric: string, enabled: boolean) => boolean): Promise<object> {
  return updateStream(ctx, input, (state) => {
    const before = shardLevelMetricsOf(state)
    state.shardLevelMetrics = shardLevelMetricNames.filter((metric) => wanted(metric, before.includes(metric)))
    return {
      StreamName: state.name, StreamARN: state.arn,
      CurrentShardLevelMetrics: before, DesiredShardLevelMetrics: state.shardLevelMetrics,
    }
  })
}

export function shardLevelMetricsOf(state: StreamState): string[] {
  return state.shardLevelMetrics ?? []
}

/** The account's shard quota and its use in this region, and the same for on-demand streams. */
export async function describeLimits(ctx: RequestContext, body: Record<string, unknown>): Promise<object> {
  validateInput(body, {})
  const states = await ctx.storage.read((view) => listStreamStates(view))
  return {
    ShardLimit: accountShardLimit,
    OpenShardCount: states.reduce((sum, state) => sum + openShards(state).length, 0),
    OnDemandStreamCount: states.filter((state) => state.mode === 'ON_DEMAND').length,
    OnDemandStreamCountLimit: onDemandStreamCountLimit,
  }
}
