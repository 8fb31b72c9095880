/**
 * GET /_eddydb/metrics (JSON) and GET /metrics (Prometheus text). Unsigned, like the status
 * route: counts and latencies, never items.
 */
import type { PathRoute, RestReply } from '../http/server.js'
import { metricsJson, metricsPrometheus } from './exposition.js'
import type { MetricsRegistry } from './registry.js'

export const metricsJsonPath = '/_eddydb/metrics'
export const metricsPrometheusPath = '/metrics'

export function metricsRoutes(registry: MetricsRegistry): PathRoute[] {
  return [
    getOnly(metricsJsonPath, () => ({ status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(metricsJson(registry)) })),
    getOnly(metricsPrometheusPath, () => ({
      status: 200, headers: { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }, body: metricsPrometheus(registry),
    })),
  ]
}

function getOnly(path: string, reply: () => RestReply): PathRoute {
  return {
    prefix: path,
    async handle(request) {
      if (request.path !== path) return { status: 404 }
      if (request.method !== 'GET') return { status: 405, headers: { Allow: 'GET' } }
      return reply()
    },
  }
}
