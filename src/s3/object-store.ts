/**
 * Where exports write and imports read: a bucket of objects. Two kinds behind one interface, so
 * the export writer and the import reader never care which: a real S3-compatible bucket
 * (s3-bucket.ts) and a local directory (directory-bucket.ts), which users without S3 ask for.
 */
import type { Readable } from 'node:stream'

export interface StoredObject {
  key: string
  sizeBytes: number
}

export interface WrittenObject {
  /** The ETag the store answered with, quotes stripped (what manifest-files.json records). */
  etag: string
}

export interface Bucket {
  /** What the bucket is, for messages: `s3://name` or `file:///dir`. */
  readonly description: string
  /** Fails with ObjectStoreError S3NoSuchBucket when the bucket is not there. */
  checkExists(): Promise<void>
  /** A small object written in one request. */
  put(key: string, body: Buffer | string): Promise<WrittenObject>
  /** A stream of unknown length, uploaded in parts as it comes. */
  upload(key: string, body: Readable): Promise<WrittenObject>
  /** Every object whose key starts with `prefix`, in key order. */
  list(prefix: string): AsyncIterable<StoredObject>
  /** The object's bytes as a stream. */
  get(key: string): Promise<Readable>
  /** Removes an object; one that is not there is no error. */
  delete(key: string): Promise<void>
  /**
   * Ends every unfinished upload whose key starts with `prefix`, and returns their keys. A
   * process killed mid-upload leaves one behind: on S3 an incomplete multipart upload (invisible
   * to listings, but its parts are stored and billed until it is aborted), in a directory a
   * partial file. Only the caller knows which prefix is its own; nothing else is touched.
   */
  abortUploads(prefix: string): Promise<string[]>
}

/**
 * A failure of the object store, with DynamoDB's FailureCode for it (S3NoSuchBucket,
 * S3AccessDenied, ...) and the store's own words as the FailureMessage.
 */
export class ObjectStoreError extends Error {
  constructor(readonly failureCode: string, message: string) {
    super(message)
  }
}
