/**
 * The admin commands, which talk to a running server through its public API over HTTP (the
 * same code paths as any client): `eddydb tables` lists tables, `eddydb tables NAME` describes
 * one (`--wait` follows a GSI backfill with a progress bar until the table and its indexes are
 * ACTIVE), and `eddydb status` shows what the server runs (GET /_eddydb/status).
 */
import { canonicalQueryString, signRequest, type AwsCredentials } from '../dax/upstream/sigv4.js'
import { ConfigError, didYouMean } from '../config.js'
import { DynamoError } from '../errors.js'
import { StartupError } from '../startup-error.js'
import { createHttpUpstream, type HttpUpstream } from '../dax/upstream/http.js'
import { errorFromUpstreamReply } from '../dax/upstream/upstream-error.js'
import { statusPath } from '../status-route.js'
import type { StorageInUse } from '../storage/open.js'
import { progressBar } from './progress.js'

/** The options every command against a running server takes. */
export const adminOptionsUsage = `  --endpoint URL   the server (env EDDYDB_ENDPOINT or AWS_ENDPOINT_URL, default http://127.0.0.1:8000,
                   or the port in EDDYDB_PORT)
  --region R       the region (namespace) to look at (env AWS_REGION, default us-east-1)
  --json           print the API's JSON instead of a summary
`

export const adminUsage = `Admin commands (against a running server):
  eddydb tables [NAME] [--wait]   list the tables, or describe one; --wait follows index backfills
  eddydb status                   what the server runs: address, storage, regions, tables,
                                  streams, trigger mappings (with their last error), DAX
  Their options:
${adminOptionsUsage}`

/** One admin command's own help: `eddydb tables --help`, `eddydb help status`. */
export const adminCommandUsage = {
  tables: `Usage: eddydb tables [NAME] [options]

Lists the tables of a running server, or describes table NAME: its status, keys, item count,
size and indexes.

Options:
  --wait           with NAME: follow the table's index backfills with a progress bar until the
                   table and its indexes are ACTIVE
${adminOptionsUsage}`,
  status: `Usage: eddydb status [options]

Shows what a running server runs: its address, storage, regions, tables, streams, trigger
mappings (with their last error) and DAX node.

Options:
${adminOptionsUsage}`,
} as const

export interface AdminOptions {
  endpoint: string
  region: string
  json: boolean
  wait: boolean
  positional: string[]
  /** From AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN: needed when the server has --credentials. */
  credentials: AwsCredentials
  /** No key in the environment: `credentials` is a stand-in that only a server without --credentials takes. */
  standInCredentials: boolean
  /** Values of a command's own flags (`extraFlags`), by flag. */
  values: Record<string, string>
}

/** How often `--wait` looks at the table again. */
const waitPollMs = 250
/** `--wait` gives up after this many looks (a bound, not a deadline: about 25 minutes). */
const waitPollsMax = 6000

/** `extraFlags`: a command's own flags that take a value (eddydb export/import). */
export function parseAdminOptions(argv: string[], env: NodeJS.ProcessEnv, extraFlags: readonly string[] = []): AdminOptions {
  const options: AdminOptions = {
    endpoint: env.EDDYDB_ENDPOINT ?? env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL ?? `http://127.0.0.1:${env.EDDYDB_PORT ?? 8000}`,
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    json: false, wait: false, positional: [], values: {},
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'eddydb', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'eddydb',
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    },
    standInCredentials: env.AWS_ACCESS_KEY_ID === undefined,
  }
  for (let index = 0; index < argv.length; index++) {
    const [flag, inline] = argv[index]!.split(/=(.*)/s, 2) as [string, string | undefined]
    if (flag === '--json') options.json = true
    else if (flag === '--wait') options.wait = true
    else if (flag === '--endpoint' || flag === '--region' || extraFlags.includes(flag)) {
      const value = inline ?? argv[++index]
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new ConfigError(`${flag} needs a value`)
      if (flag === '--endpoint') options.endpoint = value
      else if (flag === '--region') options.region = value
      else options.values[flag] = value
    } else if (flag.startsWith('-')) {
      throw new ConfigError(`unknown option ${flag}${didYouMean(flag, ['--endpoint', '--region', '--json', '--wait', ...extraFlags])}`)
    } else options.positional.push(flag)
  }
  try {
    new URL(options.endpoint)
  } catch {
    throw new ConfigError(`--endpoint: not a URL: ${options.endpoint}`)
  }
  return options
}

/** Runs an API call, turning "nobody listens there" and "wrong key" into one line that says what to do. */
export async function call(upstream: HttpUpstream, options: AdminOptions, operation: string, input: object): Promise<Record<string, any>> {
  try {
    return await upstream.execute(operation, input)
  } catch (error) {
    throw unreachable(error, options.endpoint) ?? withCredentialsHint(error, options)
  }
}

/**
 * A refused signature when the environment named no key: the server checks signatures
 * (--credentials), and the command signed with a stand-in key, so say which variables to set.
 */
function withCredentialsHint(error: unknown, options: AdminOptions): unknown {
  const refused = error instanceof DynamoError &&
    (error.type === 'UnrecognizedClientException' || error.type === 'MissingAuthenticationTokenException')
  if (!refused || !options.standInCredentials) return error
  return new StartupError(`${error.type}: ${error.message} (the server checks signatures: set AWS_ACCESS_KEY_ID and ` +
    'AWS_SECRET_ACCESS_KEY to a key of its --credentials file)')
}

export function unreachable(error: unknown, endpoint: string): StartupError | undefined {
  const code = (error as NodeJS.ErrnoException).code ?? ((error as { cause?: NodeJS.ErrnoException }).cause)?.code
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') {
    return new StartupError(`no server answers at ${endpoint} (${code}); start one with \`eddydb serve\`, or point --endpoint at it`)
  }
  return undefined
}

export function openUpstream(options: AdminOptions): HttpUpstream {
  // Without --credentials on the server, any key works.
  return createHttpUpstream({ endpoint: options.endpoint, region: options.region, credentials: options.credentials })
}

export async function runTablesCommand(argv: string[], env: NodeJS.ProcessEnv = process.env, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const options = parseAdminOptions(argv, env)
  if (options.positional.length > 1) throw new ConfigError(`eddydb tables takes at most one table name, got ${options.positional.join(' ')}`)
  const upstream = openUpstream(options)
  try {
    const [name] = options.positional
    if (name === undefined) {
      if (options.wait) throw new ConfigError('--wait needs a table name')
      await listTables(upstream, options, out)
    } else {
      // With --wait the description is of the table once it is ACTIVE.
      if (options.wait) await waitUntilActive(upstream, options, name)
      const { Table: table } = await call(upstream, options, 'DescribeTable', { TableName: name })
      out.write(options.json ? JSON.stringify(table, null, 2) + '\n' : describeTable(table))
    }
  } finally {
    upstream.close()
  }
}

async function listTables(upstream: HttpUpstream, options: AdminOptions, out: NodeJS.WritableStream): Promise<void> {
  const tables: Record<string, any>[] = []
  let start: string | undefined
  do {
    const page = await call(upstream, options, 'ListTables', start ? { ExclusiveStartTableName: start } : {})
    for (const name of page.TableNames as string[]) tables.push((await call(upstream, options, 'DescribeTable', { TableName: name })).Table)
    start = page.LastEvaluatedTableName
  } while (start)
  if (options.json) {
    out.write(JSON.stringify(tables, null, 2) + '\n')
    return
  }
  if (tables.length === 0) {
    out.write(`no tables in ${options.region} at ${options.endpoint}\n`)
    return
  }
  const rows = tables.map((table) => [table.TableName, table.TableStatus, String(table.ItemCount ?? 0),
    String((table.GlobalSecondaryIndexes ?? []).length + (table.LocalSecondaryIndexes ?? []).length),
    table.StreamSpecification?.StreamEnabled ? table.StreamSpecification.StreamViewType : '-'])
  out.write(formatColumns([['TABLE', 'STATUS', 'ITEMS', 'INDEXES', 'STREAM'], ...rows]))
}

function describeTable(table: Record<string, any>): string {
  const keys = (schema: { AttributeName: string; KeyType: string }[]) => schema.map((key) => `${key.AttributeName} (${key.KeyType})`).join(', ')
  const lines = [
    `${table.TableName}: ${table.TableStatus}, ${table.ItemCount ?? 0} items, ${table.TableSizeBytes ?? 0} bytes`,
    `  key: ${keys(table.KeySchema)}`,
    `  billing: ${table.BillingModeSummary?.BillingMode ?? 'PROVISIONED'}`,
    `  stream: ${table.StreamSpecification?.StreamEnabled ? `${table.StreamSpecification.StreamViewType} ${table.LatestStreamArn}` : 'off'}`,
  ]
  for (const index of table.GlobalSecondaryIndexes ?? []) {
    lines.push(`  GSI ${index.IndexName}: ${index.IndexStatus}${index.Backfilling ? ' (backfilling)' : ''}, key ${keys(index.KeySchema)}, ${index.Projection?.ProjectionType}`)
  }
  for (const index of table.LocalSecondaryIndexes ?? []) {
    lines.push(`  LSI ${index.IndexName}: key ${keys(index.KeySchema)}, ${index.Projection?.ProjectionType}`)
  }
  return lines.join('\n') + '\n'
}

/** Polls until the table and every GSI are ACTIVE, drawing backfill progress from the status route. */
async function waitUntilActive(upstream: HttpUpstream, options: AdminOptions, name: string): Promise<void> {
  const bars = new Map<string, ReturnType<typeof progressBar>>()
  for (let poll = 0; poll < waitPollsMax; poll++) {
    const { Table: table } = await call(upstream, options, 'DescribeTable', { TableName: name })
    const creating = (table.GlobalSecondaryIndexes ?? []).filter((index: Record<string, any>) => index.IndexStatus !== 'ACTIVE')
    for (const [indexName, bar] of bars) {
      if (!creating.some((index: Record<string, any>) => index.IndexName === indexName)) {
        bar.finish('ACTIVE')
        bars.delete(indexName)
      }
    }
    if (table.TableStatus === 'ACTIVE' && creating.length === 0) return
    const progress = creating.length > 0 ? await backfillProgress(options, name) : new Map()
    for (const index of creating) {
      let bar = bars.get(index.IndexName)
      if (!bar) bars.set(index.IndexName, bar = progressBar(`${name}/${index.IndexName} backfill`))
      const walked = progress.get(index.IndexName)
      if (walked) bar.update(walked.itemsWalked, walked.itemCount)
    }
    await new Promise((resolve) => setTimeout(resolve, waitPollMs))
  }
  throw new StartupError(`${name} is still not ACTIVE after ${waitPollsMax} looks; see \`eddydb status\``)
}

async function backfillProgress(options: AdminOptions, tableName: string): Promise<Map<string, { itemsWalked: number; itemCount: number }>> {
  const status = await callRoute(options, { method: 'GET', path: statusPath })
  const region = (status.regions as Record<string, any>[]).find((each) => each.name === options.region) ?? (status.regions as Record<string, any>[])[0]
  const table = (region?.tables as Record<string, any>[] | undefined)?.find((each) => each.name === tableName)
  const progress = new Map<string, { itemsWalked: number; itemCount: number }>()
  for (const index of table?.globalIndexes ?? []) if (index.backfill) progress.set(index.name, index.backfill)
  return progress
}

/**
 * Calls one of EddyDB's own routes (GET /_eddydb/status, /_eddydb/as-of, POST
 * /_eddydb/backups/copy), signed as the API calls are, since a server with --credentials verifies
 * them too; returns its JSON answer. A refusal is the server's own error when it gives one (a key
 * of another account, a wrong secret), printed as API errors are; otherwise a hint that whatever
 * answered may not be EddyDB.
 */
export async function callRoute(
  options: AdminOptions, request: { method: 'GET' | 'POST'; path: string; query?: Record<string, string>; body?: string },
): Promise<Record<string, any>> {
  const query = request.query ? canonicalQueryString(request.query) : ''
  const url = new URL(request.path + (query ? `?${query}` : ''), options.endpoint)
  const body = request.body ?? ''
  let reply: Response
  try {
    const headers = signRequest(
      { method: request.method, host: url.host, path: request.path, query, headers: body ? { 'content-type': 'application/json' } : {}, body },
      { region: options.region, service: 'dynamodb', credentials: options.credentials, date: new Date() })
    delete headers.host
    reply = await fetch(url, { method: request.method, headers, ...(body ? { body } : {}) })
  } catch (error) {
    const cause = (error as { cause?: Error }).cause ?? error as Error
    throw unreachable(cause, options.endpoint) ?? new StartupError(`cannot reach ${options.endpoint}: ${cause.message}`)
  }
  if (reply.ok) return await reply.json() as Record<string, any>
  const error = errorFromUpstreamReply(reply.status, await reply.text())
  // UnknownError: the body has no __type, so it is not a DynamoDB-style JSON error.
  if (reply.status < 500 && error.type !== 'UnknownError') throw withCredentialsHint(error, options)
  throw new StartupError(`${options.endpoint} answered HTTP ${reply.status} to ${request.path}: is it an EddyDB server?`)
}

export async function runStatusCommand(argv: string[], env: NodeJS.ProcessEnv = process.env, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const options = parseAdminOptions(argv, env)
  if (options.positional.length > 0) throw new ConfigError(`unexpected argument ${options.positional[0]}`)
  if (options.wait) throw new ConfigError('--wait goes with eddydb tables NAME')
  const status = await callRoute(options, { method: 'GET', path: statusPath })
  out.write(options.json ? JSON.stringify(status, null, 2) + '\n' : describeStatus(status))
}

function describeStatus(status: Record<string, any>): string {
  const lines = [
    `EddyDB ${status.version} (pid ${status.pid}) at ${status.url}, since ${status.startedAt}`,
    `  data: ${describeStorage(status.storage)}`,
    `  regions: ${status.sharedRegions ? `shared (every region is ${status.defaultRegion})` : `one namespace per region (default ${status.defaultRegion})`}`,
  ]
  for (const region of status.regions as Record<string, any>[]) {
    lines.push(`  ${region.name} (account ${region.account}): ${region.tables.length} tables, ${region.mappings.length} trigger mappings, ${region.daxClusters.length} DAX clusters`)
    for (const table of region.tables as Record<string, any>[]) {
      const stream = table.stream ? `, stream ${table.stream.viewType}` : ''
      lines.push(`    table ${table.name}: ${table.status}, ${table.itemCount} items${stream}`)
      for (const index of table.globalIndexes as Record<string, any>[]) {
        const backfill = index.backfill ? `, backfill ${index.backfill.itemsWalked}/${index.backfill.itemCount} items` : ''
        lines.push(`      GSI ${index.name}: ${index.status}${backfill}`)
      }
    }
    for (const mapping of region.mappings as Record<string, any>[]) {
      lines.push(`    mapping ${mapping.uuid}: ${mapping.table} -> ${mapping.functionName}, ${mapping.enabled ? 'enabled' : 'disabled'}, ${mapping.deliveredBatches} batches, ${mapping.failures} failures; ${mapping.lastProcessingResult}`)
    }
    for (const cluster of region.daxClusters as Record<string, any>[]) {
      lines.push(`    DAX cluster ${cluster.name}: ${cluster.status}, ${cluster.nodes} nodes`)
    }
  }
  if (status.dax) lines.push(`  DAX node: wire port ${status.dax.wirePort ?? 'off'}, JSON endpoint port ${status.dax.httpPort ?? 'off'}`)
  return lines.join('\n') + '\n'
}

function describeStorage(storage: StorageInUse): string {
  if (storage.kind === 'postgresql') return `PostgreSQL at ${storage.url}`
  if (storage.kind === 'memory') return 'in memory'
  // Reported by servers since 0.x: an older one's status has no durability.
  return storage.durability === 'power' ? `${storage.dataDir} (durability: power)` : storage.dataDir
}

export function formatColumns(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n') + '\n'
}
