/**
 * The backup commands of the eddydb CLI against a running server: backup create/list/restore/
 * delete, restore --to-time, and scan --as-of (the table as it was, without restoring it).
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { ListBackupsCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { uniqueTableName } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { cliMissingReason, runCli } from '../helpers/cli.js'
import { enablePitr, scanAll, startBackupTestServer, type BackupTestServer } from './helpers.js'

let server: BackupTestServer
before(async () => { server = await startBackupTestServer() })
after(async () => { await server?.close() })

const cli = async (...args: string[]) => {
  const run = await runCli([...args, '--endpoint', server.endpoint])
  assert.equal(run.code, 0, `eddydb ${args.join(' ')} failed: ${run.stderr}`)
  return run
}
const put = (table: string, pk: string, v: string) =>
  server.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, v: { S: v } } }))
const values = async (table: string) =>
  [...(await scanAll(server.client, table)).values()].map((item) => `${item.pk!.S}=${item.v!.S}`).sort()

test('eddydb backup create, list, restore and delete', { skip: cliMissingReason }, async () => {
  const table = await createKeyTable(server.client, 'cli-backup')
  await put(table, 'a', '1')
  const created = await cli('backup', 'create', table, 'from-cli')
  const [arn, status] = created.stdout.trim().split(' ')
  assert.match(arn!, /\/backup\/\d{14}-[0-9a-f]{8}$/)
  assert.equal(status, 'AVAILABLE')
  assert.match((await cli('backup', 'list', table)).stdout, /from-cli\s+\S+\s+USER\s+AVAILABLE/)

  const target = uniqueTableName('cli-backup-target')
  const restored = await cli('backup', 'restore', arn!, target)
  assert.match(restored.stderr, new RegExp(`restore ${target}: ACTIVE, 1 items`))
  assert.deepEqual(await values(target), ['a=1'])

  await cli('backup', 'delete', arn!)
  assert.deepEqual((await server.client.send(new ListBackupsCommand({ TableName: table }))).BackupSummaries, [])
})

test('eddydb restore --to-time and eddydb scan --as-of read the table as it was', { skip: cliMissingReason }, async () => {
  const table = await createKeyTable(server.client, 'cli-pitr')
  await enablePitr(server.client, table)
  await put(table, 'a', 'old')
  await put(table, 'b', 'old')
  server.clock.advance(10)
  const instant = new Date(server.clock.now()).toISOString()
  server.clock.advance(10)
  await put(table, 'a', 'new')
  await put(table, 'c', 'new')

  const scanned = await cli('scan', table, '--as-of', instant)
  const lines = scanned.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, { S: string }>)
  assert.deepEqual(lines.map((item) => `${item.pk!.S}=${item.v!.S}`).sort(), ['a=old', 'b=old'])

  const target = uniqueTableName('cli-pitr-target')
  await cli('restore', table, target, '--to-time', instant)
  assert.deepEqual(await values(target), ['a=old', 'b=old'])

  const failed = await runCli(['scan', table, '--as-of', '2001-01-01T00:00:00Z', '--endpoint', server.endpoint])
  assert.notEqual(failed.code, 0)
  assert.match(failed.stderr, /time must be between/)
})
