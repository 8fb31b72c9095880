/** Shared pieces of the global-table tests: clients per region, a table, bounded polling. */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import {
  CreateTableCommand, DescribeTableCommand, DynamoDBClient, ScanCommand, UpdateTableCommand, type AttributeValue, type TableDescription,
} from '@aws-sdk/client-dynamodb'
import { startTestServer, testCredentials, type TestServer } from '../helpers/server.js'
import type { StartOptions } from '../../src/server.js'

export function regionClient(endpoint: string, region: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region, credentials: testCredentials, maxAttempts: 1 })
}

export async function createKeyTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  }))
}

export async function describeIn(client: DynamoDBClient, table: string): Promise<TableDescription> {
  return (await client.send(new DescribeTableCommand({ TableName: table }))).Table!
}

/** Adds a replica of `table` in us-west-2 from `from` and waits until every replica is ACTIVE. */
export async function addWestReplica(from: DynamoDBClient, table: string): Promise<void> {
  await from.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }))
  await eventually(async () => (await describeIn(from, table)).Replicas?.every((replica) => replica.ReplicaStatus === 'ACTIVE') === true,
    'replica ACTIVE')
}

/** Polls `check` until it returns true, at most `attempts` times, `intervalMs` apart. */
export async function eventually(check: () => Promise<boolean>, what: string, attempts = 400, intervalMs = 25): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
  assert.fail(`not reached after ${attempts} polls: ${what}`)
}

/** Every item of a table, as pk → JSON of the item, for comparing replicas. */
export async function contents(client: DynamoDBClient, table: string): Promise<Map<string, string>> {
  const items = new Map<string, string>()
  let start: Record<string, AttributeValue> | undefined
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }))
    for (const item of page.Items ?? []) items.set(item.pk!.S!, JSON.stringify(Object.keys(item).sort().map((key) => [key, item[key]])))
    start = page.LastEvaluatedKey
  } while (start)
  return items
}

export async function sameContents(clients: DynamoDBClient[], table: string): Promise<boolean> {
  const all = await Promise.all(clients.map((client) => contents(client, table)))
  const first = JSON.stringify([...all[0]!].sort())
  return all.every((each) => JSON.stringify([...each].sort()) === first)
}

export interface RegionsUnderTest {
  server: TestServer
  east: DynamoDBClient
  west: DynamoDBClient
  europe: DynamoDBClient
  close(): Promise<void>
}

/** One in-process server (`options`: e.g. a clock the test moves) and a client for each of three of its regions. */
export async function threeRegions(options: StartOptions = {}): Promise<RegionsUnderTest> {
  const server = await startTestServer(options)
  const [east, west, europe] = ['us-east-1', 'us-west-2', 'eu-west-1'].map((region) => regionClient(server.endpoint, region)) as [DynamoDBClient, DynamoDBClient, DynamoDBClient]
  return {
    server, east, west, europe,
    async close() {
      for (const client of [east, west, europe]) client.destroy()
      await server.close()
    },
  }
}

/** Runs test/replication/boto3-global-table.py (next to this test's source) and returns its JSON result. */
export function runBoto3GlobalTable(eastEndpoint: string, westEndpoint: string, table: string): Promise<Record<string, unknown>> {
  const script = fileURLToPath(new URL('../../../test/replication/boto3-global-table.py', import.meta.url))
  return new Promise((resolve, reject) => {
    execFile('python3', [script, eastEndpoint, westEndpoint, table], { timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`boto3 scenario failed: ${stderr || error.message}`))
      try { resolve(JSON.parse(stdout) as Record<string, unknown>) } catch { reject(new Error(`not JSON: ${stdout}`)) }
    })
  })
}

export const expectedBoto3Result = {
  version: '2019.11.21', replicas: ['us-west-2'], inWest: '1', inEast: '2', replicaAfterDelete: 'ResourceNotFoundException', replicasAfterDelete: null,
}
