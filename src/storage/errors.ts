/** Errors storage engines throw. The operations layer retries StorageConflict a bounded number of times. */
export class StorageError extends Error {}
/** The transaction lost a race (SQLITE_BUSY, PostgreSQL 40001); running it again may succeed. */
export class StorageConflict extends StorageError {}
/** The backend is unreachable or closed. */
export class StorageUnavailable extends StorageError {}
/** Stored data is not what this code wrote. */
export class StorageCorrupt extends StorageError {}
/** A state entry was not what the transaction expected (Transaction.expectState); nothing was written. */
export class StateMismatch extends StorageError {}

/**
 * A failure that passes: storage out of reach or out of space (StorageUnavailable), or a race
 * whose retries ran out (StorageConflict). The same work may succeed later unchanged.
 */
export function isTransientStorageError(error: unknown): boolean {
  return error instanceof StorageUnavailable || error instanceof StorageConflict
}
