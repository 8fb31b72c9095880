/**
 * What the backup tests share: a server on a clock the test moves forward (so that "between
 * two writes" is a definite instant without sleeping), and its region context for the tests that
 * call the table-as-of reader directly.
 */
import {
  DeleteItemCommand, DescribeTableCommand, PutItemCommand, ScanCommand, UpdateContinuousBackupsCommand,
  type AttributeValue, type DynamoDBClient, type TableDescription,
} from '@aws-sdk/client-dynamodb'
import type { Clock, RegionContext } from '../../src/api/context.js'
import type { StartOptions } from '../../src/server.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

/** Real time plus an offset that only grows: moving it apart separates two writes in time. */
export class SteppedClock implements Clock {
  #offsetMs = 0
  #lastMs = 0

  now(): number {
    this.#lastMs = Math.max(this.#lastMs, Date.now() + this.#offsetMs)
    return this.#lastMs
  }

  /** Moves the clock forward by `ms` and returns the new time. */
  advance(ms: number): number {
    this.#offsetMs += ms
    return this.now()
  }

  /** Steps the clock back by `ms`, as a wall clock stepped back does (advance it again after). */
  stepBack(ms: number): void {
    this.#offsetMs -= ms
    this.#lastMs = Date.now() + this.#offsetMs
  }
}

export interface BackupTestServer extends TestServer {
  clock: SteppedClock
  region(): Promise<RegionContext>
}

export async function startBackupTestServer(options: StartOptions = {}): Promise<BackupTestServer> {
  const clock = new SteppedClock()
  const server = await startTestServer({ clock, ...options })
  return {
    ...server,
    clock,
    region: async () => server.running!.regions.get('us-east-1'),
  }
}

/** Polls DescribeTable (bounded) until the table is ACTIVE; returns its description. */
export async function waitUntilRestored(client: DynamoDBClient, tableName: string): Promise<TableDescription> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }))
    if (Table?.TableStatus === 'ACTIVE') return Table
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`${tableName} did not become ACTIVE`)
}

/** Every item of a table (all pages), keyed by the JSON of its key attributes. */
export async function scanAll(client: DynamoDBClient, tableName: string, keyNames: string[] = ['pk']): Promise<Map<string, Record<string, AttributeValue>>> {
  const items = new Map<string, Record<string, AttributeValue>>()
  let start: Record<string, AttributeValue> | undefined
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }))
    for (const item of page.Items ?? []) items.set(JSON.stringify(keyNames.map((name) => item[name])), item)
    start = page.LastEvaluatedKey
  } while (start)
  return items
}

export async function enablePitr(client: DynamoDBClient, tableName: string, days?: number): Promise<void> {
  await client.send(new UpdateContinuousBackupsCommand({
    TableName: tableName,
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: days },
  }))
}

/** Writes of the key tables the table-as-of tests use: pk and one string attribute v. */
export function keyTableWrites(client: DynamoDBClient) {
  return {
    put: (table: string, pk: string, v: string) => client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, v: { S: v } } })),
    remove: (table: string, pk: string) => client.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: pk } } })),
  }
}
