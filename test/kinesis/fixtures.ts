/**
 * What the Kinesis tests share: an in-process server (optionally with a clock the test moves by
 * hand) and a Kinesis client of the JS v3 SDK pointed at it.
 */
import { KinesisClient, type KinesisClientConfig } from '@aws-sdk/client-kinesis'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import type { RegionContext } from '../../src/api/context.js'
import { startServer, type RunningServer, type StartOptions } from '../../src/server.js'
import { ManualClock } from '../ttl/fixtures.js'
import { testCredentials, testStorageUrl } from '../helpers/server.js'

export { ManualClock }

export interface KinesisTestServer {
  server: RunningServer
  /** The client as the SDK builds it by default (HTTP/2 to an http:// endpoint: h2c). */
  kinesis: KinesisClient
  /** The same client over HTTP/1.1. */
  kinesisHttp1: KinesisClient
  region(): Promise<RegionContext>
  close(): Promise<void>
}

export async function startKinesisServer(options: StartOptions = {}): Promise<KinesisTestServer> {
  // Under test/run-on-postgres.js the server stores its data in PostgreSQL.
  const storageUrl = await testStorageUrl()
  const server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true, logLevel: 'silent', storageUrl, ...options })
  const config: KinesisClientConfig = { endpoint: server.url, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 }
  const kinesis = new KinesisClient(config)
  const kinesisHttp1 = new KinesisClient({ ...config, requestHandler: new NodeHttpHandler() })
  return {
    server, kinesis, kinesisHttp1,
    region: async () => server.regions.get('us-east-1'),
    async close() {
      kinesis.destroy()
      kinesisHttp1.destroy()
      await server.close()
    },
  }
}

let streamCounter = 0

export function uniqueStreamName(prefix = 'stream'): string {
  streamCounter += 1
  return `${prefix}-${process.pid}-${streamCounter}`
}
