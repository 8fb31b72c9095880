/** Errors storage engines throw. The operations layer retries StorageConflict a bounded number of times. */
export class StorageError extends Error {}
/** The transaction lost a race (SQLITE_BUSY, PostgreSQL 40001); running it again may succeed. */
export class StorageConflict extends StorageError {}
/** The backend is unreachable or closed. */
export class StorageUnavailable extends StorageError {}
/** Stored data is not what this code wrote. */
export class StorageCorrupt extends StorageError {}
/**
 * A row larger than the backend can hold: PostgreSQL's btree index rows are at most 2,704 bytes
 * (after compression), and an item's key, or an index entry's index key and table key together,
 * can be longer (DynamoDB allows 2,048 + 1,024 bytes each). Nothing was written.
 */
export class StorageRowTooLarge extends StorageError {}
/** A state entry was not what the transaction expected (Transaction.expectState); nothing was written. */
export class StateMismatch extends StorageError {}

/**
 * A failure that passes: storage out of reach or out of space (StorageUnavailable), or a race
 * whose retries ran out (StorageConflict). The same work may succeed later unchanged.
 */
export function isTransientStorageError(error: unknown): boolean {
  return error instanceof StorageUnavailable || error instanceof StorageConflict
}
