/**
 * An object's lines, decompressed as they stream in (never the whole object in memory): gzip
 * through node:zlib, zstd through fzstd (Node 20's zlib has none), or plain.
 */
import { Decompress } from 'fzstd'
import { createInterface } from 'node:readline'
import { Transform, type Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'

export type Compression = 'GZIP' | 'ZSTD' | 'NONE'

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

/** The object's bytes decompressed; errors of the body or the decoder surface on the result. */
export function decompressed(body: Readable, compression: Compression): Readable {
  if (compression === 'NONE') return body
  const decoder = compression === 'GZIP' ? createGunzip() : zstdDecompressor()
  body.on('error', (error) => decoder.destroy(error))
  return body.pipe(decoder)
}

/** The lines of a stream of UTF-8 text, without their line ends (\n or \r\n). */
export function linesOf(stream: Readable): AsyncIterable<string> {
  return createInterface({ input: stream, crlfDelay: Infinity })
}
