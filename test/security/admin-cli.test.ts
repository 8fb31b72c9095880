/**
 * `eddydb status`, `eddydb tables` and `eddydb scan --as-of` sign with the AWS_* credentials, so
 * they work against a server with --credentials.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import {
  CreateTableCommand, DescribeContinuousBackupsCommand, PutItemCommand, UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb'
import { runStatusCommand, runTablesCommand } from '../../src/cli/admin.js'
import { runScanCommand } from '../../src/cli/backups.js'
import type { RunningServer } from '../../src/server.js'
import { clientFor, operator, startSecureServer } from './helpers.js'

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
  // Refused without a key in the environment: the server's words, and which variables to set.
  const unset = /UnrecognizedClientException: The security token included in the request is invalid\. \(the server checks signatures: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/
  await assert.rejects(runStatusCommand(['--endpoint', server.url], {}, collector().stream), unset)
  await assert.rejects(runTablesCommand(['--endpoint', server.url], {}, collector().stream), unset)
  // A key that is set but wrong gets the server's error alone.
  const wrongSecret = { ...env, AWS_SECRET_ACCESS_KEY: 'not-the-secret' }
  await assert.rejects(runStatusCommand(['--endpoint', server.url], wrongSecret, collector().stream), { type: 'InvalidSignatureException' })
})

test('eddydb scan --as-of signs its reads, query string included', async () => {
  const client = clientFor(server, operator)
  const table = 'as-of.signed_table-1'
  await client.send(new CreateTableCommand({
    TableName: table, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  }))
  await client.send(new UpdateContinuousBackupsCommand({ TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }))
  await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'a b+c&d=e' } } }))
  const { ContinuousBackupsDescription: backups } = await client.send(new DescribeContinuousBackupsCommand({ TableName: table }))
  const instant = backups!.PointInTimeRecoveryDescription!.LatestRestorableDateTime!.toISOString()
  const env = { AWS_ACCESS_KEY_ID: operator.accessKeyId, AWS_SECRET_ACCESS_KEY: operator.secretAccessKey }

  const scanned = collector()
  await runScanCommand([table, '--as-of', instant, '--endpoint', server.url], env, scanned.stream)
  assert.deepEqual(JSON.parse(scanned.text()), { pk: { S: 'a b+c&d=e' } })
  // The route's refusals are DynamoDB-style errors, as RestoreTableToPointInTime's.
  await assert.rejects(runScanCommand(['nope', '--as-of', instant, '--endpoint', server.url], env, collector().stream),
    { type: 'TableNotFoundException', message: 'Table not found: nope' })
  await assert.rejects(runScanCommand([table, '--as-of', '2001-01-01T00:00:00Z', '--endpoint', server.url], env, collector().stream),
    { type: 'InvalidRestoreTimeException', message: /^time must be between / })
  await assert.rejects(runScanCommand([table, '--as-of', instant, '--endpoint', server.url], {}, collector().stream),
    /MissingAuthenticationTokenException|UnrecognizedClientException.*set AWS_ACCESS_KEY_ID/)
  client.destroy()
})
