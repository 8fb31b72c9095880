/**
 * Web pages cannot use the server through a visitor's browser (src/security/browser-requests.ts).
 * A page of another origin may send "simple" requests (a POST with Content-Type text/plain, no
 * preflight) to any address; a page whose name its attacker re-points at 127.0.0.1 (DNS rebinding)
 * is even same-origin with the server. On the default anonymous server either one could change
 * every table, so a request from a foreign Origin, or with a Host a loopback server does not
 * answer, is refused before any route or operation runs, on both HTTP paths (the fast path takes
 * POST /, node:http everything else). SDKs send no Origin and an address or localhost as Host.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { CreateBackupCommand, CreateTableCommand, ListBackupsCommand } from '@aws-sdk/client-dynamodb'
import { createHttpServer } from '../../src/http/server.js'
import { createLogger } from '../../src/log.js'
import { authorizationFor, errorName, sendRaw, type RawReply } from '../helpers/raw.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const allowedOrigin = 'https://app.example'
const foreignOrigin = 'http://evil.example'
const directory = mkdtempSync(join(tmpdir(), 'eddydb-browser-requests-'))
let server: TestServer
let streamArn: string
let backupArn: string

before(async () => {
  writeFileSync(join(directory, 'sink.mjs'), 'export const handler = async () => null\n')
  // One function per mapping the tests make: a stream maps to a function once.
  const functions = Object.fromEntries(['sink', 'own', 'localhost', 'sdk', 'cors'].map((name) => [name, { module: join(directory, 'sink.mjs') }]))
  server = await startTestServer({ cors: allowedOrigin, functions })
  const { TableDescription } = await server.client.send(new CreateTableCommand({
    TableName: 'victim', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
  }))
  streamArn = TableDescription!.LatestStreamArn!
  backupArn = (await server.client.send(new CreateBackupCommand({ TableName: 'victim', BackupName: 'before-attack' }))).BackupDetails!.BackupArn!
})

after(async () => {
  await server?.close()
  rmSync(directory, { recursive: true, force: true })
})

/** A CORS "simple request" as a page sends it: POST, text/plain, with these extra headers. */
function simplePost(path: string, body: object, headers: Record<string, string>): Promise<RawReply> {
  return sendRaw(server.endpoint, { path, body: JSON.stringify(body), headers: { 'Content-Type': 'text/plain', ...headers } })
}

const createMapping = (headers: Record<string, string>, functionName = 'sink') => simplePost('/2015-03-31/event-source-mappings/',
  { FunctionName: functionName, EventSourceArn: streamArn, StartingPosition: 'TRIM_HORIZON' },
  { Authorization: authorizationFor().replace('/dynamodb/', '/lambda/'), ...headers })

const copyBackup = (headers: Record<string, string>) => simplePost('/_eddydb/backups/copy', { BackupArn: backupArn, TargetRegion: 'eu-west-1' }, headers)

async function mappingCount(): Promise<number> {
  const list = await sendRaw(server.endpoint, { method: 'GET', path: '/2015-03-31/event-source-mappings/' })
  assert.equal(list.status, 200)
  return (list.json?.EventSourceMappings as unknown[]).length
}

async function westBackupCount(): Promise<number> {
  const west = server.newClient({ region: 'eu-west-1' })
  return (await west.send(new ListBackupsCommand({}))).BackupSummaries?.length ?? 0
}

function assertRefused(reply: RawReply, pattern: RegExp): void {
  assert.equal(reply.status, 403)
  assert.equal(errorName(reply), 'AccessDeniedException')
  assert.equal(reply.headers['x-amzn-errortype'], 'AccessDeniedException')
  assert.match(String(reply.json?.Message), pattern)
}

// The probe's attack: a page of another origin creates a mapping that sends the table's stream
// to a function, and copies a backup, with no preflight. Both are refused and change nothing.
test('a cross-origin simple POST to the REST routes is refused and changes nothing', async () => {
  assertRefused(await createMapping({ Origin: foreignOrigin }), /from http:\/\/evil\.example refused.*--cors/)
  assertRefused(await copyBackup({ Origin: foreignOrigin }), /--cors/)
  // Origin "null" (a sandboxed frame, a file:// page) is no origin of the server's either.
  assertRefused(await copyBackup({ Origin: 'null' }), /--cors/)
  assert.equal(await mappingCount(), 0)
  assert.equal(await westBackupCount(), 0)
})

// The console is same-origin: its POSTs carry the server's own origin. SDKs send no Origin.
test('the same requests from the server\'s own origin, without an Origin, or from a --cors origin are served', async () => {
  const own = new URL(server.endpoint).origin
  assert.equal((await createMapping({ Origin: own }, 'own')).status, 202)
  // localhost on the server's port is the same server as 127.0.0.1 on it.
  assert.equal((await createMapping({ Origin: own.replace('127.0.0.1', 'localhost') }, 'localhost')).status, 202)
  assert.equal((await createMapping({}, 'sdk')).status, 202)
  assert.equal((await createMapping({ Origin: allowedOrigin }, 'cors')).status, 202)
  assert.equal(await mappingCount(), 4)
  const copied = await copyBackup({ Origin: own })
  assert.equal(copied.status, 200, copied.body.toString())
  assert.equal(await westBackupCount(), 1)
})

// POST / goes through the HTTP/1.1 fast path: refused there the same way.
test('the DynamoDB API refuses a foreign origin on the fast path too', async () => {
  assertRefused(await sendRaw(server.endpoint, { target: 'ListTables', body: '{}', headers: { Origin: foreignOrigin } }), /--cors/)
  const allowed = await sendRaw(server.endpoint, { target: 'ListTables', body: '{}', headers: { Origin: allowedOrigin } })
  assert.equal(allowed.status, 200)
  assert.equal(allowed.headers['access-control-allow-origin'], allowedOrigin)
})

// An <img> or <script> of another site sends no Origin, but Sec-Fetch-Site says who sent it; a
// link followed to the console is a navigation and is served.
test('a request without Origin that another site made is refused unless it is a navigation', async () => {
  const load = (mode: string) => sendRaw(server.endpoint, {
    method: 'GET', path: '/_eddydb/status', headers: { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': mode },
  })
  assertRefused(await load('no-cors'), /another site/)
  assert.equal((await load('navigate')).status, 200)
  const sameOrigin = await sendRaw(server.endpoint, { method: 'GET', path: '/_eddydb/status', headers: { 'Sec-Fetch-Site': 'same-origin' } })
  assert.equal(sameOrigin.status, 200)
})

// DNS rebinding: evil.example resolves to 127.0.0.1, so its page sends Host: evil.example.
test('a server on loopback refuses a Host it does not serve, on both HTTP paths', async () => {
  const host = { Host: 'evil.example:8000' }
  assertRefused(await sendRaw(server.endpoint, { target: 'ListTables', body: '{}', headers: host }), /--allowed-hosts "evil\.example"/)
  assertRefused(await sendRaw(server.endpoint, { method: 'GET', headers: host }), /--allowed-hosts/)
  // Same-origin with the rebound name does not help: the Host is checked first.
  assertRefused(await createMapping({ ...host, Origin: 'http://evil.example:8000' }), /--allowed-hosts/)
  for (const served of ['localhost:1', 'LOCALHOST', 'db.localhost:8000', '127.0.0.2', '[::1]:8000', 'localhost.']) {
    const reply = await sendRaw(server.endpoint, { target: 'ListTables', body: '{}', headers: { Host: served } })
    assert.equal(reply.status, 200, served)
  }
})

test('names --allowed-hosts lists are served on loopback', async () => {
  const allowing = await startTestServer({ allowedHosts: ['evil.example', '.corp.example'] })
  try {
    for (const served of ['evil.example:8000', 'db.corp.example', 'corp.example']) {
      const reply = await sendRaw(allowing.endpoint, { target: 'ListTables', body: '{}', headers: { Host: served } })
      assert.equal(reply.status, 200, served)
    }
    const other = await sendRaw(allowing.endpoint, { target: 'ListTables', body: '{}', headers: { Host: 'evilcorp.example' } })
    assert.equal(other.status, 403)
  } finally {
    await allowing.close()
  }
})

// Off loopback the server needs --credentials (or --allow-anonymous): it answers any Host, as
// clients name it by whatever name the network gives it.
test('a server on another address answers any Host', async () => {
  const http = createHttpServer({ dispatch: async () => '{}', log: createLogger('silent'), healthText: 'healthy' })
  await new Promise<void>((resolve) => http.listen(0, '0.0.0.0', resolve))
  try {
    const endpoint = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
    assert.equal((await sendRaw(endpoint, { target: 'ListTables', body: '{}', headers: { Host: 'db.internal:8000' } })).status, 200)
    // A foreign Origin is still refused there.
    assert.equal((await sendRaw(endpoint, { target: 'ListTables', body: '{}', headers: { Host: 'db.internal', Origin: foreignOrigin } })).status, 403)
    assert.equal((await sendRaw(endpoint, { target: 'ListTables', body: '{}', headers: { Host: 'db.internal', Origin: 'https://db.internal' } })).status, 200)
  } finally {
    await new Promise((resolve) => http.close(resolve))
  }
})
