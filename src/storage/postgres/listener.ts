/**
 * Cross-node wake-ups on PostgreSQL: every transaction that appends changes or edits the catalog
 * sends `NOTIFY <region schema>, '<topic>'` with its COMMIT (transaction.ts; PostgreSQL delivers
 * a notification only if, and once, its transaction commits, to every session listening). A
 * node keeps one dedicated connection per database (database.ts) that LISTENs on the channel of
 * each region it serves and hands each topic to that region's subscribers, so a commit on any
 * node wakes the readers of every node within a round trip.
 *
 * The listening connection is opened on the first subscription, and LISTENs on a region's
 * channel from the region's first subscription on. When it breaks, it is opened again after a
 * pause, and subscribers hear every topic once it is back (what was committed meanwhile was not
 * announced). The slow polls of the readers stay as a safety net.
 */
import type pg from 'pg'
import { connectTimeoutMs, postgresDriver } from './driver.js'
import type { CommitTopic } from '../engine.js'
import { identifier } from './sql.js'

const reconnectDelayMs = 1000
const topics: readonly CommitTopic[] = ['changes', 'catalog']

type Subscriber = (topic: CommitTopic) => void

export class CommitListener {
  readonly #url: string
  /** Subscribers by channel (a region's schema name). */
  readonly #channels = new Map<string, Subscriber[]>()
  #client: pg.Client | undefined
  #connecting = false
  #timer: NodeJS.Timeout | undefined
  #closed = false

  constructor(url: string) {
    this.#url = url
  }

  /** Tells `subscriber` of the channel's topics until the function it returns is called. */
  subscribe(channel: string, subscriber: Subscriber): () => void {
    const subscribers = this.#channels.get(channel)
    if (subscribers) {
      subscribers.push(subscriber)
    } else {
      this.#channels.set(channel, [subscriber])
      const client = this.#client
      if (client) client.query(listenTo(channel)).catch(() => this.#lost(client))
      else if (!this.#connecting && this.#timer === undefined) void this.#connect(false)
    }
    return () => this.#unsubscribe(channel, subscriber)
  }

  /** The connection stops listening on a channel once it has no subscriber left. */
  #unsubscribe(channel: string, subscriber: Subscriber): void {
    const subscribers = this.#channels.get(channel)
    const index = subscribers?.indexOf(subscriber) ?? -1
    if (index === -1) return
    subscribers!.splice(index, 1)
    if (subscribers!.length > 0) return
    this.#channels.delete(channel)
    this.#client?.query(`UNLISTEN ${identifier(channel).text}`).catch(() => undefined)
  }

  async close(): Promise<void> {
    this.#closed = true
    clearTimeout(this.#timer)
    const client = this.#client
    this.#client = undefined
    await client?.end().catch(() => undefined)
  }

  async #connect(missedSome: boolean): Promise<void> {
    if (this.#closed) return
    this.#timer = undefined
    this.#connecting = true
    const client = new (postgresDriver().Client)({ connectionString: this.#url, connectionTimeoutMillis: connectTimeoutMs, application_name: 'eddydb-listener' })
    client.on('notification', (message) => {
      if (message.payload === 'changes' || message.payload === 'catalog') this.#tell(message.channel, message.payload)
    })
    client.on('error', () => this.#lost(client))
    client.on('end', () => this.#lost(client))
    try {
      await client.connect()
    } catch {
      this.#connecting = false
      this.#lost(client)
      return
    }
    this.#connecting = false
    if (this.#closed) {
      await client.end().catch(() => undefined)
      return
    }
    // From here a new subscription sends its own LISTEN on this client, queued behind these.
    this.#client = client
    const channels = [...this.#channels.keys()]
    if (channels.length > 0) {
      try {
        await client.query(channels.map(listenTo).join(';\n'))
      } catch {
        this.#lost(client)
        return
      }
    }
    if (missedSome) for (const channel of this.#channels.keys()) for (const topic of topics) this.#tell(channel, topic)
  }

  #lost(client: pg.Client): void {
    if (this.#closed || (this.#client !== undefined && this.#client !== client)) return
    this.#client = undefined
    client.removeAllListeners('end')
    client.end().catch(() => undefined)
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => void this.#connect(true), reconnectDelayMs)
    this.#timer.unref()
  }

  #tell(channel: string, topic: CommitTopic): void {
    for (const subscriber of this.#channels.get(channel) ?? []) subscriber(topic)
  }
}

function listenTo(channel: string): string {
  return `LISTEN ${identifier(channel).text}`
}
