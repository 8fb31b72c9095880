/**
 * A TCP proxy a test can cut: while cut, it drops every connection it holds and refuses new ones,
 * as a network partition looks to the peers on either side. Simpler than network namespaces.
 */
import net from 'node:net'

export interface CuttableProxy {
  url: string
  cut(): void
  heal(): void
  close(): Promise<void>
}

/** `targetPort` is read at each connection, so a proxy may listen before its target's port is chosen. */
export async function startProxy(targetPort: () => number, listenPort = 0): Promise<CuttableProxy> {
  let cut = false
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    if (cut) {
      client.destroy()
      return
    }
    const upstream = net.connect(targetPort(), '127.0.0.1')
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => undefined)
    }
    client.pipe(upstream)
    upstream.pipe(client)
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      cut = true
      for (const socket of sockets) socket.destroy()
    },
    heal() {
      cut = false
    },
    close() {
      for (const socket of sockets) socket.destroy()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}

/** A port nothing listens on right now (for a server that must come back on the same port). */
export async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise((resolve) => server.close(resolve))
  return port
}
