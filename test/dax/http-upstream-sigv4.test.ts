/**
 * The HTTP upstream's SigV4 signer, checked against the SDK's own signer (@smithy/signature-v4,
 * installed with @aws-sdk/client-dynamodb), and its error mapping: an upstream's error reply is
 * re-thrown with the upstream's type, message, status and extra members.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, createHmac } from 'node:crypto'
import { SignatureV4 } from '@smithy/signature-v4'
import { signRequest } from '../../src/dax/upstream/sigv4.js'
import { errorFromUpstreamReply, UpstreamError } from '../../src/dax/upstream/upstream-error.js'

/** The Sha256 interface the smithy signer expects, backed by node:crypto. */
class NodeSha256 {
  readonly #hash
  constructor(secret?: string | Uint8Array) {
    this.#hash = secret ? createHmac('sha256', secret) : createHash('sha256')
  }
  update(data: string | Uint8Array): void { this.#hash.update(data) }
  async digest(): Promise<Uint8Array> { return this.#hash.digest() }
}

test('signRequest agrees with the SDK signer, with and without a session token', async () => {
  for (const sessionToken of [undefined, 'token/with+chars=']) {
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken }
    const date = new Date('2024-05-06T07:08:09Z')
    const body = JSON.stringify({ TableName: 'events', Key: { pk: { S: 'ünïcode' } } })
    const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' }
    const ours = signRequest({ method: 'POST', host: '127.0.0.1:8000', path: '/', headers, body },
      { region: 'eu-west-1', service: 'dynamodb', credentials, date })
    const smithy = new SignatureV4({ credentials, region: 'eu-west-1', service: 'dynamodb', sha256: NodeSha256 as never, applyChecksum: false })
    const signed = await smithy.sign({
      method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 8000, path: '/', query: {},
      headers: { ...headers, host: '127.0.0.1:8000' }, body,
    }, { signingDate: date })
    assert.equal(ours.authorization, signed.headers.authorization)
  }
})

test('an upstream error reply keeps its type, namespace, message, status and members', () => {
  const error = errorFromUpstreamReply(400, JSON.stringify({
    __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found',
  }))
  assert.ok(error instanceof UpstreamError)
  assert.equal(error.type, 'ResourceNotFoundException')
  assert.equal(error.statusCode, 400)
  assert.deepEqual(error.toWire(), {
    __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found',
  })
  const throttled = errorFromUpstreamReply(400, '{"__type":"com.amazon.coral.availability#ThrottlingException","Message":"Rate exceeded"}')
  assert.equal(throttled.type, 'ThrottlingException')
  assert.equal(throttled.message, 'Rate exceeded')
  const cancelled = errorFromUpstreamReply(400, JSON.stringify({
    __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException', message: 'x',
    CancellationReasons: [{ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }, { Code: 'None' }],
  }))
  assert.equal(cancelled.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]')
  const internal = errorFromUpstreamReply(503, '<html>bad gateway</html>')
  assert.equal(internal.fault, 'server')
  assert.equal(internal.statusCode, 503)
})
