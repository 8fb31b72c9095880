/**
 * The one place a storage transaction is retried after a StorageConflict: SQLite's group commit
 * when another process holds the write lock (SQLITE_BUSY), PostgreSQL when a serializable
 * transaction loses a race (40001) or a deadlock (40P01). Engines map their driver's errors to
 * StorageConflict first (sqlite-errors.ts, postgres/errors.ts), so the policy is the same for
 * every engine: a bounded number of attempts, waits that double, with jitter so that transactions
 * which collided once do not collide again in lockstep.
 *
 * Because an attempt may run again, everything it does must live inside the transaction: the
 * callers keep their side effects (capacity meters, caches, in-memory records) until after the
 * last attempt has committed.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { StorageConflict } from './errors.js'

/** Attempts at a transaction that keeps losing races, the first included. */
export const transactAttemptsMax = 8
/** First wait between attempts; it doubles each time (about 10, 20, 40 … 640 ms, ~1.3 s in all). */
const conflictBackoffMs = 10

/**
 * Runs `attempt` until it does not throw a StorageConflict, at most transactAttemptsMax times.
 * The last conflict, or any other error, is thrown to the caller. `attempt` gets its 1-based number.
 */
export async function retryOnConflict<T>(attempt: (attemptNumber: number) => Promise<T>): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt(attemptNumber)
    } catch (error) {
      if (!(error instanceof StorageConflict) || attemptNumber >= transactAttemptsMax) throw error
      const backoffMs = conflictBackoffMs * 2 ** (attemptNumber - 1)
      // Between half and all of the backoff: colliding transactions spread apart.
      await sleep(backoffMs / 2 + Math.random() * (backoffMs / 2))
    }
  }
}
