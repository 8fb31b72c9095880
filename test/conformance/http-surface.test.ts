/**
 * The HTTP surface around the API, through raw HTTP: compression both ways, what is served at
 * which path (the health line at / only), the Server header, CORS, empty bodies where DynamoDB
 * sends none, and requests Node's HTTP parser or the size cap reject, which must still get an
 * answer the client can read.
 * Sources: ScyllaDB Alternator's test_compressed_request.py, test_compressed_response.py and
 * test_manual_requests.py, and dynalite's connection tests, each checked against AWS.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-compression.html
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { crc32, deflateSync, gzipSync, gunzipSync, inflateSync } from 'node:zlib'
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { startTestServer, localDiffers, inProcessOnly, type TestServer } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { sendRaw, errorName, authorizationFor, type RawReply } from '../helpers/raw.js'

const allowedOrigin = 'https://app.example'
let server: TestServer
let endpoint: string
let table: string
before(async () => {
  server = await startTestServer({ cors: allowedOrigin })
  endpoint = server.endpoint
  table = await createKeyTable(server.client, 'http')
})
after(async () => { await server?.close() })

const putItem = (pk: string, extra: object = {}) =>
  JSON.stringify({ TableName: table, Item: { pk: { S: pk }, ...extra } })

async function stored(pk: string): Promise<boolean> {
  return (await server.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } } }))).Item !== undefined
}

/** Bytes in, whole reply text out, over one raw connection (for requests no HTTP client sends). */
function exchange(request: string): Promise<string> {
  const url = new URL(endpoint)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname)
    let reply = ''
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1')
      // One reply is all we wait for: headers, then Content-Length bytes of body.
      const headerEnd = reply.indexOf('\r\n\r\n')
      const length = /content-length: (\d+)/i.exec(reply)
      if (headerEnd >= 0 && length && reply.length >= headerEnd + 4 + Number(length[1])) socket.end()
    })
    socket.on('close', () => resolve(reply))
    socket.on('error', reject)
    socket.write(request)
  })
}

const statusOf = (reply: string) => Number(reply.slice(9, 12))
const bodyOf = (reply: string) => JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>

// --- Compressed requests -------------------------------------------------------------------

// SDKs with request compression send the body gzipped with Content-Encoding: gzip.
test('a gzip request body is inflated and applied', localDiffers('it does not support compressed requests'), async () => {
  const reply = await sendRaw(endpoint, { target: 'PutItem', body: gzipSync(putItem('gzip')), headers: { 'Content-Encoding': 'gzip' } })
  assert.equal(reply.status, 200)
  assert.ok(await stored('gzip'))
})

// deflate (zlib) bodies are inflated the same way.
test('a deflate request body is inflated and applied', localDiffers('it does not support compressed requests'), async () => {
  const reply = await sendRaw(endpoint, { target: 'PutItem', body: deflateSync(putItem('deflate')), headers: { 'Content-Encoding': 'deflate' } })
  assert.equal(reply.status, 200)
  assert.ok(await stored('deflate'))
})

// Two gzip members back to back are one body, as the gzip format allows (and DynamoDB accepts).
test('concatenated gzip members are one body', localDiffers('it does not support compressed requests'), async () => {
  const text = putItem('two-gzips')
  const body = Buffer.concat([gzipSync(text.slice(0, 10)), gzipSync(text.slice(10))])
  const reply = await sendRaw(endpoint, { target: 'PutItem', body, headers: { 'Content-Encoding': 'gzip' } })
  assert.equal(reply.status, 200)
  assert.ok(await stored('two-gzips'))
})

// An unknown Content-Encoding, or a body that does not inflate (not gzip, cut short, empty), is
// a 500 InternalServerError in DynamoDB, and nothing is written.
test('undecodable request bodies are InternalServerError and change nothing', localDiffers('it does not support compressed requests'), async () => {
  const cases: Array<[string, string, Buffer]> = [
    ['unknown-encoding', 'garbage', Buffer.from(putItem('unknown-encoding'))],
    ['not-gzip', 'gzip', Buffer.from(putItem('not-gzip'))],
    ['truncated', 'gzip', gzipSync(putItem('truncated')).subarray(0, -1)],
    ['empty', 'gzip', Buffer.alloc(0)],
  ]
  for (const [pk, encoding, body] of cases) {
    const reply = await sendRaw(endpoint, { target: 'PutItem', body, headers: { 'Content-Encoding': encoding } })
    assert.equal(reply.status, 500, pk)
    assert.equal(errorName(reply), 'InternalServerError', pk)
    assert.equal(await stored(pk), false, pk)
  }
})

// A tiny body that inflates past the 16 MB request cap is too large, as if sent uncompressed.
test('a compressed body that inflates past the cap is 413', localDiffers('DynamoDB does not cap inflated bodies'), async () => {
  const body = gzipSync(Buffer.alloc(17 * 1024 * 1024, ' '))
  const reply = await sendRaw(endpoint, { target: 'ListTables', body, headers: { 'Content-Encoding': 'gzip' } })
  assert.equal(reply.status, 413)
  assert.equal(errorName(reply), 'RequestEntityTooLargeException')
})

// --- Compressed responses ------------------------------------------------------------------

/** An item whose GetItem reply is past DynamoDB's 4 KB compression threshold. */
async function bigItemReply(acceptEncoding: string | undefined): Promise<RawReply> {
  return sendRaw(endpoint, {
    target: 'GetItem', body: JSON.stringify({ TableName: table, Key: { pk: { S: 'big' } } }),
    headers: acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding },
  })
}

// Replies of 4 KB or more are compressed with the encoding the client accepts; the CRC32 covers
// the bytes as sent.
test('large replies are compressed per Accept-Encoding, gzip and deflate', localDiffers('it does not compress replies'), async () => {
  await server.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'big' }, x: { S: 'x'.repeat(5000) } } }))
  const plain = await bigItemReply(undefined)
  assert.equal(plain.headers['content-encoding'], undefined)
  for (const [encoding, inflate] of [['gzip', gunzipSync], ['deflate', inflateSync]] as const) {
    const reply = await bigItemReply(encoding)
    assert.equal(reply.headers['content-encoding'], encoding)
    assert.deepEqual(inflate(reply.body), plain.body)
    assert.ok(reply.body.length * 30 < plain.body.length)
    assert.equal(reply.headers['x-amz-crc32'], String(crc32(reply.body)))
  }
})

// Below the threshold nothing is compressed, whatever the client accepts.
test('small replies are not compressed', async () => {
  const reply = await sendRaw(endpoint, { target: 'ListTables', body: '{"Limit":1}', headers: { 'Accept-Encoding': 'gzip' } })
  assert.equal(reply.status, 200)
  assert.equal(reply.headers['content-encoding'], undefined)
})

// How DynamoDB reads Accept-Encoding (test_compressed_response.py, checked against AWS).
test('Accept-Encoding: q-values, order, wildcards and malformed entries', localDiffers('it does not compress replies'), async () => {
  const expected: Array<[string, string | undefined]> = [
    ['identity', undefined], ['', undefined], ['br', undefined], ['x-gzip', undefined],
    ['gzip, deflate', 'gzip'], ['br, identity, deflate, gzip', 'deflate'], ['GZIP, identity', 'gzip'],
    ['dog, gzip ,, cat', 'gzip'], ['gzip;q=0.8, deflate;q=0.5', 'gzip'],
    ['br, gzip;q=0, deflate; q = 0.5 , identity;q=0', 'deflate'], ['*', 'gzip'], ['*, deflate;q=0.5', 'gzip'],
    ['*, deflate', 'deflate'], ['*, gzip;q=0.5', 'deflate'], ['gzip ;q=0', undefined], ['*;q=0', undefined],
    ['*;q=0.5,identity', 'gzip'], ['br;q=0.8,identity;q=0.5,*;q=0', undefined], ['"gzip"', undefined],
    ['gzip br', undefined], ['gzip:q=1', undefined], ['gzip;q=31,deflate;q=51', 'gzip'],
    ['deflate;q=0.5, gzip;q=1;q=0.2', 'gzip'], ['deflate;q=0.5,gzip;q=0.', 'deflate'],
    ['deflate;q=0.5,gzip;q=0.x', 'gzip'], ['deflate;q=-0.5,gzip;q=0.2', 'gzip'], ['gzip;nq=1;q=0 ', undefined],
    ['gzip;q=0, gzip;q=1, gzip;q=0', 'gzip'], ['br,identity;q=0.5,gzip;q=0.0001', 'gzip'],
  ]
  for (const [header, encoding] of expected) {
    const reply = await bigItemReply(header)
    assert.equal(reply.headers['content-encoding'], encoding, `Accept-Encoding: ${header}`)
  }
})

// A client may repeat the header; DynamoDB reads the last one.
test('of repeated Accept-Encoding headers the last counts', localDiffers('it does not compress replies'), async () => {
  const url = new URL(endpoint)
  const body = JSON.stringify({ TableName: table, Key: { pk: { S: 'big' } } })
  const request = (first: string, last: string) => `POST / HTTP/1.1\r\nHost: ${url.host}\r\n` +
    'Content-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.GetItem\r\nX-Amz-Date: 20240101T000000Z\r\n' +
    'Authorization: AWS4-HMAC-SHA256 Credential=AKIDTEST/20240101/us-east-1/dynamodb/aws4_request, ' +
    `SignedHeaders=host, Signature=${'0'.repeat(64)}\r\nAccept-Encoding: ${first}\r\nAccept-Encoding: ${last}\r\n` +
    `Content-Length: ${body.length}\r\n\r\n${body}`
  assert.match(await exchange(request('identity', 'gzip')), /\r\nContent-Encoding: gzip\r\n/i)
  assert.doesNotMatch(await exchange(request('gzip', 'identity')), /\r\nContent-Encoding:/i)
})

// --- Paths, health, headers ----------------------------------------------------------------

// GET / is DynamoDB's health line, with request id, checksum and length; nothing else is.
test('GET / is the health line with request id, CRC32 and length', localDiffers('it answers an unsigned GET / with a 400 error'), async () => {
  const reply = await sendRaw(endpoint, { method: 'GET', headers: { Authorization: '', 'Content-Type': '' } })
  assert.equal(reply.status, 200)
  assert.equal(reply.body.toString('utf8'), 'healthy: dynamodb.us-east-1.amazonaws.com ')
  assert.equal(reply.headers['content-length'], '42')
  assert.equal(reply.headers['x-amz-crc32'], String(crc32(reply.body)))
  assert.match(String(reply.headers['x-amzn-requestid']), /^[0-9A-Z]{52}$/)
})

// Another service's API pointed here (aws lambda list-functions, aws s3 ls) must fail loudly,
// not read the health line as success. Paths EddyDB does serve keep working. (DynamoDB itself
// would answer a signed GET / with the health line; no DynamoDB client sends one.)
test('other paths are a JSON 404; served routes still answer', inProcessOnly('it checks the routes EddyDB serves besides the API'), async () => {
  for (const path of ['/2015-03-31/functions/', '/my-bucket', '//', '/%zz']) {
    for (const method of ['GET', 'POST']) {
      const reply = await sendRaw(endpoint, { method, path, target: 'ListTables', body: method === 'POST' ? '{}' : '' })
      assert.equal(reply.status, 404, `${method} ${path}`)
      assert.equal(errorName(reply), 'UnknownOperationException', `${method} ${path}`)
      assert.match(String(reply.json?.message), /served at POST \//)
    }
  }
  // `aws s3 ls` is a GET / signed for s3: not a health check.
  const listBuckets = await sendRaw(endpoint, {
    method: 'GET', headers: { Authorization: authorizationFor().replace('/dynamodb/', '/s3/'), 'Content-Type': '' },
  })
  assert.equal(listBuckets.status, 404)
  assert.match(String(listBuckets.json?.message), /"s3"/)
  const mappings = await sendRaw(endpoint, { method: 'GET', path: '/2015-03-31/event-source-mappings/' })
  assert.equal(mappings.status, 200)
  assert.ok(Array.isArray(mappings.json?.EventSourceMappings))
})

// DynamoDB names itself "Server" in the Server header, on every reply.
test('every reply carries Server: Server', localDiffers('its Server header names Jetty'), async () => {
  const ok = await sendRaw(endpoint, { target: 'ListTables', body: '{}' })
  const failed = await sendRaw(endpoint, { target: 'NoSuchOperation', body: '{}' })
  const health = await sendRaw(endpoint, { method: 'GET' })
  for (const reply of [ok, failed, health]) assert.equal(reply.headers.server, 'Server')
})

// TagResource and UntagResource succeed with an empty body, not '{}' (test_manual_requests.py).
test('TagResource and UntagResource reply with an empty body', localDiffers('tagging is not supported'), async () => {
  const described = await sendRaw(endpoint, { target: 'DescribeTable', body: JSON.stringify({ TableName: table }) })
  const arn = (described.json?.Table as { TableArn: string }).TableArn
  const tagged = await sendRaw(endpoint, { target: 'TagResource', body: JSON.stringify({ ResourceArn: arn, Tags: [{ Key: 'k', Value: 'v' }] }) })
  assert.equal(tagged.status, 200)
  assert.equal(tagged.body.length, 0)
  const untagged = await sendRaw(endpoint, { target: 'UntagResource', body: JSON.stringify({ ResourceArn: arn, TagKeys: ['k'] }) })
  assert.equal(untagged.status, 200)
  assert.equal(untagged.body.length, 0)
})

// DescribeEndpoints names the region's public endpoint, cached for a day.
test('DescribeEndpoints reply', localDiffers('DescribeEndpoints is an unknown operation'), async () => {
  const reply = await sendRaw(endpoint, { target: 'DescribeEndpoints', body: '{}' })
  assert.equal(reply.body.toString('utf8'), '{"Endpoints":[{"Address":"dynamodb.us-east-1.amazonaws.com","CachePeriodInMinutes":1440}]}')
})

// --- CORS ------------------------------------------------------------------------------------

// A preflight from an allowed origin: 200, empty, the requested method and headers allowed, and
// DynamoDB's two-day Max-Age.
test('CORS preflight from an allowed origin', inProcessOnly('it configures allowed CORS origins'), async () => {
  const reply = await sendRaw(endpoint, {
    method: 'OPTIONS',
    headers: { Origin: allowedOrigin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-amz-target, content-type' },
  })
  assert.equal(reply.status, 200)
  assert.equal(reply.body.length, 0)
  assert.equal(reply.headers['access-control-allow-origin'], allowedOrigin)
  assert.equal(reply.headers['access-control-allow-methods'], 'POST')
  assert.equal(reply.headers['access-control-allow-headers'], 'x-amz-target, content-type')
  assert.equal(reply.headers['access-control-max-age'], '172800')
})

// API replies to an allowed origin carry Access-Control-Allow-Origin. EddyDB refuses another
// origin's requests, preflight included, with a 403 and no CORS headers (DynamoDB answers them
// without CORS headers, its preflight with a 404: docs/security.md says why EddyDB does not).
test('CORS headers only for allowed origins', inProcessOnly('it configures allowed CORS origins'), async () => {
  const allowed = await sendRaw(endpoint, { target: 'ListTables', body: '{}', headers: { Origin: allowedOrigin } })
  assert.equal(allowed.headers['access-control-allow-origin'], allowedOrigin)
  const other = await sendRaw(endpoint, { target: 'ListTables', body: '{}', headers: { Origin: 'https://other.example' } })
  assert.equal(other.status, 403)
  assert.equal(other.headers['access-control-allow-origin'], undefined)
  const preflight = await sendRaw(endpoint, { method: 'OPTIONS', headers: { Origin: 'https://other.example' } })
  assert.equal(preflight.status, 403)
  assert.equal(preflight.headers['access-control-allow-origin'], undefined)
})

// Without --cors (the default) there are no CORS headers and no preflight, like DynamoDB Local;
// a page of another origin is refused.
test('CORS is off unless configured', inProcessOnly('it starts a server without CORS'), async () => {
  const plain = await startTestServer()
  try {
    const reply = await sendRaw(plain.endpoint, { target: 'ListTables', body: '{}', headers: { Origin: allowedOrigin } })
    assert.equal(reply.status, 403)
    assert.equal(reply.headers['access-control-allow-origin'], undefined)
    const preflight = await sendRaw(plain.endpoint, { method: 'OPTIONS', headers: { Origin: allowedOrigin } })
    assert.equal(preflight.status, 403)
  } finally {
    await plain.close()
  }
})

// --- Requests that cannot be served, answered all the same ---------------------------------

// A body over DynamoDB's 16 MB cap gets a 413 the client can read (not a reset mid-upload), and
// the connection serves the next request.
test('a body over 16 MB is a readable 413', localDiffers('its 413 body differs'), async () => {
  const reply = await sendRaw(endpoint, { target: 'ListTables', body: Buffer.alloc(16 * 1024 * 1024 + 1, ' '), timeoutMs: 120_000 })
  assert.equal(reply.status, 413)
  assert.equal(errorName(reply), 'RequestEntityTooLargeException')
  assert.equal((await sendRaw(endpoint, { target: 'ListTables', body: '{}' })).status, 200)
})

// Headers (or a request line) past Node's cap get a 4xx with a JSON error, not a bare status
// line or a dropped connection.
test('an over-long header or request line is a readable 431', localDiffers('its 4xx bodies differ'), async () => {
  const header = await exchange(`GET / HTTP/1.1\r\nHost: x\r\nX-Long: ${'a'.repeat(40_000)}\r\n\r\n`)
  assert.equal(statusOf(header), 431)
  assert.equal(bodyOf(header).__type, 'com.amazon.coral.service#RequestHeaderFieldsTooLargeException')
  const line = await exchange(`GET /${'a'.repeat(40_000)} HTTP/1.1\r\nHost: x\r\n\r\n`)
  assert.equal(statusOf(line), 431)
})

/** Writes `requests` at once on one connection and returns everything read until the server closes it. */
function pipelined(requests: string): Promise<string> {
  const url = new URL(endpoint)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname)
    let received = ''
    socket.on('data', (chunk: Buffer) => { received += chunk.toString('latin1') })
    socket.on('close', () => resolve(received))
    socket.on('error', reject)
    socket.write(requests)
  })
}

// Pipelined requests are answered in order; bytes after a `Connection: close` request are
// dropped, not answered (an error answer there once ended the connection before the close
// request's own answer).
test('pipelined requests are answered in order, up to a Connection: close request', localDiffers('it answers the extra bytes'), async () => {
  const listTables = (extra: string) => `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n` +
    `X-Amz-Target: DynamoDB_20120810.ListTables\r\nAuthorization: ${authorizationFor()}\r\nX-Amz-Date: 20261207T000000Z\r\n${extra}Content-Length: 2\r\n\r\n{}`
  const received = await pipelined(listTables('') + listTables('Connection: close\r\n') + 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
  assert.deepEqual(received.match(/HTTP\/1\.1 \d+/g), ['HTTP/1.1 200', 'HTTP/1.1 200'])
  assert.equal(received.match(/"TableNames":/g)?.length, 2)
})

// Bytes that are not HTTP at all still get a JSON answer.
test('a request that is not HTTP is a readable 400', localDiffers('its 4xx bodies differ'), async () => {
  const reply = await exchange('HELLO THERE\r\n\r\n')
  assert.equal(statusOf(reply), 400)
  assert.equal(typeof bodyOf(reply).__type, 'string')
  // With the headers every JSON reply has: a request id and the body's CRC32.
  assert.match(reply, /\r\nx-amzn-RequestId: [A-Z0-9]{52}\r\n/)
  assert.match(reply, new RegExp(`\\r\\nx-amz-crc32: ${crc32(reply.slice(reply.indexOf('\r\n\r\n') + 4))}\\r\\n`))
})

// An X-Amz-Target naming an Object.prototype property is an unknown operation like any other.
test('targets naming Object.prototype properties are UnknownOperationException', localDiffers('its __type is InvalidAction'), async () => {
  for (const target of ['constructor.name', 'hasOwnProperty.name', 'DynamoDB_20120810.constructor', '__proto__.toString']) {
    const reply = await sendRaw(endpoint, { headers: { 'X-Amz-Target': target }, body: '{}' })
    assert.equal(reply.status, 400, target)
    assert.equal(errorName(reply), 'UnknownOperationException', target)
  }
})

// A null member of a list is "Member must not be null" at its constraint path, whichever
// operation and list it is in (validation, not the operation, rejects it).
test('null list members are ValidationException naming the member', localDiffers('it answers 500 InternalFailure'), async () => {
  const reply = await sendRaw(endpoint, { target: 'TransactWriteItems', body: JSON.stringify({ TransactItems: [null] }) })
  assert.equal(reply.status, 400)
  assert.equal(reply.json?.message,
    "1 validation error detected: Value null at 'transactItems.1.member' failed to satisfy constraint: Member must not be null")
  const set = await sendRaw(endpoint, { target: 'PutItem', body: putItem('null-set', { s: { SS: ['a', null] } }) })
  assert.equal(errorName(set), 'ValidationException')
  assert.match(String(set.json?.message), /'item\.s\.member\.sS\.2\.member'/)
})
