/**
 * A reply whose body is written over time rather than as one text: SubscribeToShard's event
 * stream. An operation returns one; the front door (server.ts) sends the status line and then
 * lets `run` write through a ReplySink until it is done or the client goes away.
 */
import type { ServerResponse } from 'node:http'
import type { Logger } from '../log.js'

export interface ReplySink {
  /** Writes bytes; resolves once the client can take more (back-pressure). */
  write(chunk: Buffer): Promise<void>
  /** True once the client went away (or the connection is being shut down). */
  readonly closed: boolean
  /** The request's protocol: payloads written in it (JSON, or CBOR for CBOR clients). */
  readonly cbor: boolean
}

export class StreamingReply {
  constructor(readonly contentType: string, readonly run: (sink: ReplySink) => Promise<void>) {}
}

export async function sendStreamingReply(res: ServerResponse, reply: StreamingReply, cbor: boolean, log: Logger): Promise<void> {
  let closed = false
  res.once('close', () => { closed = true })
  res.writeHead(200, { 'Content-Type': reply.contentType })
  const sink: ReplySink = {
    cbor,
    get closed() { return closed || res.destroyed },
    write(chunk) {
      if (closed || res.destroyed) return Promise.resolve()
      if (res.write(chunk)) return Promise.resolve()
      return new Promise((resolve) => {
        const done = (): void => {
          res.off('drain', done)
          res.off('close', done)
          resolve()
        }
        res.once('drain', done)
        res.once('close', done)
      })
    },
  }
  try {
    await reply.run(sink)
  } catch (error) {
    log.error('streaming reply failed', { error: error instanceof Error ? error.stack : String(error) })
  }
  if (!res.destroyed) res.end()
}
