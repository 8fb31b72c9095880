/**
 * Cleartext HTTP/2 with prior knowledge (h2c) next to HTTP/1.1 on one port. The JS v3 Kinesis
 * client, the Java SDK v2 and the KCL open HTTP/2 to an http:// endpoint straight away; DynamoDB
 * clients speak HTTP/1.1. node:http2 negotiates HTTP/1.1 fallback only over TLS (ALPN), so each
 * new connection's first bytes are looked at: the HTTP/2 connection preface goes to an http2
 * server, anything else to the HTTP/1.1 server, with the bytes put back. Both serve requests
 * with the same handler (node:http2's compatibility API mirrors node:http's).
 */
import type { Http2Server, Http2Session } from 'node:http2'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { lazyRequire } from '../lazy-require.js'
import { beforeClose } from './before-close.js'
import { longestIdleOf, serverLimits, type LongestIdle } from '../security/http-limits.js'

// node:http2 (and the TLS it loads) is loaded when the first HTTP/2 client connects.
const http2Module = lazyRequire<typeof import('node:http2')>('node:http2')

const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1')

/** After server.close(), open HTTP/2 sessions get this long to finish their streams. */
const sessionCloseGraceMs = 1000

/**
 * Makes `server` also accept h2c connections, answered by `handler`. Returns the way to find the
 * connection that has waited the longest without saying which protocol it speaks (no request
 * is in progress on it), for the connection cap.
 */
export function acceptCleartextHttp2(server: Server, handler: (req: IncomingMessage, res: ServerResponse) => void): LongestIdle {
  const sessions = new Set<Http2Session>()
  let http2: Http2Server | undefined
  const http2Server = (): Http2Server => {
    if (http2) return http2
    http2 = http2Module().createServer({}, handler as never)
    http2.on('session', (session: Http2Session) => {
      sessions.add(session)
      session.once('close', () => sessions.delete(session))
      // A session quiet for as long as an idle HTTP/1.1 connection may stay is closed, as AWS
      // closes idle connections (SubscribeToShard's events keep its session busy).
      session.setTimeout(serverLimits.keepAliveTimeout, () => session.destroy())
    })
    return http2
  }
  /** Connections that have not sent enough bytes yet to tell which protocol they speak. */
  const undecided = new Map<Socket, number>()
  const http1Listeners = server.listeners('connection') as Array<(socket: Socket) => void>
  server.removeAllListeners('connection')
  server.on('connection', (socket: Socket) => {
    let seen: Buffer = Buffer.alloc(0)
    undecided.set(socket, performance.now())
    socket.once('close', () => undecided.delete(socket))
    // The HTTP server is half-open (allowHalfOpen): a client that leaves before sending a byte
    // would otherwise keep its socket, and its slot under --max-connections, forever.
    const onEnd = (): void => { socket.destroy() }
    socket.once('end', onEnd)
    const onData = (chunk: Buffer): void => {
      seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk])
      const compared = Math.min(seen.length, preface.length)
      const isHttp2 = seen.subarray(0, compared).equals(preface.subarray(0, compared))
      // A partial preface so far: wait for more bytes before deciding.
      if (isHttp2 && seen.length < preface.length) return
      socket.off('data', onData)
      socket.off('end', onEnd)
      undecided.delete(socket)
      socket.pause()
      socket.unshift(seen)
      if (isHttp2) {
        // The socket is half-open (the HTTP/1.1 server's allowHalfOpen), and node:http2 does not
        // end a session whose client has closed its side: a client gone mid-request (its process
        // ended, or it dropped the connection) kept its socket, and its slot under
        // --max-connections, for good. An HTTP/2 client never half-closes on purpose.
        socket.once('end', () => socket.destroy())
        http2Server().emit('connection', socket)
      }
      else for (const listener of http1Listeners) listener.call(server, socket)
      process.nextTick(() => socket.resume())
    }
    socket.on('data', onData)
  })
  beforeClose(server, () => {
    for (const socket of undecided.keys()) socket.destroy()
    for (const session of sessions) {
      session.close()
      setTimeout(() => session.destroy(), sessionCloseGraceMs).unref()
    }
  })
  return () => longestIdleOf(undecided, ([socket]) => socket, ([, acceptedMs]) => acceptedMs)
}
