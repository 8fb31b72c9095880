/**
 * The PostgreSQL driver (`pg`), loaded when a server first opens PostgreSQL storage: a server on
 * SQLite, the default, never pays its start time (see src/lazy-require.ts).
 */
import { lazyRequire } from '../../lazy-require.js'

export const postgresDriver = lazyRequire<typeof import('pg')>('pg')

/**
 * How long opening a connection (or waiting for a free one in the pool) may take. Without a
 * bound, a server that accepts connections and never answers, or a host whose packets are
 * dropped, kept the start and every request waiting for good; now they fail with
 * StorageUnavailable and are tried again.
 */
export const connectTimeoutMs = 10_000
