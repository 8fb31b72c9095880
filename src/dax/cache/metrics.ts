/**
 * Counters under DAX's CloudWatch metric names (spec A8), as a JSON-ready record and as
 * Prometheus text. Only what a local node can know is counted: no CPU or network metrics.
 */
import { DynamoError } from '../../errors.js'

export const counterNames = [
  'TotalRequestCount', 'ErrorRequestCount', 'FaultRequestCount', 'FailedRequestCount', 'ThrottledRequestCount',
  'ItemCacheHits', 'ItemCacheMisses', 'QueryCacheHits', 'QueryCacheMisses', 'ScanCacheHits', 'ScanCacheMisses',
  'GetItemRequestCount', 'BatchGetItemRequestCount', 'BatchWriteItemRequestCount', 'DeleteItemRequestCount',
  'PutItemRequestCount', 'UpdateItemRequestCount', 'QueryRequestCount', 'ScanRequestCount',
  'TransactWriteItemsCount', 'TransactGetItemsCount',
] as const

export type CounterName = (typeof counterNames)[number]

/** Operation name → its per-operation request counter. */
const requestCounters: Record<string, CounterName> = {
  GetItem: 'GetItemRequestCount', BatchGetItem: 'BatchGetItemRequestCount',
  BatchWriteItem: 'BatchWriteItemRequestCount', DeleteItem: 'DeleteItemRequestCount',
  PutItem: 'PutItemRequestCount', UpdateItem: 'UpdateItemRequestCount', Query: 'QueryRequestCount',
  Scan: 'ScanRequestCount', TransactWriteItems: 'TransactWriteItemsCount', TransactGetItems: 'TransactGetItemsCount',
}

/** Errors DAX counts as throttles (ThrottledRequestCount) as well as user errors. */
const throttleTypes = new Set(['ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded'])

export interface CacheGauges {
  /** Bytes held by both caches (EstimatedDbSize). */
  usedBytes: number
  capacityBytes: number
  evictedBytes: number
  itemCount: number
}

export class DaxMetrics {
  readonly #counters = new Map<CounterName, number>(counterNames.map((name) => [name, 0]))

  add(name: CounterName, amount = 1): void {
    this.#counters.set(name, this.#counters.get(name)! + amount)
  }

  countRequest(operation: string): void {
    this.add('TotalRequestCount')
    const counter = requestCounters[operation]
    if (counter) this.add(counter)
  }

  /** User errors (4xx) are ErrorRequestCount, internal ones FaultRequestCount; both are failed. */
  countError(error: unknown): void {
    this.add('FailedRequestCount')
    const isUserError = error instanceof DynamoError
      ? error.fault === 'client'
      : typeof (error as { statusCode?: unknown })?.statusCode === 'number' && (error as { statusCode: number }).statusCode < 500
    this.add(isUserError ? 'ErrorRequestCount' : 'FaultRequestCount')
    const type = (error as { type?: unknown })?.type
    if (typeof type === 'string' && throttleTypes.has(type)) this.add('ThrottledRequestCount')
  }

  reset(): void {
    for (const name of counterNames) this.#counters.set(name, 0)
  }

  snapshot(gauges: CacheGauges): Record<string, number> {
    const result: Record<string, number> = Object.fromEntries(this.#counters)
    result.EvictedSize = gauges.evictedBytes
    result.EstimatedDbSize = gauges.usedBytes
    result.CacheMemoryUtilization = gauges.capacityBytes === 0 ? 0 : (100 * gauges.usedBytes) / gauges.capacityBytes
    result.CachedEntryCount = gauges.itemCount
    return result
  }
}

/**
 * Prometheus text exposition of a stats record: metric names become dax_<snake_case>; labels
 * name the cluster and node (as CloudWatch's ClusterId and NodeId dimensions do).
 */
export function prometheusText(stats: Record<string, number>, labels: Record<string, string>): string {
  const labelText = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabel(value)}"`).join(',')
  let text = ''
  for (const [name, value] of Object.entries(stats)) {
    const metric = daxMetricName(name)
    text += `# HELP ${metric} DAX metric ${name}\n# TYPE ${metric} ${daxMetricKind(name)}\n${metric}{${labelText}} ${value}\n`
  }
  return text
}

/** A DAX stat's Prometheus name: dax_<snake_case>. */
export function daxMetricName(name: string): string {
  return `dax_${name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()}`
}

export function daxMetricKind(name: string): 'counter' | 'gauge' {
  return /Count$|Hits$|Misses$|^EvictedSize$/.test(name) ? 'counter' : 'gauge'
}

export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}
