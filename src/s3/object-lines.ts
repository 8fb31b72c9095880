/**
 * An object's lines, decompressed as they stream in (never the whole object in memory): gzip
 * through node:zlib, zstd through fzstd (Node 20's zlib has none), or plain.
 */
import { Decompress } from 'fzstd'
import { StringDecoder } from 'node:string_decoder'
import { pipeline, Transform, type Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'

export type Compression = 'GZIP' | 'ZSTD' | 'NONE'

/** gunzip's output chunks: 64 KiB rather than Node's 16 KiB, so a quarter of the callbacks. */
const decompressedChunkBytes = 64 * 1024

function zstdDecompressor(): Transform {
  let decoder: Decompress
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        decoder.push(chunk)
        done()
      } catch (error) {
        done(error as Error)
      }
    },
    flush(done) {
      try {
        decoder.push(new Uint8Array(0), true)
        done()
      } catch (error) {
        done(error as Error)
      }
    },
  })
  decoder = new Decompress((data) => { transform.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength)) })
  return transform
}

/** Counts the bytes that pass (an import's ProcessedSizeBytes counts uncompressed bytes). */
export class ByteCounter extends Transform {
  bytes = 0
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.bytes += chunk.length
    this.push(chunk)
    done()
  }
}

/**
 * The object's bytes, decompressed and counted (`bytes` of the result). An error of the body or
 * of the decoder (bytes that are not the declared compression, a cut-off frame) ends the result
 * with that error, for its reader to handle: piped by hand, a decoder's 'error' reached no
 * listener and took the process down.
 */
export function decompressed(body: Readable, compression: Compression): ByteCounter {
  const counter = new ByteCounter()
  const stages: Array<Readable | Transform> = compression === 'NONE' ? [body]
    : [body, compression === 'GZIP' ? createGunzip({ chunkSize: decompressedChunkBytes }) : zstdDecompressor()]
  pipeline([...stages, counter], (error) => { if (error) counter.destroy(error) })
  return counter
}

/**
 * The lines of UTF-8 text, without their line ends (\n or \r\n), a chunk's worth at a time:
 * a caller handles a whole array in one synchronous loop instead of an async step per line.
 * `push` takes the next chunk and returns the lines it completed; `end` returns the last line
 * when the text does not end with a line end.
 */
export class LineSplitter {
  readonly #decoder = new StringDecoder('utf8')
  #partial = ''

  push(chunk: Buffer): string[] {
    const text = this.#partial + this.#decoder.write(chunk)
    const lines = text.split('\n')
    this.#partial = lines.pop()!
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index]!
      if (line.endsWith('\r')) lines[index] = line.slice(0, -1)
    }
    return lines
  }

  end(): string[] {
    const rest = this.#partial + this.#decoder.end()
    this.#partial = ''
    if (rest === '') return []
    return [rest.endsWith('\r') ? rest.slice(0, -1) : rest]
  }
}
