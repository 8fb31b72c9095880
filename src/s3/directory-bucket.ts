/**
 * A bucket that is a local directory (an EddyDB extension: `file:///dir` as the bucket, or
 * --s3-endpoint file:///dir with buckets as its subdirectories). Keys are relative paths; the
 * layout on disk is exactly the one an export writes to S3. ETags are the MD5 in hex, as S3 gives
 * for a single-part upload.
 */
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { ObjectStoreError, type Bucket, type StoredObject, type WrittenObject } from './object-store.js'

export class DirectoryBucket implements Bucket {
  readonly description: string

  constructor(readonly root: string) {
    this.description = `file://${root}`
  }

  /** The file of a key; a key may not climb out of the directory. */
  #path(key: string): string {
    const path = resolve(this.root, key)
    if (path !== this.root && !path.startsWith(this.root + sep)) {
      throw new ObjectStoreError('S3InvalidKey', `The key ${key} leaves the directory ${this.root}`)
    }
    return path
  }

  async checkExists(): Promise<void> {
    const info = await stat(this.root).catch(() => undefined)
    if (!info?.isDirectory()) {
      throw new ObjectStoreError('S3NoSuchBucket', `The specified bucket does not exist (directory ${this.root} not found)`)
    }
  }

  async put(key: string, body: Buffer | string): Promise<WrittenObject> {
    const path = this.#path(key)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, body)
    return { etag: createHash('md5').update(body).digest('hex') }
  }

  async upload(key: string, body: Readable): Promise<WrittenObject> {
    const path = this.#path(key)
    await mkdir(dirname(path), { recursive: true })
    const md5 = createHash('md5')
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) { md5.update(chunk); done(null, chunk) },
    })
    await pipeline(body, hashing, createWriteStream(path))
    return { etag: md5.digest('hex') }
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    await this.checkExists()
    const found: StoredObject[] = []
    const walk = async (directory: string): Promise<void> => {
      for (const entry of await readdir(directory, { withFileTypes: true })) {
        const path = join(directory, entry.name)
        if (entry.isDirectory()) await walk(path)
        else if (entry.isFile()) {
          const key = relative(this.root, path).split(sep).join('/')
          if (key.startsWith(prefix)) found.push({ key, sizeBytes: (await stat(path)).size })
        }
      }
    }
    await walk(this.root)
    found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    yield* found
  }

  async delete(key: string): Promise<void> {
    await rm(this.#path(key), { force: true })
  }

  async get(key: string): Promise<Readable> {
    return createReadStream(this.#path(key))
  }
}
