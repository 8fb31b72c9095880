/**
 * The HTTP server's connections are served by several layers (the HTTP/1.1 fast path, cleartext
 * HTTP/2, node:http itself), and each must end its own connections when the server closes. This
 * is the one way a layer hooks server.close().
 */
import type { Server } from 'node:net'

/** Runs `prepare` whenever server.close() is called, before the close it wraps. */
export function beforeClose(server: Server, prepare: () => void): void {
  const close = server.close.bind(server)
  server.close = ((callback?: (error?: Error) => void) => {
    prepare()
    return close(callback)
  }) as Server['close']
}
