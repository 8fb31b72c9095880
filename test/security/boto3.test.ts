/** boto3 (its own SigV4 signer) against a server with credentials: right and wrong secrets and tokens. */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { RunningServer } from '../../src/server.js'
import { startSecureServer } from './helpers.js'

let server: RunningServer
before(async () => { server = await startSecureServer() })
after(async () => { await server?.close() })

test('boto3 is served with the right secret and refused with DynamoDB\'s errors otherwise', async () => {
  const script = fileURLToPath(new URL('../../../test/security/boto3-signatures.py', import.meta.url))
  const { stdout } = await promisify(execFile)('python3', [script, server.url], { timeout: 120_000 })
  assert.deepEqual(JSON.parse(stdout), {
    right: 'ok', wrongSecret: 'InvalidSignatureException', unknownKey: 'UnrecognizedClientException',
    sessionToken: 'ok', wrongToken: 'UnrecognizedClientException',
  })
})
