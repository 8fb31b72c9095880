/**
 * Durability under SIGKILL. A write that the server acknowledged (HTTP 200) must survive the process
 * being killed without warning: after a restart on the same data directory, every acknowledged item
 * is there. Writes in flight at the moment of the kill may or may not have landed; we only check
 * acknowledged ones. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.ReadConsistency.html
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BatchGetItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { testCredentials } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { cliMissingReason, killHard, startCli } from '../helpers/cli.js'

const writerCount = 8
const writesPerWriterMax = 2000
/** The kill comes once this many writes were acknowledged (an event, not a time), mid-stream. */
const acknowledgedBeforeKill = 400
const batchGetKeysMax = 100

const newClient = (endpoint: string) =>
  new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 })

// Several writers put items as fast as they can, recording each acknowledged key; the server is
// SIGKILLed mid-stream, restarted on the same --data-dir, and every acknowledged key is read back.
test('acknowledged writes survive SIGKILL and restart', { skip: cliMissingReason, timeout: 120_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'eddydb-kill9-'))
  try {
    const first = await startCli(['--port', '0', '--data-dir', dataDir])
    const setupClient = newClient(first.url)
    const table = await createKeyTable(setupClient, 'kill9')
    const acknowledged: string[] = []
    let killed = false
    const writer = async (writerIndex: number) => {
      const client = newClient(first.url)
      for (let index = 0; index < writesPerWriterMax && !killed; index++) {
        const id = `w${writerIndex}-${index}`
        try {
          await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: id }, payload: { S: id.repeat(20) } } }))
          acknowledged.push(id)
        } catch {
          break // the server is gone: this write was not acknowledged
        }
      }
      client.destroy()
    }
    const writers = Array.from({ length: writerCount }, (_, index) => writer(index))
    // Bounded: the writers stop on their own after writerCount × writesPerWriterMax writes.
    const writing = Promise.all(writers)
    let writersDone = false
    void writing.then(() => { writersDone = true })
    while (acknowledged.length < acknowledgedBeforeKill && !writersDone) {
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    killed = true
    await killHard(first.process)
    await Promise.all(writers)
    setupClient.destroy()
    assert.ok(acknowledged.length > 0, 'no write was acknowledged before the kill')

    const second = await startCli(['--port', '0', '--data-dir', dataDir])
    const client = newClient(second.url)
    try {
      const missing: string[] = []
      for (let start = 0; start < acknowledged.length; start += batchGetKeysMax) {
        const ids = acknowledged.slice(start, start + batchGetKeysMax)
        const reply = await client.send(new BatchGetItemCommand({
          RequestItems: { [table]: { Keys: ids.map((id) => ({ pk: { S: id } })), ConsistentRead: true } },
        }))
        assert.deepEqual(reply.UnprocessedKeys ?? {}, {})
        const found = new Set(reply.Responses![table]!.map((item) => item.pk!.S))
        missing.push(...ids.filter((id) => !found.has(id)))
      }
      assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} acknowledged writes were lost`)
    } finally {
      client.destroy()
      await killHard(second.process)
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
})
