/**
 * The connection layer over a raw socket: the preamble, the authorizeConnection handshake that
 * must come before any request, endpoint discovery, and the answers to calls we do not serve.
 * Plus signature checking with the official v3 client when the server is given secrets.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import type { CborValue } from '../../src/dax/wire/cbor.js'
import { startDaxWireServer } from '../../src/dax/wire/server.js'
import { createLogger } from '../../src/log.js'
import { startWireFixture, type WireFixture } from './wire-fixture.js'
import { endpointsMethod, RawClient } from './raw-wire-client.js'

const require = createRequire(import.meta.url)
const { Dax } = require('@amazon-dax-sdk/client-dax') as { Dax: new (config: object) => any }

let fixture: WireFixture
before(async () => { fixture = await startWireFixture() })
after(async () => { await fixture.close() })

describe('connection layer', () => {
  // Discovery: the client learns each node's id, address bytes, port and role from this call.
  test('endpoints after the handshake lists the node', async () => {
    const client = new RawClient(fixture.wire.port)
    try {
      client.preamble()
      client.authorize()
      client.send((w) => w.int(1).int(endpointsMethod))
      const [marker, nodes] = await client.items(2)
      assert.deepEqual(marker, [])
      const [node] = nodes as Map<number, CborValue>[]
      assert.equal(node!.get(0), 1)
      assert.equal(node!.get(1), '127.0.0.1')
      assert.deepEqual(node!.get(2), Buffer.from([127, 0, 0, 1]))
      assert.equal(node!.get(3), fixture.wire.port)
      assert.equal(node!.get(4), 1)
      assert.equal(node!.get(5), 'local-1a')
    } finally {
      client.close()
    }
  })

  // Permissive like DynamoDB Local about the key, but the handshake itself is required.
  test('a request without authorizeConnection gets AuthenticationRequired', async () => {
    const client = new RawClient(fixture.wire.port)
    try {
      client.preamble()
      client.send((w) => w.int(1).int(endpointsMethod))
      const [codes, message, detail] = await client.items(3)
      assert.deepEqual(codes, [4, 23, 31, 33])
      assert.equal(typeof message, 'string')
      assert.equal((detail as CborValue[])[1], 'AuthenticationRequiredException')
    } finally {
      client.close()
    }
  })

  test('a malformed signature is a failed handshake', async () => {
    const client = new RawClient(fixture.wire.port)
    try {
      client.preamble()
      client.authorize('not-hex')
      client.send((w) => w.int(1).int(endpointsMethod))
      const [codes] = await client.items(3)
      assert.deepEqual(codes, [4, 23, 31, 33])
    } finally {
      client.close()
    }
  })

  test('a method we do not serve gets NotImplemented, then the connection closes', async () => {
    const client = new RawClient(fixture.wire.port)
    try {
      client.preamble()
      client.authorize()
      client.send((w) => w.int(1).int(-819330193).text('describeTable-argument'))
      const [codes] = await client.items(3)
      assert.deepEqual(codes, [4, 37, 38, 44])
      await new Promise((resolve) => client.socket.once('close', resolve))
    } finally {
      client.close()
    }
  })

  test('a connection without the DAX preamble is closed', async () => {
    const client = new RawClient(fixture.wire.port)
    client.send((w) => w.text('GET / HTTP/1.1'))
    await new Promise((resolve) => client.socket.once('close', resolve))
    assert.ok(client.closed)
  })
})

describe('signature checking', () => {
  let wire: Awaited<ReturnType<typeof startDaxWireServer>>
  before(async () => {
    let port = 0
    const secrets: Record<string, string> = { AKIDGOOD: 'right-secret' }
    wire = await startDaxWireServer({
      host: '127.0.0.1', port: 0, executor: fixture.standIn.executor, log: createLogger('silent'),
      endpoints: () => [{ nodeId: 'node-1', hostname: '127.0.0.1', address: '127.0.0.1', port, role: 'primary', availabilityZone: 'local-1a' }],
      keyFor: (accessKeyId: string) => secrets[accessKeyId] === undefined ? undefined : { secretAccessKey: secrets[accessKeyId]!, accountId: '000000000000' },
    } as Parameters<typeof startDaxWireServer>[0])
    port = wire.port
  })
  after(async () => { await wire.close() })

  test('the right secret works and a wrong one is refused', async () => {
    const good = new Dax({ endpoints: [`dax://127.0.0.1:${wire.port}`], region: 'us-east-1', credentials: { accessKeyId: 'AKIDGOOD', secretAccessKey: 'right-secret' } })
    const bad = new Dax({ endpoints: [`dax://127.0.0.1:${wire.port}`], region: 'us-east-1', credentials: { accessKeyId: 'AKIDGOOD', secretAccessKey: 'wrong' }, maxRetries: 0 })
    try {
      await good.putItem({ TableName: 'simple', Item: { id: { S: 'signed' } } })
      const { Item } = await good.getItem({ TableName: 'simple', Key: { id: { S: 'signed' } } })
      assert.deepEqual(Item, { id: { S: 'signed' } })
      // A wrong secret fails discovery itself (endpoints is refused too), so this client reports
      // no route; one that had routes before its credentials went bad gets AuthenticationRequired.
      await assert.rejects(bad.getItem({ TableName: 'simple', Key: { id: { S: 'signed' } } }), (error: { code?: string; message?: string }) => {
        assert.match(`${error.code} ${error.message}`, /AuthenticationRequired|NoRoute/)
        return true
      })
    } finally {
      good.shutdown()
      bad.shutdown()
    }
  })
})
