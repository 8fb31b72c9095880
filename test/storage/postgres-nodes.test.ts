/**
 * Several nodes on one PostgreSQL database: three in-process servers share a storage URL, as
 * nodes behind a load balancer would. What one node changes in the catalog (CreateTable,
 * UpdateTable, DeleteTable) reaches the others through the catalog version poll
 * (tables/catalog-refresh.ts), and items written through one node are read through another.
 * Waits are bounded by attempts, not by time.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  DeleteTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb'
import type { RunningServer } from '../../src/server.js'
import { catalogRefreshIntervalMs } from '../../src/tables/catalog-refresh.js'
import { testCredentials } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { postgresSkipReason, startPostgresNodes, stopPostgresNodes, type PostgresNodes } from '../helpers/postgres.js'

const skip = postgresSkipReason()
const nodeCount = 3
let nodes: PostgresNodes | undefined
const servers: RunningServer[] = []
const clients: DynamoDBClient[] = []

before(async () => {
  if (skip) return
  nodes = await startPostgresNodes('nodes', nodeCount)
  for (const server of nodes.servers) {
    servers.push(server)
    clients.push(new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 }))
  }
})
after(async () => {
  for (const client of clients) client.destroy()
  await stopPostgresNodes(nodes)
})

/** Repeats `attempt` until it stops throwing, one refresh interval apart, at most attemptsMax times. */
async function eventually<T>(attempt: () => Promise<T>, attemptsMax = 40): Promise<T> {
  for (let count = 1; ; count++) {
    try {
      return await attempt()
    } catch (error) {
      if (count >= attemptsMax) throw error
      await sleep(catalogRefreshIntervalMs)
    }
  }
}

const [nodeA, nodeB, nodeC] = [0, 1, 2].map((index) => () => clients[index]!)

test('a table created on one node is usable on the others, and gone from them once deleted', { skip }, async () => {
  const shared = await createKeyTable(nodeA(), 'shared')
  // Node C learns of the table and writes to it; node B reads what C wrote.
  await eventually(() => nodeC().send(new PutItemCommand({ TableName: shared, Item: { pk: { S: 'from-c' }, v: { N: '1' } } })))
  const { Item } = await eventually(() => nodeB().send(new GetItemCommand({ TableName: shared, Key: { pk: { S: 'from-c' } }, ConsistentRead: true })))
  assert.deepEqual(Item, { pk: { S: 'from-c' }, v: { N: '1' } })

  // An UpdateTable on B (a GSI) shows in C's DescribeTable.
  await nodeB().send(new UpdateTableCommand({
    TableName: shared,
    AttributeDefinitions: [{ AttributeName: 'v', AttributeType: 'N' }],
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byV', KeySchema: [{ AttributeName: 'v', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
  }))
  await eventually(async () => {
    const { Table } = await nodeC().send(new DescribeTableCommand({ TableName: shared }))
    assert.deepEqual(Table!.GlobalSecondaryIndexes?.map((index) => index.IndexName), ['byV'])
  })

  // DeleteTable waits for the index to be built, as DynamoDB's does: A must see it ACTIVE first.
  await eventually(async () => {
    const { Table } = await nodeA().send(new DescribeTableCommand({ TableName: shared }))
    assert.equal(Table!.GlobalSecondaryIndexes?.[0]?.IndexStatus, 'ACTIVE')
  })
  await nodeA().send(new DeleteTableCommand({ TableName: shared }))
  await eventually(async () => {
    const error = await nodeC().send(new DescribeTableCommand({ TableName: shared })).catch((caught: Error) => caught)
    assert.equal((error as Error).name, 'ResourceNotFoundException')
  })
})

test('conditional writes from several nodes to one item lose no update', { skip }, async () => {
  const counters = await createKeyTable(nodeA(), 'counters')
  const key = { pk: { S: 'counter' } }
  await nodeA().send(new PutItemCommand({ TableName: counters, Item: { ...key, count: { N: '0' } } }))
  const incrementsPerNode = 10
  // Each node increments with optimistic locking: read, then write conditioned on what was read.
  const increment = async (client: DynamoDBClient) => {
    for (let done = 0; done < incrementsPerNode;) {
      const { Item } = await eventually(() => client.send(new GetItemCommand({ TableName: counters, Key: key, ConsistentRead: true })))
      const count = Number(Item!.count!.N)
      try {
        await client.send(new PutItemCommand({
          TableName: counters, Item: { ...key, count: { N: String(count + 1) } },
          ConditionExpression: '#count = :seen', ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':seen': { N: String(count) } },
        }))
        done++
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error
      }
    }
  }
  await Promise.all(clients.map(increment))
  const { Item } = await nodeB().send(new GetItemCommand({ TableName: counters, Key: key, ConsistentRead: true }))
  assert.equal(Item!.count!.N, String(nodeCount * incrementsPerNode))
})
