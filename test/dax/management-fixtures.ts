/**
 * What the management tests share: an in-process EddyDB whose dispatcher also serves AmazonDAXV3,
 * and a stand-in StartDaxNode. The stand-in records every node it starts and gives each a tiny
 * write-through item cache (tables keyed by `pk` only), enough to watch replicas converge without
 * the real cache (src/dax/node.ts), which another engineer builds.
 */
import type { AddressInfo } from 'node:net'
import { DAXClient } from '@aws-sdk/client-dax'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createDispatcher } from '../../src/api/dispatch.js'
import { JsonText } from '../../src/api/json-text.js'
import { operationNamed } from '../../src/api/operation.js'
import { dynamoDbOperations } from '../../src/api/operations.js'
import { systemClock } from '../../src/api/context.js'
import { defaultConfig } from '../../src/config.js'
import { createHttpServer } from '../../src/http/server.js'
import { createLogger } from '../../src/log.js'
import { Regions } from '../../src/regions.js'
import { DaxClusters, type DaxClustersOptions } from '../../src/dax/management/clusters.js'
import { daxManagementOperations } from '../../src/dax/management/operations.js'
import type {
  DaxCacheSettings, DaxNodeOptions, DynamoDbExecutor, RunningDaxNode, StartDaxNode,
} from '../../src/dax/node-api.js'

export const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }
export const silentLog = createLogger('silent')

/** A started stand-in node, with what the registry did to it. */
export interface FakeNode extends RunningDaxNode {
  settingsHistory: DaxCacheSettings[]
  clearCount: number
  closed: boolean
  /** GetItem answers served from this node's item cache. */
  cacheHits: number
  itemCache: Map<string, Record<string, any> | null>
}

export interface NodeRecorder {
  startNode: StartDaxNode
  started: FakeNode[]
  /** Makes the next starts on these ports fail as a port another program holds would. */
  busyPorts: Set<number>
}

let fakePortCounter = 40_000

export function recordingStartNode(): NodeRecorder {
  const started: FakeNode[] = []
  const busyPorts = new Set<number>()
  const startNode: StartDaxNode = async (options) => {
    if (busyPorts.has(options.wirePort)) {
      throw Object.assign(new Error(`listen EADDRINUSE ${options.wirePort}`), { code: 'EADDRINUSE' })
    }
    const node = fakeNode(options, options.wirePort === 0 ? fakePortCounter++ : options.wirePort)
    started.push(node)
    return node
  }
  return { startNode, started, busyPorts }
}

function fakeNode(options: DaxNodeOptions, wirePort: number): FakeNode {
  const itemCache = new Map<string, Record<string, any> | null>()
  const node: FakeNode = {
    options, wirePort, settingsHistory: [options.settings], clearCount: 0, closed: false, cacheHits: 0, itemCache,
    executor: writeThroughExecutor(options.upstream, itemCache, () => { node.cacheHits += 1 }),
    stats: () => ({ ItemCacheHits: node.cacheHits }),
    updateSettings: (settings) => { node.settingsHistory.push(settings) },
    applyItemFill: (cacheKey, item, _readAtMs) => { if (!itemCache.has(cacheKey)) itemCache.set(cacheKey, item ?? null) },
    clear: () => { node.clearCount += 1; itemCache.clear() },
    close: async () => { node.closed = true },
  }
  return node
}

const cacheKey = (table: string, key: Record<string, unknown>) => `${table}/${JSON.stringify(key.pk)}`

/**
 * Write-through in miniature. Like a real DAX node it rewrites UpdateItem to ask for the new image
 * (so a replayed write must match what the primary sent upstream), and caches negative results.
 */
function writeThroughExecutor(upstream: DynamoDbExecutor, cache: Map<string, Record<string, any> | null>, onHit: () => void): DynamoDbExecutor {
  return {
    async execute(operation, input) {
      const key = (item: Record<string, any>) => cacheKey(input.TableName, item)
      switch (operation) {
        case 'GetItem': {
          const cached = cache.get(key(input.Key))
          if (cached !== undefined) { onHit(); return cached ? { Item: cached } : {} }
          const output = await upstream.execute(operation, input)
          cache.set(key(input.Key), output.Item ?? null)
          return output
        }
        case 'PutItem': {
          const output = await upstream.execute(operation, input)
          cache.set(key(input.Item), input.Item)
          return output
        }
        case 'UpdateItem': {
          const output = await upstream.execute(operation, { ...input, ReturnValues: 'ALL_NEW' })
          cache.set(key(input.Key), output.Attributes ?? null)
          return output
        }
        case 'DeleteItem': {
          const output = await upstream.execute(operation, input)
          cache.set(key(input.Key), null)
          return output
        }
        default:
          return upstream.execute(operation, input)
      }
    },
  }
}

/** Runs DynamoDB operations in process against one region, the way the real upstream does. */
export function inProcessExecutor(regions: Regions, region: string): DynamoDbExecutor {
  return {
    async execute(operation, input) {
      const entry = operationNamed(dynamoDbOperations, operation)
      if (!entry) throw new Error(`no such operation ${operation}`)
      const accepted = entry.accept(input)
      const context = await regions.get(region)
      const output = await accepted({ ...context, requestId: 'dax-upstream' })
      return output instanceof JsonText ? JSON.parse(output.text) : output as Record<string, any>
    },
  }
}

export interface ManagementServer {
  endpoint: string
  dax: DAXClient
  dynamodb: DynamoDBClient
  clusters: DaxClusters
  nodes: NodeRecorder
  upstreamRegions: string[]
  newDaxClient(region: string): DAXClient
  close(): Promise<void>
}

export async function startManagementServer(overrides: Partial<DaxClustersOptions> = {}): Promise<ManagementServer> {
  const config = { ...defaultConfig, inMemory: true, logLevel: 'silent' as const }
  const regions = new Regions({ config, clock: systemClock, log: silentLog })
  const nodes = recordingStartNode()
  const upstreamRegions: string[] = []
  const clusters = new DaxClusters({
    startNode: nodes.startNode,
    upstreamFor: (region) => { upstreamRegions.push(region); return inProcessExecutor(regions, region) },
    host: '127.0.0.1', basePort: 0, cacheSizeBytes: 1 << 20, replicationLagMs: 0, clock: systemClock, log: silentLog,
    ...overrides,
  })
  const dispatch = createDispatcher({
    services: { DynamoDB_20120810: dynamoDbOperations, AmazonDAXV3: daxManagementOperations(clusters) },
    regions, defaultRegion: config.defaultRegion,
  })
  const http = createHttpServer({ dispatch, log: silentLog, healthText: 'healthy' })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const endpoint = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  const clients: { destroy(): void }[] = []
  const newDaxClient = (region: string) => {
    const client = new DAXClient({ endpoint, region, credentials, maxAttempts: 1 })
    clients.push(client)
    return client
  }
  const dynamodb = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 })
  clients.push(dynamodb)
  return {
    endpoint, dax: newDaxClient('us-east-1'), dynamodb, clusters, nodes, upstreamRegions, newDaxClient,
    async close() {
      for (const client of clients) client.destroy()
      await clusters.close()
      await new Promise<void>((resolve) => { http.close(() => resolve()); http.closeAllConnections() })
      await regions.close()
    },
  }
}

/** The arguments CreateCluster needs, with a valid role ARN. */
export function clusterRequest(clusterName: string, replicationFactor: number) {
  return {
    ClusterName: clusterName,
    NodeType: 'dax.t3.small',
    ReplicationFactor: replicationFactor,
    IamRoleArn: 'arn:aws:iam::000000000000:role/DAXServiceRole',
  }
}

/**
 * Sends one management request as raw JSON, to see the wire reply itself (status, `__type`). The
 * signature is well-formed but not checked: the test server verifies none.
 */
export async function postDaxAction(endpoint: string, action: string, body: unknown): Promise<{ status: number; body: { __type?: string } }> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AmazonDAXV3.${action}`,
      'X-Amz-Date': '20240101T000000Z',
      Authorization: 'AWS4-HMAC-SHA256 Credential=AKIDTEST/20240101/us-east-1/dax/aws4_request, SignedHeaders=host, Signature=abc',
    },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: await response.json() as { __type?: string } }
}

/** Runs `action` and returns the error it throws (the test fails if it throws none). */
export async function errorOf(action: () => Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await action()
  } catch (error) {
    return error as { name: string; message: string }
  }
  throw new Error('expected an error')
}
