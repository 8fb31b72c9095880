/**
 * The import's parser thread, as the server's thread sees it. Parsing, checking and encoding a
 * line costs about twice what loading its row into storage does (JSON.parse, the PutItem checks,
 * key hashing, JSON.stringify), so it runs on its own thread (parser-worker.ts) while the
 * server's thread loads the rows of earlier chunks: on two cores, an import goes about twice as
 * fast, and the server's thread stays free for requests.
 *
 * Replies come in the order of the requests; several chunks can be in flight, so the parser
 * keeps working while a batch commits.
 */
import { Worker } from 'node:worker_threads'
import type { LoadedItem } from '../storage/engine.js'
import type { ObjectParserSettings, ParsedLines } from './object-parser.js'

export type ParserRequest =
  | { kind: 'object'; settings: ObjectParserSettings }
  | { kind: 'chunk' | 'end'; bytes: Uint8Array }

export type ParserReply =
  | { kind: 'started' }
  | { kind: 'parsed'; parsed: ParsedLines }
  | { kind: 'fault'; message: string }

const workerUrl = new URL('./parser-worker.js', import.meta.url)

/** A Buffer crosses threads as a plain Uint8Array; this makes it a Buffer again, without a copy. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

function revived(parsed: ParsedLines): ParsedLines {
  for (const { row } of parsed.rows) {
    const loaded = row as LoadedItem & { key: Uint8Array }
    loaded.key = asBuffer(loaded.key)
    for (const entry of loaded.indexEntries as unknown as Array<{ key: Uint8Array }>) entry.key = asBuffer(entry.key)
  }
  return parsed
}

export class ParserThread {
  readonly #worker = new Worker(workerUrl)
  readonly #waiting: Array<{ resolve: (reply: ParserReply) => void; reject: (error: Error) => void }> = []
  #failure: Error | undefined

  constructor() {
    this.#worker.on('message', (reply: ParserReply) => {
      const waiter = this.#waiting.shift()
      if (reply.kind === 'fault') waiter?.reject(new Error(`the import's parser failed: ${reply.message}`))
      else waiter?.resolve(reply)
    })
    const fail = (error: Error) => {
      this.#failure ??= error
      for (const waiter of this.#waiting.splice(0)) waiter.reject(error)
    }
    this.#worker.on('error', fail)
    this.#worker.on('exit', (code) => fail(new Error(`the import's parser thread exited (code ${code})`)))
  }

  /** Starts an object: later chunks are parsed as its lines. */
  async startObject(settings: ObjectParserSettings): Promise<void> {
    await this.#request({ kind: 'object', settings })
  }

  /** The rows of the object's next decompressed chunk . */
  parse(chunk: Buffer): Promise<ParsedLines> {
    // Copied into memory of its own, which moves to the thread: the chunk's may be shared (a
    // slice of a socket's or zlib's buffer). A copy of 64 KiB costs microseconds.
    const bytes = new Uint8Array(chunk)
    return this.#parsed({ kind: 'chunk', bytes }, [bytes.buffer])
  }

  /** The object's last line, when it does not end with a line end. */
  end(): Promise<ParsedLines> {
    return this.#parsed({ kind: 'end', bytes: new Uint8Array(0) }, [])
  }

  async close(): Promise<void> {
    this.#waiting.length = 0
    await this.#worker.terminate()
  }

  #parsed(request: ParserRequest, transfer: ArrayBuffer[]): Promise<ParsedLines> {
    const parsed = this.#request(request, transfer).then((reply) => {
      if (reply.kind !== 'parsed') throw new Error(`the import's parser answered ${reply.kind} to a chunk`)
      return revived(reply.parsed)
    })
    // A caller that abandons an object leaves later chunks' answers unread: their failure (the
    // thread stopped) is not an unhandled rejection. One that awaits the answer still sees it.
    parsed.catch(() => {})
    return parsed
  }

  #request(request: ParserRequest, transfer: ArrayBuffer[] = []): Promise<ParserReply> {
    if (this.#failure) return Promise.reject(this.#failure)
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject })
      this.#worker.postMessage(request, transfer)
    })
  }
}
