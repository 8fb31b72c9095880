// A minimal DynamoDB JSON 1.0 client over loopback HTTP, used to create the table, load the items
// and check each workload once before it is measured. Requests carry a signature-shaped
// Authorization header: none of the servers benchmarked here verifies signatures, and real
// signing would only add client cost that is the same for every target.
import { Agent, request } from 'node:http';
import { LOOPBACK_HOST } from './net.js';

const REQUEST_TIMEOUT_MS = 30_000;
const keepAliveAgent = new Agent({ keepAlive: true, maxSockets: 16 });

export const AMZ_DATE = '20260101T000000Z';
export const AUTHORIZATION = 'AWS4-HMAC-SHA256 '
  + 'Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, '
  + 'SignedHeaders=host;x-amz-date;x-amz-target, Signature=00';

/** The headers every benchmark request carries, for the given operation. */
export function dynamoHeaders(operation) {
  return {
    'Content-Type': 'application/x-amz-json-1.0',
    'X-Amz-Target': `DynamoDB_20120810.${operation}`,
    'X-Amz-Date': AMZ_DATE,
    Authorization: AUTHORIZATION,
  };
}

export class DynamoRequestError extends Error {
  /** @param {string} operation @param {number} status @param {string} body */
  constructor(operation, status, body) {
    super(`${operation} answered HTTP ${status}: ${body.slice(0, 300)}`);
    this.status = status;
    this.body = body;
  }
}

/**
 * Sends one operation and returns the parsed reply; any non-200 answer becomes a DynamoRequestError.
 * @param {number} port
 * @param {string} operation
 * @param {unknown} input
 */
export function callDynamo(port, operation, input) {
  const body = JSON.stringify(input);
  return new Promise((resolve, reject) => {
    const outgoing = request({
      host: LOOPBACK_HOST, port, method: 'POST', path: '/', agent: keepAliveAgent,
      headers: { ...dynamoHeaders(operation), 'Content-Length': Buffer.byteLength(body) },
      timeout: REQUEST_TIMEOUT_MS,
    }, (incoming) => {
      const chunks = [];
      incoming.on('data', (chunk) => chunks.push(chunk));
      incoming.on('error', reject);
      incoming.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (incoming.statusCode !== 200) {
          reject(new DynamoRequestError(operation, incoming.statusCode ?? 0, text));
          return;
        }
        try {
          resolve(text.length === 0 ? {} : JSON.parse(text));
        } catch {
          reject(new DynamoRequestError(operation, 200, `unparsable reply: ${text}`));
        }
      });
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`${operation}: no answer in time`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Closes idle keep-alive sockets so the harness can exit promptly. */
export function closeConnections() {
  keepAliveAgent.destroy();
}
