/**
 * The console's browser-side SigV4 signer (src/console/ui/sigv4.js) computes the signature AWS
 * documents and the AWS SDK computes, so the console keeps working once signatures are verified;
 * and its own SHA-256 (for pages without WebCrypto) matches node:crypto.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, createHmac, randomBytes, type Hash, type Hmac } from 'node:crypto'
import { SignatureV4 } from '@smithy/signature-v4'
import { importConsoleModule } from './browser.js'

interface Signer {
  signRequest(request: Record<string, unknown>): Promise<Record<string, string>>
  forTesting: { sha256Js(bytes: Uint8Array): Uint8Array }
}

/** The hash the SDK signer is given (the SDK's own node hash package is not installed here). */
class Sha256 {
  readonly #hash: Hash | Hmac
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(secret))
  }

  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#hash.update(bytesOf(data))
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest())
  }
}

function bytesOf(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data)
}

const signer = await importConsoleModule<Signer>('sigv4.js')
const exampleCredentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }

test('the get-vanilla example of the AWS SigV4 test suite', async () => {
  const headers = await signer.signRequest({
    method: 'GET', url: 'https://example.amazonaws.com/', headers: {}, body: '', region: 'us-east-1', service: 'service',
    credentials: exampleCredentials, now: new Date('2015-08-30T12:36:00Z'),
  })
  assert.equal(headers['x-amz-date'], '20150830T123600Z')
  assert.equal(headers.authorization, 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
    'SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31')
})

/** The signature the AWS SDK's signer gives the same request. */
async function sdkSignature(method: string, url: URL, headers: Record<string, string>, body: string, service: string, now: Date): Promise<string> {
  const sdk = new SignatureV4({ credentials: exampleCredentials, region: 'eu-west-1', service, sha256: Sha256, applyChecksum: false })
  const signed = await sdk.sign({
    method, protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path: url.pathname,
    query: Object.fromEntries(url.searchParams), headers: { ...headers, host: url.host }, body,
  }, { signingDate: now })
  return signed.headers.authorization!.split('Signature=')[1]!
}

test('a DynamoDB JSON request and a Lambda REST request are signed as the AWS SDK signs them', async () => {
  const now = new Date('2026-12-04T03:00:00Z')
  const cases: Array<{ method: string; url: URL; service: string; body: string; headers: Record<string, string> }> = [
    { method: 'POST', url: new URL('http://127.0.0.1:8000/'), service: 'dynamodb', body: '{"TableName":"Music"}',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.DescribeTable' } },
    { method: 'GET', url: new URL('http://localhost:8000/2015-03-31/event-source-mappings/?Marker=a%2Bb&EventSourceArn=arn%3Aaws%3Ax'),
      service: 'lambda', body: '', headers: {} },
  ]
  for (const each of cases) {
    const headers = await signer.signRequest({
      method: each.method, url: each.url.href, headers: each.headers, body: each.body, region: 'eu-west-1', service: each.service,
      credentials: exampleCredentials, now,
    })
    const expected = await sdkSignature(each.method, each.url, { ...each.headers, 'x-amz-date': headers['x-amz-date']! }, each.body, each.service, now)
    assert.equal(headers.authorization!.split('Signature=')[1], expected, `${each.method} ${each.url.href}`)
  }
})

test('the fallback SHA-256 matches node:crypto for lengths around the block boundaries', () => {
  for (const length of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
    const bytes = randomBytes(length)
    assert.equal(Buffer.from(signer.forTesting.sha256Js(bytes)).toString('hex'), createHash('sha256').update(bytes).digest('hex'), `length ${length}`)
  }
})
