/**
 * Limits that keep slow or greedy clients from holding the HTTP server: how long a client may
 * take to send its headers and its whole request, and how many connections may be open at once.
 * Past the cap a new connection is answered 503 at once and closed, instead of being reset or
 * left waiting, so a client sees why and (SDKs do) retries later.
 */
import type { Server } from 'node:net'

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

/** `tls`: the server speaks TLS, so a refused socket (still in its handshake) can only be closed. */
export function limitConnections(server: Server, connectionsMax: number, tls: boolean): void {
  let open = 0
  server.on('connection', (socket) => {
    if (open >= connectionsMax) {
      socket.on('error', () => {})
      if (tls) {
        socket.destroy()
        return
      }
      socket.end(overCapacityReply)
      socket.setTimeout(1000, () => socket.destroy())
      return
    }
    open += 1
    socket.once('close', () => { open -= 1 })
  })
}

const overCapacityBody = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#ServiceUnavailable',
  message: 'The server has too many open connections; retry later',
})

const overCapacityReply = 'HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/x-amz-json-1.0\r\n' +
  `Content-Length: ${Buffer.byteLength(overCapacityBody)}\r\nConnection: close\r\nRetry-After: 1\r\n\r\n${overCapacityBody}`
