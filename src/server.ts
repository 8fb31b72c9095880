/**
 * Wires the parts together: config → regions → dispatcher → HTTP server. Holds no logic of its own.
 */
import type { AddressInfo } from 'node:net'
import { createDispatcher } from './api/dispatch.js'
import { dynamoDbOperations } from './api/operations.js'
import { systemClock, type BackgroundServiceFactory, type Clock } from './api/context.js'
import { defaultConfig, type Config } from './config.js'
import { createHttpServer, type PathRoute } from './http/server.js'
import { createLogger, type Logger } from './log.js'
import { Regions } from './regions.js'
import { createDaxManagement, type DaxClusters } from './dax/management/index.js'
import { createInProcessUpstream } from './dax/upstream/in-process.js'
import { Triggers } from './triggers/service.js'
import { changeLogRetention } from './changes/retention.js'
import { dynamoDbStreamsOperations } from './streams/operations.js'
import { expireNowRoute } from './ttl/expire-now-route.js'
import { ttlSweeperFactory } from './ttl/sweeper.js'

export interface RunningServer {
  url: string
  port: number
  regions: Regions
  /** DAX clusters created through the management API (AmazonDAXV3) on this server. */
  daxClusters: DaxClusters
  /** Stops accepting, lets in-flight requests finish, then closes storage. */
  close(): Promise<void>
}

/** Memory budget of each node of a DAX cluster created through the management API. */
const daxClusterCacheBytes = 256 * 1024 * 1024

export interface StartOptions extends Partial<Config> {
  clock?: Clock
  log?: Logger
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const config: Config = { ...defaultConfig, ...stripUndefined(options) }
  const log = options.log ?? createLogger(config.logLevel)
  const triggers = new Triggers()
  const regions = new Regions({ config, clock: options.clock ?? systemClock, log, backgroundServices: backgroundServices(triggers) })
  // Open the default region up front so a broken data directory fails at start, not on the first request.
  await regions.get(config.defaultRegion)
  const dax = createDaxManagement({
    upstreamFor: (region) => createInProcessUpstream({ regions, region }),
    host: config.host,
    cacheSizeBytes: daxClusterCacheBytes,
    clock: options.clock ?? systemClock,
    log,
  })
  const dispatch = createDispatcher({
    services: {
      DynamoDB_20120810: dynamoDbOperations,
      DynamoDBStreams_20120810: dynamoDbStreamsOperations,
      AmazonDAXV3: dax.operations,
    },
    regions,
    defaultRegion: config.defaultRegion,
  })
  const http = createHttpServer({
    dispatch, routes: pathRoutes(regions, config, triggers), log,
    healthText: `healthy: dynamodb.${config.defaultRegion}.amazonaws.com `, corsOrigins: config.cors?.split(','),
  })
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(config.port, config.host, () => resolve())
  })
  const port = (http.address() as AddressInfo).port
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`
  log.info('listening', { url, dataDir: config.inMemory ? null : config.dataDir })
  let closing: Promise<void> | undefined
  return {
    url,
    port,
    regions,
    daxClusters: dax.clusters,
    close: () => (closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => http.close(() => resolve()))
      http.closeIdleConnections()
      await stopped
      await dax.clusters.close()
      await regions.close()
      log.info('stopped')
    })()),
  }
}

/** REST APIs served by path on the same port (Lambda's event source mappings, ...). */
function pathRoutes(regions: Regions, config: Config, triggers: Triggers): PathRoute[] {
  return [triggers.route(regions, config.defaultRegion), expireNowRoute(regions)]
}

/** Work each region runs in the background; change-log readers register here. */
function backgroundServices(triggers: Triggers): BackgroundServiceFactory[] {
  return [ttlSweeperFactory, changeLogRetention(), triggers.backgroundService]
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
