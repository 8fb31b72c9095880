/**
 * Wires the parts together: config → regions → dispatcher → HTTP server. Holds no logic of its own.
 */
import { join } from 'node:path'
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
import { dynamoDbStreamsOperations } from './streams/operations.js'
import { expireNowRoute } from './ttl/expire-now-route.js'
import { lockDataDir, type DataDirLock } from './storage/data-dir-lock.js'
import { StartupError, reasonOf } from './startup-error.js'
import { checkFunctions } from './triggers/functions-config.js'
import { withRequestLog, withRouteLog } from './api/request-log.js'
import { statusRoute } from './status-route.js'
import type { ServerAccess } from './security/access.js'
import { accessFromConfig, tlsFromConfig, type TlsFiles } from './security/startup.js'
import { guardedRoute } from './security/guarded-route.js'
import { describeTarget, isPostgresUrl } from './storage/postgres/url.js'
import { poolSizeMin } from './storage/postgres/database.js'
import { storageInUse } from './storage/open.js'
import { GlobalTables } from './replication/global-tables.js'
import { replicationRoute } from './replication/peer-route.js'
import { MetricsRegistry } from './metrics/registry.js'
import { withMetrics } from './metrics/record.js'
import { metricsRoutes } from './metrics/route.js'
import { daxClusterSource } from './metrics/dax-source.js'
import { replicationSource } from './metrics/replication-source.js'
import { consoleEnabled, consoleRoute } from './console/route.js'
import { kinesisOperations, kinesisTargetPrefix } from './kinesis/operations.js'
import { asOfRoute } from './history/as-of-route.js'
import { copyBackupRoute } from './backups/copy-route.js'
import { startedAfterImport } from './lazy-require.js'
import { attributeListFile, attributeListFileName } from './dax/attribute-list-file.js'

export interface RunningServer {
  url: string
  port: number
  regions: Regions
  /** DAX clusters created through the management API (AmazonDAXV3) on this server. */
  daxClusters: DaxClusters
  /** Sections the status route (GET /_eddydb/status) adds, e.g. the CLI's embedded DAX node. */
  statusSections: Map<string, () => unknown>
  /** Who may call: the embedded DAX node checks callers with it too. */
  access: ServerAccess
  /** Global tables: replicationStatus() gives each replica pair's lag and backlog (for /metrics). */
  globalTables: GlobalTables
  /** Request counts and latencies, and the sources (DAX nodes) GET /_eddydb/metrics and /metrics show. */
  metrics: MetricsRegistry
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
  const access = accessFromConfig(config, () => (options.clock ?? systemClock).now())
  const tls = tlsFromConfig(config)
  if (config.storageUrl !== undefined && !isPostgresUrl(config.storageUrl)) {
    throw new StartupError(`--storage-url must be a PostgreSQL URL (postgresql://user@host:5432/database), not ${describeTarget(config.storageUrl)}`)
  }
  if (config.storagePoolSize < poolSizeMin) {
    throw new StartupError(`--storage-pool-size must be at least ${poolSizeMin} (one connection for transactions, one for reads), not ${config.storagePoolSize}`)
  }
  // Before anything opens a region file: a second server on this directory stops here.
  // A database URL has no data directory to guard: many nodes may share one database.
  const lock = config.inMemory || config.storageUrl ? undefined : lockDataDir(config.dataDir)
  // DAX clients keep attribute-list ids across restarts of the server: they are kept beside the data.
  if (lock) attributeListFile.path ??= join(config.dataDir, attributeListFileName)
  try {
    return await startOnLockedDirectory(config, options, log, lock, access, tls)
  } catch (error) {
    lock?.release()
    throw error
  }
}

async function startOnLockedDirectory(config: Config, options: StartOptions, log: Logger, lock: DataDirLock | undefined,
  access: ServerAccess, tls: TlsFiles | undefined): Promise<RunningServer> {
  const triggers = new Triggers()
  const globalTables = new GlobalTables(config, log)
  if (access.peerAuth) globalTables.auth = access.peerAuth
  const regions = new Regions({
    config, clock: options.clock ?? systemClock, log, globalTables,
    backgroundServices: [...backgroundServices(triggers), globalTables.backgroundService],
  })
  globalTables.attach(regions)
  // Open the default region up front so a broken data directory fails at start, not on the first request.
  try {
    await regions.get(config.defaultRegion)
  } catch (error) {
    await regions.close()
    const where = config.storageUrl !== undefined
      ? `the PostgreSQL storage of ${config.defaultRegion} at ${describeTarget(config.storageUrl)}`
      : config.inMemory ? 'in-memory storage' : `the data file of ${config.defaultRegion} in ${config.dataDir}`
    throw new StartupError(`cannot open ${where}: ${reasonOf(error)}`)
  }
  await globalTables.resume()
  const dax = createDaxManagement({
    upstreamFor: (region, accountId) => createInProcessUpstream({ regions, region, accountId }),
    host: config.host,
    cacheSizeBytes: daxClusterCacheBytes,
    clock: options.clock ?? systemClock,
    log,
    access,
  })
  const services = {
    DynamoDB_20120810: dynamoDbOperations,
    DynamoDBStreams_20120810: dynamoDbStreamsOperations,
    AmazonDAXV3: dax.operations,
    [kinesisTargetPrefix]: kinesisOperations,
  }
  const metrics = new MetricsRegistry(Object.fromEntries(Object.entries(services).map(([prefix, operations]) => [prefix, Object.keys(operations)])))
  metrics.addSource(daxClusterSource(regions, dax.clusters))
  metrics.addSource(replicationSource(globalTables))
  const dispatch = withRequestLog(withMetrics(createDispatcher({
    services,
    regions,
    defaultRegion: config.defaultRegion,
    authenticator: access.authenticator,
  }), metrics), log, config.defaultRegion)
  let url = ''
  const statusSections = new Map<string, () => unknown>([['replication', () => globalTables.replicationStatus()]])
  const status = guardedRoute(statusRoute({ config, regions, triggers, daxClusters: dax.clusters, url: () => url, extraSections: statusSections }), access.authenticator, config.accountId)
  const replication = guardedRoute(replicationRoute(globalTables), access.authenticator, config.accountId)
  const metricRoutes = metricsRoutes(metrics).map((route) => guardedRoute(route, access.authenticator, config.accountId))
  // The console's own files are public, like any web page; everything it reads goes through signed APIs.
  const consoleRoutes = consoleEnabled(config.console, config.host) ? [consoleRoute()] : []
  const routes = [...pathRoutes(regions, config, triggers, access), status, replication, ...metricRoutes, ...consoleRoutes]
    .map((route) => withRouteLog(route, log, config.defaultRegion))
  const http = createHttpServer({
    dispatch, routes, log, healthText: `healthy: dynamodb.${config.defaultRegion}.amazonaws.com `,
    corsOrigins: config.cors?.split(','), allowedHosts: [config.host, ...config.allowedHosts], tls, connectionsMax: config.maxConnections,
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
  url = `${tls ? 'https' : 'http'}://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`
  triggers.serverUrl = url
  log.info('listening', {
    url, storage: storageInUse(config), sharedRegions: config.sharedRegions || undefined,
    console: consoleRoutes.length > 0 ? `${url}/console/` : undefined,
  })
  let closing: Promise<void> | undefined
  return {
    url,
    port,
    regions,
    daxClusters: dax.clusters,
    statusSections,
    access,
    globalTables,
    metrics,
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
function pathRoutes(regions: Regions, config: Config, triggers: Triggers, access: ServerAccess): PathRoute[] {
  return [
    ...triggers.routes(regions, config.defaultRegion, access.authenticator),
    guardedRoute(expireNowRoute(regions), access.authenticator, config.accountId),
    guardedRoute(asOfRoute(regions, config.defaultRegion), access.authenticator, config.accountId),
    guardedRoute(copyBackupRoute(regions), access.authenticator, config.accountId),
  ]
}

/**
 * Work each region runs in the background; change-log readers register here. Each is imported
 * when its region starts it, so that none delays the server's first answer.
 */
function backgroundServices(triggers: Triggers): BackgroundServiceFactory[] {
  return [
    startedAfterImport(async () => (await import('./ttl/sweeper.js')).ttlSweeperFactory),
    startedAfterImport(async () => (await import('./changes/retention.js')).changeLogRetention()),
    triggers.backgroundService,
    startedAfterImport(async () => (await import('./backups/service.js')).backupServiceFactory),
    startedAfterImport(async () => (await import('./kinesis/retention.js')).kinesisRetentionFactory),
    startedAfterImport(async () => (await import('./kinesis/destination-forwarder.js')).kinesisDestinationFactory),
    startedAfterImport(async () => (await import('./s3/service.js')).transferServiceFactory),
  ]
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
