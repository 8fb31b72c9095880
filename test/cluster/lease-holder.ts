/**
 * Which node holds a cluster lease (src/cluster/leases.ts), read straight from the shared
 * PostgreSQL database, for the multi-node tests. The lease's own expiry decides whether it is
 * held, as the nodes decide it; callers wait for the holder they expect (eventually), never for
 * a time.
 */
import pg from 'pg'
import { schemaNameOf } from '../../src/storage/postgres/schema.js'

/** The pid in the holder id (host/pid/random) of the region's lease `name`, while it is held. */
export async function leaseHolderPid(storageUrl: string, region: string, name: string): Promise<number | undefined> {
  const connection = new pg.Client({ connectionString: storageUrl })
  await connection.connect()
  try {
    const result = await connection.query(`SELECT value FROM ${schemaNameOf(region)}.state WHERE namespace = 'leases' AND key = $1`, [name])
    if (result.rows.length === 0) return undefined
    const lease = JSON.parse(result.rows[0].value as string) as { holder: string; expiresAtMs: number }
    return lease.expiresAtMs > Date.now() ? Number(lease.holder.split('/')[1]) : undefined
  } finally {
    await connection.end()
  }
}
