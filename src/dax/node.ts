/**
 * A DAX node: one caching executor (item cache + query cache) in front of an upstream, served over
 * the DAX wire protocol (plain TCP, or TLS only when options.tls is set) and, optionally, over the
 * DynamoDB JSON API on HTTP. Both listeners share
 * the executor, so a write through either is seen by reads through both.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CachingExecutor } from './cache/caching-executor.js'
import { createDaxHttpServer } from './http/endpoint.js'
import { defaultClusterArn } from '../security/dax-authorize.js'
import type {
  DaxNodeOptions, RunningDaxNode, RunningDaxWireServer, StartDaxNode, StartDaxWireServer,
} from './node-api.js'

/** A wirePort below 0 starts no wire listener (an HTTP-only node; RunningDaxNode.wirePort is then -1). */
export const noWireListener = -1

export const startDaxNode: StartDaxNode = async (options: DaxNodeOptions): Promise<RunningDaxNode> => {
  const executor = new CachingExecutor({
    upstream: options.upstream, settings: options.settings, clock: options.clock, log: options.log, onItemFill: options.onItemFill,
  })
  const clusterArn = options.clusterArn ?? defaultClusterArn(options.clusterName)
  let wire: RunningDaxWireServer | undefined
  let http: Server | undefined
  try {
    if (options.wirePort >= 0) {
      const startDaxWireServer = await loadWireServer()
      wire = await startDaxWireServer({
        host: options.host, port: options.wirePort, tls: options.tls, executor, endpoints: options.endpoints,
        log: options.log, keyFor: options.access?.keyFor, clusterArn,
      } as Parameters<StartDaxWireServer>[0])
    }
    if (options.httpPort !== undefined) {
      http = createDaxHttpServer({
        executor,
        stats: () => executor.stats(),
        metricLabels: { cluster: options.clusterName, node: options.nodeId, role: options.role },
        region: 'local',
        log: options.log,
        authenticator: options.access?.authenticator,
        clusterArn,
        allowedHosts: [options.host],
      })
      await listen(http, options.httpPort, options.host)
    }
  } catch (error) {
    await wire?.close()
    if (http?.listening) await closeHttp(http)
    throw error
  }
  const httpPort = http ? (http.address() as AddressInfo).port : undefined
  options.log.info('dax node listening', { cluster: options.clusterName, node: options.nodeId, wirePort: wire?.port, httpPort })
  let closing: Promise<void> | undefined
  return {
    options,
    wirePort: wire?.port ?? noWireListener,
    httpPort,
    executor,
    stats: () => executor.stats(),
    updateSettings: (settings) => executor.updateSettings(settings),
    applyItemFill: (cacheKey, item, readAtMs) => executor.applyReplicatedFill(cacheKey, item, readAtMs),
    clear: () => executor.clear(),
    close: () => (closing ??= (async () => {
      await Promise.all([wire?.close(), http ? closeHttp(http) : undefined])
    })()),
  }
}

/** The wire server is its own module (src/dax/wire/server.ts); loaded only when a node needs it. */
async function loadWireServer(): Promise<StartDaxWireServer> {
  const module = await import('./wire/server.js') as { startDaxWireServer?: StartDaxWireServer }
  if (typeof module.startDaxWireServer !== 'function') {
    throw new Error('src/dax/wire/server.ts does not export startDaxWireServer')
  }
  return module.startDaxWireServer
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

function closeHttp(server: Server): Promise<void> {
  const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
  server.closeIdleConnections()
  return stopped
}
