/**
 * The Metrics page's series (src/console/ui/metrics-series.js): request rates and mean latencies
 * are differences of cumulative counters between two readings of GET /_eddydb/metrics. A
 * restarted server starts its counters from 0 again, and the chart used to draw the drop as a
 * negative request rate. A counter that went down has been reset: the interval counts from 0.
 * The module is pure (no DOM), loaded here as the browser loads it.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { importConsoleModule } from './browser.js'

interface Operation { service: string; operation: string; count: number; latencySumMs: number }
interface Reading { timeMs: number; operations: Operation[]; dax: { labels: Record<string, string>; values: Record<string, number> }[] }
interface Series { times: number[]; rate: Map<string, (number | null)[]>; latency: Map<string, (number | null)[]>; itemHits: (number | null)[] }

const { seriesOf } = await importConsoleModule<{ seriesOf(readings: Reading[]): Series }>('metrics-series.js')

const putItem = (count: number, latencySumMs: number): Operation => ({ service: 'DynamoDB_20120810', operation: 'PutItem', count, latencySumMs })
const daxNode = (hits: number, misses: number) => ({ labels: { node: 'n1' }, values: { ItemCacheHits: hits, ItemCacheMisses: misses } })
const reading = (second: number, operation: Operation, dax = [daxNode(0, 0)]): Reading => ({ timeMs: second * 1000, operations: [operation], dax })

test('rates and latencies are the increase between readings', () => {
  const { rate, latency } = seriesOf([reading(0, putItem(10, 50)), reading(1, putItem(14, 70)), reading(3, putItem(18, 110))])
  assert.deepEqual(rate.get('PutItem'), [4, 2])
  assert.deepEqual(latency.get('PutItem'), [5, 10])
})

test('a counter that went down (a restarted server) counts from zero, never as a negative rate', () => {
  // 500 requests before the restart, 3 after it (taking 6 ms), then 2 more.
  const { rate, latency, itemHits } = seriesOf([
    reading(0, putItem(500, 900), [daxNode(80, 20)]),
    reading(1, putItem(3, 6), [daxNode(1, 3)]),
    reading(2, putItem(5, 10), [daxNode(2, 3)]),
  ])
  assert.deepEqual(rate.get('PutItem'), [3, 2])
  assert.deepEqual(latency.get('PutItem'), [2, 2])
  // The DAX node restarted too: 1 hit and 3 misses since, then 1 hit.
  assert.deepEqual(itemHits, [25, 100])
})
