/**
 * What a large body can cost the server (probe 2, findings 9 and 10). With credentials, a body
 * over 64 KiB (as sent or once inflated) is neither inflated nor parsed before its signature
 * holds: SigV4 signs the bytes as sent, so an unsigned 15 KB gzip body that inflates to 16 MB of
 * nested brackets is refused for what it is, unsigned. Small bodies keep DynamoDB's error order
 * (a SerializationException before the signature's errors). A long body nesting deeper than any
 * request can is refused unparsed. And the body bytes the server holds, received and not yet
 * answered, are bounded server-wide: past the budget a body is dropped and answered 503.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { AddressInfo, Socket } from 'node:net'
import { gzipSync } from 'node:zlib'
import { createHttpServer } from '../../src/http/server.js'
import { BodyBudget } from '../../src/http/body-budget.js'
import { createLogger } from '../../src/log.js'
import type { RunningServer } from '../../src/server.js'
import { errorName, sendRaw } from '../helpers/raw.js'
import { alice, errorType, signedCall, startSecureServer , openSocket } from './helpers.js'

let server: RunningServer

before(async () => {
  server = await startSecureServer()
})

after(async () => {
  await server.close()
})

/** gzip of `text` with its last bytes (the end of the deflate stream and the CRC) overwritten. */
function gzipWithCorruptTail(text: string): Buffer {
  const gzip = gzipSync(Buffer.from(text))
  gzip.fill(0xff, gzip.length - 16)
  return gzip
}

const deepBrackets = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels)

test('an unsigned gzip bomb gets the signature error without being inflated', async () => {
  // Inflated in full this fails to decode (a 500, as DynamoDB answers a broken gzip body), so
  // the signature error shows the server never inflated past the first 64 KiB.
  const bomb = gzipWithCorruptTail(deepBrackets(2_000_000))
  assert.ok(bomb.length < 64 * 1024)
  const unsigned = await sendRaw(server.url, { target: 'ListTables', body: bomb, headers: { 'Content-Encoding': 'gzip', Authorization: '' } })
  assert.equal(unsigned.status, 400)
  assert.equal(errorName(unsigned), 'MissingAuthenticationTokenException')
  // A made-up Authorization header (a key nobody has, signed in 2024) is refused the same way,
  // for its signing time, which DynamoDB checks first.
  const madeUp = await sendRaw(server.url, { target: 'ListTables', body: bomb, headers: { 'Content-Encoding': 'gzip' } })
  assert.equal(errorName(madeUp), 'InvalidSignatureException')
  assert.match((madeUp.json as { message: string }).message, /^Signature expired/)
  // Signed, the same body is inflated and fails as it must.
  const signed = await signedCall({ endpoint: server.url, credentials: alice, target: 'ListTables', body: bomb, headers: { 'content-encoding': 'gzip' } })
  assert.equal(signed.status, 500)
  assert.equal(errorType(signed), 'InternalServerError')
})

test('a large unsigned body is not parsed: the signature error comes before the parse error', async () => {
  // Not JSON (it ends in 'x'): a parse would answer SerializationException.
  const body = `${deepBrackets(100_000)}x`
  const reply = await sendRaw(server.url, { target: 'ListTables', body, headers: { Authorization: '' } })
  assert.equal(errorName(reply), 'MissingAuthenticationTokenException')
})

test('a small body keeps DynamoDB\'s order: the parse error before the signature error', async () => {
  const reply = await sendRaw(server.url, { target: 'ListTables', body: '{"not json', headers: { Authorization: '' } })
  assert.equal(errorName(reply), 'SerializationException')
  const inflated = await sendRaw(server.url, { target: 'ListTables', body: gzipSync('{"not json'), headers: { 'Content-Encoding': 'gzip', Authorization: '' } })
  assert.equal(errorName(inflated), 'SerializationException')
})

test('a signed gzip body over 64 KiB once inflated is inflated after its signature holds', async () => {
  // ListTables ignores members it does not know, as DynamoDB does.
  const body = JSON.stringify({ Limit: 1, Padding: 'x'.repeat(100_000) })
  const reply = await signedCall({ endpoint: server.url, credentials: alice, target: 'ListTables', body: gzipSync(body), headers: { 'content-encoding': 'gzip' } })
  assert.equal(reply.status, 200, reply.text)
  assert.deepEqual(reply.json, { TableNames: [] })
})

test('a signed body nesting deeper than any request can is refused unparsed with the nesting error', async () => {
  // Not JSON either: a parse would answer SerializationException.
  const body = `{"TableName":"t","Item":{"a":${deepBrackets(100_000)}x`
  const reply = await signedCall({ endpoint: server.url, credentials: alice, target: 'PutItem', body })
  assert.equal(errorType(reply), 'ValidationException', reply.text)
  assert.equal(reply.json.message, 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit')
})

/** The status line of what the server sends back, once it has sent a whole reply head. */
function statusOf(socket: Socket): Promise<string> {
  let received = ''
  return new Promise((resolve) => {
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1')
      if (received.includes('\r\n\r\n')) resolve(received)
    })
  })
}

/** Waits for `condition`, checking every 10 ms; bounded by attempts, a guard against hanging only. */
async function until(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 3000 && !condition(); attempt++) await new Promise((resolve) => setTimeout(resolve, 10))
}

function postHead(bodyBytes: number): string {
  return 'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\n' +
    `X-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Length: ${bodyBytes}\r\n\r\n`
}

test('body bytes held server-wide stay within the budget; past it a body is dropped and answered 503', async () => {
  const budget = new BodyBudget(4 * 1024 * 1024)
  let release!: () => void
  const gate = new Promise<void>((resolve) => { release = resolve })
  let dispatched = 0
  let heldAtMost = 0
  const http = createHttpServer({
    dispatch: async () => {
      dispatched++
      heldAtMost = Math.max(heldAtMost, budget.heldBytes)
      await gate
      return '{}'
    },
    log: createLogger('silent'), healthText: 'healthy', bodyBudget: budget,
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const port = (http.address() as AddressInfo).port
  try {
    // Three bodies node:http reads (over the fast path's 1 MiB) and three the fast path reads:
    // 7.2 MiB in all, so at least three (3.2 MiB) cannot be held.
    const sizes = [1536, 1536, 1536, 900, 900, 900].map((kib) => kib * 1024)
    const sockets = await Promise.all(sizes.map(() => openSocket(port)))
    const replies = sockets.map(statusOf)
    sizes.forEach((size, index) => sockets[index]!.write(postHead(size) + 'x'.repeat(size)))
    // Each body is either being answered (held) or refused; wait until all six are one or the other.
    const refusals: string[] = []
    for (const reply of replies) void reply.then((text) => { if (text.startsWith('HTTP/1.1 503 ')) refusals.push(text) })
    await until(() => dispatched + refusals.length === sizes.length)
    assert.ok(refusals.length >= 3, `${refusals.length} refused`)
    for (const text of refusals) {
      assert.match(text, /\r\nConnection: close\r\n/i)
      assert.match(text, /"__type":"com\.amazonaws\.dynamodb\.v20120810#ServiceUnavailable"/)
    }
    assert.ok(heldAtMost <= budget.bytesMax, `held ${heldAtMost}`)
    assert.ok(budget.heldBytes <= budget.bytesMax)
    release()
    for (const [index, reply] of replies.entries()) {
      const text = await reply
      assert.match(text, /^HTTP\/1\.1 (200|503) /, `socket ${index}`)
    }
    // Answered and refused bodies alike have given their bytes back.
    await until(() => budget.heldBytes === 0)
    assert.equal(budget.heldBytes, 0)
    // A body never finished holds its bytes until its connection closes, on either path.
    for (const bodyBytes of [900 * 1024, 2048 * 1024]) {
      const partial = await openSocket(port)
      partial.write(postHead(bodyBytes) + 'x'.repeat(500 * 1024))
      await until(() => budget.heldBytes >= 500 * 1024)
      assert.equal(budget.heldBytes, 500 * 1024)
      partial.destroy()
      await until(() => budget.heldBytes === 0)
      assert.equal(budget.heldBytes, 0)
    }
    for (const socket of sockets) socket.destroy()
  } finally {
    release()
    http.closeAllConnections()
    await new Promise((resolve) => http.close(resolve))
  }
})
