/**
 * Rolling upgrades on PostgreSQL. A node that has a region open holds, on a session of its own, a
 * shared advisory lock that stands for "a node of schema version V runs on this schema"
 * (schemaVersionLockId). A newer EddyDB that would migrate the schema from version V asks for
 * that lock alone first (schema.ts), and while any node of version V still holds it the
 * migration is refused, with the number of such nodes: older nodes do not serve a schema
 * migrated under them (requests already under way when a lock's session ends aside). Nodes of one version share the lock, so restarting them one at a time
 * (the same version) needs nothing.
 *
 * The lock is taken before the node reads the schema's version, so a node starting while a newer
 * one migrates either holds its lock first (and the migration is refused) or waits for the
 * migration to commit and then finds the newer version (and is refused itself).
 *
 * A session lock lasts as long as its connection. When the connection breaks (a database
 * restart, a network fault), the node's regions serve nothing (StorageUnavailable, which SDKs
 * retry) until the connection is opened again, after a pause, and every lock taken again; then
 * each region's version is read once more, since a newer node may have migrated it meanwhile, and
 * the engine is told (it then refuses to serve the region rather than misread it). Serving on
 * during the pause let an older node write into a schema a newer one had just migrated (a probe
 * that terminated the lock's session saw it within 0.3 s). The session turns PostgreSQL's
 * idle_session_timeout off for itself (it is idle by design, and that timeout would end it every
 * few seconds). A session whose connection dies without a word (the database's host gone, a
 * failover: no reset ever arrives, and TCP keepalives wait two hours) is found by a heartbeat, a
 * `SELECT 1` every 2 s that must answer within 3 s; until then, at most about 5 s, the node still
 * serves (a probe through a proxy that went silent saw 4,435 rows written in 16 s before this).
 *
 * One connection per node and database (database.ts), whatever the number of regions.
 */
import type pg from 'pg'
import { StorageUnavailable } from '../errors.js'
import { mapPostgresError } from './errors.js'
import { connectTimeoutMs, postgresDriver } from './driver.js'
import { identifier } from './sql.js'
import { schemaVersionLockId } from './statements.js'

const reconnectDelayMs = 1000
/** How often the idle session is checked, and how long the check may take before it counts as lost. */
const heartbeatMs = 2_000
const heartbeatTimeoutMs = 3_000

/** Called when a schema is found at a newer version than the lock held for it, after a reconnect. */
export type SchemaMoved = (foundVersion: number) => void

interface HeldLock {
  schemaName: string
  version: number
  /** Engines of this process holding it (tests open several nodes in one process). */
  holders: number
  /** Taken on the current connection (or being taken). */
  taken: Promise<void>
  /** Held on the live connection, the schema's version checked since it was (re)taken. */
  current: boolean
  /** The connection it is held on (a session lock taken twice there would need two unlocks). */
  session: Promise<pg.Client> | undefined
  onMoved: SchemaMoved[]
}

/** One holder's share of a lock. */
export interface VersionLockHold {
  /** False from the moment the lock's session is lost until it is taken again and the version checked. */
  readonly held: boolean
  release(): void
}

export class SchemaVersionLocks {
  readonly #url: string
  readonly #held = new Map<bigint, HeldLock>()
  #client: Promise<pg.Client> | undefined
  #timer: NodeJS.Timeout | undefined
  #closed = false
  /** Statements of ours running on the session: a heartbeat then would queue behind them. */
  #busy = 0

  constructor(url: string) {
    this.#url = url
  }

  /**
   * Holds the lock of `schemaName` at `version` until released. Rejects (StorageUnavailable)
   * when the database cannot be reached; nothing is held then.
   */
  async hold(schemaName: string, version: number, onMoved: SchemaMoved): Promise<VersionLockHold> {
    const id = schemaVersionLockId(schemaName, version)
    let lock = this.#held.get(id)
    if (lock === undefined) {
      const taking: HeldLock = { schemaName, version, holders: 0, taken: Promise.resolve(), current: false, session: undefined, onMoved: [] }
      taking.taken = this.#take(id, taking).then(() => { taking.current = true })
      lock = taking
      this.#held.set(id, lock)
      // A failed first take leaves nothing behind: the next hold() tries afresh.
      taking.taken.catch(() => { if (this.#held.get(id) === taking && taking.holders === 0) this.#held.delete(id) })
    }
    lock.holders++
    lock.onMoved.push(onMoved)
    try {
      await lock.taken
    } catch (error) {
      this.#drop(id, lock, onMoved)
      throw error
    }
    let released = false
    const held = lock
    return {
      get held() { return !released && held.current },
      release: () => {
        if (released) return
        released = true
        this.#drop(id, held, onMoved)
      },
    }
  }

  async close(): Promise<void> {
    this.#closed = true
    clearTimeout(this.#timer)
    const client = this.#client
    this.#client = undefined
    this.#held.clear()
    // Ending the session releases every lock it holds.
    await client?.then((connected) => connected.end(), () => undefined).catch(() => undefined)
  }

  #drop(id: bigint, lock: HeldLock, onMoved: SchemaMoved): void {
    lock.holders--
    lock.onMoved.splice(lock.onMoved.indexOf(onMoved), 1)
    if (lock.holders > 0 || this.#held.get(id) !== lock) return
    this.#held.delete(id)
    void this.#client?.then((client) => client.query('SELECT pg_advisory_unlock_shared($1)', [id.toString()]))
      .catch(() => undefined)
  }

  /** Takes the lock on the session, waiting while a migrating node holds it alone. */
  async #take(id: bigint, lock: HeldLock): Promise<void> {
    const session = this.#connected()
    const client = await session
    try {
      // Waits while a migrating node holds it alone: no heartbeat behind it meanwhile.
      await this.#busyWith(() => client.query('SELECT pg_advisory_lock_shared($1)', [id.toString()]))
    } catch (error) {
      throw mapPostgresError(error)
    }
    lock.session = session
  }

  /** Runs one of our statements on the session, the heartbeat held off meanwhile. */
  async #busyWith<T>(work: () => Promise<T>): Promise<T> {
    this.#busy++
    try {
      return await work()
    } finally {
      this.#busy--
    }
  }

  /** The session, opened when none is (the first hold, or a retake after a loss). */
  #connected(): Promise<pg.Client> {
    if (this.#client) return this.#client
    const client = new (postgresDriver().Client)({
      connectionString: this.#url, connectionTimeoutMillis: connectTimeoutMs, application_name: 'eddydb-version-locks', keepAlive: true,
    })
    const connection: Promise<pg.Client> = client.connect().then(async () => {
      // PostgreSQL 14 and later; older servers (and other engines) have no such setting.
      await client.query('SET idle_session_timeout = 0').catch(() => undefined)
      return client
    }, (error: unknown) => {
      this.#forget(connection)
      throw mapPostgresError(error)
    })
    client.on('error', () => this.#lost(connection))
    client.on('end', () => this.#lost(connection))
    this.#client = connection
    this.#beat(connection, client)
    return connection
  }

  /** Checks the session every heartbeatMs while it is the current one (the file comment says why). */
  #beat(connection: Promise<pg.Client>, client: pg.Client): void {
    let open = false
    connection.then(() => { open = true }, () => undefined)
    const timer = setInterval(() => {
      if (this.#client !== connection) {
        clearInterval(timer)
        return
      }
      if (!open || this.#busy > 0) return
      answersWithin(client, heartbeatTimeoutMs).then((answered) => { if (!answered) this.#lost(connection) })
    }, heartbeatMs)
    timer.unref()
  }

  /** The next hold() or retake opens a new connection. */
  #forget(connection: Promise<pg.Client> | undefined): void {
    if (this.#client === connection) this.#client = undefined
  }

  #lost(connection: Promise<pg.Client> | undefined): void {
    if (this.#closed || this.#client !== connection) return
    this.#dropSession()
    this.#retakeLater()
  }

  /** Ends the session, and with it every lock held on it. */
  #dropSession(): void {
    const connection = this.#client
    this.#client = undefined
    for (const lock of this.#held.values()) {
      lock.current = false
      lock.session = undefined
    }
    void connection?.then((client) => client.end(), () => undefined).catch(() => undefined)
  }

  #retakeLater(): void {
    if (this.#held.size === 0 || this.#timer !== undefined) return
    this.#timer = setTimeout(() => void this.#retake(), reconnectDelayMs)
    this.#timer.unref()
  }

  /**
   * After a lost session: every lock taken again on a new one (but one a new hold() already took
   * there), then each schema's version read again.
   */
  async #retake(): Promise<void> {
    this.#timer = undefined
    if (this.#closed || this.#held.size === 0) return
    try {
      const session = this.#connected()
      const client = await session
      for (const [id, lock] of this.#held) {
        if (lock.session === session) continue
        lock.taken = this.#take(id, lock)
        await lock.taken
        const found = await this.#busyWith(() => versionOf(client, lock.schemaName))
        if (found !== undefined && found > lock.version) for (const onMoved of [...lock.onMoved]) onMoved(found)
        lock.current = true
      }
    } catch {
      // Lost again, or never reached: a new session after the pause.
      this.#dropSession()
      this.#retakeLater()
    }
  }
}

/** Whether the session answers a trivial statement within `timeoutMs` (false on an error too). */
function answersWithin(client: pg.Client, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs)
    timer.unref()
    client.query('SELECT 1').then(() => resolve(true), () => resolve(false)).finally(() => clearTimeout(timer))
  })
}

/**
 * The schema's version, or undefined when it cannot be read for a reason other than the
 * connection (the schema dropped under the node: its region's requests then fail on their own).
 */
async function versionOf(client: pg.Client, schemaName: string): Promise<number | undefined> {
  try {
    const { rows } = await client.query(`SELECT version FROM ${identifier(schemaName).text}.schema_version`)
    return Number(rows[0]?.version)
  } catch (error) {
    const mapped = mapPostgresError(error)
    if (mapped instanceof StorageUnavailable) throw mapped
    return undefined
  }
}
