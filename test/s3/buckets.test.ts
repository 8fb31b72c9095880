/**
 * The two kinds of bucket exports write to and imports read from: a real S3 server (moto) and a
 * local directory, through the same interface.
 */
import { strict as assert } from 'node:assert'
import { after, before, describe, test } from 'node:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pathToFileURL } from 'node:url'
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js'
import { openBucket } from '../../src/s3/buckets.js'
import { ObjectStoreError, type Bucket } from '../../src/s3/object-store.js'

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.from(chunk))
  return Buffer.concat(chunks).toString()
}

async function exerciseBucket(bucket: Bucket): Promise<void> {
  await bucket.checkExists()
  const small = await bucket.put('p/a/one.json', '{"x":1}')
  assert.match(small.etag, /^[0-9a-f]{32}(-\d+)?$/)
  const big = await bucket.upload('p/b/two.txt', Readable.from(['line 1\n', 'line 2\n']))
  assert.match(big.etag, /^[0-9a-f]{32}(-\d+)?$/)
  await bucket.put('q/other', 'x')
  const listed = []
  for await (const object of bucket.list('p/')) listed.push(object)
  assert.deepEqual(listed, [{ key: 'p/a/one.json', sizeBytes: 7 }, { key: 'p/b/two.txt', sizeBytes: 14 }])
  assert.equal(await text(await bucket.get('p/b/two.txt')), 'line 1\nline 2\n')
}

describe('buckets', () => {
  let s3: S3TestServer
  let directory: string
  before(async () => {
    s3 = await startS3Server()
    directory = await mkdtemp(join(tmpdir(), 'eddydb-bucket-'))
  })
  after(async () => {
    await s3?.close()
    if (directory) await rm(directory, { recursive: true, force: true })
  })

  test('an S3 bucket on moto_server: put, multipart upload, list by prefix, get', async () => {
    await s3.client.send(new CreateBucketCommand({ Bucket: 'bucket-one' }))
    await exerciseBucket(openBucket(s3.settings, 'bucket-one'))
  })

  test('AWS_ENDPOINT_URL_S3 and the default credential chain stand in for the settings, path style included', async () => {
    const saved = { ...process.env }
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'env-secret', AWS_REGION: 'us-east-1',
    })
    try {
      const bucket = openBucket({}, 'bucket-one')
      await bucket.checkExists()
      assert.equal((await bucket.put('from-env', 'x')).etag, '9dd4e461268c8034f5c8564e155c67a6')
    } finally {
      for (const name of ['AWS_ENDPOINT_URL_S3', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION']) {
        if (saved[name] === undefined) delete process.env[name]
        else process.env[name] = saved[name]
      }
    }
  })

  test('a missing S3 bucket is S3NoSuchBucket', async () => {
    const bucket = openBucket(s3.settings, 'no-such-bucket')
    await assert.rejects(bucket.checkExists(), (error: unknown) =>
      error instanceof ObjectStoreError && error.failureCode === 'S3NoSuchBucket' && /bucket does not exist/.test(error.message))
  })

  test('a file:// bucket is a directory, and so is a bucket under a file:// endpoint', async () => {
    await exerciseBucket(openBucket({}, pathToFileURL(directory).href))
    const underEndpoint = join(directory, 'under')
    await rm(underEndpoint, { recursive: true, force: true })
    const missing = openBucket({ s3Endpoint: pathToFileURL(directory).href }, 'under')
    await assert.rejects(missing.checkExists(), (error: unknown) => error instanceof ObjectStoreError && error.failureCode === 'S3NoSuchBucket')
  })
})
