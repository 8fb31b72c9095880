/**
 * HTTP/1.1 fast path: reads the requests AWS SDKs send (POST / with a Content-Length, kept
 * alive) straight off the socket, and writes each reply as one string, instead of running them
 * through node:http's parser callbacks, IncomingMessage and ServerResponse streams.
 *
 * Why: node:http's machinery costs about 12 µs of CPU per request on top of the socket reads
 * and writes themselves (a bare node:http server 28 µs per request, the same replies off a bare
 * socket 16 µs; bench/results/2026-12-05-2.md), about a sixth of a whole GetItem. The server
 * answers on one thread, so that CPU is throughput.
 *
 * What it accepts is a strict subset of HTTP/1.1, read the way node:http reads it: the request
 * line exactly `POST / HTTP/1.1`, header names of token characters, values without control
 * characters, no header twice, a Host, a Content-Length of digits and at most fastBodyBytesMax,
 * no Transfer-Encoding, Expect or Upgrade, no Connection other than keep-alive, and a head of at
 * most 16 KB that arrives in a few reads. Anything else (a health check, a REST path, a chunked
 * body, `Connection: close`, a stray byte, an event stream) hands the connection to node:http at
 * a request boundary, the bytes not yet served put back first; node:http then serves it for the
 * rest of its life, as it would have from the start. So everything unusual, including every
 * error answer of the HTTP layer, has one implementation, node:http's.
 *
 * The limits of src/security/http-limits.ts hold here too: a request must arrive within
 * headersTimeout (its head) and requestTimeout (all of it), measured from its first byte, and
 * an idle connection is closed after keepAliveTimeout. One sweep per server checks them every
 * connectionsCheckingInterval, as node:http does, instead of a timer per request.
 */
import { STATUS_CODES, type IncomingHttpHeaders, type Server } from 'node:http'
import type { Socket } from 'node:net'
import { longestIdleOf, type LongestIdle, type ServerLimits } from '../security/http-limits.js'
import type { RequestSocket } from '../security/sigv4-verifier.js'
import { beforeClose } from './before-close.js'
import type { BodyBudget } from './body-budget.js'

/** A body larger than this goes to node:http, which streams it in under its own cap. */
export const fastBodyBytesMax = 1024 * 1024

/** node:http's default cap on the request line and headers; past it node:http answers 431. */
const headBytesMax = 16 * 1024

/**
 * A head still incomplete after this many reads goes to node:http, whose parser reads
 * incrementally: joining every piece here would copy a head sent a byte at a time quadratically.
 */
const headReadsMax = 4

/** Buffered bytes past an unanswered request at most, before the socket stops being read. */
const pipelinedBytesMax = 64 * 1024

/** What serve() reads of a request: what node:http's IncomingMessage offers under these names. */
export interface RequestHead {
  method?: string
  url?: string
  headers: IncomingHttpHeaders
  /** node:http's repeated headers, one array each (the fast path serves no repeated header). */
  headersDistinct?: Record<string, string[] | undefined>
  /** The connection, as IncomingMessage has it. */
  socket?: RequestSocket
}

/** What the server does with the fast path's requests. */
export interface FastRequestHandlers {
  /** Answers a request read whole, through `reply`. */
  handle(head: RequestHead, body: Buffer, reply: FastReply): void
  /** Answers a request whose body the budget had no room for (read and dropped); the connection then closes. */
  refuse(head: RequestHead, reply: FastReply): void
  /** The server's bound on body bytes held (src/http/body-budget.ts). */
  budget: BodyBudget
}

const headEndMarker = Buffer.from('\r\n\r\n', 'latin1')
const fastRequestLine = 'POST / HTTP/1.1'
/**
 * The whole head the fast path serves, checked in one match: the request line, then header lines
 * of a token name, a colon and a value without control characters. One regex over the head costs
 * about a third of one per line (measured in bench/js-per-request.js).
 */
const fastHeadPattern = /^POST \/ HTTP\/1\.1(?:\r\n[!#$%&'*+.^_`|~0-9A-Za-z-]+:[\t\x20-\x7e\x80-\xff]*)*$/
const digitsPattern = /^[0-9]{1,16}$/
/** A character that makes a header value need a closer look (#checkedValue). */
const unusualHeaderCharacter = /[^\t\x20-\x7e]/
const latin1HeaderValue = /^[\t\x20-\x7e\x80-\xff]*$/

/**
 * The request's head if the fast path serves it, or undefined to hand the connection over.
 * Header names are lower case and values trimmed of spaces and tabs, as in node:http.
 */
function parseHead(text: string): { head: RequestHead; bodyBytes: number } | undefined {
  if (!fastHeadPattern.test(text)) return undefined
  const headers: IncomingHttpHeaders = {}
  let lineStart = fastRequestLine.length + 2
  while (lineStart < text.length) {
    const lineEnd = endOfLine(text, lineStart)
    const colon = text.indexOf(':', lineStart)
    const name = text.slice(lineStart, colon).toLowerCase()
    // A repeated header (or a name Object.prototype already has) is node:http's to combine.
    if (headers[name] !== undefined) return undefined
    headers[name] = trimSpacesAndTabs(text, colon + 1, lineEnd)
    lineStart = lineEnd + 2
  }
  const length = headers['content-length']
  if (length === undefined || !digitsPattern.test(length)) return undefined
  const bodyBytes = Number(length)
  if (bodyBytes > fastBodyBytesMax) return undefined
  if (headers['transfer-encoding'] !== undefined || headers.expect !== undefined || headers.upgrade !== undefined) return undefined
  // node:http answers an HTTP/1.1 request without Host with a 400 (requireHostHeader).
  if (headers.host === undefined) return undefined
  const connection = headers.connection
  if (connection !== undefined && connection.toLowerCase() !== 'keep-alive') return undefined
  // SubscribeToShard answers with an event stream, which node:http writes.
  const target = headers['x-amz-target']
  if (typeof target === 'string' && target.endsWith('.SubscribeToShard')) return undefined
  return { head: { method: 'POST', url: '/', headers, socket: undefined }, bodyBytes }
}

/** Where the line starting at `from` ends: its CR, or the end of the head. */
function endOfLine(text: string, from: number): number {
  const end = text.indexOf('\r\n', from)
  return end < 0 ? text.length : end
}

/** text[from, to) without leading and trailing spaces and tabs. */
function trimSpacesAndTabs(text: string, from: number, to: number): string {
  let start = from
  let end = to
  while (start < end && isSpaceOrTab(text.charCodeAt(start))) start++
  while (end > start && isSpaceOrTab(text.charCodeAt(end - 1))) end--
  return text.slice(start, end)
}

function isSpaceOrTab(code: number): boolean {
  return code === 0x20 || code === 0x09
}

/** The Date header's value, made at most once a second (node:http caches it the same way). */
let cachedDate: string | undefined
function httpDate(): string {
  if (cachedDate === undefined) {
    cachedDate = new Date().toUTCString()
    setTimeout(() => { cachedDate = undefined }, 1000 - new Date().getMilliseconds()).unref()
  }
  return cachedDate
}

/**
 * The reply to one fast-path request, with the part of ServerResponse's interface the front
 * door uses. Headers are kept as ready-made lines; the head and the body go out in one write.
 */
export class FastReply {
  readonly #connection: FastConnection
  readonly #names: string[] = []
  /** The names in lower case, to replace a header set twice as ServerResponse does. */
  readonly #lowerNames: string[] = []
  readonly #values: string[] = []
  #status = 200
  #latin1Head = false
  #ended = false

  constructor(connection: FastConnection) {
    this.#connection = connection
  }

  setHeader(name: string, value: string | number): this {
    const lower = name.toLowerCase()
    const text = this.#checkedValue(name, value)
    const index = this.#lowerNames.indexOf(lower)
    if (index < 0) {
      this.#names.push(name)
      this.#lowerNames.push(lower)
      this.#values.push(text)
    } else {
      this.#names[index] = name
      this.#values[index] = text
    }
    return this
  }

  writeHead(status: number, headers?: Record<string, string | number>): this {
    this.#status = status
    if (headers) for (const name in headers) this.setHeader(name, headers[name]!)
    return this
  }

  end(body: string | Buffer = '', encoding: BufferEncoding = 'utf8'): this {
    if (this.#ended) return this
    this.#ended = true
    let head = `HTTP/1.1 ${this.#status} ${STATUS_CODES[this.#status] ?? 'unknown'}\r\n`
    for (let index = 0; index < this.#names.length; index++) head += `${this.#names[index]}: ${this.#values[index]}\r\n`
    const closing = this.#connection.closeAfterReply
    head += `Date: ${httpDate()}\r\nConnection: ${closing ? 'close' : 'keep-alive'}\r\n`
    if (!closing) head += this.#connection.keepAliveLine
    head += '\r\n'
    this.#connection.send(head, this.#latin1Head, body, encoding)
    return this
  }

  destroy(): void {
    this.#ended = true
    this.#connection.destroy()
  }

  /** The value as node:http would write it: control characters refused, latin-1 kept as bytes. */
  #checkedValue(name: string, value: string | number): string {
    if (typeof value === 'number') return String(value)
    const text = value
    if (!unusualHeaderCharacter.test(text)) return text
    if (!latin1HeaderValue.test(text)) {
      throw Object.assign(new TypeError(`Invalid character in header content ["${name}"]`), { code: 'ERR_INVALID_CHAR' })
    }
    this.#latin1Head = true
    return text
  }
}

type ReadState = 'idle' | 'head' | 'body' | 'answering'

/** One connection served by the fast path until it closes or is handed to node:http. */
class FastConnection {
  readonly #socket: Socket
  readonly #paths: FastPaths
  #state: ReadState = 'idle'
  /** Bytes read and not yet part of a served request. */
  #unread: Buffer = Buffer.alloc(0)
  /** While reading a body: its head and the body's chunks so far (none kept once over the budget). */
  #pending: { head: RequestHead; bodyBytes: number; chunks: Buffer[]; received: number; overBudget: boolean } | undefined
  /** Bytes this connection holds of the server's body budget, given back when its reply goes out. */
  #heldBytes = 0
  /** A body was refused for want of budget: the connection closes after the answer. */
  #refused = false
  /** When the current request's first byte arrived, or the last reply went out when idle. */
  #sinceMs = performance.now()
  #paused = false
  /** Reads so far of the head being received. */
  #headReads = 0
  /** The client has sent its last byte (a half-close): the connection ends after the reply. */
  #clientDone = false
  readonly #onData = (chunk: Buffer): void => this.#read(chunk)
  readonly #onEnd = (): void => {
    this.#clientDone = true
    if (this.#state !== 'answering') this.#socket.destroy()
  }

  constructor(socket: Socket, paths: FastPaths) {
    this.#socket = socket
    this.#paths = paths
    socket.on('data', this.#onData)
    socket.on('error', destroyQuietly)
    socket.once('close', () => {
      paths.connections.delete(this)
      this.#releaseHeld()
    })
    socket.on('end', this.#onEnd)
  }

  /** True when this reply is the connection's last: the server is closing or the client is done. */
  get closeAfterReply(): boolean {
    return this.#paths.closing || this.#clientDone || this.#refused
  }

  get keepAliveLine(): string {
    return this.#paths.keepAliveLine
  }

  /** No request is being answered or has sent its whole head: node:http closes such connections too. */
  get idle(): boolean {
    return this.#state === 'idle' || this.#state === 'head'
  }

  /** Since when no request has been in progress (its last reply, or its opening); undefined while one is. */
  get idleSinceMs(): number | undefined {
    return this.#state === 'idle' ? this.#sinceMs : undefined
  }

  get socket(): Socket {
    return this.#socket
  }

  /** A whole request has arrived and its answer is being made. */
  get answering(): boolean {
    return this.#state === 'answering'
  }

  destroy(): void {
    this.#socket.destroy()
  }

  /**
   * Closes a connection that is not answering: at once, unless its last answer is still being
   * written (a large one to a slow reader), which then goes out whole before the connection ends.
   */
  closeUnlessAnswering(): void {
    if (this.answering) return
    if (this.#socket.writableLength === 0) this.#socket.destroy()
    else this.#endWhenSent()
  }

  /**
   * Ends the connection after what it has written is sent. What the client sends meanwhile is
   * read and dropped until it closes (closing at once could reset the connection before the
   * client has read its answer), but for a moment only once the answer is out, and never for
   * longer than sendingMsMax: a client that never closes, or never reads, must not hold the
   * socket (nor a stopping server).
   */
  #endWhenSent(): void {
    const socket = this.#socket
    socket.off('data', this.#onData)
    socket.on('data', ignore)
    socket.end()
    socket.once('finish', () => setTimeout(() => socket.destroy(), closeLingerMs).unref())
    setTimeout(() => socket.destroy(), sendingMsMax).unref()
  }

  /** Closes the connection when a request has outlived its limit or an idle one its keep-alive. */
  checkTimeouts(nowMs: number, limits: ServerLimits): void {
    const waited = nowMs - this.#sinceMs
    if (this.#state === 'answering') return
    if (this.#state === 'idle') {
      if (waited > limits.keepAliveTimeout) this.#socket.destroy()
      return
    }
    if ((this.#state === 'head' && waited > limits.headersTimeout) || waited > limits.requestTimeout) {
      // Answered as node:http answers its own timeouts: the server's clientError handler.
      this.#detach()
      const error = Object.assign(new Error('Request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' })
      this.#paths.server.emit('clientError', error, this.#socket)
    }
  }

  send(head: string, latin1Head: boolean, body: string | Buffer, encoding: BufferEncoding): void {
    this.#releaseHeld()
    const socket = this.#socket
    if (!socket.destroyed) {
      if (typeof body === 'string' && !latin1Head) {
        socket.write(head + body, encoding)
      } else {
        socket.cork()
        socket.write(head, 'latin1')
        if (body.length > 0) socket.write(body, encoding)
        socket.uncork()
      }
    }
    this.#state = 'idle'
    this.#sinceMs = performance.now()
    if (this.closeAfterReply) {
      this.#endWhenSent()
      return
    }
    if (this.#paused) {
      this.#paused = false
      socket.resume()
    }
    if (this.#unread.length > 0) this.#serveUnread()
  }

  #read(chunk: Buffer): void {
    if (this.#state === 'idle') this.#beginRequest()
    if (this.#state === 'head') this.#headReads++
    if (this.#state === 'body') {
      this.#readBody(chunk)
      return
    }
    this.#unread = this.#unread.length === 0 ? chunk : Buffer.concat([this.#unread, chunk])
    if (this.#state === 'answering') {
      // A client sending ahead of its answers (pipelining): hold at most so much.
      if (this.#unread.length > pipelinedBytesMax && !this.#paused) {
        this.#paused = true
        this.#socket.pause()
      }
      return
    }
    this.#serveUnread()
  }

  /** A request's first bytes have arrived: its head is being read, and its timeouts run from now. */
  #beginRequest(): void {
    this.#state = 'head'
    this.#sinceMs = performance.now()
    this.#headReads = 0
  }

  /** Serves the request at the start of the unread bytes, if it is all there. */
  #serveUnread(): void {
    const unread = this.#unread
    if (this.#state === 'idle') this.#beginRequest()
    const headEnd = unread.indexOf(headEndMarker)
    if (headEnd < 0) {
      if (unread.length > headBytesMax || this.#headReads >= headReadsMax) this.#handOff()
      return
    }
    if (headEnd + headEndMarker.length > headBytesMax) {
      this.#handOff()
      return
    }
    const parsed = parseHead(unread.toString('latin1', 0, headEnd))
    if (parsed === undefined) {
      this.#handOff()
      return
    }
    const bodyStart = headEnd + headEndMarker.length
    const bodyEnd = bodyStart + parsed.bodyBytes
    if (unread.length >= bodyEnd) {
      this.#unread = unread.subarray(bodyEnd)
      if (this.#hold(parsed.bodyBytes)) this.#answer(parsed.head, unread.subarray(bodyStart, bodyEnd))
      else this.#refuse(parsed.head)
      return
    }
    const first = unread.subarray(bodyStart)
    this.#unread = Buffer.alloc(0)
    const kept = this.#hold(first.length)
    this.#pending = { head: parsed.head, bodyBytes: parsed.bodyBytes, chunks: kept ? [first] : [], received: first.length, overBudget: !kept }
    this.#state = 'body'
  }

  #readBody(chunk: Buffer): void {
    const pending = this.#pending!
    pending.received += chunk.length
    if (!pending.overBudget) {
      if (this.#hold(chunk.length)) {
        pending.chunks.push(chunk)
      } else {
        pending.overBudget = true
        pending.chunks = []
        this.#releaseHeld()
      }
    }
    if (pending.received < pending.bodyBytes) return
    this.#pending = undefined
    if (pending.overBudget) {
      this.#refuse(pending.head)
      return
    }
    const all = Buffer.concat(pending.chunks, pending.received)
    this.#unread = all.subarray(pending.bodyBytes)
    this.#answer(pending.head, all.subarray(0, pending.bodyBytes))
  }

  /** Holds `bytes` more of the server's body budget, if it has room. */
  #hold(bytes: number): boolean {
    if (!this.#paths.handlers.budget.take(bytes)) return false
    this.#heldBytes += bytes
    return true
  }

  #releaseHeld(): void {
    this.#paths.handlers.budget.release(this.#heldBytes)
    this.#heldBytes = 0
  }

  /** Answers a request whose body was dropped for want of budget; the connection then closes. */
  #refuse(head: RequestHead): void {
    this.#refused = true
    this.#state = 'answering'
    this.#unread = Buffer.alloc(0)
    head.socket = this.#socket
    this.#paths.handlers.refuse(head, new FastReply(this))
  }

  #answer(head: RequestHead, body: Buffer): void {
    this.#state = 'answering'
    head.socket = this.#socket
    this.#paths.handlers.handle(head, body, new FastReply(this))
  }

  /** Gives the socket, and the bytes it sent that nobody has served, to node:http. */
  #handOff(): void {
    const socket = this.#socket
    const unread = this.#unread
    this.#detach()
    socket.pause()
    if (unread.length > 0) socket.unshift(unread)
    this.#paths.handOff(socket)
    process.nextTick(() => socket.resume())
  }

  #detach(): void {
    this.#socket.off('data', this.#onData)
    this.#socket.off('error', destroyQuietly)
    this.#socket.off('end', this.#onEnd)
    this.#paths.connections.delete(this)
    this.#unread = Buffer.alloc(0)
    this.#pending = undefined
    this.#releaseHeld()
  }
}

function destroyQuietly(this: Socket): void {
  this.destroy()
}

function ignore(): void {}

/** How long a connection's last answer may wait, once written, for the client to close. */
const closeLingerMs = 2_000
/** How long a connection's last answer may take to be sent, to a client that reads it slowly. */
const sendingMsMax = 60_000

/** The server-wide side of the fast path: its connections, limits and the way to node:http. */
interface FastPaths {
  server: Server
  handlers: FastRequestHandlers
  handOff(socket: Socket): void
  connections: Set<FastConnection>
  closing: boolean
  keepAliveLine: string
}

/**
 * Serves `server`'s HTTP/1.1 connections through the fast path first; what it does not serve
 * goes to node:http's own connection handling. Wraps close(), closeIdleConnections() and
 * closeAllConnections() so they reach the fast path's connections too; close() also ends those
 * whose request is still arriving, as createHttpServer does for node:http's. Returns the way to
 * find its longest-idle connection, for the connection cap.
 */
export function acceptHttp1FastPath(server: Server, handlers: FastRequestHandlers, limits: ServerLimits): LongestIdle {
  const nodeListeners = server.listeners('connection') as Array<(socket: Socket) => void>
  server.removeAllListeners('connection')
  const paths: FastPaths = {
    server,
    handlers,
    handOff: (socket) => { for (const listener of nodeListeners) listener.call(server, socket) },
    connections: new Set(),
    closing: false,
    keepAliveLine: `Keep-Alive: timeout=${Math.floor(limits.keepAliveTimeout / 1000)}\r\n`,
  }
  let sweep: NodeJS.Timeout | undefined
  server.on('connection', (socket: Socket) => {
    paths.connections.add(new FastConnection(socket, paths))
    sweep ??= setInterval(() => {
      const now = performance.now()
      for (const connection of paths.connections) connection.checkTimeouts(now, limits)
    }, limits.connectionsCheckingInterval).unref()
  })
  beforeClose(server, () => {
    paths.closing = true
    // With the sweep stopped no timeout ends a request still arriving, and a closing server
    // could never answer it: only connections whose request has fully arrived stay to be answered.
    clearInterval(sweep)
    for (const connection of paths.connections) connection.closeUnlessAnswering()
  })
  const closeIdle = server.closeIdleConnections.bind(server)
  server.closeIdleConnections = () => {
    for (const connection of paths.connections) if (connection.idle) connection.closeUnlessAnswering()
    closeIdle()
  }
  const closeAll = server.closeAllConnections.bind(server)
  server.closeAllConnections = () => {
    for (const connection of paths.connections) connection.destroy()
    closeAll()
  }
  return () => longestIdleOf(paths.connections, (connection) => connection.socket, (connection) => connection.idleSinceMs)
}
