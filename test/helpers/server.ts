/**
 * Starts the server the conformance tests talk to. With EDDYDB_TEST_ENDPOINT set (for example
 * DynamoDB Local on http://127.0.0.1:8100) the same tests run against that endpoint instead, which is
 * how we check that the tests themselves encode what DynamoDB really does:
 *   EDDYDB_TEST_TARGET=dynamodb-local EDDYDB_TEST_ENDPOINT=http://127.0.0.1:8100 \
 *     node --test --test-concurrency=1 dist/test/conformance/*.test.js
 * (EDDYDB_TEST_TARGET=dynamodb-local turns the tests marked localDiffers into TODOs; tests marked
 * inProcessOnly are skipped.) test/operability's regions and request-log tests accept it too.
 *
 * With EDDYDB_TEST_STORAGE_URL set (a PostgreSQL server, e.g. postgresql://eddydb@127.0.0.1:5432/postgres)
 * the in-process server stores its data there instead of in memory, in a new database of its own
 * so that servers never see each other's tables; test/run-on-postgres.ts runs the conformance
 * suite that way against a throwaway cluster.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { startServer, type RunningServer, type StartOptions } from '../../src/server.js'
import { createDatabaseAt } from './postgres.js'

export interface TestServer {
  endpoint: string
  client: DynamoDBClient
  doc: DynamoDBDocumentClient
  /** Builds another low-level client for the same endpoint (e.g. another region). */
  newClient(overrides?: Partial<DynamoDBClientConfig>): DynamoDBClient
  /** The in-process server (undefined against an external endpoint), for tests that look inside. */
  running?: RunningServer
  close(): Promise<void>
}

export const testCredentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }

/** `options` tune the in-process server (e.g. a small limit); an external endpoint ignores them. */
export async function startTestServer(options: StartOptions = {}): Promise<TestServer> {
  const externalEndpoint = process.env.EDDYDB_TEST_ENDPOINT
  let server: RunningServer | undefined
  let endpoint: string
  if (externalEndpoint) {
    endpoint = externalEndpoint
  } else {
    const storageUrl = await testStorageUrl()
    server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true, logLevel: 'silent', storageUrl, ...options })
    endpoint = server.url
  }
  const clients: DynamoDBClient[] = []
  const newClient = (overrides: Partial<DynamoDBClientConfig> = {}): DynamoDBClient => {
    const client = new DynamoDBClient({
      endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1, ...overrides,
    })
    clients.push(client)
    return client
  }
  const client = newClient()
  const doc = DynamoDBDocumentClient.from(client)
  return {
    endpoint, client, doc, newClient, running: server,
    async close() {
      doc.destroy()
      for (const each of clients) each.destroy()
      if (server) await server.close()
    },
  }
}

let databaseCounter = 0

/** A fresh PostgreSQL database per server when EDDYDB_TEST_STORAGE_URL is set; undefined otherwise. */
export async function testStorageUrl(): Promise<string | undefined> {
  const serverUrl = process.env.EDDYDB_TEST_STORAGE_URL
  if (!serverUrl) return undefined
  return createDatabaseAt(serverUrl, `eddydb_test_${process.pid}_${++databaseCounter}`)
}

let tableCounter = 0

/** A table name no other test (or earlier run against a long-lived endpoint) uses. */
export function uniqueTableName(prefix: string): string {
  tableCounter += 1
  return `${prefix}-${Date.now().toString(36)}-${process.pid}-${tableCounter}`
}

/**
 * Marks a test as a known difference of DynamoDB Local from real DynamoDB: when the suite runs
 * against DynamoDB Local (EDDYDB_TEST_TARGET=dynamodb-local) the test still runs but is reported as
 * a TODO instead of a failure. Against EddyDB it must pass.
 */
export function localDiffers(reason: string): { todo?: string } {
  return process.env.EDDYDB_TEST_TARGET === 'dynamodb-local' ? { todo: `DynamoDB Local differs: ${reason}` } : {}
}

/**
 * Marks a test that only the in-process server can run: it sets a server option (CORS, a small
 * limit) or reaches EddyDB's own routes. With EDDYDB_TEST_ENDPOINT set (another server, which
 * would not have that option) it is skipped.
 */
export function inProcessOnly(reason: string): { skip?: string } {
  return process.env.EDDYDB_TEST_ENDPOINT ? { skip: `needs the in-process server: ${reason}` } : {}
}
