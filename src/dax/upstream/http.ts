/**
 * The upstream of a standalone DAX node: any DynamoDB endpoint over HTTP(S) — another EddyDB or
 * AWS DynamoDB itself — with each request SigV4-signed with the configured credentials.
 * Connections are kept alive: a miss should cost one round trip, not a handshake.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import type { DynamoDbExecutor } from '../node-api.js'
import { signRequest, type AwsCredentials } from './sigv4.js'
import { errorFromUpstreamReply } from './upstream-error.js'

export interface HttpUpstreamOptions {
  /** e.g. 'http://127.0.0.1:8000' or 'https://dynamodb.eu-west-1.amazonaws.com'. */
  endpoint: string
  region: string
  credentials: AwsCredentials
  /** Per-request time limit; DynamoDB SDKs default to a few seconds too. */
  requestTimeoutMs?: number
  /** Sockets kept per upstream host. */
  socketsMax?: number
}

export interface HttpUpstream extends DynamoDbExecutor {
  /** Closes idle keep-alive sockets. */
  close(): void
}

/** Replies larger than this are refused: DynamoDB's own reply cap is 16 MB. */
const replyBytesMax = 32 * 1024 * 1024

export function createHttpUpstream(options: HttpUpstreamOptions): HttpUpstream {
  const url = new URL(options.endpoint)
  const secure = url.protocol === 'https:'
  const agentOptions = { keepAlive: true, maxSockets: options.socketsMax ?? 64 }
  const agent = secure ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions)
  const send = secure ? httpsRequest : httpRequest
  const path = url.pathname || '/'
  return {
    async execute(operation, input) {
      const body = JSON.stringify(input)
      const headers = signRequest({
        method: 'POST', host: url.host, path, body,
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}` },
      }, { region: options.region, service: 'dynamodb', credentials: options.credentials, date: new Date() })
      headers['content-length'] = String(Buffer.byteLength(body))
      const reply = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const request = send({
          protocol: url.protocol, hostname: url.hostname, port: url.port, path, method: 'POST', headers, agent,
          timeout: options.requestTimeoutMs ?? 10_000,
        }, (response) => readReply(response).then(resolve, reject))
        request.on('timeout', () => request.destroy(new Error(`upstream ${operation} timed out`)))
        request.on('error', reject)
        request.end(body)
      })
      if (reply.status !== 200) throw errorFromUpstreamReply(reply.status, reply.text)
      return JSON.parse(reply.text) as Record<string, any>
    },
    close() {
      agent.destroy()
    },
  }
}

function readReply(response: IncomingMessage): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let received = 0
    response.on('data', (chunk: Buffer) => {
      received += chunk.length
      if (received > replyBytesMax) response.destroy(new Error('upstream reply too large'))
      else chunks.push(chunk)
    })
    response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
    response.on('error', reject)
  })
}
