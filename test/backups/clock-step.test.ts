/**
 * A clock stepped back (NTP, a VM resumed, a restart on a machine whose clock was ahead) gives the
 * writes after the step earlier times than those before it. A backup, and a restore to the latest
 * restorable time, still hold every write acknowledged before they were asked for: they read the
 * table's history through the log's last sequence then, not through the changes their time finds
 * (which left the writes of the last ten minutes out, and every write after the step). The
 * server's clock is a manual one, so the step is the same at every run. Idempotency tokens live on
 * the age clock (src/age-clock.ts), which a step forward does not move at once.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  CreateBackupCommand, GetItemCommand, PutItemCommand, RestoreTableFromBackupCommand, RestoreTableToPointInTimeCommand, TransactWriteItemsCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb'
import { ageClock } from '../../src/age-clock.js'
import { startTestServer, uniqueTableName, type TestServer } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { ManualClock } from '../ttl/fixtures.js'
import { enablePitr, scanAll, waitUntilRestored } from './helpers.js'

const clock = new ManualClock()
let server: TestServer
before(async () => { server = await startTestServer({ clock }) })
after(async () => { await server?.close() })

/** A table whose change log is kept (a stream and PITR), written before and after a 10-minute step back. */
async function writtenAcrossStepBack(prefix: string): Promise<{ table: string; written: string[] }> {
  const table = await createKeyTable(server.client, prefix)
  await server.client.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }))
  await enablePitr(server.client, table)
  const written: string[] = []
  const put = async (pk: string) => {
    await server.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk } } }))
    written.push(pk)
  }
  for (const pk of ['a', 'b', 'c']) {
    clock.nowMs += 1000
    await put(pk)
  }
  clock.nowMs -= 10 * 60_000
  await put('after-step')
  return { table, written }
}

async function keysOf(table: string): Promise<string[]> {
  clock.nowMs += 1000
  await waitUntilRestored(server.client, table)
  return [...(await scanAll(server.client, table)).values()].map((item) => item.pk!.S!).sort()
}

test('a backup taken after the clock stepped back holds every write acknowledged before it', async () => {
  const { table, written } = await writtenAcrossStepBack('clock-backup')
  const { BackupDetails } = await server.client.send(new CreateBackupCommand({ TableName: table, BackupName: 'after-step' }))
  const restored = uniqueTableName('clock-backup-restored')
  await server.client.send(new RestoreTableFromBackupCommand({ TargetTableName: restored, BackupArn: BackupDetails!.BackupArn }))
  assert.deepEqual(await keysOf(restored), written.sort())
})

test('a restore to the latest restorable time after the clock stepped back holds every acknowledged write', async () => {
  const { table, written } = await writtenAcrossStepBack('clock-latest')
  const restored = uniqueTableName('clock-latest-restored')
  await server.client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: table, TargetTableName: restored, UseLatestRestorableTime: true }))
  assert.deepEqual(await keysOf(restored), written.sort())
})

// A ClientRequestToken is looked up on the age clock (src/age-clock.ts): a retry sent while the
// wall clock is stepped forward two days is still a replay, not a second transaction.
test('a transaction retried while the wall clock is stepped forward is a replay', async () => {
  const time = { wall: Date.now(), monotonic: 0 }
  const stepping = await startTestServer({ clock: { now: () => time.wall, ageNow: ageClock(() => time.wall, () => time.monotonic) } })
  try {
    const table = await createKeyTable(stepping.client, 'clock-token')
    const add = () => stepping.client.send(new TransactWriteItemsCommand({
      ClientRequestToken: 'clock-step-token',
      TransactItems: [{ Update: { TableName: table, Key: { pk: { S: 'counter' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } }],
    }))
    await add()
    time.wall += 2 * 86_400_000
    time.monotonic += 1000
    await add()
    const { Item } = await stepping.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'counter' } } }))
    assert.deepEqual(Item?.n, { N: '1' })
  } finally {
    await stepping.close()
  }
})
