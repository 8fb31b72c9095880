// Loopback-only networking helpers: a free port, and waiting until a server answers.
import { createServer } from 'node:net';
import { request } from 'node:http';

export const LOOPBACK_HOST = '127.0.0.1';

/** Asks the kernel for a free port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, LOOPBACK_HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * One POST to 127.0.0.1:port with a time limit. Resolves with the status and the body text.
 * @param {number} port
 * @param {Record<string, string>} headers
 * @param {string} body
 * @param {number} timeoutMs
 */
export function postOnce(port, headers, body, timeoutMs) {
  return new Promise((resolve, reject) => {
    const outgoing = request({
      host: LOOPBACK_HOST, port, method: 'POST', path: '/', headers, timeout: timeoutMs,
    }, (incoming) => {
      const chunks = [];
      incoming.on('data', (chunk) => chunks.push(chunk));
      incoming.on('end', () => resolve({
        status: incoming.statusCode ?? 0,
        body: Buffer.concat(chunks).toString('utf8'),
      }));
      incoming.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
