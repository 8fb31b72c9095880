/**
 * One client connection. The byte stream carries CBOR items with no framing: first a
 * five-item preamble, then requests, each `1, methodId, ...arguments` with a fixed argument
 * count per method. Requests run one at a time in arrival order and each response is written
 * whole, so the client, which counts top-level items, never sees two interleaved.
 */
import { noteForegroundRequest } from '../../api/foreground.js'
import type { Socket } from 'node:net'
import type { AuthenticatedCaller } from '../../http/auth.js'
import { authorizeDaxMetadata } from '../../security/dax-authorize.js'
import { authorizedCaller, type KeyLookup } from './auth.js'
import { authorizingExecutor } from '../authorizing-executor.js'
import { CborReader, CborSyntaxError, skipItem, type CborValue } from './cbor.js'
import type { MethodDefinition, WireContext } from './context.js'
import { authenticationRequired, EncodedWireError, encodeWireError, notImplemented, wireErrorFrom } from './errors.js'

const preambleMagic = 'J7yne5G'
const preambleItems = 5
const serviceId = 1
export const authorizeConnectionMethodId = 1489122155
/** The largest request a client can send (25 items of 400 KB) fits well inside this. */
export const connectionBufferBytesMax = 32 * 1024 * 1024
/** An empty array: the first item of every success response. */
const successMarker = Buffer.from([0x80])

interface PendingRequest { methodId: number; method: MethodDefinition | undefined; args: CborValue[] }

export class DaxConnection {
  #buffer = Buffer.alloc(0)
  #start = 0
  #end = 0
  #preambleSeen = 0
  /** The request whose argument items are still arriving. */
  #current: PendingRequest | undefined
  #serviceIdSeen = false
  readonly #queue: PendingRequest[] = []
  #running = false
  /** What this connection's requests run with: set by a valid authorizeConnection, for its caller. */
  #callerContext: WireContext | undefined
  #closed = false
  /** Set after an unknown method: its arguments cannot be skipped, so nothing more is read. */
  #stopReading = false

  constructor(
    readonly socket: Socket,
    readonly context: WireContext,
    readonly methods: ReadonlyMap<number, MethodDefinition>,
    readonly keyFor?: KeyLookup,
  ) {
    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => this.#receive(chunk))
    socket.on('error', () => this.close())
    socket.on('close', () => { this.#closed = true })
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.socket.destroy()
  }

  #receive(chunk: Buffer): void {
    if (this.#closed) return
    this.#append(chunk)
    try {
      this.#readItems()
    } catch (error) {
      // Malformed CBOR leaves no way to find the next request: drop the connection.
      if (!(error instanceof CborSyntaxError)) this.context.log.warn('dax wire connection failed', { error: String(error) })
      this.close()
      return
    }
    void this.#drain()
  }

  #append(chunk: Buffer): void {
    const pending = this.#end - this.#start
    if (pending + chunk.length > connectionBufferBytesMax) throw new CborSyntaxError('request too large')
    if (this.#end + chunk.length > this.#buffer.length) {
      // Grow geometrically (and compact), so a large request costs linear copying overall.
      const grown = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, pending + chunk.length, 4096))
      this.#buffer.copy(grown, 0, this.#start, this.#end)
      this.#buffer = grown
      this.#start = 0
      this.#end = pending
    }
    chunk.copy(this.#buffer, this.#end)
    this.#end += chunk.length
  }

  /** Takes every complete item off the buffer and files it into the preamble or a request. */
  #readItems(): void {
    while (!this.#stopReading) {
      const view = this.#buffer.subarray(0, this.#end)
      const itemEnd = skipItem(view, this.#start)
      if (itemEnd === undefined) return
      const item = new CborReader(view, this.#start, itemEnd).read()
      this.#start = itemEnd
      this.#file(item)
    }
  }

  #file(item: CborValue): void {
    if (this.#preambleSeen < preambleItems) {
      if (this.#preambleSeen === 0 && item !== preambleMagic) throw new CborSyntaxError('bad connection preamble')
      this.#preambleSeen++
      return
    }
    if (!this.#serviceIdSeen) {
      if (item !== serviceId) throw new CborSyntaxError('expected a service id')
      this.#serviceIdSeen = true
      return
    }
    if (this.#current === undefined) {
      if (typeof item !== 'number') throw new CborSyntaxError('expected a method id')
      this.#current = { methodId: item, method: this.methods.get(item), args: [] }
      noteForegroundRequest()
      if (!this.#current.method && item !== authorizeConnectionMethodId) this.#stopReading = true
    } else {
      this.#current.args.push(item)
    }
    const current = this.#current
    const arity = current.methodId === authorizeConnectionMethodId ? 5 : current.method?.arity ?? 0
    if (current.args.length < arity) return
    this.#queue.push(current)
    this.#current = undefined
    this.#serviceIdSeen = false
  }

  async #drain(): Promise<void> {
    if (this.#running) return
    this.#running = true
    try {
      while (this.#queue.length > 0 && !this.#closed) {
        const request = this.#queue.shift()!
        const response = await this.#respond(request)
        if (response && !this.#closed) this.socket.write(Buffer.concat(response))
        if (!request.method && request.methodId !== authorizeConnectionMethodId) this.close()
      }
    } finally {
      this.#running = false
    }
  }

  /** The response items, or undefined for authorizeConnection, which is never answered. */
  async #respond(request: PendingRequest): Promise<Buffer[] | undefined> {
    if (request.methodId === authorizeConnectionMethodId) {
      const caller = authorizedCaller(request.args, this.keyFor)
      this.#callerContext = caller && callerContextOf(this.context, caller)
      return undefined
    }
    // An unknown method's arguments cannot be told apart from the next request: answer, then close.
    if (!request.method) return encodeWireError(notImplemented(request.methodId))
    const context = this.#callerContext
    if (!context) return encodeWireError(authenticationRequired)
    try {
      const payload = await request.method.handle(context, request.args)
      return [successMarker, ...payload]
    } catch (error) {
      if (error instanceof EncodedWireError) return error.items
      return encodeWireError(wireErrorFrom(error, this.context.log))
    }
  }
}

/** What a caller's requests run with: its data calls and metadata calls checked against its policies. */
function callerContextOf(context: WireContext, caller: AuthenticatedCaller): WireContext {
  return {
    ...context,
    executor: authorizingExecutor(context.executor, caller, context.clusterArn),
    authorizeMetadata: (call) => authorizeDaxMetadata(caller, call, context.clusterArn),
  }
}
