/**
 * What the TTL tests share: an in-process server with a clock the test moves by hand, an SDK
 * client, and small helpers to reach the region's storage.
 */
import assert from 'node:assert/strict'
import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb'
import type { RegionContext } from '../../src/api/context.js'
import { startServer, type RunningServer } from '../../src/server.js'
import { testStorageUrl } from '../helpers/server.js'
import type { ChangeRecord } from '../../src/storage/engine.js'

export const region = 'us-east-1'

/** A clock that stands still until the test moves it. */
export class ManualClock {
  nowMs: number
  constructor(startMs: number = Date.now()) {
    this.nowMs = startMs
  }
  now(): number {
    return this.nowMs
  }
  nowSeconds(): number {
    return Math.floor(this.nowMs / 1000)
  }
  advanceSeconds(seconds: number): void {
    this.nowMs += seconds * 1000
  }
}

export interface TtlTestServer {
  server: RunningServer
  client: DynamoDBClient
  ctx: RegionContext
  close(): Promise<void>
}

/**
 * Starts a server. Unless the test says otherwise the sweep interval is an hour, so that a
 * sweeper registered in the server never runs and the test drives passes itself.
 */
export async function startTtlServer(options: { clock?: ManualClock; ttlSweepIntervalMs?: number } = {}): Promise<TtlTestServer> {
  const server = await startServer({
    port: 0, host: '127.0.0.1', inMemory: true, logLevel: 'silent', storageUrl: await testStorageUrl(),
    ttlSweepIntervalMs: options.ttlSweepIntervalMs ?? 3_600_000,
    ...(options.clock ? { clock: options.clock } : {}),
  })
  const client = new DynamoDBClient({
    endpoint: server.url, region, maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
  })
  const ctx = await server.regions.get(region)
  return {
    server, client, ctx,
    async close() {
      client.destroy()
      await server.close()
    },
  }
}

let tableCounter = 0

/** Creates an on-demand table keyed by string `pk` and returns its name. */
export async function createTtlTable(client: DynamoDBClient, extra: Partial<CreateTableCommandInput> = {}): Promise<string> {
  tableCounter += 1
  const tableName = `ttl-${process.pid}-${tableCounter}`
  await client.send(new CreateTableCommand({
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    ...extra,
  }))
  return tableName
}

export function tableIdOf(ctx: RegionContext, tableName: string): string {
  const table = ctx.catalog.get(tableName)
  assert.ok(table, `no table ${tableName}`)
  return table.tableId
}

/** Every change record of the table, oldest first. */
export function changesOf(ctx: RegionContext, tableName: string): Promise<ChangeRecord[]> {
  const tableId = tableIdOf(ctx, tableName)
  return ctx.storage.read((view) => view.readChanges(tableId, 0, 1000))
}

/** Keys (pk) of the items the expiry index holds with an expiry at or before `seconds`. */
export async function indexedExpiries(ctx: RegionContext, tableName: string, seconds = Number.MAX_VALUE): Promise<string[]> {
  const tableId = tableIdOf(ctx, tableName)
  const rows = await ctx.storage.read((view) => view.expiredItems(tableId, seconds, 1000))
  return rows.map((row) => (JSON.parse(row.json) as { pk: { S: string } }).pk.S).sort()
}

/** Asserts that `promise` rejects with the SDK error `name` and exactly `message`. */
export async function expectError(promise: Promise<unknown>, name: string, message: string): Promise<void> {
  await assert.rejects(promise, (error: Error) => {
    assert.equal(error.name, name, `expected ${name}, got ${error.name}: ${error.message}`)
    assert.equal(error.message, message)
    return true
  })
}

/**
 * Polls `check` until it returns true. The cap only turns a lost event into a failure instead of
 * a hang: it is far beyond what any healthy run needs, even on a loaded machine.
 */
export async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + eventWaitMsMax
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  assert.fail(`no ${what} within ${eventWaitMsMax} ms`)
}

const eventWaitMsMax = 60_000
