/**
 * A bucket that is a local directory (an EddyDB extension: `file:///dir` as the bucket, or
 * --s3-endpoint file:///dir with buckets as its subdirectories). Keys are relative paths; the
 * layout on disk is exactly the one an export writes to S3. ETags are the MD5 in hex, as S3 gives
 * for a single-part upload.
 *
 * A stream is written to a partial file next to its key and renamed to the key when it ends, so
 * an object appears whole or not at all, as on S3. A process killed mid-upload leaves the partial
 * file, the directory's counterpart of an incomplete multipart upload: listings skip it and
 * abortUploads removes it.
 */
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join, posix, relative, resolve, sep } from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { ObjectStoreError, type Bucket, type StoredObject, type WrittenObject } from './object-store.js'

/** Appended to a key's file name while its upload runs. */
const partialSuffix = '.eddydb-partial'

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
    const partial = `${path}${partialSuffix}`
    try {
      await pipeline(body, hashing, createWriteStream(partial))
    } catch (error) {
      // As lib-storage aborts a multipart upload whose stream fails.
      await rm(partial, { force: true })
      throw error
    }
    await rename(partial, path)
    return { etag: md5.digest('hex') }
  }

  /**
   * The files under the directory that holds keys starting with `prefix` (only that part of
   * the tree is walked), as keys, `/`-separated.
   */
  async #filesUnder(prefix: string): Promise<string[]> {
    const keys: string[] = []
    const walk = async (directory: string): Promise<void> => {
      const entries = await readdir(directory, { withFileTypes: true }).catch(() => [])
      for (const entry of entries) {
        const path = join(directory, entry.name)
        if (entry.isDirectory()) await walk(path)
        else if (entry.isFile()) keys.push(relative(this.root, path).split(sep).join('/'))
      }
    }
    const directoryKey = prefix.endsWith('/') ? prefix : posix.dirname(prefix)
    let start: string
    try {
      start = this.#path(directoryKey === '.' ? '' : directoryKey)
    } catch {
      return keys // a prefix that climbs out of the directory: no key starts with it
    }
    await walk(start)
    return keys
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    await this.checkExists()
    const found: StoredObject[] = []
    for (const key of await this.#filesUnder(prefix)) {
      if (key.startsWith(prefix) && !key.endsWith(partialSuffix)) found.push({ key, sizeBytes: (await stat(this.#path(key))).size })
    }
    found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    yield* found
  }

  async abortUploads(prefix: string): Promise<string[]> {
    const aborted: string[] = []
    for (const file of await this.#filesUnder(prefix)) {
      if (!file.endsWith(partialSuffix)) continue
      const key = file.slice(0, -partialSuffix.length)
      if (!key.startsWith(prefix)) continue
      await rm(this.#path(file), { force: true })
      aborted.push(key)
    }
    return aborted
  }

  async delete(key: string): Promise<void> {
    await rm(this.#path(key), { force: true })
  }

  async get(key: string): Promise<Readable> {
    return createReadStream(this.#path(key))
  }
}
