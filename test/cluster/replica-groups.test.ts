/**
 * Two nodes on one PostgreSQL database change one global table's replica group at the same
 * moment, each through a different member region, as clients behind a load balancer would: the
 * changes are made one after the other, so every member ends up listing every replica that was
 * added (one of two replicas added at once used to be left out of the others' lists for good,
 * taking writes but receiving none).
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb'
import type { RunningServer } from '../../src/server.js'
import { testCredentials } from '../helpers/server.js'
import { postgresSkipReason, startPostgresNodes, stopPostgresNodes, type PostgresNodes } from '../helpers/postgres.js'
import { eventually } from '../replication/helpers.js'

const skip = postgresSkipReason()
let nodes: PostgresNodes | undefined
const servers: RunningServer[] = []
const clients: DynamoDBClient[] = []

before(async () => {
  if (skip) return
  nodes = await startPostgresNodes('replica_groups', 2)
  servers.push(...nodes.servers)
})
after(async () => {
  for (const client of clients) client.destroy()
  await stopPostgresNodes(nodes)
})

/** A client of `region` through node `node`. */
function client(node: number, region: string): DynamoDBClient {
  const made = new DynamoDBClient({ endpoint: servers[node]!.url, region, credentials: testCredentials, maxAttempts: 1 })
  clients.push(made)
  return made
}

async function membersSeenFrom(node: number, region: string, table: string): Promise<string[]> {
  const { Table } = await client(node, region).send(new DescribeTableCommand({ TableName: table }))
  return [region, ...(Table?.Replicas ?? []).map((replica) => replica.RegionName!)].sort()
}

test('two replicas added at once through two nodes both join the group', { skip }, async () => {
  const table = 'concurrent-group'
  const east = client(0, 'us-east-1')
  await east.send(new CreateTableCommand({
    TableName: table, BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  }))
  for (let index = 0; index < 50; index++) await east.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `item${index}` } } }))
  await east.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }))
  await eventually(async () => (await membersSeenFrom(1, 'eu-west-1', table)).length === 2 &&
    (await east.send(new DescribeTableCommand({ TableName: table }))).Table?.Replicas?.[0]?.ReplicaStatus === 'ACTIVE', 'the first replica ACTIVE', 1200)

  const added = await Promise.allSettled([
    client(0, 'us-east-1').send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'ap-southeast-1' } }] })),
    client(1, 'eu-west-1').send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'sa-east-1' } }] })),
  ])
  const expected = ['eu-west-1', 'us-east-1']
  added.forEach((result, index) => {
    // DynamoDB may refuse a change while another is under way; what it must not do is accept both and keep one.
    if (result.status === 'fulfilled') expected.push(index === 0 ? 'ap-southeast-1' : 'sa-east-1')
    else assert.match((result.reason as Error).name, /ResourceInUseException|ValidationException|LimitExceededException/, String(result.reason))
  })
  expected.sort()
  assert.ok(expected.length > 2, 'at least one of the two additions succeeds')
  for (const region of expected) {
    for (const node of [0, 1]) {
      await eventually(async () => JSON.stringify(await membersSeenFrom(node, region, table)) === JSON.stringify(expected),
        `${region} through node ${node} lists ${expected.join(', ')}`, 1200)
    }
  }
})
