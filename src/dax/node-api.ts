/**
 * The seams of the DAX-compatible tier. A DAX node is a cache (item cache + query cache) in
 * front of an upstream DynamoDB endpoint, served over the DAX wire protocol (CBOR over TCP) and
 * optionally over the DynamoDB JSON API on HTTP. Both protocols decode requests into DynamoDB
 * API shapes and run them through one DynamoDbExecutor, so cache semantics live in one place.
 */
import type { ServerAccess } from '../security/access.js'
import type { Clock } from '../api/context.js'
import type { Logger } from '../log.js'
import type { Item } from '../values/types.js'

/**
 * Runs a DynamoDB data-plane operation given in the DynamoDB JSON shape ('GetItem', {TableName,
 * Key, ...}) and returns the DynamoDB JSON output. Errors are thrown as DynamoErrors (src/errors.ts),
 * or as errors that carry the upstream's __type and message.
 */
export interface DynamoDbExecutor {
  execute(operation: string, input: Record<string, any>): Promise<Record<string, any>>
}

/** DAX parameter-group settings that shape a node's cache. 0 TTL keeps DAX's meaning (see docs/dax.md). */
export interface DaxCacheSettings {
  /** record-ttl-millis: how long an item-cache entry (or negative entry) is served. DAX default 300000. */
  recordTtlMillis: number
  /** query-ttl-millis: how long a query/scan cache entry is served. DAX default 300000. */
  queryTtlMillis: number
  /** The memory budget shared by both caches, in estimated bytes (LRU eviction past it). */
  cacheSizeBytes: number
  /** Opt-in difference from DAX: writes through this node also drop the table's query cache. */
  coherent?: boolean
}

/**
 * A PEM certificate (chain) and private key. With it the wire listener speaks TLS only, like an
 * AWS DAX cluster with encryption in transit (clients use `daxs://`, port 9111).
 */
export interface DaxTlsOptions {
  cert: string | Buffer
  key: string | Buffer
}

/** One node as the endpoint-discovery call reports it. */
export interface DaxEndpoint {
  nodeId: string
  hostname: string
  address: string
  port: number
  role: 'primary' | 'replica'
  availabilityZone: string
}

export interface DaxNodeOptions {
  clusterName: string
  /** The resource of the dax: policy checks (default: the cluster named clusterName in us-east-1 of account 000000000000). */
  clusterArn?: string
  nodeId: string
  role: 'primary' | 'replica'
  host: string
  /** Port for the DAX wire protocol (0 picks a free one). */
  wirePort: number
  /** Serve the wire protocol over TLS only; endpoints() should then report this TLS port. */
  tls?: DaxTlsOptions
  /** Port for the DynamoDB JSON API through the cache; omitted = no HTTP endpoint. */
  httpPort?: number
  upstream: DynamoDbExecutor
  settings: DaxCacheSettings
  clock: Clock
  log: Logger
  /** Every node of the cluster, for endpoint discovery. */
  endpoints(): DaxEndpoint[]
  /** Who may connect (both protocols); default: anyone with a well-formed signature. */
  access?: ServerAccess
  /** Told of each item-cache entry a read miss stored (undefined item: a negative entry) and when the read began, for the cluster's other nodes. */
  onItemFill?: (cacheKey: string, item: Item | undefined, readAtMs: number) => void
}

export interface RunningDaxNode {
  readonly options: DaxNodeOptions
  readonly wirePort: number
  readonly httpPort?: number
  /** The caching executor: what both protocols run requests through. */
  readonly executor: DynamoDbExecutor
  /** DAX metric names (ItemCacheHits, QueryCacheMisses, EvictedSize, ...) → values. */
  stats(): Record<string, number>
  updateSettings(settings: DaxCacheSettings): void
  /** Stores an item-cache entry another node filled on a read miss begun at readAtMs, unless a fresh one is held or the key was written since. */
  applyItemFill(cacheKey: string, item: Item | undefined, readAtMs: number): void
  /** Drops every cache entry (a replica that fell behind; RebootNode keeps them, as DAX's does). */
  clear(): void
  close(): Promise<void>
}

/** Starts a node: its caches, its wire listener and its optional HTTP endpoint. (src/dax/node.ts) */
export type StartDaxNode = (options: DaxNodeOptions) => Promise<RunningDaxNode>

export interface DaxWireServerOptions {
  host: string
  port: number
  /** Serve over TLS (node:tls) instead of plain TCP. */
  tls?: DaxTlsOptions
  executor: DynamoDbExecutor
  endpoints(): DaxEndpoint[]
  log: Logger
}

export interface RunningDaxWireServer {
  readonly port: number
  close(): Promise<void>
}

/** Serves the DAX wire protocol for one node. (src/dax/wire/server.ts) */
export type StartDaxWireServer = (options: DaxWireServerOptions) => Promise<RunningDaxWireServer>
