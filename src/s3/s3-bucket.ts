/**
 * A bucket on AWS S3 or any S3-compatible server, through @aws-sdk/client-s3. Streams of
 * unknown length go up through @aws-sdk/lib-storage: as a multipart upload when longer than one
 * part (5 MiB), else as one PutObject (so a small export file's ETag is a plain MD5, where
 * DynamoDB's own end in -1; docs/s3.md).
 */
import type { S3Client } from '@aws-sdk/client-s3'
import { lazyRequire } from '../lazy-require.js'
import type { Readable } from 'node:stream'
import { ObjectStoreError, type Bucket, type StoredObject, type WrittenObject } from './object-store.js'

const s3 = lazyRequire<typeof import('@aws-sdk/client-s3')>('@aws-sdk/client-s3')
const storage = lazyRequire<typeof import('@aws-sdk/lib-storage')>('@aws-sdk/lib-storage')

/** The FailureCode DynamoDB reports for an S3 error code. */
const failureCodes: Record<string, string> = {
  NoSuchBucket: 'S3NoSuchBucket',
  NotFound: 'S3NoSuchBucket',
  AccessDenied: 'S3AccessDenied',
  Forbidden: 'S3AccessDenied',
}

/** An S3 failure in the words DynamoDB uses in FailureMessage. */
export function objectStoreError(error: unknown): ObjectStoreError {
  if (error instanceof ObjectStoreError) return error
  if (error instanceof s3().S3ServiceException) {
    const status = error.$metadata?.httpStatusCode
    let code = error.name
    if (code === 'NotFound' || (code === 'UnknownError' && status === 404)) code = 'NoSuchBucket'
    const text = code === 'NoSuchBucket' ? 'The specified bucket does not exist' : error.message || code
    const requestId = error.$metadata?.requestId ?? ''
    return new ObjectStoreError(failureCodes[code] ?? `S3${code}`,
      `${text} (Service: Amazon S3; Status Code: ${status ?? 0}; Error Code: ${code}; Request ID: ${requestId})`)
  }
  const message = error instanceof Error ? error.message : String(error)
  return new ObjectStoreError('S3ServiceUnavailable', `Unable to reach S3: ${message}`)
}

async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw objectStoreError(error)
  }
}

function stripQuotes(etag: string | undefined): string {
  return (etag ?? '').replace(/"/g, '')
}

export class S3Bucket implements Bucket {
  readonly description: string

  constructor(readonly client: S3Client, readonly name: string, readonly expectedOwner?: string) {
    this.description = `s3://${name}`
  }

  checkExists(): Promise<void> {
    return translated(async () => {
      await this.client.send(new (s3().HeadBucketCommand)({ Bucket: this.name, ExpectedBucketOwner: this.expectedOwner }))
    })
  }

  put(key: string, body: Buffer | string): Promise<WrittenObject> {
    return translated(async () => {
      // The length always given: the SDK sends none for an empty string (the export's _started
      // marker), which S3 refuses (411 MissingContentLength) and the SDK warns of on stderr.
      const answer = await this.client.send(new (s3().PutObjectCommand)({
        Bucket: this.name, Key: key, Body: body, ContentLength: Buffer.byteLength(body), ExpectedBucketOwner: this.expectedOwner,
      }))
      return { etag: stripQuotes(answer.ETag) }
    })
  }

  upload(key: string, body: Readable): Promise<WrittenObject> {
    return translated(async () => {
      const upload = new (storage().Upload)({
        client: this.client,
        params: { Bucket: this.name, Key: key, Body: body, ExpectedBucketOwner: this.expectedOwner },
      })
      const answer = await upload.done()
      return { etag: stripQuotes(answer.ETag) }
    })
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    let token: string | undefined
    do {
      const page = await translated(() => this.client.send(new (s3().ListObjectsV2Command)({
        Bucket: this.name, Prefix: prefix, ContinuationToken: token, ExpectedBucketOwner: this.expectedOwner,
      })))
      for (const object of page.Contents ?? []) yield { key: object.Key!, sizeBytes: object.Size ?? 0 }
      token = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (token)
  }

  delete(key: string): Promise<void> {
    return translated(async () => {
      await this.client.send(new (s3().DeleteObjectCommand)({ Bucket: this.name, Key: key, ExpectedBucketOwner: this.expectedOwner }))
    })
  }

  async abortUploads(prefix: string): Promise<string[]> {
    const aborted: string[] = []
    let keyMarker: string | undefined
    let uploadIdMarker: string | undefined
    do {
      const page = await translated(() => this.client.send(new (s3().ListMultipartUploadsCommand)({
        Bucket: this.name, Prefix: prefix, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker, ExpectedBucketOwner: this.expectedOwner,
      })))
      for (const upload of page.Uploads ?? []) {
        // The listing's Prefix is the filter; the check keeps a server that ignores it harmless.
        if (!upload.Key?.startsWith(prefix) || !upload.UploadId) continue
        await translated(() => this.client.send(new (s3().AbortMultipartUploadCommand)({
          Bucket: this.name, Key: upload.Key, UploadId: upload.UploadId, ExpectedBucketOwner: this.expectedOwner,
        })))
        aborted.push(upload.Key)
      }
      const truncated = page.IsTruncated === true
      keyMarker = truncated ? page.NextKeyMarker : undefined
      uploadIdMarker = truncated ? page.NextUploadIdMarker : undefined
    } while (keyMarker !== undefined)
    return aborted
  }

  get(key: string): Promise<Readable> {
    return translated(async () => {
      const answer = await this.client.send(new (s3().GetObjectCommand)({ Bucket: this.name, Key: key, ExpectedBucketOwner: this.expectedOwner }))
      return answer.Body as Readable
    })
  }
}
