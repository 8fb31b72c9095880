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
import { lockDataDir, type DataDirLock } from './storage/data-dir-lock.js'
import { StartupError, reasonOf } from './startup-error.js'
import { checkFunctions } from './triggers/functions-config.js'
import { withRequestLog, withRouteLog } from './api/request-log.js'
import { statusRoute } from './status-route.js'
import { backupServiceFactory } from './backups/service.js'
import { asOfRoute } from './history/as-of-route.js'

export interface RunningServer {
  url: string
  port: number
  regions: Regions
  /** DAX clusters created through the management API (AmazonDAXV3) on this server. */
  daxClusters: DaxClusters
  /** Sections the status route (GET /_eddydb/status) adds, e.g. the CLI's embedded DAX node. */
  statusSections: Map<string, () => unknown>
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
  checkFunctions(config.functions)
  // Before anything opens a region file: a second server on this directory stops here.
  // A database URL has no data directory to guard: many nodes may share one database.
  const lock = config.inMemory || config.storageUrl ? undefined : lockDataDir(config.dataDir)
  try {
    return await startOnLockedDirectory(config, options, log, lock)
  } catch (error) {
    lock?.release()
    throw error
  }
}

async function startOnLockedDirectory(config: Config, options: StartOptions, log: Logger, lock: DataDirLock | undefined): Promise<RunningServer> {
  const triggers = new Triggers()
  const regions = new Regions({ config, clock: options.clock ?? systemClock, log, backgroundServices: backgroundServices(triggers) })
  // Open the default region up front so a broken data directory fails at start, not on the first request.
  try {
    await regions.get(config.defaultRegion)
  } catch (error) {
    await regions.close()
    const where = config.inMemory ? 'in-memory storage' : `the data file of ${config.defaultRegion} in ${config.dataDir}`
    throw new StartupError(`cannot open ${where}: ${reasonOf(error)}`)
  }
  const dax = createDaxManagement({
    upstreamFor: (region) => createInProcessUpstream({ regions, region }),
    host: config.host,
    cacheSizeBytes: daxClusterCacheBytes,
    clock: options.clock ?? systemClock,
    log,
  })
  const dispatch = withRequestLog(createDispatcher({
    services: {
      DynamoDB_20120810: dynamoDbOperations,
      DynamoDBStreams_20120810: dynamoDbStreamsOperations,
      AmazonDAXV3: dax.operations,
    },
    regions,
    defaultRegion: config.defaultRegion,
  }), log, config.defaultRegion)
  let url = ''
  const statusSections = new Map<string, () => unknown>()
  const status = statusRoute({ config, regions, triggers, daxClusters: dax.clusters, url: () => url, extraSections: statusSections })
  const routes = [...pathRoutes(regions, config, triggers), status].map((route) => withRouteLog(route, log, config.defaultRegion))
  const http = createHttpServer({
    dispatch, routes, log, healthText: `healthy: dynamodb.${config.defaultRegion}.amazonaws.com `,
    corsOrigins: config.cors?.split(','),
  })
  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject)
      http.listen(config.port, config.host, () => resolve())
    })
  } catch (error) {
    await dax.clusters.close()
    await regions.close()
    throw listenError(error, config.host, config.port)
  }
  const port = (http.address() as AddressInfo).port
  url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`
  triggers.serverUrl = url
  log.info('listening', { url, dataDir: config.inMemory ? null : config.dataDir, sharedRegions: config.sharedRegions || undefined })
  let closing: Promise<void> | undefined
  return {
    url,
    port,
    regions,
    daxClusters: dax.clusters,
    statusSections,
    close: () => (closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => http.close(() => resolve()))
      http.closeIdleConnections()
      await stopped
      await dax.clusters.close()
      await regions.close()
      lock?.release()
      log.info('stopped')
    })()),
  }
}

/** A listen failure as one line saying what to change; `flag` names the option that sets the port. */
export function listenError(error: unknown, host: string, port: number, flag = '--port'): Error {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'EADDRINUSE') return new StartupError(`port ${port} on ${host} is already in use (another server?); choose another with ${flag}`)
  if (code === 'EACCES') return new StartupError(`not allowed to listen on port ${port} (ports below 1024 need privileges); choose another with ${flag}`)
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new StartupError(`cannot listen on ${host}: not an address of this machine; fix --host`)
  return error as Error
}

/** REST APIs served by path on the same port (Lambda's event source mappings, ...). */
function pathRoutes(regions: Regions, config: Config, triggers: Triggers): PathRoute[] {
  return [triggers.route(regions, config.defaultRegion), expireNowRoute(regions), asOfRoute(regions, config.defaultRegion)]
}

/** Work each region runs in the background; change-log readers register here. */
function backgroundServices(triggers: Triggers): BackgroundServiceFactory[] {
  return [ttlSweeperFactory, changeLogRetention(), triggers.backgroundService, backupServiceFactory]
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
