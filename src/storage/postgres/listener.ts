/**
 * Cross-node wake-ups on PostgreSQL: every transaction that appends changes or edits the catalog
 * sends `NOTIFY <region schema>, '<topic>'` with its COMMIT (transaction.ts; PostgreSQL delivers
 * a notification only if, and once, its transaction commits, to every session listening). Each
 * engine keeps one dedicated connection that LISTENs on its region's channel and hands each
 * topic to the engine's subscribers, so a commit on any node wakes the readers of every node
 * within a round trip.
 *
 * The listening connection is opened on the first subscription. When it breaks, it is opened
 * again after a pause, and subscribers hear every topic once it is back (what was committed
 * meanwhile was not announced). The slow polls of the readers stay as a safety net.
 */
import type pg from 'pg'
import { connectTimeoutMs, postgresDriver } from './driver.js'
import type { CommitTopic } from '../engine.js'
import { identifier } from './sql.js'

const reconnectDelayMs = 1000
const topics: readonly CommitTopic[] = ['changes', 'catalog']

export class CommitListener {
  readonly #url: string
  readonly #channel: string
  readonly #listeners: Array<(topic: CommitTopic) => void> = []
  #client: pg.Client | undefined
  #timer: NodeJS.Timeout | undefined
  #closed = false

  constructor(url: string, channel: string) {
    this.#url = url
    this.#channel = channel
  }

  subscribe(listener: (topic: CommitTopic) => void): void {
    this.#listeners.push(listener)
    if (this.#listeners.length === 1) void this.#connect(false)
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
    const client = new (postgresDriver().Client)({ connectionString: this.#url, connectionTimeoutMillis: connectTimeoutMs, application_name: 'eddydb-listener' })
    client.on('notification', (message) => {
      if (message.payload === 'changes' || message.payload === 'catalog') this.#tell(message.payload)
    })
    client.on('error', () => this.#lost(client))
    client.on('end', () => this.#lost(client))
    try {
      await client.connect()
      await client.query(`LISTEN ${identifier(this.#channel).text}`)
    } catch {
      this.#lost(client)
      return
    }
    if (this.#closed) {
      await client.end().catch(() => undefined)
      return
    }
    this.#client = client
    if (missedSome) for (const topic of topics) this.#tell(topic)
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

  #tell(topic: CommitTopic): void {
    for (const listener of this.#listeners) listener(topic)
  }
}
