/**
 * The HTTP/1.1 fast path against raw sockets: requests split at every byte, pipelined, mixed
 * with requests it leaves to node:http on one connection, and its limits (timeouts, half-close,
 * server close). Each request is answered by an echo of what the dispatcher received, so any
 * difference between the fast path and node:http shows as a different echo.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { connect, type AddressInfo, type Socket } from 'node:net'
import type { Server } from 'node:http'
import { createHttpServer, type ApiRequest } from './server.js'
import { createLogger } from '../log.js'
import type { ServerLimits } from '../security/http-limits.js'

interface Reply {
  status: number
  headers: Record<string, string>
  body: string
}

/** Answers with what it was given; a body `{"waitMs":N}` is answered N ms later. */
async function echo(request: ApiRequest): Promise<string> {
  const body = request.body.text()
  const waitMs = body.startsWith('{"waitMs"') ? (JSON.parse(body) as { waitMs: number }).waitMs : 0
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs))
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name !== 'connection'))
  return JSON.stringify({ target: request.target, body, headers })
}

async function startServer(limits?: Partial<ServerLimits>, dispatch = echo): Promise<{ http: Server; port: number }> {
  const http = createHttpServer({ dispatch, log: createLogger('silent'), healthText: 'healthy', limits })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  return { http, port: (http.address() as AddressInfo).port }
}

async function stopServer(http: Server): Promise<void> {
  http.closeAllConnections()
  await new Promise((resolve) => http.close(resolve))
}

function request(body: string, extraHeaders = ''): string {
  return 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n' +
    `X-Amz-Target:   DynamoDB_20120810.GetItem \t\r\n${extraHeaders}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
}

async function openSocket(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1')
  socket.setNoDelay(true)
  socket.on('error', () => {})
  await new Promise((resolve) => socket.once('connect', resolve))
  return socket
}

/** Reads replies off a socket as they complete (Content-Length framed, as the server sends them). */
class ReplyReader {
  #received = Buffer.alloc(0)
  #waiters: Array<() => void> = []
  closed = false

  constructor(socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.#received = Buffer.concat([this.#received, chunk])
      this.#wake()
    })
    socket.on('close', () => {
      this.closed = true
      this.#wake()
    })
  }

  /** The next `count` replies; rejects if the connection closes first. */
  async next(count = 1): Promise<Reply[]> {
    const replies: Reply[] = []
    while (replies.length < count) {
      const reply = this.#take()
      if (reply) {
        replies.push(reply)
        continue
      }
      if (this.closed) throw new Error(`connection closed after ${replies.length} of ${count} replies: ${this.#received.toString('latin1')}`)
      await new Promise<void>((resolve) => this.#waiters.push(resolve))
    }
    return replies
  }

  /** Everything received and not yet taken, once the connection has closed. */
  async rest(): Promise<string> {
    while (!this.closed) await new Promise<void>((resolve) => this.#waiters.push(resolve))
    return this.#received.toString('latin1')
  }

  #take(): Reply | undefined {
    const headEnd = this.#received.indexOf('\r\n\r\n')
    if (headEnd < 0) return undefined
    const [statusLine, ...lines] = this.#received.toString('latin1', 0, headEnd).split('\r\n')
    const headers = Object.fromEntries(lines.map((line) => {
      const colon = line.indexOf(':')
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()]
    }))
    const length = Number(headers['content-length'] ?? 0)
    if (this.#received.length < headEnd + 4 + length) return undefined
    const body = this.#received.toString('utf8', headEnd + 4, headEnd + 4 + length)
    this.#received = this.#received.subarray(headEnd + 4 + length)
    return { status: Number(statusLine!.split(' ')[1]), headers, body }
  }

  #wake(): void {
    for (const waiter of this.#waiters.splice(0)) waiter()
  }
}

let shared: { http: Server; port: number }
before(async () => { shared = await startServer() })
after(() => stopServer(shared.http))

async function ask(text: string | Buffer[]): Promise<Reply> {
  const socket = await openSocket(shared.port)
  const replies = new ReplyReader(socket)
  try {
    for (const part of Array.isArray(text) ? text : [text]) {
      socket.write(part)
      await new Promise((resolve) => setImmediate(resolve))
    }
    return (await replies.next())[0]!
  } finally {
    socket.destroy()
  }
}

/** What may differ between two answers to the same request: its id, checksum's input, date. */
function comparable(reply: Reply): unknown {
  const { 'x-amzn-requestid': id, date, connection, 'keep-alive': keepAlive, ...headers } = reply.headers
  assert.match(id ?? '', /^[A-Z0-9]{52}$/)
  assert.ok(date)
  return { status: reply.status, headers: Object.keys(headers).sort(), body: JSON.parse(reply.body) }
}

test('a request sent whole, a byte at a time, or to node:http gets the same answer', async () => {
  const body = '{"TableName":"t","Key":{"id":{"S":"é"}}}'
  const whole = await ask(request(body))
  assert.equal(whole.status, 200)
  const echoed = JSON.parse(whole.body) as { target: string; body: string; headers: Record<string, string> }
  assert.equal(echoed.target, 'DynamoDB_20120810.GetItem')
  assert.equal(echoed.body, body)
  assert.equal(whole.headers.connection, 'keep-alive')
  const bytes = Buffer.from(request(body), 'utf8')
  // In three pieces the fast path joins them; a byte at a time it hands the head to node:http.
  const inPieces = await ask([bytes.subarray(0, 10), bytes.subarray(10, 120), bytes.subarray(120)])
  const byteByByte = await ask([...bytes].map((byte) => Buffer.of(byte)))
  // `Connection: close` is one of the requests the fast path leaves to node:http.
  const viaNode = await ask(request(body, 'Connection: close\r\n'))
  assert.equal(viaNode.headers.connection, 'close')
  assert.deepEqual(comparable(inPieces), comparable(whole))
  assert.deepEqual(comparable(byteByByte), comparable(whole))
  assert.deepEqual(comparable(viaNode), comparable(whole))
})

test('pipelined requests are answered in order, however long each takes', async () => {
  const socket = await openSocket(shared.port)
  const replies = new ReplyReader(socket)
  try {
    const waits = [60, 0, 30, 0, 10]
    socket.write(waits.map((waitMs) => request(JSON.stringify({ waitMs }))).join(''))
    const answered = await replies.next(waits.length)
    assert.deepEqual(answered.map((reply) => JSON.parse((JSON.parse(reply.body) as { body: string }).body).waitMs), waits)
  } finally {
    socket.destroy()
  }
})

test('a connection moves to node:http at the first request the fast path leaves and goes on serving', async () => {
  const socket = await openSocket(shared.port)
  const replies = new ReplyReader(socket)
  try {
    socket.write(request('{"n":1}'))
    const chunked = 'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\n' +
      'X-Amz-Target: DynamoDB_20120810.PutItem\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{"n\r\n4\r\n":2}\r\n0\r\n\r\n'
    socket.write(chunked + 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n' + request('{"n":3}'))
    const [first, second, health, third] = await replies.next(4)
    assert.equal((JSON.parse(first!.body) as { body: string }).body, '{"n":1}')
    assert.deepEqual(JSON.parse(second!.body), {
      target: 'DynamoDB_20120810.PutItem', body: '{"n":2}',
      headers: { host: 'localhost', 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.PutItem', 'transfer-encoding': 'chunked' },
    })
    assert.equal(health!.body, 'healthy')
    assert.equal((JSON.parse(third!.body) as { body: string }).body, '{"n":3}')
  } finally {
    socket.destroy()
  }
})

test('headers the fast path does not take are read by node:http: repeats combined, no Host or control bytes refused', async () => {
  const repeated = await ask(request('{}', 'X-Extra: a\r\nX-Extra: b\r\n'))
  assert.equal((JSON.parse(repeated.body) as { headers: Record<string, string> }).headers['x-extra'], 'a, b')
  const noHost = await ask('POST / HTTP/1.1\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 2\r\n\r\n{}')
  assert.equal(noHost.status, 400)
  const control = await ask(request('{}', 'X-Extra: a\x01b\r\n'))
  assert.equal(control.status, 400)
  assert.equal((JSON.parse(control.body) as { __type: string }).__type, 'com.amazon.coral.service#BadRequestException')
})

test('a client that half-closes after its request still gets the answer, then the connection ends', async () => {
  const socket = await openSocket(shared.port)
  const replies = new ReplyReader(socket)
  socket.end(request('{"n":1}'))
  const [reply] = await replies.next()
  assert.equal((JSON.parse(reply!.body) as { body: string }).body, '{"n":1}')
  assert.equal(await replies.rest(), '')
})

test('a head over 16 KB gets the 431 node:http gives, whole or in pieces', async () => {
  const long = request('{}', `X-Long: ${'x'.repeat(17 * 1024)}\r\n`)
  for (const parts of [[Buffer.from(long)], [Buffer.from(long.slice(0, 9000)), Buffer.from(long.slice(9000))]]) {
    const reply = await ask(parts)
    assert.equal(reply.status, 431)
  }
})

test('a body that stops arriving gets a 4xx once the request timeout passes, and the connection closes', async () => {
  const { http, port } = await startServer({ headersTimeout: 100, requestTimeout: 200, connectionsCheckingInterval: 20 })
  try {
    const socket = await openSocket(port)
    const replies = new ReplyReader(socket)
    socket.write(request('{"n":1}').slice(0, -3))
    assert.match(await replies.rest(), /^HTTP\/1\.1 4\d\d /)
  } finally {
    await stopServer(http)
  }
})

test('an idle connection is closed after the keep-alive timeout', async () => {
  const { http, port } = await startServer({ keepAliveTimeout: 100, connectionsCheckingInterval: 20 })
  try {
    const socket = await openSocket(port)
    const replies = new ReplyReader(socket)
    socket.write(request('{"n":1}'))
    const [reply] = await replies.next()
    assert.equal(reply!.status, 200)
    assert.equal(await replies.rest(), '')
  } finally {
    await stopServer(http)
  }
})

test('closing the server closes idle connections and ends a busy one after its answer', async () => {
  let release!: () => void
  let arrived!: () => void
  const gate = new Promise<void>((resolve) => { release = resolve })
  const slowArrived = new Promise<void>((resolve) => { arrived = resolve })
  const { http, port } = await startServer(undefined, async (request) => {
    if (request.body.text() === 'slow') {
      arrived()
      await gate
    }
    return '{}'
  })
  const idle = await openSocket(port)
  const idleReplies = new ReplyReader(idle)
  idle.write(request('{}'))
  await idleReplies.next()
  const busy = await openSocket(port)
  const busyReplies = new ReplyReader(busy)
  busy.write(request('slow'))
  await slowArrived
  const closed = new Promise((resolve) => http.close(resolve))
  assert.equal(await idleReplies.rest(), '')
  release()
  const [answer] = await busyReplies.next()
  assert.equal(answer!.status, 200)
  assert.equal(answer!.headers.connection, 'close')
  await closed
})

test('closing the server closes connections whose request is still arriving, on the fast path and through node:http', async () => {
  // A request that has not fully arrived when the server closes can never be answered: waiting
  // for its bytes would let one stalled client hold a graceful stop forever (the sweep that
  // enforces the request timeout stops with the server, as node:http's does).
  const { http, port } = await startServer()
  const serverSockets: Socket[] = []
  http.on('connection', (socket: Socket) => serverSockets.push(socket))
  const partial = {
    fastHead: request('{"n":1}').slice(0, 40),
    fastBody: request('{"n":1}').slice(0, -3),
    nodeHttpChunkedBody: 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: DynamoDB_20120810.GetItem\r\n' +
      'Transfer-Encoding: chunked\r\n\r\n3\r\n{"n',
  }
  try {
    const clients = await Promise.all(Object.values(partial).map(async (text) => {
      const socket = await openSocket(port)
      const replies = new ReplyReader(socket)
      socket.write(text)
      return replies
    }))
    await serverHasRead(serverSockets, Object.values(partial).reduce((sum, text) => sum + Buffer.byteLength(text), 0))
    // close() ends such connections at once; without that they stay open and close() never
    // completes. Checked as close() returns, so a regression fails here instead of hanging.
    const closed = new Promise((resolve) => http.close(resolve))
    assert.deepEqual(serverSockets.map((socket) => socket.destroyed), serverSockets.map(() => true))
    await closed
    for (const replies of clients) assert.equal(await replies.rest(), '')
  } finally {
    http.closeAllConnections()
  }
})

/** Waits (a bounded number of turns) until the server's side of `sockets` has read `bytes` in all. */
async function serverHasRead(sockets: Socket[], bytes: number): Promise<void> {
  for (let turn = 0; turn < 3000; turn++) {
    if (sockets.reduce((sum, socket) => sum + socket.bytesRead, 0) >= bytes) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`the server did not read the ${bytes} bytes sent`)
}
