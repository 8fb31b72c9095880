/**
 * Limits that keep slow or greedy clients from holding the HTTP server: how long a client may
 * take to send its headers and its whole request, and how many connections may be open at once.
 *
 * At the cap a new connection takes the place of the connection idle the longest (no request of
 * it being received or answered), which is closed: otherwise one client holding the cap's worth
 * of idle keep-alive connections would lock everyone else out for as long as it liked. Only when
 * every connection is busy is the new one answered 503 at once and closed, instead of being
 * reset or left waiting, so a client sees why and (SDKs do) retries later. A connection whose
 * request head is still arriving counts as busy where the layer reading it can tell (the fast
 * path can, node:http between requests cannot): headersTimeout bounds those.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Server, Socket } from 'node:net'
import { crc32 } from 'node:zlib'
import { ServiceUnavailableException } from '../errors.js'
import { nextRequestId } from '../http/request-id.js'

export const serverLimits = {
  /** Idle keep-alive connections are closed after this (longer than SDKs' 60 s pools, as AWS does). */
  keepAliveTimeout: 65_000,
  /** A client has this long to send the request line and headers (slowloris). */
  headersTimeout: 20_000,
  /** And this long for the whole request, body included (16 MB at a slow but honest pace). */
  requestTimeout: 120_000,
  /** How often the two timeouts above are checked (Node's default is 30 s). */
  connectionsCheckingInterval: 2_000,
}

export type ServerLimits = typeof serverLimits

/** Open HTTP connections per server by default; each costs a socket and a parser. */
export const defaultConnectionsMax = 1000

/** A connection that may be closed to make room: since when it has been idle (performance.now()). */
export interface IdleConnection {
  idleSinceMs: number
  close(): void
}

/** The longest-idle connection of one layer that serves connections (the fast path, h2c, node:http). */
export type LongestIdle = () => IdleConnection | undefined

/**
 * `tls`: the server speaks TLS, so a refused socket (still in its handshake) can only be closed.
 * `layers`: the connections of the layers in front of node:http, whose own are tracked here.
 */
export function limitConnections(server: Server, connectionsMax: number, tls: boolean, layers: LongestIdle[] = []): void {
  const candidates = [...layers, trackNodeHttpIdle(server, tls)]
  let open = 0
  // First, so that the new socket is in no layer yet when one is chosen to make room for it.
  server.prependListener('connection', (socket: Socket) => {
    if (open >= connectionsMax && !closeLongestIdle(candidates)) {
      socket.on('error', () => {})
      if (tls) {
        socket.destroy()
        return
      }
      socket.end(overCapacityReply())
      socket.setTimeout(1000, () => socket.destroy())
      return
    }
    open += 1
    socket.once('close', () => { open -= 1 })
  })
}

/** Closes the connection idle the longest of all layers; false when none is idle. */
function closeLongestIdle(layers: LongestIdle[]): boolean {
  let oldest: IdleConnection | undefined
  for (const longestIdle of layers) {
    const candidate = longestIdle()
    if (candidate && (oldest === undefined || candidate.idleSinceMs < oldest.idleSinceMs)) oldest = candidate
  }
  oldest?.close()
  return oldest !== undefined
}

/**
 * node:http's connections (handed over by the fast path, or all of them with TLS): idle from
 * the end of the TLS handshake or of their last reply until their next request's head arrives.
 * Only requests served by node:http pay for this.
 */
function trackNodeHttpIdle(server: Server, tls: boolean): LongestIdle {
  const connections = new Map<Socket, { socket: Socket; requests: number; idleSinceMs: number }>()
  const track = (socket: Socket) => {
    let connection = connections.get(socket)
    if (connection === undefined) {
      connection = { socket, requests: 0, idleSinceMs: performance.now() }
      connections.set(socket, connection)
      socket.once('close', () => connections.delete(socket))
    }
    return connection
  }
  if (tls) server.on('secureConnection', track)
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const connection = track(req.socket)
    connection.requests += 1
    res.once('close', () => {
      connection.requests -= 1
      connection.idleSinceMs = performance.now()
    })
  })
  return () => longestIdleOf(connections.values(), (connection) => connection.socket,
    (connection) => connection.requests === 0 ? connection.idleSinceMs : undefined)
}

/** The longest-idle of `connections`; `idleSince` is undefined for a busy one. */
export function longestIdleOf<T>(connections: Iterable<T>, socketOf: (connection: T) => Socket,
  idleSince: (connection: T) => number | undefined): IdleConnection | undefined {
  let oldest: Socket | undefined
  let oldestSinceMs = Infinity
  for (const connection of connections) {
    const sinceMs = idleSince(connection)
    if (sinceMs === undefined || sinceMs >= oldestSinceMs) continue
    const socket = socketOf(connection)
    // A socket closed or refused a moment ago is going anyway: closing it makes no room.
    if (socket.writable) [oldest, oldestSinceMs] = [socket, sinceMs]
  }
  const socket = oldest
  return socket === undefined ? undefined : { idleSinceMs: oldestSinceMs, close: () => socket.destroy() }
}

const overCapacityBody = JSON.stringify(new ServiceUnavailableException('The server has too many open connections; retry later').toWire())

const overCapacityHead = 'HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/x-amz-json-1.0\r\n' +
  `Content-Length: ${Buffer.byteLength(overCapacityBody)}\r\nx-amz-crc32: ${crc32(overCapacityBody)}\r\n` +
  'Connection: close\r\nRetry-After: 1\r\n'

/** The refusal, with a request id of its own as every reply has (SDKs report it in $metadata). */
function overCapacityReply(): string {
  return `${overCapacityHead}x-amzn-RequestId: ${nextRequestId()}\r\n\r\n${overCapacityBody}`
}
