/**
 * Records every API request in the metrics registry: one map lookup, two clock reads and a few
 * counter increments. Wraps the dispatcher, so it sees exactly what the request log sees.
 */
import { performance } from 'node:perf_hooks'
import type { Dispatch } from '../http/server.js'
import type { MetricsRegistry } from './registry.js'

export function withMetrics(dispatch: Dispatch, registry: MetricsRegistry): Dispatch {
  return async (request) => {
    const metrics = registry.forTarget(request.target)
    const startedMs = performance.now()
    try {
      const text = await dispatch(request)
      metrics.record(performance.now() - startedMs, false)
      return text
    } catch (error) {
      metrics.record(performance.now() - startedMs, true)
      throw error
    }
  }
}
