/**
 * A server for the streams tests: the same parts startServer wires (src/server.ts), plus the
 * DynamoDB Streams operations and the change-log trimmer, with a clock and settings of the
 * test's choosing. Clients for both services point at it.
 */
import type { AddressInfo } from 'node:net'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import {
  DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record,
} from '@aws-sdk/client-dynamodb-streams'
import { createDispatcher } from '../../src/api/dispatch.js'
import { dynamoDbOperations } from '../../src/api/operations.js'
import { systemClock, type Clock, type RegionContext } from '../../src/api/context.js'
import { changeLogRetention } from '../../src/changes/retention.js'
import { defaultConfig, type Config } from '../../src/config.js'
import { createHttpServer } from '../../src/http/server.js'
import { createLogger } from '../../src/log.js'
import { Regions } from '../../src/regions.js'
import { dynamoDbStreamsOperations } from '../../src/streams/operations.js'
import { testStorageUrl } from '../helpers/server.js'

export interface StreamsTestServer {
  url: string
  dynamodb: DynamoDBClient
  streams: DynamoDBStreamsClient
  region(): Promise<RegionContext>
  close(): Promise<void>
}

export interface StreamsServerOptions extends Partial<Config> {
  clock?: Clock
  retentionIntervalMs?: number
}

/** A clock the test moves by hand. */
export function manualClock(startMs = Date.UTC(2025, 0, 1)): Clock & { advance(ms: number): void } {
  let nowMs = startMs
  return { now: () => nowMs, advance: (ms) => { nowMs += ms } }
}

export async function startStreamsServer(options: StreamsServerOptions = {}): Promise<StreamsTestServer> {
  const { clock, retentionIntervalMs, ...overrides } = options
  const config: Config = { ...defaultConfig, port: 0, host: '127.0.0.1', inMemory: true, logLevel: 'silent', storageUrl: overrides.dataDir === undefined ? await testStorageUrl() : undefined, ...overrides }
  const log = createLogger(config.logLevel)
  const regions = new Regions({
    config, clock: clock ?? systemClock, log,
    backgroundServices: [changeLogRetention({ intervalMs: retentionIntervalMs })],
  })
  const dispatch = createDispatcher({
    services: { DynamoDB_20120810: dynamoDbOperations, DynamoDBStreams_20120810: dynamoDbStreamsOperations },
    regions, defaultRegion: config.defaultRegion,
  })
  const http = createHttpServer({ dispatch, log, healthText: 'healthy' })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  const clientConfig = {
    endpoint: url, region: 'us-east-1', maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
  }
  const dynamodb = new DynamoDBClient(clientConfig)
  const streams = new DynamoDBStreamsClient(clientConfig)
  return {
    url, dynamodb, streams,
    region: async () => regions.get(config.defaultRegion),
    async close() {
      dynamodb.destroy()
      streams.destroy()
      await new Promise<void>((resolve) => { http.close(() => resolve()); http.closeIdleConnections() })
      await regions.close()
    },
  }
}

let tableCounter = 0

export function uniqueTableName(prefix: string): string {
  tableCounter += 1
  return `${prefix}-${process.pid}-${tableCounter}`
}

/** How often, at most, readAll reads a stream again to see the records it expects. */
const readAllAttemptsMax = 250
const readAllPauseMs = 20

/**
 * Reads every shard of a stream from its start until an empty page or its end (bounded), again
 * until at least `expectedCount` records showed: on PostgreSQL a record shows only once no older
 * transaction in the database can still commit, which a loaded machine can hold back past the
 * reader's short wait. A test then asserts on what it got, so too few records still fail it.
 */
export async function readAll(client: DynamoDBStreamsClient, streamArn: string, expectedCount = 0): Promise<_Record[]> {
  let records = await readAllOnce(client, streamArn)
  for (let attempt = 1; records.length < expectedCount && attempt < readAllAttemptsMax; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, readAllPauseMs))
    records = await readAllOnce(client, streamArn)
  }
  return records
}

async function readAllOnce(client: DynamoDBStreamsClient, streamArn: string): Promise<_Record[]> {
  const description = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }))
  const records: _Record[] = []
  for (const shard of description.StreamDescription!.Shards!) {
    let iterator = (await client.send(new GetShardIteratorCommand({
      StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON',
    }))).ShardIterator
    for (let calls = 0; iterator && calls < 100; calls++) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator }))
      records.push(...page.Records!)
      if (page.Records!.length === 0) break
      iterator = page.NextShardIterator
    }
  }
  return records
}

