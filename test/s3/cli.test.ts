/**
 * `eddydb export` and `eddydb import` against a server started from the command line: to and
 * from a local directory, and through S3 (moto) configured by the server's --s3-* flags.
 */
import { strict as assert } from 'node:assert'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { cliMissingReason, killHard, runCli, startCli, type CliServer } from '../helpers/cli.js'
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js'
import { waitForActive } from '../helpers/tables.js'
import { enablePitr } from '../backups/helpers.js'
import { scanAll } from './helpers.js'
import { progressDetail } from '../../src/cli/transfer.js'

describe('eddydb export and import', { skip: cliMissingReason }, () => {
  let s3: S3TestServer
  let server: CliServer
  let client: DynamoDBClient
  let directory: string

  before(async () => {
    s3 = await startS3Server()
    directory = await mkdtemp(join(tmpdir(), 'eddydb-cli-export-'))
    server = await startCli(['--in-memory', '--port', '0', '--s3-endpoint', s3.endpoint,
      '--s3-access-key-id', s3.settings.s3AccessKeyId, '--s3-secret-access-key', s3.settings.s3SecretAccessKey])
    client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })
    await client.send(new CreateTableCommand({
      TableName: 'orders', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }))
    await waitForActive(client, 'orders')
    await enablePitr(client, 'orders')
    for (let start = 0; start < 100; start += 25) {
      await client.send(new BatchWriteItemCommand({ RequestItems: { orders: Array.from({ length: 25 }, (_, offset) => ({
        PutRequest: { Item: { id: { S: `o${start + offset}` }, total: { N: String((start + offset) * 1.5) }, tags: { SS: ['a', 'b'] } } },
      })) } }))
    }
  })
  after(async () => {
    client?.destroy()
    if (server) await killHard(server.process)
    await s3?.close()
    if (directory) await rm(directory, { recursive: true, force: true })
  })

  test('export to a directory, then import from it into a new table', async () => {
    const exported = await runCli(['export', 'orders', '--endpoint', server.url, '--to', directory, '--format', 'ION'])
    assert.equal(exported.code, 0, exported.stderr)
    assert.match(exported.stdout, /COMPLETED: 100 items to file:\/\//)
    assert.match(exported.stderr, /export orders: COMPLETED, 100 items/)
    const [id] = await readdir(join(directory, 'AWSDynamoDB'))
    const files = (await readdir(join(directory, 'AWSDynamoDB', id!))).sort()
    assert.deepEqual(files, ['_started', 'data', 'manifest-files.json', 'manifest-files.md5', 'manifest-summary.json', 'manifest-summary.md5'])
    const summary = JSON.parse(await readFile(join(directory, 'AWSDynamoDB', id!, 'manifest-summary.json'), 'utf8'))
    assert.equal(summary.itemCount, 100)
    assert.equal(summary.outputFormat, 'ION')

    const imported = await runCli(['import', 'orders-copy', '--endpoint', server.url, '--from', directory,
      '--prefix', `AWSDynamoDB/${id}/data/`, '--format', 'ION', '--compression', 'GZIP', '--key', 'id:S'])
    assert.equal(imported.code, 0, imported.stderr)
    assert.match(imported.stdout, /COMPLETED: 100 items imported, 0 errors/)
    assert.deepEqual(await scanAll(client, 'orders-copy'), await scanAll(client, 'orders'))
  })

  test('export to and import from an S3 bucket through the server\'s --s3-endpoint', async () => {
    await s3.client.send(new CreateBucketCommand({ Bucket: 'cli-bucket' }))
    const exported = await runCli(['export', 'orders', '--endpoint', server.url, '--bucket', 'cli-bucket', '--prefix', 'nightly', '--json'])
    assert.equal(exported.code, 0, exported.stderr)
    const description = JSON.parse(exported.stdout)
    assert.equal(description.ExportStatus, 'COMPLETED')
    const id = description.ExportArn.split('/export/')[1]
    const imported = await runCli(['import', 'orders-s3', '--endpoint', server.url, '--bucket', 'cli-bucket',
      '--prefix', `nightly/AWSDynamoDB/${id}/data/`, '--compression', 'GZIP', '--key', 'id:S'])
    assert.equal(imported.code, 0, imported.stderr)
    assert.deepEqual(await scanAll(client, 'orders-s3'), await scanAll(client, 'orders'))
    // The server's log stays JSON lines, even when the S3 client warns (the AWS SDK's notice
    // about Node versions, on its first use, is logged as a warning instead of printed).
    for (const line of server.stderr().trimEnd().split('\n')) assert.doesNotThrow(() => JSON.parse(line), line)
  })

  test('mistakes are one line: no bucket or directory, a bad key, a failed import', async () => {
    const neither = await runCli(['export', 'orders', '--endpoint', server.url])
    assert.equal(neither.code, 1)
    assert.match(neither.stderr, /give one of --bucket and --to/)
    const badKey = await runCli(['import', 'x-table', '--endpoint', server.url, '--from', directory, '--key', 'id'])
    assert.match(badKey.stderr, /--key/)
    const failed = await runCli(['import', 'never-made', '--endpoint', server.url, '--bucket', 'missing-bucket', '--key', 'id:S'])
    assert.equal(failed.code, 1)
    assert.match(failed.stderr, /S3NoSuchBucket/)
  })

  test('progress detail: bytes, rate and ETA', () => {
    assert.equal(progressDetail(500, 1000, 2048, 1000), '2.0 KiB, 500 items/s, ETA 0:01')
    assert.equal(progressDetail(10, undefined, undefined, 2000), '5 items/s')
  })
})
