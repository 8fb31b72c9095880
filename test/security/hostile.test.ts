/**
 * A server bad input cannot hurt (extends test/e2e/fuzz.test.ts to the security surface): with
 * credentials configured, hostile signatures (random Authorization headers, scopes, dates,
 * presigned query strings) are all answered with a 4xx DynamoDB error, never a 5xx, and a canary
 * table keeps its data; a compression bomb is refused as too large; at the connection cap a
 * newcomer takes the longest-idle connection's place, and gets a 503 only when every connection
 * is busy; a client that never finishes its headers is disconnected. Bounded by run
 * counts, not by time.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { crc32, gzipSync } from 'node:zlib'
import { connect as connectHttp2 } from 'node:http2'
import { connect as netConnect } from 'node:net'
import fc from 'fast-check'
import { CreateTableCommand, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createHttpServer } from '../../src/http/server.js'
import { createLogger } from '../../src/log.js'
import type { RunningServer } from '../../src/server.js'
import { sendRaw, type RawReply } from '../helpers/raw.js'
import { alice, clientFor, signedCall, startSecureServer , openSocket } from './helpers.js'

const runs = Number(process.env.EDDYDB_HOSTILE_RUNS ?? 300)
let server: RunningServer
let canary: DynamoDBClient

before(async () => {
  server = await startSecureServer()
  canary = clientFor(server, alice)
  await canary.send(new CreateTableCommand({
    TableName: 'canary', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
  }))
  await canary.send(new PutItemCommand({ TableName: 'canary', Item: { id: { S: 'bird' }, alive: { BOOL: true } } }))
})

after(async () => {
  canary.destroy()
  await server.close()
})

function assertClientError(reply: RawReply, request: unknown): void {
  const shown = JSON.stringify(request).slice(0, 400)
  assert.ok(reply.status >= 400 && reply.status < 500, `status ${reply.status} for ${shown}: ${reply.body.toString('utf8').slice(0, 300)}`)
  assert.equal(typeof reply.json?.__type, 'string', `no __type for ${shown}`)
}

async function assertCanaryAlive(): Promise<void> {
  const reply = await canary.send(new GetItemCommand({ TableName: 'canary', Key: { id: { S: 'bird' } } }))
  assert.deepEqual(reply.Item, { id: { S: 'bird' }, alive: { BOOL: true } })
}

const word = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '/', '=', ',', ' ', ';', '-', '_', '%', '\t', 'é', 'AKIDALICE', 'aws4_request', 'dynamodb', 'us-east-1'), maxLength: 40 })
const amzDate = fc.oneof(word, fc.date({ noInvalidDate: true }).map((date) => date.toISOString().replace(/[:-]|\.\d{3}/g, '')))

test('hostile Authorization headers get 4xx DynamoDB errors and the canary survives', { timeout: 300_000 }, async () => {
  const authorization = fc.oneof(
    word,
    fc.record({ algorithm: fc.constantFrom('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256', 'AWS4', 'Bearer'), key: fc.constantFrom('AKIDALICE', 'AKIDNOBODY', '', 'ASIATEMP'),
      day: word, region: fc.constantFrom('us-east-1', 'made-up-1', '', '..', 'x'.repeat(70)), service: fc.constantFrom('dynamodb', 'dax', 's3', ''),
      headers: fc.array(fc.constantFrom('host', 'x-amz-date', 'content-type', 'x-amz-target', 'nope', ''), { maxLength: 6 }), signature: word })
      .map((p) => `${p.algorithm} Credential=${p.key}/${p.day}/${p.region}/${p.service}/aws4_request, SignedHeaders=${p.headers.join(';')}, Signature=${p.signature}`),
  )
  await fc.assert(fc.asyncProperty(authorization, amzDate, fc.option(word), async (header, date, token) => {
    const headers: Record<string, string> = { Authorization: header, 'X-Amz-Date': date, ...(token === null ? {} : { 'X-Amz-Security-Token': token }) }
    const request = { headers, target: 'GetItem', body: JSON.stringify({ TableName: 'canary', Key: { id: { S: 'bird' } } }) }
    assertClientError(await sendRaw(server.url, request), request)
  }), { numRuns: runs })
  await assertCanaryAlive()
})

test('hostile presigned query strings get 4xx DynamoDB errors', { timeout: 300_000 }, async () => {
  const parameter = fc.constantFrom('X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Security-Token', 'x')
  const query = fc.array(fc.tuple(parameter, word), { maxLength: 8 })
    .map((pairs) => pairs.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&'))
  await fc.assert(fc.asyncProperty(query, fc.constantFrom('%', '%zz', '&&=', ''), async (text, junk) => {
    const request = { path: `/?${text}${junk}X-Amz-Signature=1`, target: 'DeleteTable', body: JSON.stringify({ TableName: 'canary' }), headers: { Authorization: undefined as unknown as string } }
    delete (request.headers as Record<string, unknown>).Authorization
    assertClientError(await sendRaw(server.url, request), request)
  }), { numRuns: runs })
  await assertCanaryAlive()
})

test('a compression bomb is refused as too large, and unsigned as unsigned, and the server keeps serving', async () => {
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024))
  const signed = await signedCall({ endpoint: server.url, credentials: alice, target: 'ListTables', body: bomb, headers: { 'content-encoding': 'gzip' } })
  assert.equal(signed.status, 413)
  // Large bodies are inflated only once their signature holds (test/security/large-bodies.test.ts).
  const unsigned = await sendRaw(server.url, { target: 'ListTables', body: bomb, headers: { 'Content-Encoding': 'gzip' } })
  assert.equal(unsigned.status, 400)
  await assertCanaryAlive()
})

/** Resolves with everything the server sent once it closes the connection. */
function untilClosed(socket: Socket): Promise<string> {
  let received = ''
  socket.on('data', (chunk) => { received += chunk.toString('utf8') })
  return new Promise((resolve) => socket.on('close', () => resolve(received)))
}

/** The next whole reply on a keep-alive `socket` (its head says its Content-Length). */
function nextReply(socket: Socket): Promise<string> {
  let received = ''
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      received += chunk.toString('latin1')
      const headEnd = received.indexOf('\r\n\r\n')
      const length = /\r\ncontent-length: (\d+)/i.exec(received)
      if (headEnd < 0 || !length || received.length < headEnd + 4 + Number(length[1])) return
      socket.off('data', onData)
      socket.off('close', onClose)
      resolve(received)
    }
    const onClose = (): void => reject(new Error(`closed before a whole reply: ${JSON.stringify(received)}`))
    socket.on('data', onData)
    socket.once('close', onClose)
  })
}

const apiRequest = 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n' +
  'X-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Length: 2\r\n\r\n{}'
const healthRequest = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'

/** Sends `request` on `socket` and returns the reply. */
function exchange(socket: Socket, request: string): Promise<string> {
  const reply = nextReply(socket)
  socket.write(request)
  return reply
}

// One client holding every slot with idle keep-alive connections must not lock everyone else
// out: a new connection takes the place of the one idle the longest, whichever layer serves it
// (node:http after a health check, the fast path after an API call).
test('at the connection cap a new connection closes the longest-idle one and is served', async () => {
  const http = createHttpServer({ dispatch: async () => '{}', log: createLogger('silent'), healthText: 'healthy', connectionsMax: 2 })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const port = (http.address() as AddressInfo).port
  const sockets: Socket[] = []
  const open = async () => {
    const socket = await openSocket(port)
    sockets.push(socket)
    return socket
  }
  try {
    const viaNodeHttp = await open()
    assert.match(await exchange(viaNodeHttp, healthRequest), /^HTTP\/1\.1 200 [^]*healthy$/)
    const viaFastPath = await open()
    assert.match(await exchange(viaFastPath, apiRequest), /^HTTP\/1\.1 200 /)
    const firstClosed = new Promise((resolve) => viaNodeHttp.once('close', resolve))
    const third = await open()
    assert.match(await exchange(third, apiRequest), /^HTTP\/1\.1 200 /)
    await firstClosed
    // Now the fast path's connection is the longest idle: the next newcomer takes its place.
    const secondClosed = new Promise((resolve) => viaFastPath.once('close', resolve))
    const fourth = await open()
    assert.match(await exchange(fourth, healthRequest), /^HTTP\/1\.1 200 /)
    await secondClosed
    assert.match(await exchange(third, apiRequest), /^HTTP\/1\.1 200 /, 'a connection idle for less time stays')
  } finally {
    for (const socket of sockets) socket.destroy()
    http.closeAllConnections()
    await new Promise((resolve) => http.close(resolve))
  }
})

// An HTTP/2 client (a Kinesis producer) that drops its connection mid-request, or whose process
// ends, closes its side only: the server must let the connection go, or each such client kept a
// slot under the cap for good, and once they filled it every client got 503.
test('HTTP/2 connections dropped mid-request are let go and free their slots', async () => {
  const http = createHttpServer({ dispatch: async () => '{}', log: createLogger('silent'), healthText: 'healthy', connectionsMax: 2 })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const port = (http.address() as AddressInfo).port
  const sockets: Socket[] = []
  try {
    for (let client = 0; client < 4; client++) {
      const socket = netConnect(port, '127.0.0.1')
      sockets.push(socket)
      const session = connectHttp2(`http://127.0.0.1:${port}`, { createConnection: () => socket })
      session.on('error', () => undefined)
      await new Promise<void>((resolve) => session.once('connect', () => resolve()))
      const stream = session.request({ ':method': 'POST', ':path': '/', 'x-amz-target': 'Kinesis_20131202.ListStreams' }, { endStream: false })
      stream.on('error', () => undefined)
      stream.write('{')
      // The client goes: its side of the connection ends, as when its process exits.
      await new Promise((resolve) => setImmediate(resolve))
      socket.end()
    }
    // Waits for the server to let them go (at once); the bound, 30 s of looks, only keeps a broken build from hanging.
    const connections = () => new Promise<number>((resolve) => http.getConnections((_, count) => resolve(count)))
    for (let look = 0; look < 300 && await connections() > 0; look++) await new Promise((resolve) => setTimeout(resolve, 100))
    assert.equal(await connections(), 0)
    const reply = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' } })
    assert.equal(reply.status, 200)
  } finally {
    for (const socket of sockets) socket.destroy()
    http.closeAllConnections()
    await new Promise((resolve) => http.close(resolve))
  }
})

// Only when every connection has a request in progress is a newcomer refused, with a 503 it can
// read; once one is idle again, the next newcomer is served.
test('past the connection cap with every connection busy a connection gets a 503 and is closed', async () => {
  let release: () => void = () => {}
  const released = new Promise<void>((resolve) => { release = resolve })
  let arrivals = 0
  let bothArrived: () => void = () => {}
  const arrived = new Promise<void>((resolve) => { bothArrived = resolve })
  const dispatch = async () => {
    if (++arrivals === 2) bothArrived()
    await released
    return '{}'
  }
  const http = createHttpServer({ dispatch, log: createLogger('silent'), healthText: 'healthy', connectionsMax: 2 })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const port = (http.address() as AddressInfo).port
  const held = [await openSocket(port), await openSocket(port)]
  try {
    const replies = held.map((socket) => exchange(socket, apiRequest))
    await arrived
    const refused = await openSocket(port)
    const answer = await untilClosed(refused)
    assert.match(answer, /^HTTP\/1\.1 503 /)
    assert.match(answer, /ServiceUnavailable/)
    // Like every reply: a request id, and the body's CRC32.
    assert.match(answer, /\r\nx-amzn-RequestId: [A-Z0-9]{52}\r\n/)
    const body = answer.slice(answer.indexOf('\r\n\r\n') + 4)
    assert.match(answer, new RegExp(`\\r\\nx-amz-crc32: ${crc32(body)}\\r\\n`))
    release()
    for (const reply of await Promise.all(replies)) assert.match(reply, /^HTTP\/1\.1 200 /)
    const reply = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' } })
    assert.equal(reply.status, 200)
  } finally {
    for (const socket of held) socket.destroy()
    http.closeAllConnections()
    await new Promise((resolve) => http.close(resolve))
  }
})

/**
 * A server answering with `dispatch`, and a client connected to it that may stay half open: the
 * server's FIN must not make this side close, as Node's sockets would.
 */
async function serverWithHalfOpenClient(dispatch: () => Promise<string>): Promise<{ http: ReturnType<typeof createHttpServer>; socket: Socket }> {
  const http = createHttpServer({ dispatch, log: createLogger('silent'), healthText: 'healthy' })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const socket = netConnect({ port: (http.address() as AddressInfo).port, host: '127.0.0.1', allowHalfOpen: true })
  socket.on('error', () => {})
  await new Promise((resolve) => socket.once('connect', resolve))
  return { http, socket }
}

// A request in flight when the server stops is answered with Connection: close. A client that
// then neither closes nor reads on must not keep the stopping server waiting for its socket.
test('a stop is not held up by a client that never closes after its last answer', { timeout: 60_000 }, async () => {
  let release: () => void = () => {}
  const released = new Promise<void>((resolve) => { release = resolve })
  let dispatched: () => void = () => {}
  const arrived = new Promise<void>((resolve) => { dispatched = resolve })
  const dispatch = async () => {
    dispatched()
    await released
    return '{}'
  }
  const { http, socket } = await serverWithHalfOpenClient(dispatch)
  try {
    const reply = exchange(socket, apiRequest)
    await arrived
    // As the server's own close() does: stop listening, drop idle connections, answer the rest.
    const stopped = new Promise<void>((resolve) => http.close(() => resolve()))
    http.closeIdleConnections()
    release()
    assert.match(await reply, /^HTTP\/1\.1 200 [^]*\r\nConnection: close\r\n/)
    // The socket stays open on this side; the server lets it go on its own.
    await stopped
  } finally {
    socket.destroy()
    http.closeAllConnections()
  }
})

// An answer written but not yet sent when the server stops (a large one, to a client reading it
// slowly) goes out whole before the connection ends; it used to be cut off where the kernel's
// buffers ended, with no error.
test('a stop sends an answer still being written whole before closing', { timeout: 60_000 }, async () => {
  const big = JSON.stringify({ Items: 'x'.repeat(24 * 1024 * 1024) })
  let written: () => void = () => {}
  const replied = new Promise<void>((resolve) => { written = resolve })
  const dispatch = async () => {
    setImmediate(() => written())
    return big
  }
  const { http, socket } = await serverWithHalfOpenClient(dispatch)
  try {
    const chunks: Buffer[] = []
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.pause()
    socket.write(apiRequest)
    await replied
    const stopped = new Promise<void>((resolve) => http.close(() => resolve()))
    http.closeIdleConnections()
    socket.resume()
    await new Promise((resolve) => socket.once('end', resolve))
    const received = Buffer.concat(chunks).toString('latin1')
    const length = Number(/content-length: (\d+)/i.exec(received)?.[1])
    assert.equal(length, Buffer.byteLength(big))
    assert.equal(received.length - received.indexOf('\r\n\r\n') - 4, length, 'the whole body arrived')
    socket.end()
    await stopped
  } finally {
    socket.destroy()
    http.closeAllConnections()
  }
})

test('a client that never finishes its headers is disconnected', async () => {
  const http = createHttpServer({
    dispatch: async () => '{}', log: createLogger('silent'), healthText: 'healthy',
    limits: { headersTimeout: 100, requestTimeout: 200, connectionsCheckingInterval: 20 },
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const port = (http.address() as AddressInfo).port
  try {
    const slow = await openSocket(port)
    const answer = untilClosed(slow)
    slow.write('POST / HTTP/1.1\r\nHost: x\r\nX-Slow: ')
    // Closed with a client error (Node reports the timeout as an unparsable request).
    assert.match(await answer, /^HTTP\/1\.1 4\d\d /)
  } finally {
    http.closeAllConnections()
    await new Promise((resolve) => http.close(resolve))
  }
})
