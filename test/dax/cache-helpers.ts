/**
 * What the DAX cache tests share: a real EddyDB (in memory) as the upstream, an upstream wrapper
 * that records which operations reached it, and a clock the test moves by hand.
 */
import { createInProcessUpstream } from '../../src/dax/upstream/in-process.js'
import type { DynamoDbExecutor } from '../../src/dax/node-api.js'
import { startServer, type RunningServer } from '../../src/server.js'

export class ManualClock {
  constructor(public millis = 1_700_000_000_000) {}
  now(): number { return this.millis }
  advance(millis: number): void { this.millis += millis }
}

export interface RecordingUpstream extends DynamoDbExecutor {
  /** Operation names in the order they reached the upstream. */
  calls: string[]
  callsOf(operation: string): number
}

export function recording(inner: DynamoDbExecutor): RecordingUpstream {
  const calls: string[] = []
  return {
    calls,
    callsOf: (operation) => calls.filter((name) => name === operation).length,
    execute(operation, input) {
      calls.push(operation)
      return inner.execute(operation, structuredClone(input))
    },
  }
}

export async function startUpstreamServer(): Promise<{ server: RunningServer; direct: DynamoDbExecutor }> {
  const server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true, logLevel: 'silent' })
  return { server, direct: createInProcessUpstream({ regions: server.regions, region: 'us-east-1' }) }
}

let tableCounter = 0

/** Creates a table keyed by pk (S) and, if asked, sk (N), and waits until it is ACTIVE. */
export async function createTable(upstream: DynamoDbExecutor, withSortKey = false): Promise<string> {
  tableCounter += 1
  const tableName = `dax-cache-${process.pid}-${tableCounter}`
  await upstream.execute('CreateTable', {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, ...(withSortKey ? [{ AttributeName: 'sk', KeyType: 'RANGE' }] : [])],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' }, ...(withSortKey ? [{ AttributeName: 'sk', AttributeType: 'N' }] : []),
    ],
  })
  // A hang guard (30 s of looks), not a speed check.
  for (let attempt = 0; attempt < 3000; attempt++) {
    const { Table } = await upstream.execute('DescribeTable', { TableName: tableName })
    if (Table.TableStatus === 'ACTIVE') return tableName
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`table ${tableName} did not become ACTIVE`)
}
