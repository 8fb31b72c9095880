/**
 * The in-process DAX cache for AWS SDK v3: `withDaxCache(client)` wraps a DynamoDBClient's
 * send() so GetItem, BatchGetItem, Query and Scan hits are answered inside the process —
 * no HTTP, no serialization — and writes go through the client and refresh the cache. It is the
 * same cache core as a DAX node's (item cache, query cache, TTLs, LRU by bytes).
 *
 * Scope: commands of the low-level DynamoDBClient. DynamoDBDocumentClient commands built on the
 * same client pass through uncached (their input is not in AttributeValue form at this step).
 */
import {
  BatchGetItemCommand, BatchWriteItemCommand, DeleteItemCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand,
  PutItemCommand, QueryCommand, ScanCommand, TransactGetItemsCommand, TransactWriteItemsCommand, UpdateItemCommand,
} from '@aws-sdk/client-dynamodb'
import type { Clock } from '../api/context.js'
import { CachingExecutor } from './cache/caching-executor.js'
import type { DaxCacheSettings, DynamoDbExecutor } from './node-api.js'

export interface DaxCacheOptions {
  settings?: Partial<DaxCacheSettings>
  clock?: Clock
}

export interface DaxCacheHandle {
  /** DAX metric names → values, for this client's cache. */
  stats(): Record<string, number>
  updateSettings(settings: Partial<DaxCacheSettings>): void
  clear(): void
  /** Removes the cache; the client talks to DynamoDB directly again. */
  detach(): void
}

/** Command classes the cache sends through the client itself (misses, writes, key schemas). */
const commandClasses: Record<string, new (input: any) => { input: object }> = {
  GetItem: GetItemCommand, BatchGetItem: BatchGetItemCommand, Query: QueryCommand, Scan: ScanCommand,
  PutItem: PutItemCommand, UpdateItem: UpdateItemCommand, DeleteItem: DeleteItemCommand,
  BatchWriteItem: BatchWriteItemCommand, TransactWriteItems: TransactWriteItemsCommand,
  TransactGetItems: TransactGetItemsCommand, DescribeTable: DescribeTableCommand,
}

/** The operations routed through the cache, by SDK command class. */
const cachedCommands = new Map<unknown, string>([
  [GetItemCommand, 'GetItem'], [BatchGetItemCommand, 'BatchGetItem'], [QueryCommand, 'Query'], [ScanCommand, 'Scan'],
  [PutItemCommand, 'PutItem'], [UpdateItemCommand, 'UpdateItem'], [DeleteItemCommand, 'DeleteItem'],
  [BatchWriteItemCommand, 'BatchWriteItem'], [TransactWriteItemsCommand, 'TransactWriteItems'],
])

/**
 * Commands are recognised by class, so a client and commands from another copy of
 * @aws-sdk/client-dynamodb (a second install, or its CommonJS build when this module loaded
 * the ES one) would pass through uncached without a word. This says so, once per client.
 */
function warnOtherCopy(what: string): void {
  process.emitWarning(
    `withDaxCache: ${what} comes from a different copy of @aws-sdk/client-dynamodb than the one eddydb matches commands against, so nothing is cached. ` +
    'Make both resolve to one copy (`npm ls @aws-sdk/client-dynamodb`, then `npm dedupe`), and load it the same way (both import or both require).',
    { code: 'EDDYDB_DAX_CACHE_OTHER_SDK' },
  )
}

const cachedCommandClassNames = new Set([...cachedCommands.values()].map((operation) => `${operation}Command`))

export function withDaxCache(client: DynamoDBClient, options: DaxCacheOptions = {}): DaxCacheHandle {
  let warned = !(client instanceof DynamoDBClient)
  if (warned) warnOtherCopy('the client')
  // Inputs of the commands the cache itself sends: these go straight to the SDK.
  const ownInputs = new WeakSet<object>()
  const upstream: DynamoDbExecutor = {
    async execute(operation, input) {
      const Command = commandClasses[operation]
      if (Command === undefined) throw new Error(`withDaxCache: no command for ${operation}`)
      // A copy: the caller's own input object must not be marked as the cache's.
      const command = new Command({ ...input })
      ownInputs.add(command.input)
      const { $metadata: _metadata, ...output } = await client.send(command as never) as Record<string, any>
      return output
    },
  }
  const executor = new CachingExecutor({ upstream, settings: options.settings, clock: options.clock })
  // The hit path sits in front of client.send: the SDK builds its middleware stack on every send,
  // which alone costs tens of microseconds, so a hit must be answered before that.
  const originalSend = client.send
  const cachedSend = function (this: DynamoDBClient, command: { input: object }, ...rest: unknown[]) {
    const operation = cachedCommands.get(command?.constructor)
    if (operation === undefined && !warned && cachedCommandClassNames.has(command?.constructor?.name)) {
      warned = true
      warnOtherCopy(`a ${command.constructor.name}`)
    }
    const input = command?.input as Record<string, any> | undefined
    if (operation === undefined || rest.length > 0 || input === undefined || ownInputs.has(input) ||
      !isAttributeValueForm(operation, input)) {
      return (originalSend as Function).call(this, command, ...rest)
    }
    return executor.execute(operation, input).then((output) => ({ ...output, $metadata: {} }))
  }
  client.send = cachedSend as DynamoDBClient['send']
  return {
    stats: () => executor.stats(),
    updateSettings: (settings) => executor.updateSettings(settings),
    clear: () => executor.clear(),
    detach: () => {
      if (client.send === cachedSend) client.send = originalSend
    },
  }
}

/**
 * Whether the request's keys or item are AttributeValues ({S: ...}); DocumentClient commands
 * carry plain values here and must not be cached as if they were.
 */
function isAttributeValueForm(operation: string, input: Record<string, any>): boolean {
  switch (operation) {
    case 'GetItem': case 'DeleteItem': case 'UpdateItem': return valuesAreAttributeValues(input.Key)
    case 'PutItem': return valuesAreAttributeValues(input.Item)
    case 'BatchGetItem': {
      const first = Object.values(input.RequestItems ?? {})[0] as { Keys?: unknown[] } | undefined
      return valuesAreAttributeValues(first?.Keys?.[0])
    }
    case 'Query': case 'Scan': return input.ExpressionAttributeValues === undefined || valuesAreAttributeValues(input.ExpressionAttributeValues)
    case 'BatchWriteItem': {
      const first = (Object.values(input.RequestItems ?? {})[0] as Record<string, any>[] | undefined)?.[0]
      return valuesAreAttributeValues(first?.PutRequest?.Item ?? first?.DeleteRequest?.Key)
    }
    case 'TransactWriteItems': {
      const first = Object.values((input.TransactItems as Record<string, any>[] | undefined)?.[0] ?? {})[0]
      return valuesAreAttributeValues(first?.Item ?? first?.Key)
    }
    default: return false
  }
}

const attributeValueTags = new Set(['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'])

function valuesAreAttributeValues(record: unknown): boolean {
  if (record === null || typeof record !== 'object') return false
  for (const value of Object.values(record)) {
    if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return false
    const tags = Object.keys(value)
    if (tags.length !== 1 || !attributeValueTags.has(tags[0]!)) return false
  }
  return true
}
