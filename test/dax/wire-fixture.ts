/**
 * A DAX wire server in front of an in-process EddyDB (through the stand-in executor), with the
 * tables the wire tests use. Tests share one fixture per file: starting it takes a few ms.
 */
import { startDaxWireServer } from '../../src/dax/wire/server.js'
import type { DaxEndpoint, RunningDaxWireServer } from '../../src/dax/node-api.js'
import { createLogger } from '../../src/log.js'
import { startStandIn, type StandIn } from './executor-stand-in.js'

export interface WireFixture {
  standIn: StandIn
  wire: RunningDaxWireServer
  /** The seed a client is given: an IP literal, since the clients resolve names through DNS only. */
  seed: string
  close(): Promise<void>
}

/**
 * items: pk (S) + sk (N), GSI byColor (color, sk). simple: id (S). counters: id (N).
 * games: id (S), GSI byPlace with multi-attribute keys (HASH city, venue; RANGE day N, slot).
 */
export async function startWireFixture(): Promise<WireFixture> {
  const standIn = await startStandIn()
  await createTables(standIn)
  let port = 0
  const endpoints = (): DaxEndpoint[] => [
    { nodeId: 'node-1', hostname: '127.0.0.1', address: '127.0.0.1', port, role: 'primary', availabilityZone: 'local-1a' },
  ]
  const wire = await startDaxWireServer({ host: '127.0.0.1', port: 0, executor: standIn.executor, endpoints, log: createLogger('silent') })
  port = wire.port
  return {
    standIn,
    wire,
    seed: `dax://127.0.0.1:${wire.port}`,
    async close() {
      await wire.close()
      await standIn.server.close()
    },
  }
}

async function createTables(standIn: StandIn): Promise<void> {
  const { executor } = standIn
  await executor.execute('CreateTable', {
    TableName: 'items',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' },
      { AttributeName: 'color', AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: [{
      IndexName: 'byColor',
      KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'ALL' },
    }],
    BillingMode: 'PAY_PER_REQUEST',
  })
  await executor.execute('CreateTable', {
    TableName: 'simple',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  })
  await executor.execute('CreateTable', {
    TableName: 'games',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: ['id', 'city', 'venue', 'slot'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' }))
      .concat([{ AttributeName: 'day', AttributeType: 'N' }]),
    GlobalSecondaryIndexes: [{
      IndexName: 'byPlace',
      KeySchema: [
        { AttributeName: 'city', KeyType: 'HASH' }, { AttributeName: 'venue', KeyType: 'HASH' },
        { AttributeName: 'day', KeyType: 'RANGE' }, { AttributeName: 'slot', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    }],
    BillingMode: 'PAY_PER_REQUEST',
  })
  await executor.execute('CreateTable', {
    TableName: 'counters',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
    BillingMode: 'PAY_PER_REQUEST',
  })
}
