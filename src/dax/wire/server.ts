/**
 * The DAX wire-protocol listener of one node: CBOR over TCP (default port 8111), or over TLS
 * when given a certificate (default port 9111, `daxs://`), so the unmodified official DAX
 * clients can talk to EddyDB. Requests are decoded into DynamoDB API shapes and run through the
 * node's executor, so cache semantics live in one place.
 */
import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { createServer as createTlsServer } from 'node:tls'
import type { DaxWireServerOptions, RunningDaxWireServer, StartDaxWireServer } from '../node-api.js'
import { systemClock, type Clock } from '../../api/context.js'
import { processAttributeLists, type AttributeListRegistry } from './attribute-lists.js'
import type { KeyLookup } from './auth.js'
import { defaultClusterArn } from '../../security/dax-authorize.js'
import { connectionAccepted } from '../../accept-turns.js'
import { DaxConnection } from './connection.js'
import type { WireContext } from './context.js'
import { daxMethods } from './methods.js'
import { TableSchemas } from './table-schemas.js'

/** Optional parts beyond the node API: a signature and policy check and a private attribute-list registry. */
export interface DaxWireServerExtras {
  /** Verify authorizeConnection signatures against these keys, and their policies per request (default: accept any key). */
  keyFor?: KeyLookup
  /** The resource of the dax: policy checks (default: a cluster named local in us-east-1). */
  clusterArn?: string
  /** Defaults to the registry shared by every node in this process. */
  attributeLists?: AttributeListRegistry
  clock?: Clock
}

/** Open connections per node; past this, new ones are refused at once. */
export const connectionsMax = 10_000

export const startDaxWireServer: StartDaxWireServer = async (options: DaxWireServerOptions & DaxWireServerExtras): Promise<RunningDaxWireServer> => {
  const context: WireContext = {
    executor: options.executor,
    schemas: new TableSchemas(options.executor, options.clock ?? systemClock),
    registry: options.attributeLists ?? processAttributeLists,
    endpoints: options.endpoints,
    log: options.log,
    clusterArn: options.clusterArn ?? defaultClusterArn(),
    // Each connection replaces this with its caller's check once authorizeConnection succeeds.
    authorizeMetadata: () => {},
  }
  const connections = new Set<DaxConnection>()
  const server = createListener(options, (socket: Socket) => {
    if (connections.size >= connectionsMax) {
      socket.destroy()
      return
    }
    const connection = new DaxConnection(socket, context, daxMethods, options.keyFor)
    connections.add(connection)
    socket.once('close', () => connections.delete(connection))
  })
  // Every accepted TCP socket, including TLS ones still in their handshake (not DaxConnections
  // yet), so close() need not wait out a client that never finishes it.
  const tcpSockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    connectionAccepted()
    tcpSockets.add(socket)
    socket.once('close', () => tcpSockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  options.log.info('dax wire listening', { host: options.host, port, tls: options.tls !== undefined })
  let closing: Promise<void> | undefined
  return {
    port,
    close: () => (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve())
      for (const connection of connections) connection.close()
      for (const socket of tcpSockets) socket.destroy()
    })),
  }
}

/**
 * A plain TCP listener, or a TLS one when options.tls is set: TLS only, as an AWS cluster with
 * encryption in transit serves no plaintext port. A TLSSocket is a net.Socket, so connections
 * start only after the handshake and the protocol code above does not know the difference.
 */
function createListener(options: DaxWireServerOptions, onConnection: (socket: Socket) => void): Server {
  if (!options.tls) return createServer(onConnection)
  const server = createTlsServer({ cert: options.tls.cert, key: options.tls.key }, onConnection)
  // Sockets still in the handshake are not DaxConnections yet; this bounds them too.
  server.maxConnections = connectionsMax
  server.on('tlsClientError', (error: Error) => {
    options.log.debug('dax wire TLS handshake failed', { message: error.message })
  })
  return server
}
