// What the Metrics page charts, from readings of GET /_eddydb/metrics: per operation, the request
// rate and mean latency over each interval between two readings, and the DAX cache hit rates.
// Pure (no DOM), so that a test can load it as the browser does.

export const operationName = (each) => (each.service === 'DynamoDB_20120810' ? each.operation : `${each.service.replace(/_\d+$/, '')}.${each.operation}`)

/**
 * How much a cumulative counter grew from one reading to the next. A restarted server (or DAX
 * node) starts its counters from 0 again: a counter that went down was reset, and all it holds now
 * came after the reset, never a negative increase.
 */
export const increaseOf = (before, after) => (after >= before ? after - before : after)

/** Readings → one row per chart: times, and per operation rate and mean latency over each interval. */
export function seriesOf(readings) {
  const times = []
  const rate = new Map()
  const latency = new Map()
  const itemHits = []
  const queryHits = []
  for (let at = 1; at < readings.length; at++) {
    const [before, after] = [readings[at - 1], readings[at]]
    const seconds = (after.timeMs - before.timeMs) / 1000
    times.push(after.timeMs / 1000)
    const previous = new Map(before.operations.map((each) => [operationName(each), each]))
    for (const each of after.operations) {
      const name = operationName(each)
      const old = previous.get(name) ?? { count: 0, latencySumMs: 0 }
      // The count and the latency sum reset together: both count from 0 when the count went down.
      const reset = each.count < old.count
      const calls = reset ? each.count : each.count - old.count
      const latencyMs = reset ? each.latencySumMs : each.latencySumMs - old.latencySumMs
      if (!rate.has(name)) { rate.set(name, new Array(times.length - 1).fill(null)); latency.set(name, new Array(times.length - 1).fill(null)) }
      rate.get(name).push(calls / seconds)
      latency.get(name).push(calls > 0 ? latencyMs / calls : null)
    }
    for (const [name, values] of rate) if (values.length < times.length) { values.push(0); latency.get(name).push(null) }
    itemHits.push(hitRate(before.dax, after.dax, 'ItemCache'))
    queryHits.push(hitRate(before.dax, after.dax, 'QueryCache'))
  }
  return { times, rate, latency, itemHits, queryHits }
}

/** Hits as a percentage of lookups between two readings, over every DAX node; null without lookups. */
function hitRate(before = [], after = [], cache) {
  const sum = (samples, name) => samples.reduce((total, sample) => total + (sample.values[name] ?? 0), 0)
  const hits = increaseOf(sum(before, `${cache}Hits`), sum(after, `${cache}Hits`))
  const misses = increaseOf(sum(before, `${cache}Misses`), sum(after, `${cache}Misses`))
  return hits + misses > 0 ? (100 * hits) / (hits + misses) : null
}
