/**
 * The PostgreSQL driver (`pg`), loaded when a server first opens PostgreSQL storage: a server on
 * SQLite, the default, never pays its start time (see src/lazy-require.ts).
 */
import { lazyRequire } from '../../lazy-require.js'

export const postgresDriver = lazyRequire<typeof import('pg')>('pg')
