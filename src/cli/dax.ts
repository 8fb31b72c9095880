/**
 * The DAX modes of the eddydb command:
 *  - `eddydb serve --dax [...]`: a DAX node in front of the server's own tables (in-process
 *    upstream), on the DAX wire port 8111 (9111 with TLS) and a DynamoDB JSON endpoint through
 *    the cache on 8112;
 *  - `eddydb dax --upstream URL [...]`: a standalone node in front of any DynamoDB endpoint,
 *    another EddyDB or AWS itself, with requests signed by the configured credentials.
 * src/cli/main.ts calls these; this file only parses flags and starts nodes.
 */
import type { ServerAccess } from '../security/access.js'
import { readFile } from 'node:fs/promises'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { attributeListFile, attributeListFileName } from '../dax/attribute-list-file.js'
import { tlsPairProblem } from '../security/startup.js'
import { ConfigError, defaultConfig, didYouMean, type Config, type PortOrOff } from '../config.js'
import { reasonOf } from '../startup-error.js'
import type { Clock } from '../api/context.js'
import { createLogger, isLogLevel, type Logger } from '../log.js'
import { startDaxNode, noWireListener } from '../dax/node.js'
import type {
  DaxCacheSettings, DaxEndpoint, DaxTlsOptions, DynamoDbExecutor, RunningDaxNode,
} from '../dax/node-api.js'
import { resolveCacheSettings } from '../dax/cache/settings.js'
import { createHttpUpstream } from '../dax/upstream/http.js'
import { createInProcessUpstream, type InProcessUpstreamOptions } from '../dax/upstream/in-process.js'
import { daxClusterArn } from '../security/dax-authorize.js'

export const daxWirePortDefault = 8111
/** AWS DAX clusters with encryption in transit listen on 9111 (`daxs://`). */
export const daxTlsWirePortDefault = 9111
export const daxHttpPortDefault = 8112

/** Where a node listens and how its cache is set up; shared by both modes. */
export interface DaxNodeFlags {
  host: string
  /** The wire port; noWireListener (-1, flag value `off`) starts none. */
  wirePort: number
  /** The DynamoDB JSON endpoint's port; undefined (flag value `off`) starts none. */
  httpPort?: number
  /** PEM files: the wire listener then serves TLS only. Read when the node starts, unless loaded before. */
  tls?: { certFile: string; keyFile: string }
  /** The PEM files' contents, read by withTlsLoaded (so a bad file fails before anything starts). */
  tlsLoaded?: DaxTlsOptions
  settings: DaxCacheSettings
  clusterName: string
}

export interface StandaloneDaxFlags extends DaxNodeFlags {
  upstream: string
  region: string
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
  logLevel: string
  /** Where the node keeps what must outlive it (its DAX attribute lists); memory only when absent. */
  stateDir?: string
}

const cacheFlagHelp = (prefix: string) => `  ${prefix}record-ttl-millis N   item-cache TTL (DAX record-ttl-millis; 0 = never expires; default 300000)
  ${prefix}query-ttl-millis N    query-cache TTL (DAX query-ttl-millis; 0 = no query cache; default 300000)
  ${prefix}cache-size-mb N       memory budget of both caches together (default 256)
  ${prefix}coherent              writes through the node also drop the table's cached queries (not DAX behaviour)`

export const daxCommandUsage = `Usage: eddydb dax --upstream URL [options]

Serves a DAX-compatible cache node in front of any DynamoDB endpoint.

Options:
  --upstream URL          the DynamoDB endpoint (e.g. http://127.0.0.1:8000 or https://dynamodb.us-east-1.amazonaws.com)
  --region R              region of the upstream and of request signing (env AWS_REGION, default us-east-1)
  --access-key-id K       (env AWS_ACCESS_KEY_ID)
  --secret-access-key S   (env AWS_SECRET_ACCESS_KEY); session token from env AWS_SESSION_TOKEN
  --host H                address to bind (default 127.0.0.1)
  --port N|off            DAX wire protocol port (default ${daxWirePortDefault}, ${daxTlsWirePortDefault} with TLS)
  --tls-cert FILE         serve the wire protocol over TLS only (daxs://), with this PEM certificate
  --tls-key FILE          and this PEM private key
  --http-port N|off       DynamoDB JSON API through the cache (default ${daxHttpPortDefault})
  --cluster-name NAME     cluster name reported in metrics (default local)
  --log-level L           debug, info, warn, error or silent (default info)
  --state-dir DIR         keep the attribute-list ids clients learn here, so they outlive a restart (default: memory only)
${cacheFlagHelp('--')}
`

/** The embedded node's flags from the server's config (`--dax-*` or `dax*` keys); undefined without --dax. */
export function embeddedDaxFlags(config: Config): DaxNodeFlags | undefined {
  if (!config.dax) return undefined
  return nodeFlagsOf({
    port: config.daxPort, httpPort: config.daxHttpPort, host: config.daxHost,
    tlsCert: config.daxTlsCert, tlsKey: config.daxTlsKey,
    recordTtlMillis: config.daxRecordTtlMillis, queryTtlMillis: config.daxQueryTtlMillis,
    cacheSizeMb: config.daxCacheSizeMb, coherent: config.daxCoherent,
  }, (option) => `--dax-${option}`)
}

/**
 * Starts the embedded node: the server's own tables, one region, through the cache. Its cluster
 * is arn:aws:dax:<region>:<the server's account>:cache/<--dax-cluster-name>, the resource that
 * dax: policies name.
 */
export async function startEmbeddedDax(
  server: { regions: InProcessUpstreamOptions['regions']; access?: ServerAccess }, flags: DaxNodeFlags,
  options: { region: string; accountId?: string; log: Logger; clock?: Clock },
): Promise<RunningDaxNode> {
  const upstream = createInProcessUpstream({ regions: server.regions, region: options.region })
  const clusterArn = daxClusterArn(options.region, options.accountId ?? defaultConfig.accountId, flags.clusterName)
  return startNode(upstream, flags, options.log, options.clock, server.access, clusterArn)
}

export function parseDaxCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): StandaloneDaxFlags {
  const values: Record<string, string> = {}
  for (let index = 0; index < argv.length; index++) {
    const [flag, inline] = argv[index]!.split(/=(.*)/s, 2) as [string, string | undefined]
    if (!flag.startsWith('--')) throw new ConfigError(`unexpected argument ${flag}`)
    const name = flag.slice(2)
    if (!standaloneOptions.includes(name)) throw new ConfigError(`unknown option ${flag}${didYouMean(flag, standaloneOptions.map((option) => `--${option}`))}`)
    if (flag === '--coherent') { values.coherent = 'true'; continue }
    const value = inline ?? argv[++index]
    // `--upstream --port 1` is a forgotten value, not an upstream named "--port".
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new ConfigError(`${flag} needs a value`)
    values[name] = value
  }
  const { upstream, region, 'access-key-id': accessKeyId, 'secret-access-key': secretAccessKey, 'log-level': logLevel } = values
  if (!upstream) throw new ConfigError('eddydb dax needs --upstream URL')
  try {
    new URL(upstream)
  } catch {
    throw new ConfigError(`--upstream: not a URL: ${upstream}`)
  }
  const level = logLevel ?? 'info'
  if (!isLogLevel(level)) throw new ConfigError(`--log-level: unknown level ${level}`)
  const count = (name: string) => values[name] === undefined ? undefined : integer(values[name]!, `--${name}`)
  return {
    ...nodeFlagsOf({
      port: portOrOff(values.port, '--port'), httpPort: portOrOff(values['http-port'], '--http-port'),
      host: values.host, clusterName: values['cluster-name'], tlsCert: values['tls-cert'], tlsKey: values['tls-key'],
      recordTtlMillis: count('record-ttl-millis'), queryTtlMillis: count('query-ttl-millis'), cacheSizeMb: count('cache-size-mb'),
      coherent: values.coherent === 'true',
    }, (option) => `--${option}`),
    upstream,
    region: region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    // Any key works against EddyDB; AWS needs real ones.
    accessKeyId: accessKeyId ?? env.AWS_ACCESS_KEY_ID ?? 'eddydb',
    secretAccessKey: secretAccessKey ?? env.AWS_SECRET_ACCESS_KEY ?? 'eddydb',
    sessionToken: env.AWS_SESSION_TOKEN,
    logLevel: level,
    stateDir: values['state-dir'],
  }
}

/** The options of `eddydb dax`, without their leading dashes. */
const standaloneOptions = ['upstream', 'region', 'access-key-id', 'secret-access-key', 'log-level', 'port', 'http-port',
  'host', 'cluster-name', 'record-ttl-millis', 'query-ttl-millis', 'cache-size-mb', 'coherent', 'tls-cert', 'tls-key', 'state-dir']

/** `eddydb dax ...`: starts the standalone node; resolves once it listens. */
export async function runDaxCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<RunningDaxNode> {
  const flags = parseDaxCommand(argv, env)
  if (flags.stateDir !== undefined) {
    mkdirSync(flags.stateDir, { recursive: true })
    attributeListFile.path = join(flags.stateDir, attributeListFileName)
  }
  const log = createLogger(flags.logLevel as Parameters<typeof createLogger>[0])
  const upstream = createHttpUpstream({
    endpoint: flags.upstream, region: flags.region,
    credentials: { accessKeyId: flags.accessKeyId, secretAccessKey: flags.secretAccessKey, sessionToken: flags.sessionToken },
  })
  try {
    const node = await startNode(upstream, flags, log)
    return { ...node, close: async () => { await node.close(); upstream.close() } }
  } catch (error) {
    upstream.close()
    throw error
  }
}

async function startNode(upstream: DynamoDbExecutor, flags: DaxNodeFlags, log: Logger, clock?: Clock, access?: ServerAccess,
  clusterArn?: string): Promise<RunningDaxNode> {
  const nodeId = `${flags.clusterName}-a`
  let wirePort = flags.wirePort
  const endpoints = (): DaxEndpoint[] => [{
    nodeId, hostname: flags.host, address: flags.host, port: wirePort, role: 'primary', availabilityZone: 'local',
  }]
  const tls = flags.tlsLoaded ?? (flags.tls ? await readTlsFiles(flags.tls) : undefined)
  // endpoints() reports the one wire port, so with TLS the client discovers the TLS port.
  const node = await startDaxNode({
    clusterName: flags.clusterName, clusterArn, nodeId, role: 'primary', host: flags.host,
    wirePort: flags.wirePort, tls, httpPort: flags.httpPort, upstream, settings: flags.settings,
    clock: clock ?? { now: () => Date.now() }, log, endpoints, access,
  })
  wirePort = node.wirePort
  return node
}

/** A node's options, typed, whichever way they were given. */
interface DaxNodeValues {
  port?: PortOrOff
  httpPort?: PortOrOff
  host?: string
  clusterName?: string
  tlsCert?: string
  tlsKey?: string
  recordTtlMillis?: number
  queryTtlMillis?: number
  cacheSizeMb?: number
  coherent?: boolean
}

/** Checks the combination and fills the defaults; `flagOf('port')` names an option in messages. */
function nodeFlagsOf(values: DaxNodeValues, flagOf: (option: string) => string): DaxNodeFlags {
  const { tlsCert: certFile, tlsKey: keyFile } = values
  if ((certFile === undefined) !== (keyFile === undefined)) throw new ConfigError(`${flagOf('tls-cert')} and ${flagOf('tls-key')} go together`)
  const tls = certFile !== undefined ? { certFile, keyFile: keyFile! } : undefined
  const wirePort = values.port ?? (tls ? daxTlsWirePortDefault : daxWirePortDefault)
  if (tls && wirePort === 'off') throw new ConfigError(`${flagOf('tls-cert')} needs the wire listener, but ${flagOf('port')} is off`)
  const httpPort = values.httpPort ?? daxHttpPortDefault
  return {
    host: values.host ?? '127.0.0.1',
    wirePort: wirePort === 'off' ? noWireListener : wirePort,
    ...(tls ? { tls } : {}),
    httpPort: httpPort === 'off' ? undefined : httpPort,
    clusterName: values.clusterName ?? 'local',
    settings: resolveCacheSettings({
      recordTtlMillis: values.recordTtlMillis,
      queryTtlMillis: values.queryTtlMillis,
      cacheSizeBytes: values.cacheSizeMb === undefined ? undefined : values.cacheSizeMb * 1024 * 1024,
      coherent: values.coherent ? true : undefined,
    }),
  }
}

/** The flags with their TLS files read and checked now. */
export async function withTlsLoaded(flags: DaxNodeFlags): Promise<DaxNodeFlags> {
  return flags.tls ? { ...flags, tlsLoaded: await readTlsFiles(flags.tls) } : flags
}

/** Reads the PEM files and checks that they load, so a bad pair fails with the file names. */
async function readTlsFiles(files: { certFile: string; keyFile: string }): Promise<DaxTlsOptions> {
  const read = async (file: string, what: string): Promise<Buffer> => {
    try {
      return await readFile(file)
    } catch (error) {
      throw new ConfigError(`cannot read the TLS ${what} ${file}: ${reasonOf(error)}`)
    }
  }
  const tls = { cert: await read(files.certFile, 'certificate'), key: await read(files.keyFile, 'key') }
  const problem = tlsPairProblem(tls)
  if (problem !== undefined) throw new ConfigError(`TLS certificate ${files.certFile} and key ${files.keyFile} do not load: ${problem}`)
  return tls
}

/** A port number or 'off'; undefined when not given. */
function portOrOff(text: string | undefined, flag: string): PortOrOff | undefined {
  if (text === undefined || text === 'off') return text
  const port = integer(text, flag)
  if (port > 65535) throw new ConfigError(`${flag}: not a port: ${text}`)
  return port
}

function integer(text: string, flag: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new ConfigError(`${flag}: not a non-negative integer: ${text}`)
  return Number(text)
}
