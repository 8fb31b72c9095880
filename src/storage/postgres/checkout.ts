/**
 * The one way a connection is checked out of the pool for several statements (a transaction, a
 * migration). While a connection is checked out the pool no longer listens for its errors, and
 * pg emits one on the connection when the server goes away between two statements (a restart,
 * a failover, an administrator's pg_terminate_backend): with nobody listening, Node ends the
 * process. Here the error is heard; the statement that follows fails with it instead, and the
 * connection is closed on release rather than handed to the next caller.
 */
import type pg from 'pg'
import { mapPostgresError } from './errors.js'

/**
 * Runs `work` on a checked-out connection and releases it after. `work` calls `discard` when the
 * connection must not be reused (its ROLLBACK failed).
 */
export async function withCheckedOutClient<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient, discard: (error: Error) => void) => Promise<T>,
): Promise<T> {
  const client = await pool.connect().catch((error: unknown) => { throw mapPostgresError(error) })
  let broken: Error | undefined
  const discard = (error: Error): void => { broken ??= error }
  client.on('error', discard)
  try {
    return await work(client, discard)
  } catch (error) {
    // A connection made while the database was read-only keeps that setting for its session:
    // closed, rather than pooled, so writes work again as soon as the database takes them.
    if (sqlStateOf(error) === readOnlyTransactionCode) discard(error as Error)
    throw error
  } finally {
    client.removeListener('error', discard)
    // A broken connection may still report its end while the pool closes it: nothing more to learn.
    if (broken) client.on('error', () => undefined)
    client.release(broken)
  }
}

/** read_only_sql_transaction. */
const readOnlyTransactionCode = '25006'

/** The SQLSTATE of a driver error, or of the one a storage error was mapped from. */
function sqlStateOf(error: unknown): unknown {
  const failure = error as { code?: unknown; cause?: { code?: unknown } } | undefined
  return failure?.cause?.code ?? failure?.code
}
