/**
 * The destination after SIGKILL: writers update their own item as fast as they can, the server is
 * killed mid-stream and restarted on the same data directory, and every acknowledged version of
 * every item must then reach the Kinesis stream, in order per item (records and the forwarder's
 * checkpoint commit together, so nothing is lost or reordered).
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { DynamoDBClient, EnableKinesisStreamingDestinationCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { CreateStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { cliMissingReason, killHard, startCli } from '../helpers/cli.js'
import { testCredentials } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { readAllRecords, type ForwardedRecord } from './destination-helpers.js'

const writerCount = 4
const versionsMax = 1000
const acknowledgedBeforeKill = 200

const settings = (endpoint: string) => ({ endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 })

test('after kill -9 every acknowledged change reaches the stream, in order per item', { skip: cliMissingReason, timeout: 120_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'eddydb-kinesis-kill9-'))
  try {
    const first = await startCli(['--port', '0', '--data-dir', dataDir])
    const setup = new DynamoDBClient(settings(first.url))
    const kinesis = new KinesisClient({ ...settings(first.url), requestHandler: new NodeHttpHandler() })
    const table = await createKeyTable(setup, 'kinesis-kill9')
    await kinesis.send(new CreateStreamCommand({ StreamName: 'kill9', ShardCount: 2 }))
    await setup.send(new EnableKinesisStreamingDestinationCommand({ TableName: table, StreamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/kill9' }))
    kinesis.destroy()

    const acknowledged = new Map<string, number>()
    let total = 0
    let killed = false
    const writer = async (index: number) => {
      const client = new DynamoDBClient(settings(first.url))
      const pk = `item-${index}`
      for (let version = 1; version <= versionsMax && !killed; version++) {
        try {
          await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, version: { N: String(version) } } }))
          acknowledged.set(pk, version)
          total += 1
        } catch {
          break
        }
      }
      client.destroy()
    }
    const writing = Promise.all(Array.from({ length: writerCount }, (_, index) => writer(index)))
    let done = false
    void writing.then(() => { done = true })
    while (total < acknowledgedBeforeKill && !done) await new Promise((resolve) => setTimeout(resolve, 5))
    killed = true
    await killHard(first.process)
    await writing
    setup.destroy()

    const second = await startCli(['--port', '0', '--data-dir', dataDir])
    const reader = new KinesisClient({ ...settings(second.url), requestHandler: new NodeHttpHandler() })
    try {
      let records: ForwardedRecord[] = []
      const versionsOf = (pk: string) => records.filter((record) => record.body.dynamodb.Keys.pk.S === pk)
        .sort((a, b) => (BigInt(a.sequenceNumber) < BigInt(b.sequenceNumber) ? -1 : 1))
        .map((record) => Number(record.body.dynamodb.NewImage.version.N))
      const caughtUp = () => [...acknowledged].every(([pk, version]) => versionsOf(pk).includes(version))
      for (let attempt = 0; attempt < 400 && !caughtUp(); attempt++) {
        records = await readAllRecords(reader, 'kill9')
        if (!caughtUp()) await new Promise((resolve) => setTimeout(resolve, 50))
      }
      for (const [pk, version] of acknowledged) {
        const versions = versionsOf(pk)
        // Every acknowledged version, in order; a write in flight at the kill may add one more.
        assert.deepEqual(versions.slice(0, version), Array.from({ length: version }, (_, index) => index + 1), `versions of ${pk}`)
        assert.ok(versions.length <= version + 1, `${pk}: ${versions.length} records for ${version} acknowledged writes`)
      }
    } finally {
      reader.destroy()
      await killHard(second.process)
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
})
