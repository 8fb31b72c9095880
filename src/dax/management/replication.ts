/**
 * How a cluster's nodes converge on one item cache, as DAX's do: asynchronously, after a lag.
 * DAX replicates cache changes, not DynamoDB writes, and so do we, for the two kinds of change:
 *
 * - **Writes** (through the primary):
 *   1. The primary's upstream is wrapped (`primaryUpstream`). Each write that DynamoDB accepted is
 *      recorded with the answer DynamoDB gave, and queued for every replica. A failed write is
 *      never queued, so it leaves the replicas untouched, as it leaves the primary.
 *   2. After the lag, the write is replayed through the replica's own caching executor, so the
 *      replica's write-through path refreshes its item cache exactly as the primary's did.
 *   3. The replica's upstream is wrapped too (`ReplayingUpstream`): while a replay is running, the
 *      write it reaches is answered with the recorded result instead of being sent to DynamoDB
 *      again. Reads (an UpdateItem's new image, TransactWriteItems' follow-up TransactGetItems)
 *      still go to DynamoDB, as they would on a real replica.
 * - **Read-miss fills** (on any node): the entry a GetItem or BatchGetItem miss stored is queued
 *   for every other node, primary included, which stores it unless it holds a fresh entry of its
 *   own or wrote the key through since the read began (a write that dropped its entry, such as an
 *   UpdateItem asking for old values, must not let an older read put the replaced value back).
 *   Without fills, each node filled its cache from its own misses, and one client whose reads the
 *   DAX client spreads over the nodes saw an item changed outside DAX flip between its old and new
 *   value for a whole TTL; DAX keeps one copy of the cache on every node (spec A1, A2).
 *
 * Changes reach a node one at a time, in the order they were published (a write published after
 * a fill comes after it, and a fill read before a write is dropped by a node that holds that
 * write's entry or its time). If a node falls too far behind or a replay fails, its caches are
 * cleared instead: an empty cache is never stale.
 */
import type { Logger } from '../../log.js'
import type { DynamoDbExecutor, RunningDaxNode } from '../node-api.js'
import type { Item } from '../../values/types.js'

/** The writes whose results refresh the item cache. */
const writeOperations: ReadonlySet<string> = new Set([
  'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems',
])

/** Bounds the memory a slow replica can hold; past it the replica is cleared and the queue dropped. */
export const pendingReplaysPerReplicaMax = 10_000

type Output = Record<string, any>

interface RecordedWrite {
  kind: 'write'
  operation: string
  input: Record<string, any>
  output: Output
  /** When the replica may apply it (ms since the epoch). */
  applyAt: number
}

interface RecordedFill {
  kind: 'fill'
  cacheKey: string
  /** The full item, or undefined for a negative entry. */
  item: Item | undefined
  /** When the miss's read began: a node that wrote the key through since drops the fill. */
  readAtMs: number
  applyAt: number
}

type Change = RecordedWrite | RecordedFill

/** A replica's upstream: forwards everything, except the write of the replay in progress. */
export class ReplayingUpstream implements DynamoDbExecutor {
  #replay: RecordedWrite | undefined

  constructor(readonly upstream: DynamoDbExecutor) {}

  async execute(operation: string, input: Record<string, any>): Promise<Output> {
    const replay = this.#replay
    if (replay && replay.operation === operation) {
      // Answered once: the replay's write reaches the upstream once, like the primary's did.
      this.#replay = undefined
      return structuredClone(replay.output)
    }
    return this.upstream.execute(operation, input)
  }

  async replay(node: RunningDaxNode, write: RecordedWrite): Promise<void> {
    this.#replay = write
    try {
      await node.executor.execute(write.operation, structuredClone(write.input))
    } finally {
      this.#replay = undefined
    }
  }
}

interface NodeChannel {
  node: RunningDaxNode
  /** A replica's; the primary has none, as it never replays writes. */
  upstream: ReplayingUpstream | undefined
  /** The last change queued; the next one starts after it. */
  tail: Promise<void>
  pending: number
  /** A clear is queued behind the pending changes; changes dropped meanwhile are covered by it. */
  clearQueued: boolean
}

export class ClusterReplication {
  readonly #nodes = new Map<string, NodeChannel>()
  readonly #lagMs: number
  readonly #log: Logger
  readonly #now: () => number
  #closed = false

  constructor(options: { lagMs: number; log: Logger; now?: () => number }) {
    this.#lagMs = options.lagMs
    this.#log = options.log
    this.#now = options.now ?? Date.now
  }

  /** Wraps the primary's upstream so that its accepted writes reach the replicas. */
  primaryUpstream(upstream: DynamoDbExecutor): DynamoDbExecutor {
    return {
      execute: async (operation, input) => {
        // Copied before the call: the input is what DynamoDB applied, whatever the caller does later.
        const recordedInput = writeOperations.has(operation) ? structuredClone(input) : undefined
        const output = await upstream.execute(operation, input)
        if (recordedInput) this.#publishWrite(operation, recordedInput, output)
        return output
      },
    }
  }

  /** The upstream a replica node is started with; pass it back to addNode once it runs. */
  replicaUpstream(upstream: DynamoDbExecutor): ReplayingUpstream {
    return new ReplayingUpstream(upstream)
  }

  /** A node's DaxNodeOptions.onItemFill: its read-miss fills reach every other node. */
  fillPublisher(nodeId: string): (cacheKey: string, item: Item | undefined, readAtMs: number) => void {
    return (cacheKey, item, readAtMs) => {
      if (this.#closed) return
      const fill: RecordedFill = { kind: 'fill', cacheKey, item, readAtMs, applyAt: this.#now() + this.#lagMs }
      for (const [id, channel] of this.#nodes) if (id !== nodeId) this.#enqueue(channel, fill)
    }
  }

  /** A node that now runs: the primary (no upstream) or a replica (the upstream it was started with). */
  addNode(node: RunningDaxNode, upstream?: ReplayingUpstream): void {
    this.#nodes.set(node.options.nodeId, { node, upstream, tail: Promise.resolve(), pending: 0, clearQueued: false })
  }

  /** Stops replicating to a node; changes already being applied finish. */
  removeNode(nodeId: string): void {
    this.#nodes.delete(nodeId)
  }

  /** Resolves once every change published so far has reached every node. */
  async settled(): Promise<void> {
    await Promise.all([...this.#nodes.values()].map((channel) => channel.tail))
  }

  close(): void {
    this.#closed = true
    this.#nodes.clear()
  }

  #publishWrite(operation: string, input: Record<string, any>, output: Output): void {
    if (this.#closed) return
    const write: RecordedWrite = { kind: 'write', operation, input, output: structuredClone(output), applyAt: this.#now() + this.#lagMs }
    for (const channel of this.#nodes.values()) if (channel.upstream) this.#enqueue(channel, write)
  }

  #enqueue(channel: NodeChannel, change: Change): void {
    if (channel.pending >= pendingReplaysPerReplicaMax) {
      // Clearing now would let the older changes still queued refill the cache without this
      // one; clearing after them leaves nothing stale.
      if (!channel.clearQueued) {
        this.#log.warn('dax replica fell behind; clearing its caches', { nodeId: channel.node.options.nodeId })
        channel.clearQueued = true
        channel.tail = channel.tail.then(() => {
          channel.clearQueued = false
          channel.node.clear()
        })
      }
      return
    }
    channel.pending += 1
    channel.tail = channel.tail
      .then(() => waitUntil(change.applyAt, this.#now))
      .then(() => this.#apply(channel, change))
      .finally(() => { channel.pending -= 1 })
  }

  async #apply(channel: NodeChannel, change: Change): Promise<void> {
    if (this.#nodes.get(channel.node.options.nodeId) !== channel) return
    if (change.kind === 'fill') {
      channel.node.applyItemFill(change.cacheKey, change.item, change.readAtMs)
      return
    }
    try {
      await channel.upstream!.replay(channel.node, change)
    } catch (error) {
      this.#log.warn('dax replication failed; clearing the replica', {
        nodeId: channel.node.options.nodeId, operation: change.operation, error: String(error),
      })
      channel.node.clear()
    }
  }
}

function waitUntil(at: number, now: () => number): Promise<void> {
  const delayMs = at - now()
  if (delayMs <= 0) return Promise.resolve()
  return new Promise((resolve) => setTimeout(resolve, delayMs))
}
