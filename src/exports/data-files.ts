/**
 * An export's data files: gzip-compressed lines streamed up as they are produced (multipart, so
 * a file never sits whole in memory), each file named by 128 random bits in lowercase base32 as
 * DynamoDB names them (`5mrfg3b44e3vhnfickkozoym6a.json.gz`), rolled over every `itemsPerFile`
 * items. Each finished file is one manifest-files.json entry.
 */
import { createHash, randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { PassThrough, Transform } from 'node:stream'
import { createGzip, type Gzip } from 'node:zlib'
import type { Bucket, WrittenObject } from '../s3/object-store.js'

/**
 * gzip at its fastest level: on item lines it costs about a third of level 6's time for files a
 * few percent larger, and an export's files are read by programs, once. Output in 64 KiB chunks
 * (Node's default is 16 KiB): fewer callbacks on the event loop that serves requests.
 */
const gzipOptions = { level: 1, chunkSize: 64 * 1024 }

const base32Alphabet = 'abcdefghijklmnopqrstuvwxyz234567'

/** 26 characters of [a-z2-7] from 128 random bits. */
export function dataFileName(): string {
  const bytes = randomBytes(16)
  let bits = 0
  let value = 0
  let name = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      name += base32Alphabet[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) name += base32Alphabet[(value << (5 - bits)) & 31]
  return name
}

/** One line of manifest-files.json, keys in DynamoDB's order. */
export interface DataFileEntry {
  itemCount: number
  md5Checksum: string
  etag: string
  dataFileS3Key: string
}

export function md5Base64(data: Buffer | string): string {
  return createHash('md5').update(data).digest('base64')
}

/**
 * lines[start, end), each between `prefix` and `suffix`, as UTF-8 in one buffer. Each piece is
 * written straight into the buffer: joining the lines into one string first, then encoding it,
 * cost about three times as much (flattening and copying a page-sized string twice).
 */
export function encodedLines(lines: readonly string[], start: number, end: number, prefix: string, suffix: string): Buffer {
  const wrapperBytes = Buffer.byteLength(prefix) + Buffer.byteLength(suffix)
  let size = 0
  for (let index = start; index < end; index++) size += Buffer.byteLength(lines[index]!) + wrapperBytes
  const bytes = Buffer.allocUnsafe(size)
  let offset = 0
  for (let index = start; index < end; index++) {
    offset += bytes.write(prefix, offset)
    offset += bytes.write(lines[index]!, offset)
    offset += bytes.write(suffix, offset)
  }
  return bytes
}

/** One data file being written. */
class OpenDataFile {
  readonly gzip: Gzip
  readonly md5 = createHash('md5')
  /** What the bucket reads; pipe() does not pass errors on, so abandon() ends it itself. */
  readonly body = new PassThrough()
  readonly uploaded: Promise<WrittenObject>
  itemCount = 0

  constructor(bucket: Bucket, readonly key: string) {
    this.gzip = createGzip(gzipOptions)
    const md5 = this.md5
    const hashing = new Transform({ transform(chunk: Buffer, _encoding, done) { md5.update(chunk); done(null, chunk) } })
    this.gzip.pipe(hashing).pipe(this.body)
    // pipe() passes no errors on: a stage that fails (or is destroyed with a reason, abandon())
    // ends the body with its error, which aborts the upload. Listened to, the error is never an
    // unhandled 'error' event, which would end the process.
    for (const stage of [this.gzip, hashing]) stage.on('error', (error) => this.body.destroy(error))
    // The body's own error reaches the caller through the upload, which may not have started
    // reading it yet (a directory bucket first makes the key's directory).
    this.body.on('error', () => undefined)
    this.uploaded = bucket.upload(key, this.body)
    // A failed upload is reported by close(); until then it must not be an unhandled rejection.
    this.uploaded.catch(() => undefined)
  }

  /** Hands a run of encoded lines to gzip, waiting while gzip's buffer is full. */
  async write(bytes: Buffer, lineCount: number): Promise<void> {
    this.itemCount += lineCount
    if (!this.gzip.write(bytes)) await Promise.race([once(this.gzip, 'drain'), this.uploaded])
  }

  async close(): Promise<DataFileEntry> {
    this.gzip.end()
    const { etag } = await this.uploaded
    return { itemCount: this.itemCount, md5Checksum: this.md5.digest('base64'), etag, dataFileS3Key: this.key }
  }
}

export class DataFiles {
  readonly entries: DataFileEntry[] = []
  #open: OpenDataFile | undefined

  /**
   * `directory` is the key prefix of the files, ending in `data/`; `extension` `.json.gz` or
   * `.ion.gz`. `beforeStart` is told each file's key before anything of it is written (an export
   * records them, to remove them if a restart makes it start over).
   */
  constructor(
    readonly bucket: Bucket, readonly directory: string, readonly extension: string, readonly itemsPerFile: number,
    readonly beforeStart: (key: string) => Promise<void> = async () => undefined,
  ) {}

  async #start(): Promise<OpenDataFile> {
    const key = `${this.directory}${dataFileName()}${this.extension}`
    await this.beforeStart(key)
    return new OpenDataFile(this.bucket, key)
  }

  /**
   * Abandons the file being written (the export stops or fails): its upload ends with an error,
   * which aborts it. Resolves once the upload has ended.
   */
  async abandon(): Promise<void> {
    const open = this.#open
    this.#open = undefined
    if (!open) return
    const reason = new Error('the export stopped')
    open.gzip.destroy(reason)
    open.body.destroy(reason)
    await open.uploaded.catch(() => undefined)
  }

  /**
   * Writes a page of lines, each `prefix + line + suffix`, in one gzip write per file they fall
   * in (a write per line costs more than compressing it). A full export passes the stored item
   * texts with `{"Item":` and `}\n`, so no line string is ever built.
   */
  async write(lines: readonly string[], prefix = '', suffix = ''): Promise<void> {
    let next = 0
    while (next < lines.length) {
      this.#open ??= await this.#start()
      const end = Math.min(lines.length, next + this.itemsPerFile - this.#open.itemCount)
      await this.#open.write(encodedLines(lines, next, end, prefix, suffix), end - next)
      next = end
      if (this.#open.itemCount >= this.itemsPerFile) await this.#closeOpen()
    }
  }

  async #closeOpen(): Promise<void> {
    const open = this.#open!
    this.#open = undefined
    this.entries.push(await open.close())
  }

  /** Closes the last file; an export always has at least one data file, possibly empty. */
  async finish(): Promise<DataFileEntry[]> {
    if (!this.#open && this.entries.length === 0) this.#open = await this.#start()
    if (this.#open) await this.#closeOpen()
    return this.entries
  }
}
