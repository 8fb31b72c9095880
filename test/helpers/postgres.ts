/**
 * A throwaway PostgreSQL cluster for tests: initdb into a temporary directory, a postgres server
 * on a free port of 127.0.0.1 with its unix socket in that directory, stopped by its PID and
 * removed at the end. PostgreSQL refuses to run as root, so when the tests run as root (as CI
 * does) initdb and postgres run as the `postgres` system user, which owns the directory.
 *
 * The binaries are looked for in EDDYDB_TEST_POSTGRES_BIN, then /usr/lib/postgresql/<n>/bin.
 * Without them, postgresSkipReason() says why the PostgreSQL tests are skipped.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before } from 'node:test'
import pg from 'pg'
import { schemaNameOf } from '../../src/storage/postgres/schema.js'
import { startServer, type RunningServer } from '../../src/server.js'

export interface PostgresCluster {
  /** A connection URL for `database` (default: the cluster's first database, postgres). */
  url(database?: string): string
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>
  /** Shuts the server down (fast shutdown) and keeps its data: an outage, until resume(). */
  halt(): Promise<void>
  /** Starts the halted server again on the same port, with the same data. */
  resume(): Promise<void>
  stop(): Promise<void>
}

const user = 'eddydb'

function binDirectory(): string | undefined {
  const fromEnv = process.env.EDDYDB_TEST_POSTGRES_BIN
  if (fromEnv) return existsSync(join(fromEnv, 'initdb')) ? fromEnv : undefined
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root).filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
  versions.sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin')
}

/**
 * Why PostgreSQL tests cannot run here, or undefined when they can. With
 * EDDYDB_TEST_REQUIRE_POSTGRES=1 (as CI sets) a reason is an error instead: there the tests must run.
 */
export function postgresSkipReason(): string | undefined {
  const reason = binDirectory() === undefined
    ? 'PostgreSQL binaries not found (install the postgresql package or set EDDYDB_TEST_POSTGRES_BIN)'
    : process.getuid?.() === 0 && systemUser() === undefined
      ? 'running as root and there is no postgres user to run PostgreSQL as'
      : undefined
  if (reason !== undefined && process.env.EDDYDB_TEST_REQUIRE_POSTGRES === '1') throw new Error(reason)
  return reason
}

/**
 * A throwaway cluster for the test file that calls this at its top: started before its tests,
 * stopped after them, and neither where `skipReason` says they are skipped. The function it
 * returns gives the cluster's URL once it has started.
 */
export function postgresForThisFile(skipReason: string | undefined): () => string {
  let cluster: PostgresCluster | undefined
  before(async () => {
    if (!skipReason) cluster = await startPostgres()
  })
  after(async () => { await cluster?.stop() })
  return () => cluster!.url()
}

/** uid and gid of the postgres system user, when this process is root and must switch to it. */
function systemUser(): { uid: number; gid: number } | undefined {
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' })
  const uid = id('-u')
  const gid = id('-g')
  if (uid.status !== 0 || gid.status !== 0) return undefined
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) }
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/**
 * `durable`: PostgreSQL's own defaults for fsync and commits, as a production server runs (for
 * benchmarks of commit-bound work; tests leave them off).
 */
export async function startPostgres(options: { durable?: boolean } = {}): Promise<PostgresCluster> {
  const bin = binDirectory()
  if (bin === undefined) throw new Error(postgresSkipReason())
  const owner = process.getuid?.() === 0 ? systemUser() : undefined
  const directory = mkdtempSync(join(tmpdir(), 'eddydb-postgres-'))
  const dataDirectory = join(directory, 'data')
  if (owner) chownSync(directory, owner.uid, owner.gid)
  const runAs = owner ? { uid: owner.uid, gid: owner.gid } : {}
  const initdb = spawnSync(join(bin, 'initdb'), [
    '-D', dataDirectory, '-U', user, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync',
  ], { ...runAs, encoding: 'utf8' })
  if (initdb.status !== 0) {
    rmSync(directory, { recursive: true, force: true })
    throw new Error(`initdb failed: ${initdb.stderr || initdb.error?.message}`)
  }
  const port = await freePort()
  // Durability is not what these tests check: no fsync keeps a test run fast on a busy machine.
  const noSync = options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
  const launch = () => spawn(join(bin, 'postgres'), [
    '-D', dataDirectory, '-p', String(port), '-h', '127.0.0.1', '-k', directory, ...noSync, '-c', 'max_connections=300',
  ], { ...runAs, stdio: ['ignore', 'ignore', 'pipe'] })
  let server = launch()
  try {
    await untilReady(server)
  } catch (error) {
    server.kill('SIGKILL')
    rmSync(directory, { recursive: true, force: true })
    throw error
  }
  // If this process ends without stop() (an uncaught error), the server must not outlive it.
  const stopOnExit = () => { try { process.kill(server.pid!, 'SIGINT') } catch { /* already gone */ } }
  process.once('exit', stopOnExit)
  const url = (database = 'postgres') => `postgresql://${user}@127.0.0.1:${port}/${database}`
  let stopping: Promise<void> | undefined
  return {
    url,
    createDatabase: (name) => createDatabaseAt(url(), name),
    halt: () => shutDown(server),
    resume: async () => {
      server = launch()
      await untilReady(server)
    },
    stop: () => (stopping ??= shutDown(server)
      .then(() => rmSync(directory, { recursive: true, force: true }))
      .finally(() => process.off('exit', stopOnExit))),
  }
}

/** Creates an empty database on the server `serverUrl` points at; returns the URL of the new one. */
export async function createDatabaseAt(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`)
  } finally {
    await client.end()
  }
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** Item rows stored under a TableId in a region's schema, counted in the database itself. */
export async function storedItemCount(databaseUrl: string, tableId: string, region = 'us-east-1'): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const result = await client.query(`SELECT count(*) AS count FROM ${schemaNameOf(region)}.items WHERE table_id = $1`, [tableId])
    return Number(result.rows[0].count)
  } finally {
    await client.end()
  }
}

/** Resolves when the server logs that it accepts connections; rejects if it exits first. */
function untilReady(server: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = ''
    const onData = (chunk: Buffer) => {
      log += chunk.toString('utf8')
      if (log.includes('database system is ready to accept connections')) {
        server.stderr!.off('data', onData)
        server.stderr!.resume()
        resolve()
      }
    }
    server.stderr!.on('data', onData)
    server.once('exit', (code) => reject(new Error(`postgres exited with ${code} before it was ready:\n${log}`)))
  })
}

/** Fast shutdown (SIGINT) of this cluster's postmaster by its PID, if it is running. */
async function shutDown(server: ChildProcess): Promise<void> {
  if (server.exitCode === null && server.signalCode === null) {
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()))
    process.kill(server.pid!, 'SIGINT')
    await exited
  }
}

/** A throwaway PostgreSQL with one database, and EddyDB nodes sharing that database. */
export interface PostgresNodes {
  cluster: PostgresCluster
  storageUrl: string
  servers: RunningServer[]
}

/** Starts a cluster, makes `database` on it, and starts `count` nodes on that database (quiet, free ports). */
export async function startPostgresNodes(database: string, count: number): Promise<PostgresNodes> {
  const cluster = await startPostgres()
  const storageUrl = await cluster.createDatabase(database)
  const servers: RunningServer[] = []
  for (let index = 0; index < count; index++) servers.push(await startServer({ port: 0, logLevel: 'silent', storageUrl }))
  return { cluster, storageUrl, servers }
}

/** Closes the nodes, then stops the cluster; nothing when they never started (a skipped file). */
export async function stopPostgresNodes(nodes: PostgresNodes | undefined): Promise<void> {
  for (const server of nodes?.servers ?? []) await server.close()
  await nodes?.cluster.stop()
}
