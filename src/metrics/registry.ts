/**
 * The server's one metrics registry: a request count, an error count and a latency histogram
 * per API operation, plus sources that already count for themselves (the DAX nodes, see
 * dax-source.ts), read when someone asks. Recording touches preallocated counters only: the
 * entry for every known operation is built up front, so a request allocates nothing here.
 */

/** Upper bounds of the latency buckets, in milliseconds (the last bucket, +Inf, is implicit). */
export const latencyBucketsMs = [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000] as const

export class OperationMetrics {
  count = 0
  errors = 0
  latencySumMs = 0
  /** Non-cumulative: latencyCounts[i] counts requests in (bucket i-1, bucket i]; the last is +Inf. */
  readonly latencyCounts = new Array<number>(latencyBucketsMs.length + 1).fill(0)

  constructor(readonly service: string, readonly operation: string) {}

  record(latencyMs: number, failed: boolean): void {
    this.count++
    if (failed) this.errors++
    this.latencySumMs += latencyMs
    let bucket = 0
    while (bucket < latencyBucketsMs.length && latencyMs > latencyBucketsMs[bucket]!) bucket++
    this.latencyCounts[bucket]!++
  }
}

/** One labelled set of values a source reports, e.g. one DAX node's counters. */
export interface SourceSample {
  labels: Record<string, string>
  values: Record<string, number>
}

export interface MetricsSource {
  /** The section name in the JSON ('dax') and the Prometheus name prefix. */
  name: string
  collect(): SourceSample[]
}

export class MetricsRegistry {
  readonly startedAtMs = Date.now()
  /** X-Amz-Target → its counters; filled from the served operations, never at request time. */
  readonly #byTarget = new Map<string, OperationMetrics>()
  /** Targets nobody serves share one entry, so junk targets cannot grow the map. */
  readonly #unknown = new OperationMetrics('', 'unknown')
  readonly #sources: MetricsSource[] = []

  /** `services`: target prefix → the names of its operations (the dispatcher's services). */
  constructor(services: Record<string, Iterable<string>>) {
    for (const [prefix, operations] of Object.entries(services)) {
      for (const operation of operations) this.#byTarget.set(`${prefix}.${operation}`, new OperationMetrics(prefix, operation))
    }
  }

  forTarget(target: string): OperationMetrics {
    return this.#byTarget.get(target) ?? this.#unknown
  }

  addSource(source: MetricsSource): void {
    this.#sources.push(source)
  }

  /** Every operation that has been called at least once, and the unknown-target entry if used. */
  operations(): OperationMetrics[] {
    return [...this.#byTarget.values(), this.#unknown].filter((each) => each.count > 0)
  }

  sources(): Array<{ name: string; samples: SourceSample[] }> {
    return this.#sources.map((source) => ({ name: source.name, samples: source.collect() }))
  }
}
