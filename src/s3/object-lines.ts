/**
 * An object's lines, decompressed as they stream in (never the whole object in memory): gzip
 * through node:zlib, zstd through fzstd (Node 20's zlib has none), or plain.
 */
import { Decompress } from 'fzstd'
import { finished, type Readable, type Transform } from 'node:stream'
import { createGunzip } from 'node:zlib'

export type Compression = 'GZIP' | 'ZSTD' | 'NONE'

/** gunzip's output chunks: 64 KiB rather than Node's 16 KiB, so a quarter of the callbacks. */
const decompressedChunkBytes = 64 * 1024

/**
 * zstd input is decoded this many bytes at a time, and the reader's queue checked in between. A
 * zstd block of a few bytes can stand for 128 KiB (an RLE block), so one 64 KiB chunk of a
 * small object could be 2 GB of text, decoded in one go on the event loop; 256 bytes hold at
 * most 64 blocks, 8 MiB. fzstd keeps a block's bytes until the whole block has come, so small
 * pieces cost no copying.
 */
const zstdInputSliceBytes = 256

/** Decompressed chunks held for the reader before the source is paused. */
const queuedChunksMax = 4

/**
 * An object's bytes, decompressed, for one reader to iterate (`bytes` counts what it was given:
 * an import's ProcessedSizeBytes counts uncompressed bytes). An error of the body or of the
 * decoder (bytes that are not the declared compression, a cut-off frame) comes after every chunk
 * decoded before it: a Node stream drops the chunks it holds when it fails, so the decoder's
 * output is taken as it comes, never paused, and it is the compressed input that waits while
 * the reader is behind. Every error has a listener: piped by hand, a decoder's 'error' once
 * reached none and took the process down.
 */
export class DecompressedObject implements AsyncIterable<Buffer> {
  bytes = 0
  readonly #body: Readable
  readonly #decoder: Transform | undefined
  readonly #queue: Buffer[] = []
  /** Why the body is paused: the reader is behind ('reader'), the decoder is full ('decoder'). */
  readonly #holds = new Set<'reader' | 'decoder'>()
  #end: { error?: Error } | undefined
  #wake: (() => void) | undefined

  /** The reader is far enough behind that zstd decoding waits (#decodeZstd) until it catches up. */
  #readerCaughtUp: (() => void) | undefined

  constructor(body: Readable, compression: Compression) {
    this.#body = body
    if (compression === 'ZSTD') {
      this.#decoder = undefined
      this.#decodeZstd(body)
      return
    }
    const decoder = compression === 'NONE' ? undefined : createGunzip({ chunkSize: decompressedChunkBytes })
    this.#decoder = decoder
    const output = decoder ?? body
    output.on('data', (chunk: Buffer) => this.#take(chunk))
    // finished() also reports a stream closed before its end (an aborted body), which neither
    // 'end' nor 'error' would, and it listens for 'error'.
    finished(output, (error) => this.#finish(error ?? undefined))
    if (!decoder) return
    finished(body, (error) => { if (error) this.#finish(error) })
    decoder.on('drain', () => this.#release('decoder'))
    body.on('data', (chunk: Buffer) => { if (!decoder.write(chunk)) this.#hold('decoder') })
    body.on('end', () => decoder.end())
  }

  /** Decoded bytes waiting for the reader: bounded, however far the object's text expands. */
  get bufferedBytes(): number {
    return this.#queue.reduce((total, chunk) => total + chunk.length, 0)
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for (;;) {
      const chunk = this.#queue.shift()
      if (chunk !== undefined) {
        if (this.#queue.length < queuedChunksMax) {
          this.#release('reader')
          this.#continueDecoding()
        }
        this.bytes += chunk.length
        yield chunk
      } else if (this.#end) {
        if (this.#end.error) throw this.#end.error
        return
      } else {
        await new Promise<void>((resolve) => { this.#wake = resolve })
      }
    }
  }

  /**
   * zstd through fzstd, which decodes whatever it is given at once: the body is paused while a
   * chunk is decoded a slice at a time, and decoding waits whenever the reader is behind, so what
   * waits in memory stays bounded however far the text expands.
   */
  #decodeZstd(body: Readable): void {
    const decoder = new Decompress((data) => {
      if (data.byteLength > 0) this.#take(Buffer.from(data.buffer, data.byteOffset, data.byteLength))
    })
    let decoding = Promise.resolve()
    const decode = async (chunk: Buffer, final: boolean): Promise<void> => {
      for (let offset = 0; offset < chunk.length && !this.#end; offset += zstdInputSliceBytes) {
        decoder.push(chunk.subarray(offset, offset + zstdInputSliceBytes))
        if (this.#queue.length >= queuedChunksMax) await new Promise<void>((resolve) => { this.#readerCaughtUp = resolve })
      }
      if (final && !this.#end) decoder.push(new Uint8Array(0), true)
    }
    const fail = (error: unknown) => this.#finish(error as Error)
    // Chunks the body gave before its pause took hold wait their turn; it resumes once all are decoded.
    let chunksWaiting = 0
    body.on('data', (chunk: Buffer) => {
      chunksWaiting++
      this.#hold('decoder')
      decoding = decoding.then(() => decode(chunk, false)).then(() => { if (--chunksWaiting === 0) this.#release('decoder') }, fail)
    })
    body.on('end', () => {
      decoding = decoding.then(() => decode(Buffer.alloc(0), true)).then(() => this.#finish(), fail)
    })
    finished(body, (error) => { if (error) this.#finish(error) })
  }

  destroy(): void {
    this.#finish()
    this.#decoder?.destroy()
    this.#body.destroy()
  }

  #take(chunk: Buffer): void {
    this.#queue.push(chunk)
    if (this.#queue.length >= queuedChunksMax) this.#hold('reader')
    this.#awaken()
  }

  #finish(error?: Error): void {
    // The first end counts: destroying the streams afterwards may report more.
    this.#end ??= error ? { error } : {}
    this.#awaken()
    this.#continueDecoding()
  }

  #continueDecoding(): void {
    const resume = this.#readerCaughtUp
    this.#readerCaughtUp = undefined
    resume?.()
  }

  #awaken(): void {
    const wake = this.#wake
    this.#wake = undefined
    wake?.()
  }

  #hold(reason: 'reader' | 'decoder'): void {
    this.#holds.add(reason)
    this.#body.pause()
  }

  #release(reason: 'reader' | 'decoder'): void {
    if (!this.#holds.delete(reason) || this.#holds.size > 0 || this.#end) return
    this.#body.resume()
  }
}

export function decompressed(body: Readable, compression: Compression): DecompressedObject {
  return new DecompressedObject(body, compression)
}

/**
 * The longest line a splitter holds while waiting for its end: 16 MiB, 40 times the 400 KB item
 * limit, more than any item's line can take (the heaviest DynamoDB JSON spelling, a string of
 * control characters escaped as \u00XX, is 6 bytes per byte of item), so a line this long can
 * only be an item that is too large. Its reader fails it at once instead of holding the rest.
 */
export const pendingLineBytesMax = 16 * 1024 * 1024

const lineEnd = 0x0a

/**
 * The lines of UTF-8 text, without their line ends (\n or \r\n), a chunk's worth at a time:
 * a caller handles a whole array in one synchronous loop instead of an async step per line.
 * `push` takes the next chunk and returns the lines it completed; `end` returns the last line
 * when the text does not end with a line end. Each byte is looked at once: a chunk without a
 * line end is only kept, and the kept bytes are joined and decoded once, when their line ends
 * (a byte 0x0a is never inside a UTF-8 character, so lines can be cut before decoding).
 */
export class LineSplitter {
  /** The bytes after the last line end, as they came. */
  #pending: Buffer[] = []
  #pendingBytes = 0

  /** Bytes of the line not ended yet: its reader fails it past pendingLineBytesMax. */
  get pendingBytes(): number {
    return this.#pendingBytes
  }

  push(chunk: Buffer): string[] {
    const lastEnd = chunk.lastIndexOf(lineEnd)
    if (lastEnd === -1) {
      this.#keep(chunk)
      return []
    }
    this.#keep(chunk.subarray(0, lastEnd))
    const lines = this.#takePending().split('\n')
    this.#keep(chunk.subarray(lastEnd + 1))
    for (let index = 0; index < lines.length; index++) lines[index] = withoutCarriageReturn(lines[index]!)
    return lines
  }

  end(): string[] {
    const rest = this.#takePending()
    return rest === '' ? [] : [withoutCarriageReturn(rest)]
  }

  #keep(bytes: Buffer): void {
    if (bytes.length === 0) return
    this.#pending.push(bytes)
    this.#pendingBytes += bytes.length
  }

  #takePending(): string {
    const text = Buffer.concat(this.#pending, this.#pendingBytes).toString('utf8')
    this.#pending = []
    this.#pendingBytes = 0
    return text
  }
}

function withoutCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line
}
