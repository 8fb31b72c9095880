/**
 * Server settings. Each can come from a command-line flag, an environment variable or a key of a
 * JSON config file (the key is the Config member's name); a flag beats the environment, which
 * beats the file, which beats the default. Every mistake is a ConfigError naming the flag,
 * variable or key, with the closest valid name when the name itself is wrong.
 */
import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path'
import { isLogLevel, type LogLevel } from './log.js'
import { ConfigError, reasonOf } from './startup-error.js'
import type { Durability } from './storage/sqlite/engine.js'

export { ConfigError } from './startup-error.js'

/** A DAX listener's port, or 'off' for none. */
export type PortOrOff = number | 'off'

export interface Config {
  port: number
  host: string
  dataDir: string
  inMemory: boolean
  /** A PostgreSQL URL: store every region there (a schema each) instead of in dataDir. */
  storageUrl?: string
  /** PostgreSQL connections per node and database, shared by its regions (storage/postgres/database.ts). */
  storagePoolSize: number
  /** What an acknowledged write of the data directory survives: the server's end, or the machine's. */
  durability: Durability
  logLevel: LogLevel
  /** The region for requests whose credential scope names none. */
  defaultRegion: string
  /** One namespace whatever the region (DynamoDB Local's -sharedDb): the default region's. */
  sharedRegions: boolean
  /** Region names accepted besides AWS's own (and `localhost`). */
  regions: string[]
  /** The account id in every ARN. */
  accountId: string
  /** How long stream records stay readable (DynamoDB: 24 hours). */
  streamRetentionHours: number
  /** How often a stream's open shard is closed and a child opened (DynamoDB: about 4 hours). */
  streamShardRolloverMinutes: number
  /** How often the TTL sweeper looks for expired items. */
  ttlSweepIntervalMs: number
  /** The most a partition of a table with local secondary indexes may hold (DynamoDB: 10 GB). */
  itemCollectionSizeLimitBytes: number
  /** Also serve a DAX node in front of this server's tables (see src/cli/dax.ts). */
  dax: boolean
  /** Its wire port; undefined means 8111 (9111 with TLS). */
  daxPort?: PortOrOff
  /** Its DynamoDB JSON endpoint's port; undefined means 8112. */
  daxHttpPort?: PortOrOff
  daxHost: string
  daxTlsCert?: string
  daxTlsKey?: string
  daxRecordTtlMillis?: number
  daxQueryTtlMillis?: number
  daxCacheSizeMb?: number
  daxCoherent: boolean
  /**
   * Local targets for stream triggers, by Lambda function name (config file only): see
   * docs/streams.md for the shapes.
   */
  functions: Record<string, unknown>
  /** Origins browsers may call from: a comma-separated list, or '*' for any; CORS is off without it. */
  cors?: string
  /** A credentials file (see src/security/credentials.ts): verify every request's signature. */
  credentials?: string
  /** Serve without credentials on an address other than loopback. */
  allowAnonymous: boolean
  /** Host names a server on loopback answers besides localhost and loopback addresses ('.example.com' a domain, '*' any). */
  allowedHosts: string[]
  /** Serve the HTTP API over HTTPS with this PEM certificate and key. */
  tlsCert?: string
  tlsKey?: string
  /** The most account-and-region namespaces the server opens (each is a database). */
  maxNamespaces: number
  /** The most HTTP connections open at once; a new one then closes the longest-idle one, or is answered 503 when none is idle. */
  maxConnections: number
  /** Regions other EddyDB servers serve, as REGION=URL (--peer, repeatable): global tables replicate to them. */
  peers: string[]
  /** Accept CreateGlobalTable (global tables version 2017.11.29), which AWS now refuses. */
  legacyGlobalTables: boolean
  /** Serve the web console at /console/; undefined means only when host is loopback. */
  console?: boolean
  /** Exports and imports: an S3-compatible endpoint (AWS S3 when absent); file:///dir keeps each bucket as a directory. */
  s3Endpoint?: string
  /** The S3 client's region (the SDK's default chain when absent, else us-east-1). */
  s3Region?: string
  /** S3 credentials; absent means the SDK's default chain (environment, profile, instance role). */
  s3AccessKeyId?: string
  s3SecretAccessKey?: string
  /** Path-style bucket addressing (http://host/bucket/key); on by default with --s3-endpoint. */
  s3ForcePathStyle?: boolean
  /** Import error logs go to this CloudWatch Logs endpoint (with the S3 credentials) instead of the data directory. */
  cloudWatchLogsEndpoint?: string
}

export const defaultConfig: Config = {
  port: 8000,
  host: '127.0.0.1',
  dataDir: './eddydb-data',
  inMemory: false,
  durability: 'process',
  logLevel: 'info',
  defaultRegion: 'us-east-1',
  sharedRegions: false,
  regions: [],
  accountId: '000000000000',
  streamRetentionHours: 24,
  streamShardRolloverMinutes: 240,
  ttlSweepIntervalMs: 1000,
  itemCollectionSizeLimitBytes: 10 * 1024 ** 3,
  dax: false,
  daxHost: '127.0.0.1',
  daxCoherent: false,
  functions: {},
  allowAnonymous: false,
  allowedHosts: [],
  maxNamespaces: 256,
  storagePoolSize: 16,
  maxConnections: 1000,
  peers: [],
  legacyGlobalTables: false,
}

type SettingKind = 'port' | 'portOrOff' | 'number' | 'count' | 'positiveCount' | 'string' | 'path' | 'boolean' | 'onOff' | 'logLevel' |
  'durability' | 'list' | 'accountId' | 'httpUrl' | 'httpOrFileUrl'

export interface Setting {
  key: keyof Config
  flag: string
  env: string
  kind: SettingKind
  help: string
  /** What --help shows as the default when the Config default is undefined or not telling. */
  defaultText?: string
}

export const settings: Setting[] = [
  { key: 'port', flag: '--port', env: 'EDDYDB_PORT', kind: 'port', help: 'TCP port to listen on (0 picks a free one)' },
  { key: 'host', flag: '--host', env: 'EDDYDB_HOST', kind: 'string', help: 'address to bind; 0.0.0.0 exposes the server' },
  { key: 'dataDir', flag: '--data-dir', env: 'EDDYDB_DATA_DIR', kind: 'path', help: 'directory for the SQLite files (one per region)' },
  { key: 'inMemory', flag: '--in-memory', env: 'EDDYDB_IN_MEMORY', kind: 'boolean', help: 'keep everything in memory (lost on exit)' },
  { key: 'storageUrl', flag: '--storage-url', env: 'EDDYDB_STORAGE_URL', kind: 'string', help: 'store data in PostgreSQL (postgresql://user@host:5432/db) instead of the data directory', defaultText: 'none (the data directory)' },
  { key: 'storagePoolSize', flag: '--storage-pool-size', env: 'EDDYDB_STORAGE_POOL_SIZE', kind: 'count', help: 'PostgreSQL connections per node (at least 2), shared by every region; transactions hold at most three quarters of them' },
  { key: 'durability', flag: '--durability', env: 'EDDYDB_DURABILITY', kind: 'durability', help: 'what an acknowledged write in the data directory survives: process (the server ending, kill -9 included) or power (also an operating-system crash or power loss: each commit is fsynced)' },
  { key: 'logLevel', flag: '--log-level', env: 'EDDYDB_LOG_LEVEL', kind: 'logLevel', help: 'debug (one line per request), info, warn, error or silent' },
  { key: 'defaultRegion', flag: '--default-region', env: 'EDDYDB_DEFAULT_REGION', kind: 'string', help: 'region for unsigned scopes, and the one namespace with --shared-regions' },
  { key: 'sharedRegions', flag: '--shared-regions', env: 'EDDYDB_SHARED_REGIONS', kind: 'boolean', help: 'one namespace whatever region a request is signed for (DynamoDB Local -sharedDb)' },
  { key: 'regions', flag: '--regions', env: 'EDDYDB_REGIONS', kind: 'list', help: 'comma-separated region names accepted besides AWS\'s and localhost', defaultText: 'none' },
  { key: 'accountId', flag: '--account-id', env: 'EDDYDB_ACCOUNT_ID', kind: 'accountId', help: 'account id used in ARNs (12 digits)' },
  { key: 'streamRetentionHours', flag: '--stream-retention-hours', env: 'EDDYDB_STREAM_RETENTION_HOURS', kind: 'number', help: 'how long stream records stay readable' },
  { key: 'streamShardRolloverMinutes', flag: '--stream-shard-rollover-minutes', env: 'EDDYDB_STREAM_SHARD_ROLLOVER_MINUTES', kind: 'number', help: 'how often stream shards roll over' },
  { key: 'itemCollectionSizeLimitBytes', flag: '--item-collection-size-limit-bytes', env: 'EDDYDB_ITEM_COLLECTION_SIZE_LIMIT_BYTES', kind: 'number', help: 'item collection size limit for tables with local indexes' },
  { key: 'ttlSweepIntervalMs', flag: '--ttl-sweep-interval-ms', env: 'EDDYDB_TTL_SWEEP_INTERVAL_MS', kind: 'number', help: 'how often expired items are deleted' },
  { key: 'cors', flag: '--cors', env: 'EDDYDB_CORS', kind: 'string', help: "origins allowed to call from a browser: a comma-separated list, or '*' (off by default)" },
  { key: 'credentials', flag: '--credentials', env: 'EDDYDB_CREDENTIALS', kind: 'path', help: 'JSON file of access keys (secret, account, policies): verify every signature (docs/security.md)', defaultText: 'none: any signature is accepted' },
  { key: 'allowAnonymous', flag: '--allow-anonymous', env: 'EDDYDB_ALLOW_ANONYMOUS', kind: 'boolean', help: 'serve without --credentials on an address other than loopback' },
  { key: 'allowedHosts', flag: '--allowed-hosts', env: 'EDDYDB_ALLOWED_HOSTS', kind: 'list', help: "Host names a server on loopback answers besides localhost, loopback addresses and --host ('.example.com' a domain, '*' any)", defaultText: 'none' },
  { key: 'tlsCert', flag: '--tls-cert', env: 'EDDYDB_TLS_CERT', kind: 'path', help: 'serve the HTTP API over HTTPS only, with this PEM certificate', defaultText: 'none' },
  { key: 'tlsKey', flag: '--tls-key', env: 'EDDYDB_TLS_KEY', kind: 'path', help: 'and this PEM private key', defaultText: 'none' },
  { key: 'maxNamespaces', flag: '--max-namespaces', env: 'EDDYDB_MAX_NAMESPACES', kind: 'positiveCount', help: 'the most account-and-region namespaces (databases) opened' },
  { key: 'maxConnections', flag: '--max-connections', env: 'EDDYDB_MAX_CONNECTIONS', kind: 'positiveCount', help: 'the most HTTP connections open at once; a new one then closes the longest-idle one, or gets 503 when all are busy' },
  { key: 'peers', flag: '--peer', env: 'EDDYDB_PEERS', kind: 'list', help: 'REGION=URL: another EddyDB serving REGION, for global tables (repeatable)', defaultText: 'none' },
  { key: 'legacyGlobalTables', flag: '--legacy-global-tables', env: 'EDDYDB_LEGACY_GLOBAL_TABLES', kind: 'boolean', help: 'accept CreateGlobalTable (global tables version 2017.11.29), which AWS now refuses' },
  { key: 'console', flag: '--console', env: 'EDDYDB_CONSOLE', kind: 'onOff', help: 'serve the web console at /console/: on or off', defaultText: 'on when --host is loopback' },
  { key: 's3Endpoint', flag: '--s3-endpoint', env: 'EDDYDB_S3_ENDPOINT', kind: 'httpOrFileUrl', help: 'S3-compatible endpoint for exports and imports, or file:///dir (buckets as directories)', defaultText: 'AWS S3' },
  { key: 's3Region', flag: '--s3-region', env: 'EDDYDB_S3_REGION', kind: 'string', help: 'region of the S3 client', defaultText: 'the AWS SDK default, else us-east-1' },
  { key: 's3AccessKeyId', flag: '--s3-access-key-id', env: 'EDDYDB_S3_ACCESS_KEY_ID', kind: 'string', help: 'S3 access key id', defaultText: 'the AWS SDK default chain' },
  { key: 's3SecretAccessKey', flag: '--s3-secret-access-key', env: 'EDDYDB_S3_SECRET_ACCESS_KEY', kind: 'string', help: 'S3 secret access key', defaultText: 'the AWS SDK default chain' },
  { key: 's3ForcePathStyle', flag: '--s3-force-path-style', env: 'EDDYDB_S3_FORCE_PATH_STYLE', kind: 'boolean', help: 'path-style S3 addressing', defaultText: 'on with --s3-endpoint' },
  { key: 'cloudWatchLogsEndpoint', flag: '--cloudwatch-logs-endpoint', env: 'EDDYDB_CLOUDWATCH_LOGS_ENDPOINT', kind: 'httpUrl', help: 'send import error logs to this CloudWatch Logs endpoint', defaultText: 'a file in the data directory' },
  { key: 'dax', flag: '--dax', env: 'EDDYDB_DAX', kind: 'boolean', help: 'also serve a DAX node in front of this server\'s tables' },
  { key: 'daxPort', flag: '--dax-port', env: 'EDDYDB_DAX_PORT', kind: 'portOrOff', help: 'DAX wire protocol port, or off', defaultText: '8111, 9111 with TLS' },
  { key: 'daxTlsCert', flag: '--dax-tls-cert', env: 'EDDYDB_DAX_TLS_CERT', kind: 'path', help: 'serve the DAX wire protocol over TLS only (daxs://), with this PEM certificate', defaultText: 'none' },
  { key: 'daxTlsKey', flag: '--dax-tls-key', env: 'EDDYDB_DAX_TLS_KEY', kind: 'path', help: 'and this PEM private key', defaultText: 'none' },
  { key: 'daxHttpPort', flag: '--dax-http-port', env: 'EDDYDB_DAX_HTTP_PORT', kind: 'portOrOff', help: 'DynamoDB JSON API through the DAX cache, or off', defaultText: '8112' },
  { key: 'daxHost', flag: '--dax-host', env: 'EDDYDB_DAX_HOST', kind: 'string', help: 'address the DAX node binds' },
  { key: 'daxRecordTtlMillis', flag: '--dax-record-ttl-millis', env: 'EDDYDB_DAX_RECORD_TTL_MILLIS', kind: 'count', help: 'item-cache TTL (0 = never expires)', defaultText: '300000' },
  { key: 'daxQueryTtlMillis', flag: '--dax-query-ttl-millis', env: 'EDDYDB_DAX_QUERY_TTL_MILLIS', kind: 'count', help: 'query-cache TTL (0 = no query cache)', defaultText: '300000' },
  { key: 'daxCacheSizeMb', flag: '--dax-cache-size-mb', env: 'EDDYDB_DAX_CACHE_SIZE_MB', kind: 'count', help: 'memory budget of both DAX caches together', defaultText: '256' },
  { key: 'daxCoherent', flag: '--dax-coherent', env: 'EDDYDB_DAX_COHERENT', kind: 'boolean', help: 'writes through the DAX node also drop the table\'s cached queries (not DAX behaviour)' },
]

/** Config-file keys that are not flags: they hold structures. */
const fileOnlyKeys = ['functions']

function coerce(setting: Setting, raw: unknown, source: string): Config[keyof Config] {
  const problem = (expected: string) => new ConfigError(`${source} must be ${expected}, got ${JSON.stringify(raw)}`)
  switch (setting.kind) {
    case 'port': {
      const value = typeof raw === 'number' ? raw : Number(raw)
      if (raw === '' || !Number.isInteger(value) || value < 0 || value > 65535) throw problem('a port number (0-65535)')
      return value
    }
    case 'portOrOff': {
      if (raw === 'off' || raw === false) return 'off'
      const value = typeof raw === 'number' ? raw : Number(raw)
      if (raw === '' || !Number.isInteger(value) || value < 0 || value > 65535) throw problem('a port number (0-65535) or off')
      return value
    }
    case 'number': {
      const value = typeof raw === 'number' ? raw : Number(raw)
      if (raw === '' || !Number.isFinite(value) || value <= 0) throw problem('a positive number')
      return value
    }
    case 'count': {
      const value = typeof raw === 'number' ? raw : Number(raw)
      if (raw === '' || !Number.isSafeInteger(value) || value < 0) throw problem('a non-negative integer')
      return value
    }
    case 'positiveCount': {
      const value = typeof raw === 'number' ? raw : Number(raw)
      if (raw === '' || !Number.isSafeInteger(value) || value < 1) throw problem('a positive integer')
      return value
    }
    case 'accountId':
      // ARNs carry it, and tools that read them expect an AWS account id.
      if (typeof raw === 'string' && /^\d{12}$/.test(raw)) return raw
      throw problem('an account id of 12 digits')
    case 'httpUrl':
    case 'httpOrFileUrl': {
      const protocols = setting.kind === 'httpUrl' ? ['http:', 'https:'] : ['http:', 'https:', 'file:']
      const url = typeof raw === 'string' && URL.canParse(raw) ? new URL(raw) : undefined
      // A file URL names a local directory: file:///dir (file://dir would make "dir" a host).
      const local = url?.protocol !== 'file:' || url.host === '' || url.host === 'localhost'
      if (url && protocols.includes(url.protocol) && local) return raw as string
      throw problem(setting.kind === 'httpUrl' ? 'an http:// or https:// URL' : 'an http:// or https:// URL, or file:///dir')
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw
      if (raw === 'true' || raw === '1' || raw === '') return true
      if (raw === 'false' || raw === '0') return false
      throw problem('true or false')
    case 'onOff':
      if (raw === true || raw === 'on' || raw === 'true') return true
      if (raw === false || raw === 'off' || raw === 'false') return false
      throw problem('on or off')
    case 'logLevel':
      if (typeof raw === 'string' && isLogLevel(raw)) return raw
      throw problem('debug, info, warn, error or silent')
    case 'durability':
      if (raw === 'process' || raw === 'power') return raw
      throw problem('process or power')
    case 'list': {
      const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',').map((each) => each.trim()).filter(Boolean) : undefined
      if (!items || !items.every((each) => typeof each === 'string' && each !== '')) throw problem('a comma-separated list (a list of strings in a file)')
      return items as string[]
    }
    case 'string':
    case 'path':
      if (typeof raw === 'string' && raw !== '') return raw
      throw problem('a non-empty string')
  }
}

/** Reads flags (already split into argv), environment and the optional config file. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): Config {
  const fromFlags = parseFlags(argv)
  const configPath = fromFlags.configPath ?? env.EDDYDB_CONFIG
  const fromFile = configPath ? readConfigFile(configPath) : {}
  const fileDirectory = configPath ? dirname(resolvePath(configPath)) : '.'
  // Lowest first: a flag beats the environment, which beats the file.
  const levels: Level[] = [
    { values: {}, nameOf: (setting) => `"${setting.key}"`, prefix: `${configPath}: ` },
    { values: {}, nameOf: (setting) => setting.env, prefix: '' },
    { values: {}, nameOf: (setting) => setting.flag, prefix: '' },
  ]
  const [file, environment, flags] = levels as [Level, Level, Level]
  for (const setting of settings) {
    if (setting.key in fromFile) {
      const value = coerce(setting, fromFile[setting.key], `${configPath}: "${setting.key}"`)
      // A relative path in a config file means a path next to the file.
      file.values[setting.key] = setting.kind === 'path' ? resolvePath(fileDirectory, value as string) : value
    }
    const fromEnv = env[setting.env]
    if (fromEnv !== undefined) environment.values[setting.key] = coerce(setting, fromEnv, setting.env)
    if (setting.key in fromFlags.values) flags.values[setting.key] = coerce(setting, fromFlags.values[setting.key], setting.flag)
  }
  const given: Record<string, unknown> = Object.assign({}, ...levels.map((level) => level.values))
  // Where the data lives is chosen by level as a whole, not setting by setting (chosenStorage).
  for (const setting of storageSettings) delete given[setting.key]
  const config: Record<string, unknown> = { ...defaultConfig, ...given, ...chosenStorage(levels) }
  if (fromFile.functions !== undefined) {
    if (typeof fromFile.functions !== 'object' || fromFile.functions === null || Array.isArray(fromFile.functions)) {
      throw new ConfigError(`${configPath}: "functions" must be an object keyed by function name`)
    }
    config.functions = withPathsFrom(fileDirectory, fromFile.functions as Record<string, unknown>)
  }
  const daxFlag = settings.find((setting) => setting.key !== 'dax' && setting.flag.startsWith('--dax-') && setting.key in fromFlags.values)
  if (daxFlag && !config.dax) throw new ConfigError(`${daxFlag.flag} needs --dax`)
  return config as unknown as Config
}

/** The settings given at one level (the file, the environment or the flags), coerced. */
interface Level {
  values: Record<string, unknown>
  /** How a setting is spelled at this level, for messages. */
  nameOf(setting: Setting): string
  /** What a message about this level starts with (the file's path). */
  prefix: string
}

/** The settings that each choose where the data lives: memory, a data directory, or PostgreSQL. */
const storageSettings = settings.filter((setting) => setting.key === 'inMemory' || setting.key === 'dataDir' || setting.key === 'storageUrl')

/**
 * Where the data lives, from the highest level that chooses at all: `--in-memory` on the command
 * line beats EDDYDB_STORAGE_URL in the environment, and the lower level's choice is dropped with
 * it rather than left to fight it. Two choices at one level are a mistake, not a precedence.
 */
function chosenStorage(levels: Level[]): Pick<Config, 'inMemory' | 'dataDir' | 'storageUrl'> {
  const unchosen = { inMemory: false, dataDir: defaultConfig.dataDir }
  for (const level of [...levels].reverse()) {
    const chosen = storageSettings.filter((setting) => choosesStorage(setting, level.values[setting.key]))
    if (chosen.length > 1) {
      throw new ConfigError(`${level.prefix}${chosen.map((setting) => level.nameOf(setting)).join(' and ')} each choose where the data lives; give one`)
    }
    if (chosen.length === 1) return { ...unchosen, [chosen[0]!.key]: level.values[chosen[0]!.key] }
  }
  return unchosen
}

/** `inMemory: false` chooses nothing; a data directory or a URL, once given, does. */
function choosesStorage(setting: Setting, value: unknown): boolean {
  return setting.key === 'inMemory' ? value === true : value !== undefined
}

function parseFlags(argv: string[]): { values: Record<string, unknown>; configPath?: string } {
  const values: Record<string, unknown> = {}
  let configPath: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined]
    const setting = settings.find((s) => s.flag === flag)
    if (flag !== '--config' && !setting) {
      const known = [...settings.map((s) => s.flag), '--config', '--help', '--version']
      throw new ConfigError(flag.startsWith('-') ? `unknown option ${flag}${didYouMean(flag, known)}` : `unexpected argument ${flag}`)
    }
    if (setting?.kind === 'boolean') {
      values[setting.key] = inline ?? true
      continue
    }
    const value = inline ?? argv[++i]
    // `--data-dir --in-memory` is a forgotten value, not a directory named "--in-memory".
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new ConfigError(`${flag} needs a value`)
    // A repeated list flag (--peer a=... --peer b=...) adds to the list.
    if (setting?.kind === 'list' && values[setting.key] !== undefined) values[setting.key] = `${values[setting.key] as string},${value}`
    else if (setting) values[setting.key] = value
    else configPath = value
  }
  return { values, configPath }
}

function readConfigFile(path: string): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${reasonOf(error)}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${path} must hold a JSON object`)
  }
  const known = [...settings.map((setting) => setting.key), ...fileOnlyKeys]
  for (const key of Object.keys(parsed)) {
    if (!known.includes(key)) throw new ConfigError(`${path}: unknown key "${key}"${didYouMean(key, known)}`)
  }
  return parsed as Record<string, unknown>
}

/** " (did you mean --port?)" for the closest of `names`, or '' when none is close. */
/** EDDYDB_ variables read outside the settings: the config file's path, the admin commands' server. */
const otherEnvironmentNames = ['EDDYDB_CONFIG', 'EDDYDB_ENDPOINT']

/**
 * The EDDYDB_ variables in `env` that nothing reads, each with the closest one that is read:
 * a misspelt variable (EDDYDB_PROT) would otherwise leave its setting at the default without a
 * word. The test suite's own (EDDYDB_TEST_) are not EddyDB's.
 */
export function unknownEnvironmentVariables(env: NodeJS.ProcessEnv): Array<{ variable: string; suggestion: string }> {
  const known = [...settings.map((setting) => setting.env), ...otherEnvironmentNames]
  return Object.keys(env)
    .filter((name) => name.startsWith('EDDYDB_') && !name.startsWith('EDDYDB_TEST_') && !known.includes(name))
    .sort()
    .map((variable) => ({ variable, suggestion: didYouMean(variable, known) }))
}

export function didYouMean(name: string, names: readonly string[]): string {
  let best: string | undefined
  let bestDistance = Infinity
  const lower = name.toLowerCase()
  for (const candidate of names) {
    const other = candidate.toLowerCase()
    // "dataDirectory" for "dataDir": one name inside the other counts as close.
    const contained = other.length >= 4 && (lower.includes(other) || other.includes(lower))
    const distance = contained ? 1 : editDistance(lower, other)
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance]
  }
  // Close means a few edits, relative to the name's length: "prot" → "port", not "x" → "dax".
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? ` (did you mean ${best}?)` : ''
}

/** Levenshtein distance (names are short: the quadratic table is fine). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

/** Members of a function or destination entry that name files or directories. */
const pathMembers = ['module', 'cwd', 'file']

/**
 * Relative paths in the config file's "functions" mean paths next to the config file, wherever
 * the server is started from.
 */
function withPathsFrom(directory: string, functions: Record<string, unknown>): Record<string, unknown> {
  const resolved: Record<string, unknown> = {}
  for (const [name, entry] of Object.entries(functions)) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      resolved[name] = entry
      continue
    }
    const copy: Record<string, unknown> = { ...entry }
    for (const member of pathMembers) {
      const value = copy[member]
      if (typeof value === 'string' && !isAbsolute(value)) copy[member] = resolvePath(directory, value)
    }
    resolved[name] = copy
  }
  return resolved
}
