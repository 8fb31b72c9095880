/**
 * The DAX wire protocol over TLS (`daxs://`, encryption in transit): a node given a PEM
 * certificate serves TLS only. The official v3 client checks the chain against Node's trust
 * store (it passes no `ca` to tls.connect) and the name against the seed host, so each client
 * run is a child process started with NODE_EXTRA_CA_CERTS, which Node reads only at startup.
 * Certificates are self-signed, made here with the `openssl` command.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { connect as connectTcp, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect as connectTls, type TLSSocket } from 'node:tls'
import { promisify } from 'node:util'
import { systemClock } from '../../src/api/context.js'
import { embeddedDaxFlags, parseDaxCommand, startEmbeddedDax } from '../../src/cli/dax.js'
import { loadConfig } from '../../src/config.js'
import { ConfigError } from '../../src/config.js'
import { CborReader, CborWriter, skipItem, type CborValue } from '../../src/dax/wire/cbor.js'
import { startDaxNode } from '../../src/dax/node.js'
import type { DaxTlsOptions, DynamoDbExecutor, RunningDaxNode } from '../../src/dax/node-api.js'
import { createInProcessUpstream } from '../../src/dax/upstream/in-process.js'
import { createLogger } from '../../src/log.js'
import { startServer, type RunningServer } from '../../src/server.js'

const run = promisify(execFile)
const clientModule = createRequire(import.meta.url).resolve('@amazon-dax-sdk/client-dax')
const endpointsMethod = 455855874
const authorizeMethod = 1489122155
/** Bounds every wait on a socket or a child client, so a broken handshake fails the test instead of hanging it. */
const waitMillisMax = 20_000

interface Certificate { certFile: string; keyFile: string; tls: DaxTlsOptions }

/** Why the tests cannot run, or undefined when openssl is there. */
const opensslMissing = await run('openssl', ['version']).then(() => undefined, (error: Error) => `openssl is not available: ${error.message}`)

let directory: string
let server: RunningServer
/** Its certificate names 127.0.0.1, the seed host the clients use. */
let matchingNode: RunningDaxNode
let matching: Certificate
/** Its certificate names only eddydb.invalid: trusted, but not for 127.0.0.1. */
let otherNameNode: RunningDaxNode
let otherName: Certificate

before(async () => {
  if (opensslMissing) return
  directory = await mkdtemp(join(tmpdir(), 'eddydb-dax-tls-'))
  matching = await selfSignedCertificate('matching', 'IP:127.0.0.1')
  otherName = await selfSignedCertificate('other-name', 'DNS:eddydb.invalid')
  server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true, logLevel: 'silent' })
  const upstream = createInProcessUpstream({ regions: server.regions, region: 'us-east-1' })
  await upstream.execute('CreateTable', {
    TableName: 'secure', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
  })
  matchingNode = await startTlsNode(upstream, matching.tls)
  otherNameNode = await startTlsNode(upstream, otherName.tls)
})

after(async () => {
  if (opensslMissing) return
  await Promise.all([matchingNode?.close(), otherNameNode?.close()])
  await server?.close()
  await rm(directory, { recursive: true, force: true })
})

async function selfSignedCertificate(name: string, subjectAltName: string): Promise<Certificate> {
  const certFile = join(directory, `${name}.crt`)
  const keyFile = join(directory, `${name}.key`)
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', `/CN=eddydb-${name}`, '-addext', `subjectAltName=${subjectAltName}`, '-keyout', keyFile, '-out', certFile,
  ])
  return { certFile, keyFile, tls: { cert: await readFile(certFile), key: await readFile(keyFile, 'utf8') } }
}

/** A node whose endpoint discovery reports its own (TLS) wire port, as the CLI's does. */
async function startTlsNode(upstream: DynamoDbExecutor, tls: DaxTlsOptions): Promise<RunningDaxNode> {
  let port = 0
  const node = await startDaxNode({
    clusterName: 'tls-test', nodeId: 'node-1', role: 'primary', host: '127.0.0.1', wirePort: 0, tls, upstream,
    settings: { recordTtlMillis: 300_000, queryTtlMillis: 300_000, cacheSizeBytes: 1 << 24 },
    clock: systemClock, log: createLogger('silent'),
    endpoints: () => [{ nodeId: 'node-1', hostname: '127.0.0.1', address: '127.0.0.1', port, role: 'primary', availabilityZone: 'local-1a' }],
  })
  port = node.wirePort
  return node
}

/**
 * The official v3 client in a child process: a PutItem then a GetItem through the seed. Prints
 * the item read, or the code of the first TLS error its sockets hit. The client retries a
 * refused node for ~15-30 s before it reports only "NoRouteException: No endpoints available",
 * so the script watches the sockets it opens (it calls tls.connect on the module) and stops at
 * the first certificate error instead.
 */
const clientScript = `
const tls = require('node:tls')
const connect = tls.connect
const finish = (result) => { process.stdout.write(JSON.stringify(result)); process.exit(0) }
tls.connect = (...args) => connect(...args).on('error', (error) => finish({ tlsErrorCode: error.code }))
const { Dax } = require(process.env.DAX_CLIENT_MODULE)
const config = JSON.parse(process.env.DAX_CLIENT_CONFIG)
const dax = new Dax({ ...config, region: 'us-east-1', credentials: { accessKeyId: 'any', secretAccessKey: 'any' } })
;(async () => {
  await dax.putItem({ TableName: 'secure', Item: { id: { S: config.id }, v: { S: 'encrypted' } } })
  const { Item } = await dax.getItem({ TableName: 'secure', Key: { id: { S: config.id } } })
  return { item: Item }
})().then(finish, (error) => finish({ error: String(error && (error.message || error)) }))
`

interface ClientRun { item?: Record<string, unknown>; tlsErrorCode?: string; error?: string }

async function runOfficialClient(config: Record<string, unknown>, trustedCertFile?: string): Promise<ClientRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, DAX_CLIENT_MODULE: clientModule, DAX_CLIENT_CONFIG: JSON.stringify(config) }
  // A clean trust setup: only what this run asks for, nothing inherited that would loosen it.
  for (const name of ['NODE_EXTRA_CA_CERTS', 'NODE_TLS_REJECT_UNAUTHORIZED', 'NODE_OPTIONS', 'NODE_TEST_CONTEXT']) delete env[name]
  if (trustedCertFile) env.NODE_EXTRA_CA_CERTS = trustedCertFile
  const { stdout } = await run(process.execPath, ['-e', clientScript], { env, timeout: waitMillisMax })
  return JSON.parse(stdout) as ClientRun
}

describe('the official v3 client over daxs://', { skip: opensslMissing }, () => {
  test('trusting the certificate (NODE_EXTRA_CA_CERTS), writes and reads go through the node', async () => {
    const hitsBefore = matchingNode.stats().ItemCacheHits ?? 0
    const result = await runOfficialClient({ endpoints: [`daxs://127.0.0.1:${matchingNode.wirePort}`], id: 'trusted' }, matching.certFile)
    assert.deepEqual(result, { item: { id: { S: 'trusted' }, v: { S: 'encrypted' } } })
    // The read was answered by the TLS node's cache, refreshed by the write through it.
    assert.equal(matchingNode.stats().ItemCacheHits, hitsBefore + 1)
  })

  test('without the certificate in the trust store the client refuses the node', async () => {
    const result = await runOfficialClient({ endpoints: [`daxs://127.0.0.1:${matchingNode.wirePort}`], id: 'untrusted' })
    assert.deepEqual(result, { tlsErrorCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' })
  })

  test('a trusted certificate for another name fails, unless skipHostnameVerification is set', async () => {
    const seed = `daxs://127.0.0.1:${otherNameNode.wirePort}`
    const checked = await runOfficialClient({ endpoints: [seed], id: 'other-name' }, otherName.certFile)
    assert.deepEqual(checked, { tlsErrorCode: 'ERR_TLS_CERT_ALTNAME_INVALID' })
    const skipped = await runOfficialClient({ endpoints: [seed], id: 'other-name', skipHostnameVerification: true }, otherName.certFile)
    assert.deepEqual(skipped, { item: { id: { S: 'other-name' }, v: { S: 'encrypted' } } })
  })
})

describe('the TLS listener on a raw socket', { skip: opensslMissing }, () => {
  test('handshake, preamble, authorizeConnection and endpoints report the TLS port', async () => {
    assert.equal(await endpointPortOverTls(matchingNode.wirePort, matching.tls.cert), matchingNode.wirePort)
  })

  test('a plaintext client gets no DAX answer: the node serves TLS only', async () => {
    const socket = connectTcp(matchingNode.wirePort, '127.0.0.1')
    try {
      await waitFor(socket, 'connect')
      let received = Buffer.alloc(0)
      socket.on('data', (chunk: Buffer) => { received = Buffer.concat([received, chunk]) })
      const closed = waitFor(socket, 'close')
      socket.write(new CborWriter().text('J7yne5G').int(0).null().mapHeader(0).int(0).int(1).int(endpointsMethod).toBuffer())
      await closed
      // Whatever came back (at most a TLS alert record, content type 21) is not CBOR for us.
      assert.ok(received.length === 0 || received[0] === 21, `unexpected bytes ${received.toString('hex')}`)
    } finally {
      socket.destroy()
    }
  })

  test('close() does not wait for a client stuck before its handshake', async () => {
    const node = await startTlsNode(createInProcessUpstream({ regions: server.regions, region: 'us-east-1' }), matching.tls)
    const socket = connectTcp(node.wirePort, '127.0.0.1')
    try {
      await waitFor(socket, 'connect')
      // The client never sends a ClientHello: only close() dropping its socket can end it (the
      // handshake timeout is two minutes, far past waitFor's cap). So seeing it closed, then
      // close() resolving, shows close() did not wait for the client.
      const dropped = waitFor(socket, 'close')
      const closing = node.close()
      await dropped
      await closing
    } finally {
      socket.destroy()
    }
  })
})

describe('the TLS flags', () => {
  test('--dax-tls-cert/--dax-tls-key and --tls-cert/--tls-key move the default wire port to 9111', () => {
    const dax = serveDaxFlags(['--dax', '--dax-tls-cert', 'node.crt', '--dax-tls-key=node.key'])
    assert.deepEqual(dax?.tls, { certFile: 'node.crt', keyFile: 'node.key' })
    assert.equal(dax?.wirePort, 9111)
    const standalone = parseDaxCommand(['--upstream', 'http://127.0.0.1:8000', '--tls-cert', 'a.crt', '--tls-key', 'a.key', '--port', '9200'], {})
    assert.deepEqual(standalone.tls, { certFile: 'a.crt', keyFile: 'a.key' })
    assert.equal(standalone.wirePort, 9200)
    const plain = parseDaxCommand(['--upstream', 'http://127.0.0.1:8000'], {})
    assert.equal(plain.tls, undefined)
    assert.equal(plain.wirePort, 8111)
  })

  test('a certificate without its key, or TLS with the wire port off, is refused', () => {
    assert.throws(() => serveDaxFlags(['--dax', '--dax-tls-cert', 'node.crt']), /--dax-tls-cert and --dax-tls-key go together/)
    assert.throws(() => parseDaxCommand(['--upstream', 'http://x', '--tls-key', 'a.key'], {}), /--tls-cert and --tls-key go together/)
    assert.throws(() => parseDaxCommand(['--upstream', 'http://x', '--tls-cert', 'a', '--tls-key', 'b', '--port', 'off'], {}),
      /--tls-cert needs the wire listener, but --port is off/)
  })

  test('serve --dax with TLS files: the embedded node reads them and serves TLS', { skip: opensslMissing }, async () => {
    const flags = serveDaxFlags(['--dax', '--dax-port', '0', '--dax-http-port', 'off',
      '--dax-tls-cert', matching.certFile, '--dax-tls-key', matching.keyFile])
    const node = await startEmbeddedDax(server, flags!, { region: 'us-east-1', log: createLogger('silent') })
    try {
      assert.equal(await endpointPortOverTls(node.wirePort, matching.tls.cert), node.wirePort)
    } finally {
      await node.close()
    }
  })

  test('unreadable or mismatched TLS files fail with the file names', { skip: opensslMissing }, async () => {
    const start = (certFile: string, keyFile: string) => startEmbeddedDax(server,
      serveDaxFlags(['--dax', '--dax-port', '0', '--dax-http-port', 'off', '--dax-tls-cert', certFile, '--dax-tls-key', keyFile])!,
      { region: 'us-east-1', log: createLogger('silent') })
    const missing = join(directory, 'missing.key')
    await assert.rejects(start(matching.certFile, missing), (error: Error) =>
      error instanceof ConfigError && error.message.startsWith(`cannot read the TLS key ${missing}:`))
    const otherKey = otherName.keyFile
    await assert.rejects(start(matching.certFile, otherKey), (error: Error) =>
      error instanceof ConfigError && error.message.startsWith(`TLS certificate ${matching.certFile} and key ${otherKey} do not load:`))
  })
})

/** Handshake (trusting `ca`), preamble, authorizeConnection, endpoints: the port the node reports. */
async function endpointPortOverTls(port: number, ca: DaxTlsOptions['cert']): Promise<CborValue | undefined> {
  const socket = connectTls({ host: '127.0.0.1', port, ca })
  try {
    await waitFor(socket, 'secureConnect')
    assert.equal(socket.authorized, true)
    const reader = collectItems(socket)
    socket.write(handshakeAndEndpoints())
    const [marker, nodes] = await reader.items(2)
    assert.deepEqual(marker, [])
    const [node] = nodes as Map<number, CborValue>[]
    assert.equal(node!.get(1), '127.0.0.1')
    return node!.get(3)
  } finally {
    socket.destroy()
  }
}

function handshakeAndEndpoints(): Buffer {
  const writer = new CborWriter()
  writer.text('J7yne5G').int(0).bytes(Buffer.alloc(16)).mapHeader(1).text('UserAgent').text('tls-test').int(0)
  writer.int(1).int(authorizeMethod).text('AKIDEXAMPLE').text('cd'.repeat(32))
    .bytes(Buffer.from('AWS4-HMAC-SHA256\n20250101T000000Z\n20250101/us-east-1/dax/aws4_request\n' + 'ab'.repeat(32))).null().null()
  writer.int(1).int(endpointsMethod)
  return writer.toBuffer()
}

function waitFor(socket: Socket, event: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${waitMillisMax} ms`)), waitMillisMax)
    socket.once(event, () => { clearTimeout(timer); resolve() })
    if (event !== 'close') socket.once('error', (error) => { clearTimeout(timer); reject(error) })
  })
}

/** Collects the decrypted stream and hands out whole CBOR items. */
function collectItems(socket: TLSSocket): { items(count: number): Promise<CborValue[]> } {
  let buffer = Buffer.alloc(0)
  socket.on('data', (chunk: Buffer) => { buffer = Buffer.concat([buffer, chunk]) })
  return {
    async items(count) {
      const deadline = Date.now() + waitMillisMax
      for (;;) {
        let position = 0
        let found = 0
        while (found < count) {
          const end = skipItem(buffer, position)
          if (end === undefined) break
          position = end
          found++
        }
        if (found === count) {
          const reader = new CborReader(buffer.subarray(0, position))
          return Array.from({ length: count }, () => reader.read())
        }
        if (socket.destroyed || Date.now() > deadline) throw new Error(`only ${found} of ${count} items arrived`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    },
  }
}

/** The embedded node's flags as `eddydb serve` reads them. */
function serveDaxFlags(argv: string[]) {
  return embeddedDaxFlags(loadConfig(argv, {}))
}
