/**
 * Server settings. Each can come from a command-line flag, an environment variable or a JSON
 * config file; a flag beats the environment, which beats the file, which beats the default.
 */
import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path'
import { isLogLevel, type LogLevel } from './log.js'

export interface Config {
  port: number
  host: string
  dataDir: string
  inMemory: boolean
  /** A PostgreSQL URL: store every region there (a schema each) instead of in dataDir. */
  storageUrl?: string
  logLevel: LogLevel
  /** The region for requests whose credential scope names none. */
  defaultRegion: string
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
  /**
   * Local targets for stream triggers, by Lambda function name (config file only): see
   * docs/streams.md for the shapes.
   */
  functions: Record<string, unknown>
}

export const defaultConfig: Config = {
  port: 8000,
  host: '127.0.0.1',
  dataDir: './eddydb-data',
  inMemory: false,
  logLevel: 'info',
  defaultRegion: 'us-east-1',
  accountId: '000000000000',
  streamRetentionHours: 24,
  streamShardRolloverMinutes: 240,
  ttlSweepIntervalMs: 1000,
  itemCollectionSizeLimitBytes: 10 * 1024 ** 3,
  functions: {},
}

interface Setting {
  key: keyof Config
  flag: string
  env: string
  kind: 'port' | 'number' | 'string' | 'boolean' | 'logLevel'
  help: string
}

export const settings: Setting[] = [
  { key: 'port', flag: '--port', env: 'EDDYDB_PORT', kind: 'port', help: 'TCP port to listen on (0 picks a free one)' },
  { key: 'host', flag: '--host', env: 'EDDYDB_HOST', kind: 'string', help: 'address to bind; 0.0.0.0 exposes the server' },
  { key: 'dataDir', flag: '--data-dir', env: 'EDDYDB_DATA_DIR', kind: 'string', help: 'directory for the SQLite files (one per region)' },
  { key: 'inMemory', flag: '--in-memory', env: 'EDDYDB_IN_MEMORY', kind: 'boolean', help: 'keep everything in memory (lost on exit)' },
  { key: 'storageUrl', flag: '--storage-url', env: 'EDDYDB_STORAGE_URL', kind: 'string', help: 'store data in PostgreSQL (postgresql://user@host:5432/db) instead of the data directory' },
  { key: 'logLevel', flag: '--log-level', env: 'EDDYDB_LOG_LEVEL', kind: 'logLevel', help: 'debug, info, warn, error or silent' },
  { key: 'defaultRegion', flag: '--default-region', env: 'EDDYDB_DEFAULT_REGION', kind: 'string', help: 'region for unsigned scopes' },
  { key: 'accountId', flag: '--account-id', env: 'EDDYDB_ACCOUNT_ID', kind: 'string', help: 'account id used in ARNs' },
  { key: 'streamRetentionHours', flag: '--stream-retention-hours', env: 'EDDYDB_STREAM_RETENTION_HOURS', kind: 'number', help: 'how long stream records stay readable' },
  { key: 'streamShardRolloverMinutes', flag: '--stream-shard-rollover-minutes', env: 'EDDYDB_STREAM_SHARD_ROLLOVER_MINUTES', kind: 'number', help: 'how often stream shards roll over' },
  { key: 'itemCollectionSizeLimitBytes', flag: '--item-collection-size-limit-bytes', env: 'EDDYDB_ITEM_COLLECTION_SIZE_LIMIT_BYTES', kind: 'number', help: 'item collection size limit for tables with local indexes' },
  { key: 'ttlSweepIntervalMs', flag: '--ttl-sweep-interval-ms', env: 'EDDYDB_TTL_SWEEP_INTERVAL_MS', kind: 'number', help: 'how often expired items are deleted' },
]

export class ConfigError extends Error {}

function coerce(setting: Setting, raw: unknown, source: string): Config[keyof Config] {
  switch (setting.kind) {
    case 'port': {
      const value = typeof raw === 'number' ? raw : Number(raw)
      if (!Number.isInteger(value) || value < 0 || value > 65535) throw new ConfigError(`${source}: ${setting.key} must be a port number, got ${String(raw)}`)
      return value
    }
    case 'number': {
      const value = typeof raw === 'number' ? raw : Number(raw)
      if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`${source}: ${setting.key} must be a positive number, got ${String(raw)}`)
      return value
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw
      if (raw === 'true' || raw === '1' || raw === '') return true
      if (raw === 'false' || raw === '0') return false
      throw new ConfigError(`${source}: ${setting.key} must be true or false, got ${String(raw)}`)
    case 'logLevel':
      if (typeof raw === 'string' && isLogLevel(raw)) return raw
      throw new ConfigError(`${source}: ${setting.key} must be debug, info, warn, error or silent`)
    case 'string':
      if (typeof raw === 'string' && raw !== '') return raw
      throw new ConfigError(`${source}: ${setting.key} must be a non-empty string`)
  }
}

/** Reads flags (already split into argv), environment and the optional config file. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): Config {
  const fromFlags = parseFlags(argv)
  const configPath = (fromFlags.configPath ?? env.EDDYDB_CONFIG) as string | undefined
  const fromFile = configPath ? readConfigFile(configPath) : {}
  const config: Record<string, unknown> = { ...defaultConfig }
  for (const setting of settings) {
    if (setting.key in fromFile) config[setting.key] = coerce(setting, fromFile[setting.key], configPath!)
    const fromEnv = env[setting.env]
    if (fromEnv !== undefined) config[setting.key] = coerce(setting, fromEnv, setting.env)
    if (setting.key in fromFlags.values) config[setting.key] = coerce(setting, fromFlags.values[setting.key], setting.flag)
  }
  if (fromFile.functions !== undefined) {
    if (typeof fromFile.functions !== 'object' || fromFile.functions === null || Array.isArray(fromFile.functions)) {
      throw new ConfigError(`${configPath}: functions must be an object keyed by function name`)
    }
    config.functions = withPathsFrom(dirname(resolvePath(configPath!)), fromFile.functions as Record<string, unknown>)
  }
  return config as unknown as Config
}

function parseFlags(argv: string[]): { values: Record<string, unknown>; configPath?: string } {
  const values: Record<string, unknown> = {}
  let configPath: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined]
    if (flag === '--config') {
      configPath = inline ?? argv[++i]
      continue
    }
    const setting = settings.find((s) => s.flag === flag)
    if (!setting) throw new ConfigError(`unknown option ${flag}`)
    if (setting.kind === 'boolean') values[setting.key] = inline ?? true
    else {
      const value = inline ?? argv[++i]
      if (value === undefined) throw new ConfigError(`${flag} needs a value`)
      values[setting.key] = value
    }
  }
  return { values, configPath }
}

function readConfigFile(path: string): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${path} must hold a JSON object`)
  }
  return parsed as Record<string, unknown>
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
