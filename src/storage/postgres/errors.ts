/**
 * Turns node-postgres errors into the storage errors the rest of EddyDB understands, by SQLSTATE
 * (the way drizzle-orm sorts driver codes into a few kinds). CockroachDB and YugabyteDB report
 * their retryable transaction errors as 40001 too. Anything unrecognised is returned unchanged:
 * a bad statement is a bug and becomes a 500.
 */
import { StateMismatch, StorageConflict, StorageCorrupt, StorageError, StorageRowTooLarge, StorageUnavailable } from '../errors.js'
import { stateMismatchMarker } from './statements.js'

/** serialization_failure and deadlock_detected: running the transaction again may succeed. */
const conflictCodes = new Set(['40001', '40P01'])
/** Classes 08 (connection exception), 53 (insufficient resources), 57 (operator intervention). */
const unavailableClasses = ['08', '53', '57']
/**
 * read_only_sql_transaction: the database was made read-only (a failover to a standby, an
 * operator's `default_transaction_read_only`): storage that cannot be written for now, logged as
 * an outage, not a stack trace per write.
 */
const unavailableCodes = new Set(['25006'])
/** data_corrupted, index_corrupted. */
const corruptCodes = new Set(['XX001', 'XX002'])
/** program_limit_exceeded: e.g. "index row size 3136 exceeds btree version 4 maximum 2704". */
const limitExceededCode = '54000'
/** invalid_text_representation: how an unmet Statements.expectState fails. */
const invalidTextCode = '22P02'
/** Socket-level failures Node reports before PostgreSQL can answer at all. */
const unavailableSystemCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH'])

export function mapPostgresError(error: unknown): unknown {
  if (error instanceof StorageError || !(error instanceof Error)) return error
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string') {
    if (conflictCodes.has(code)) return new StorageConflict(error.message, { cause: error })
    if (code === invalidTextCode && error.message.includes(stateMismatchMarker)) return new StateMismatch(error.message, { cause: error })
    if (code === limitExceededCode && /index row/.test(error.message)) return new StorageRowTooLarge(error.message, { cause: error })
    if (corruptCodes.has(code)) return new StorageCorrupt(error.message, { cause: error })
    if (unavailableClasses.includes(code.slice(0, 2)) || unavailableCodes.has(code) || unavailableSystemCodes.has(code)) {
      return new StorageUnavailable(error.message, { cause: error })
    }
    return error
  }
  // node-postgres reports a lost connection, a connect timeout (the pool's, or a client's own:
  // 'timeout expired') or an ended pool without a code.
  if (/Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|^timeout expired$|Cannot use a pool after calling end/.test(error.message)) {
    return new StorageUnavailable(error.message, { cause: error })
  }
  return error
}
