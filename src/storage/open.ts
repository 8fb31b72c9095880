/**
 * Opens the storage of one region from the server's configuration: a SQLite file per region
 * under the data directory, an in-memory database, or a schema per region in PostgreSQL.
 */
import { join } from 'node:path'
import type { StorageEngine } from './engine.js'
import { openSqliteEngine, type Durability } from './sqlite/engine.js'
import { describeTarget } from './postgres/url.js'

export interface StorageConfig {
  /** Directory holding `<region>.sqlite3`; created when missing. Ignored when inMemory. */
  dataDir?: string
  inMemory?: boolean
  region: string
  /** 'process' (default) survives kill -9 of the server; 'power' also survives power loss. */
  durability?: Durability
  /** A postgresql:// URL: the region's storage is a schema in that database (beats the others). */
  url?: string
  /** With `url`: the node's connections to that database, shared by its regions (default 16). */
  poolSize?: number
}

/** Region names become file names, so only AWS-style names are accepted (no path separators). */
const regionNamePattern = /^[a-z0-9][a-z0-9-]{0,62}$/

/** Async because the PostgreSQL engine (and its driver) is imported only when a URL asks for it. */
export async function openStorage(config: StorageConfig): Promise<StorageEngine> {
  if (config.url !== undefined) {
    return (await import('./postgres/engine.js')).openPostgresEngine({ url: config.url, region: config.region, poolSize: config.poolSize })
  }
  if (config.inMemory) return openSqliteEngine({ inMemory: true })
  if (config.dataDir === undefined) {
    throw new Error('openStorage needs a dataDir unless inMemory is set')
  }
  if (!regionNamePattern.test(config.region)) {
    throw new Error(`Not a usable region name for a data file: ${JSON.stringify(config.region)}`)
  }
  const path = join(config.dataDir, `${config.region}.sqlite3`)
  return openSqliteEngine({ path, durability: config.durability })
}

/** Where a server's data lives, as the status route and the startup log report it. */
export type StorageInUse =
  | { kind: 'postgresql'; url: string }
  | { kind: 'memory' }
  | { kind: 'sqlite'; dataDir: string; durability: Durability }

/**
 * The storage openStorage opens for this configuration, in the same order of precedence; a
 * PostgreSQL URL is shown without its password.
 */
export function storageInUse(config: { dataDir: string; inMemory: boolean; storageUrl?: string; durability: Durability }): StorageInUse {
  if (config.storageUrl !== undefined) return { kind: 'postgresql', url: describeTarget(config.storageUrl) }
  if (config.inMemory) return { kind: 'memory' }
  return { kind: 'sqlite', dataDir: config.dataDir, durability: config.durability }
}
