/**
 * The registry as JSON (GET /_eddydb/metrics, what the console charts read) and as Prometheus
 * text (GET /metrics). Both are built only when asked for.
 */
import { daxMetricKind, daxMetricName, escapeLabel } from '../dax/cache/metrics.js'
import { daxSourceName } from './dax-source.js'
import { latencyBucketsMs, type MetricsRegistry } from './registry.js'

export function metricsJson(registry: MetricsRegistry): Record<string, unknown> {
  const sources: Record<string, unknown> = {}
  for (const { name, samples } of registry.sources()) sources[name] = [...(sources[name] as unknown[] ?? []), ...samples]
  return {
    timeMs: Date.now(),
    uptimeSeconds: (Date.now() - registry.startedAtMs) / 1000,
    latencyBucketsMs,
    operations: registry.operations().map((each) => ({
      service: each.service, operation: each.operation, count: each.count, errors: each.errors,
      latencySumMs: each.latencySumMs, latencyCounts: each.latencyCounts,
    })),
    ...sources,
  }
}

export function metricsPrometheus(registry: MetricsRegistry): string {
  const operations = registry.operations()
  const lines: string[] = []
  const family = (name: string, kind: string, help: string) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${kind}`)
  const labelsOf = (labels: Record<string, string>) => Object.entries(labels).map(([name, value]) => `${name}="${escapeLabel(value)}"`).join(',')
  const opLabels = (service: string, operation: string) => labelsOf({ service, operation })
  family('eddydb_requests_total', 'counter', 'API requests answered, by operation')
  for (const each of operations) lines.push(`eddydb_requests_total{${opLabels(each.service, each.operation)}} ${each.count}`)
  family('eddydb_request_errors_total', 'counter', 'API requests answered with an error, by operation')
  for (const each of operations) lines.push(`eddydb_request_errors_total{${opLabels(each.service, each.operation)}} ${each.errors}`)
  family('eddydb_request_duration_seconds', 'histogram', 'API request latency, by operation')
  for (const each of operations) {
    const labels = opLabels(each.service, each.operation)
    let cumulative = 0
    latencyBucketsMs.forEach((boundMs, index) => {
      cumulative += each.latencyCounts[index]!
      lines.push(`eddydb_request_duration_seconds_bucket{${labels},le="${boundMs / 1000}"} ${cumulative}`)
    })
    lines.push(`eddydb_request_duration_seconds_bucket{${labels},le="+Inf"} ${each.count}`)
    lines.push(`eddydb_request_duration_seconds_sum{${labels}} ${each.latencySumMs / 1000}`)
    lines.push(`eddydb_request_duration_seconds_count{${labels}} ${each.count}`)
  }
  for (const { name, samples } of registry.sources()) {
    if (samples.length === 0) continue
    if (name === daxSourceName) {
      // One family per stat, every node's sample under it (a family's HELP/TYPE appear once).
      for (const stat of Object.keys(samples[0]!.values)) {
        const metric = daxMetricName(stat)
        family(metric, daxMetricKind(stat), `DAX metric ${stat}`)
        for (const sample of samples) lines.push(`${metric}{${labelsOf(sample.labels)}} ${sample.values[stat] ?? 0}`)
      }
      continue
    }
    // Other sources (replication): a gauge per stat, named eddydb_<source>_<Stat>; a sample
    // without a value for a stat (no latency yet) is left out of that family.
    const stats = new Set(samples.flatMap((sample) => Object.keys(sample.values)))
    for (const stat of stats) {
      const metric = `eddydb_${name}_${stat}`
      family(metric, 'gauge', `${name} ${stat}`)
      for (const sample of samples) {
        if (sample.values[stat] !== undefined) lines.push(`${metric}{${labelsOf(sample.labels)}} ${sample.values[stat]}`)
      }
    }
  }
  return lines.join('\n') + '\n'
}
