// Live charts from GET /_eddydb/metrics: request rate and latency per operation, DAX cache hit
// rates. Polled every second; rates are differences between two readings (metrics-series.js).
import { useState } from 'preact/hooks'
import { html } from '../html.js'
import { serverMetrics } from '../api.js'
import { ErrorMessage, formatBytes, useInterval } from '../components.js'
import { Chart } from '../chart.js'
import { operationName, seriesOf } from '../metrics-series.js'

const pollMs = 1000
const pointsKept = 120
const windowSeconds = (pointsKept * pollMs) / 1000

export function MetricsPage({ region }) {
  const [readings, setReadings] = useState([])
  const [error, setError] = useState()
  useInterval(async () => {
    try {
      const reading = await serverMetrics(region)
      setReadings((current) => [...current, reading].slice(-(pointsKept + 1)))
      setError(undefined)
    } catch (caught) {
      setError(caught)
    }
  }, pollMs, [region])
  const latest = readings[readings.length - 1]
  const { times, rate, latency, itemHits, queryHits } = seriesOf(readings)
  // The ten busiest operations get a line each; the rest are summed into "other".
  const busiest = [...rate.keys()].sort((a, b) => sumOf(rate.get(b)) - sumOf(rate.get(a))).slice(0, 10)
  const pick = (map) => new Map(busiest.map((name) => [name, map.get(name)]))
  const dax = latest?.dax ?? []
  return html`
    <div class="page-head"><h1>Metrics</h1><span class="muted">live, every second · also at <a href="/metrics">/metrics</a> (Prometheus) and <a href="/_eddydb/metrics">/_eddydb/metrics</a></span></div>
    <${ErrorMessage} error=${error} />
    <div class="charts">
      <${Chart} windowSeconds=${windowSeconds} title="Requests per second" unit="req/s" times=${times} series=${pick(rate)} />
      <${Chart} windowSeconds=${windowSeconds} title="Mean latency (ms)" unit="ms" times=${times} series=${pick(latency)} />
      ${dax.length > 0 && html`<${Chart} windowSeconds=${windowSeconds} title="DAX cache hit rate (%)" unit="%" times=${times} series=${new Map([['Item cache', itemHits], ['Query cache', queryHits]])} />`}
    </div>
    ${latest && html`
      <h2>Operations since start</h2>
      <div class="table-scroll"><table class="grid" aria-label="Operations">
        <thead><tr><th>Operation</th><th class="num">Requests</th><th class="num">Errors</th><th class="num">Mean ms</th><th class="num">p50 ms</th><th class="num">p99 ms</th></tr></thead>
        <tbody>${latest.operations.map((each) => html`<tr>
          <td>${operationName(each)}</td><td class="num">${each.count}</td><td class="num">${each.errors}</td>
          <td class="num">${(each.latencySumMs / each.count).toFixed(2)}</td>
          <td class="num">${quantile(latest.latencyBucketsMs, each.latencyCounts, 0.5)}</td>
          <td class="num">${quantile(latest.latencyBucketsMs, each.latencyCounts, 0.99)}</td>
        </tr>`)}</tbody>
      </table></div>
      ${dax.length > 0 && html`<h2>DAX nodes</h2>
        <div class="table-scroll"><table class="grid" aria-label="DAX nodes">
          <thead><tr><th>Node</th><th class="num">Item hits</th><th class="num">Item misses</th><th class="num">Query hits</th><th class="num">Query misses</th><th class="num">Memory</th><th class="num">Entries</th></tr></thead>
          <tbody>${dax.map((sample) => html`<tr>
            <td>${Object.values(sample.labels).join(' / ')}</td>
            <td class="num">${sample.values.ItemCacheHits}</td><td class="num">${sample.values.ItemCacheMisses}</td>
            <td class="num">${sample.values.QueryCacheHits}</td><td class="num">${sample.values.QueryCacheMisses}</td>
            <td class="num">${formatBytes(sample.values.EstimatedDbSize)} (${sample.values.CacheMemoryUtilization.toFixed(1)}%)</td>
            <td class="num">${sample.values.CachedEntryCount}</td>
          </tr>`)}</tbody>
        </table></div>`}`}`
}

const sumOf = (values) => values.reduce((total, value) => total + (value ?? 0), 0)

/** The bucket bound a quantile falls under ("≤ 5"), from a histogram. */
function quantile(bounds, counts, q) {
  const total = counts.reduce((sum, count) => sum + count, 0)
  if (total === 0) return ''
  let seen = 0
  for (let at = 0; at < counts.length; at++) {
    seen += counts[at]
    if (seen >= q * total) return at < bounds.length ? `≤ ${bounds[at]}` : `> ${bounds[bounds.length - 1]}`
  }
  return ''
}
