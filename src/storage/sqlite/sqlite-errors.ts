/**
 * Turns better-sqlite3 errors into the storage errors the operations layer understands, the way
 * drizzle-orm sorts driver codes into a few kinds. Anything unrecognised is returned unchanged:
 * it is a bug (a bad statement, a constraint we never expect to hit) and becomes a 500.
 */
import Database from 'better-sqlite3'
import { StorageConflict, StorageCorrupt, StorageError, StorageUnavailable } from '../errors.js'

/** Result codes by their primary name; extended codes (SQLITE_BUSY_SNAPSHOT) share the prefix. */
const conflictCodes = ['SQLITE_BUSY', 'SQLITE_LOCKED']
const corruptCodes = ['SQLITE_CORRUPT', 'SQLITE_NOTADB']
const unavailableCodes = ['SQLITE_CANTOPEN', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_READONLY']

export function mapSqliteError(error: unknown): unknown {
  if (error instanceof StorageError || !(error instanceof Database.SqliteError)) return error
  const code = error.code
  const hasPrefix = (prefixes: string[]) => prefixes.some((prefix) => code.startsWith(prefix))
  if (hasPrefix(conflictCodes)) return new StorageConflict(error.message, { cause: error })
  if (hasPrefix(corruptCodes)) return new StorageCorrupt(error.message, { cause: error })
  if (hasPrefix(unavailableCodes)) return new StorageUnavailable(error.message, { cause: error })
  return error
}
