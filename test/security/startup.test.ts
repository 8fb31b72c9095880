/**
 * Safe defaults: without credentials only loopback is served unless --allow-anonymous says so;
 * HTTPS with --tls-cert/--tls-key (certificates made here with openssl).
 */
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Agent } from 'node:https'
import { promisify } from 'node:util'
import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { startServer } from '../../src/server.js'
import { StartupError } from '../../src/startup-error.js'
import { isLoopback } from '../../src/security/startup.js'
import { alice, credentialsFile, standardKeys } from './helpers.js'

const directory = mkdtempSync(join(tmpdir(), 'eddydb-startup-'))
after(() => rmSync(directory, { recursive: true, force: true }))

test('loopback addresses are told apart from exposed ones', () => {
  for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) assert.ok(isLoopback(host), host)
  for (const host of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.2', '127.0.0.1.example.com']) assert.ok(!isLoopback(host), host)
})

test('an exposed address without credentials refuses to start, saying what to do', async () => {
  await assert.rejects(startServer({ port: 0, host: '0.0.0.0', inMemory: true, logLevel: 'silent' }), (error: Error) => {
    assert.ok(error instanceof StartupError)
    assert.match(error.message, /--credentials/)
    assert.match(error.message, /--allow-anonymous/)
    assert.ok(!error.message.includes('\n'))
    return true
  })
  const anonymous = await startServer({ port: 0, host: '0.0.0.0', inMemory: true, logLevel: 'silent', allowAnonymous: true })
  await anonymous.close()
  const verified = await startServer({ port: 0, host: '0.0.0.0', inMemory: true, logLevel: 'silent', credentials: credentialsFile(standardKeys) })
  await verified.close()
})

test('a broken credentials file stops the start with one line', async () => {
  const missing = join(directory, 'missing.json')
  await assert.rejects(startServer({ port: 0, inMemory: true, logLevel: 'silent', credentials: missing }),
    (error: Error) => error instanceof StartupError && error.message.includes(missing))
  await assert.rejects(startServer({ port: 0, inMemory: true, logLevel: 'silent', credentials: credentialsFile({ AKID: { secretAccessKey: '' } }) }),
    (error: Error) => error instanceof StartupError && /secretAccessKey/.test(error.message))
})

const tlsOnlyKey = {
  secretAccessKey: 'tls-only', accountId: alice.accountId,
  policies: [{
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
  }],
}

test('HTTPS with --tls-cert and --tls-key', async (t) => {
  if (await promisify(execFile)('openssl', ['version']).then(() => false, () => true)) {
    t.skip('openssl is not available')
    return
  }
  const certFile = join(directory, 'server.crt')
  const keyFile = join(directory, 'server.key')
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile,
  ])
  const server = await startServer({
    port: 0, host: '127.0.0.1', inMemory: true, logLevel: 'silent', tlsCert: certFile, tlsKey: keyFile,
    credentials: credentialsFile({ ...standardKeys, TLSONLY: tlsOnlyKey }),
  })
  assert.match(server.url, /^https:\/\//)
  const agent = new Agent({ ca: readFileSync(certFile) })
  const client = new DynamoDBClient({
    endpoint: server.url, region: 'us-east-1', credentials: alice, maxAttempts: 1, requestHandler: new NodeHttpHandler({ httpsAgent: agent }),
  })
  // A key whose policy denies what does not come over TLS (aws:SecureTransport; test/security/policy-grammar.test.ts sees the denial).
  const tlsOnly = new DynamoDBClient({
    endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'TLSONLY', secretAccessKey: tlsOnlyKey.secretAccessKey },
    maxAttempts: 1, requestHandler: new NodeHttpHandler({ httpsAgent: agent }),
  })
  try {
    assert.deepEqual((await client.send(new ListTablesCommand({}))).TableNames, [])
    assert.deepEqual((await tlsOnly.send(new ListTablesCommand({}))).TableNames, [])
    await assert.rejects(fetch(server.url.replace('https:', 'http:')))
  } finally {
    tlsOnly.destroy()
    client.destroy()
    agent.destroy()
    await server.close()
  }
})
