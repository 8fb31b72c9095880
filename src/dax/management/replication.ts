/**
 * How a cluster's replicas converge on the primary's item cache, as DAX's do: asynchronously,
 * after a lag. DAX replicates cache changes, not DynamoDB writes, and so do we:
 *
 * 1. The primary's upstream is wrapped (`primaryUpstream`). Each write that DynamoDB accepted is
 *    recorded with the answer DynamoDB gave, and queued for every replica. A failed write is never
 *    queued, so it leaves the replicas untouched, as it leaves the primary.
 * 2. After the lag, the write is replayed through the replica's own caching executor, so the
 *    replica's write-through path refreshes its item cache exactly as the primary's did.
 * 3. The replica's upstream is wrapped too (`ReplayingUpstream`): while a replay is running, the
 *    write it reaches is answered with the recorded result instead of being sent to DynamoDB
 *    again. Reads (an UpdateItem's new image, TransactWriteItems' follow-up TransactGetItems) still
 *    go to DynamoDB, as they would on a real replica.
 *
 * Replays run one at a time per replica, in the primary's order. If a replica falls too far behind
 * or a replay fails, its caches are cleared instead: an empty cache is never stale.
 */
import type { Logger } from '../../log.js'
import type { DynamoDbExecutor, RunningDaxNode } from '../node-api.js'

/** The writes whose results refresh the item cache. */
const writeOperations: ReadonlySet<string> = new Set([
  'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems',
])

/** Bounds the memory a slow replica can hold; past it the replica is cleared and the queue dropped. */
export const pendingReplaysPerReplicaMax = 10_000

type Output = Record<string, any>

interface RecordedWrite {
  operation: string
  input: Record<string, any>
  output: Output
  /** When the replica may apply it (ms since the epoch). */
  applyAt: number
}

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

interface ReplicaChannel {
  node: RunningDaxNode
  upstream: ReplayingUpstream
  /** The last replay queued; the next one starts after it. */
  tail: Promise<void>
  pending: number
  /** A clear is queued behind the pending replays; writes dropped meanwhile are covered by it. */
  clearQueued: boolean
}

export class ClusterReplication {
  readonly #replicas = new Map<string, ReplicaChannel>()
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
        if (recordedInput) this.#publish(operation, recordedInput, output)
        return output
      },
    }
  }

  /** The upstream a replica node is started with; pass it back to addReplica once it runs. */
  replicaUpstream(upstream: DynamoDbExecutor): ReplayingUpstream {
    return new ReplayingUpstream(upstream)
  }

  addReplica(node: RunningDaxNode, upstream: ReplayingUpstream): void {
    this.#replicas.set(node.options.nodeId, { node, upstream, tail: Promise.resolve(), pending: 0, clearQueued: false })
  }

  /** Stops replicating to a node; replays already running finish. */
  removeReplica(nodeId: string): void {
    this.#replicas.delete(nodeId)
  }

  /** Resolves once every write published so far has reached every replica. */
  async settled(): Promise<void> {
    await Promise.all([...this.#replicas.values()].map((channel) => channel.tail))
  }

  close(): void {
    this.#closed = true
    this.#replicas.clear()
  }

  #publish(operation: string, input: Record<string, any>, output: Output): void {
    if (this.#closed) return
    const write: RecordedWrite = { operation, input, output: structuredClone(output), applyAt: this.#now() + this.#lagMs }
    for (const channel of this.#replicas.values()) this.#enqueue(channel, write)
  }

  #enqueue(channel: ReplicaChannel, write: RecordedWrite): void {
    if (channel.pending >= pendingReplaysPerReplicaMax) {
      // Clearing now would let the older replays still queued refill the cache without this
      // write; clearing after them leaves nothing stale.
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
      .then(() => waitUntil(write.applyAt, this.#now))
      .then(() => this.#apply(channel, write))
      .finally(() => { channel.pending -= 1 })
  }

  async #apply(channel: ReplicaChannel, write: RecordedWrite): Promise<void> {
    if (this.#replicas.get(channel.node.options.nodeId) !== channel) return
    try {
      await channel.upstream.replay(channel.node, write)
    } catch (error) {
      this.#log.warn('dax replication failed; clearing the replica', {
        nodeId: channel.node.options.nodeId, operation: write.operation, error: String(error),
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
