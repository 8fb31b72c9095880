/** `eddydb status` and `eddydb tables` sign with the AWS_* credentials, so they work against a server with --credentials. */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { runStatusCommand, runTablesCommand } from '../../src/cli/admin.js'
import type { RunningServer } from '../../src/server.js'
import { operator, startSecureServer } from './helpers.js'

let server: RunningServer
before(async () => { server = await startSecureServer() })
after(async () => { await server.close() })

function collector(): { stream: Writable; text: () => string } {
  let text = ''
  return { stream: new Writable({ write(chunk, _encoding, done) { text += chunk; done() } }), text: () => text }
}

test('the admin commands sign with the environment\'s key and are refused without one', async () => {
  const env = { AWS_ACCESS_KEY_ID: operator.accessKeyId, AWS_SECRET_ACCESS_KEY: operator.secretAccessKey }
  const status = collector()
  await runStatusCommand(['--endpoint', server.url, '--json'], env, status.stream)
  assert.equal(JSON.parse(status.text()).url, server.url)
  const tables = collector()
  await runTablesCommand(['--endpoint', server.url], env, tables.stream)
  assert.match(tables.text(), /^no tables in us-east-1/)
  // Refused, both say why in the server's words (the CLI's default key is not one of the server's).
  await assert.rejects(runStatusCommand(['--endpoint', server.url], {}, collector().stream), { type: 'UnrecognizedClientException' })
  await assert.rejects(runTablesCommand(['--endpoint', server.url], {}, collector().stream), /security token|UnrecognizedClient/)
})
