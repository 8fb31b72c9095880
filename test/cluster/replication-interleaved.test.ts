/**
 * Global-table replication from a table written through several nodes at once. The changes of a
 * few items then come interleaved in the log, and a batch that applies them names each item
 * again and again. On PostgreSQL an item write locks its item (and its version) by key, and a
 * lock asked for after the transaction's first write makes the attempt run again with that lock
 * taken first: one more item per attempt. A batch of more items than attempts failed every time,
 * and replication of the table stopped for good. The batch now locks every item it writes up front.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { CreateTableCommand, type DynamoDBClient, PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb'
import { cliMissingReason, killHard, startCli, type CliServer } from '../helpers/cli.js'
import { postgresSkipReason, startPostgres, type PostgresCluster } from '../helpers/postgres.js'
import { uniqueTableName } from '../helpers/server.js'
import { contents, eventually, regionClient } from '../replication/helpers.js'

const skip = postgresSkipReason() ?? cliMissingReason
let cluster: PostgresCluster | undefined
const nodes: CliServer[] = []
const clients: DynamoDBClient[] = []

before(async () => {
  if (skip) return
  cluster = await startPostgres()
  const storageUrl = await cluster.createDatabase('replication_interleaved')
  for (let index = 0; index < 2; index++) nodes.push(await startCli(['--port', '0', '--storage-url', storageUrl]))
})

after(async () => {
  for (const client of clients) client.destroy()
  await Promise.all(nodes.map((node) => killHard(node.process)))
  await cluster?.stop()
})

function client(node: CliServer, region: string): DynamoDBClient {
  const made = regionClient(node.url, region)
  clients.push(made)
  return made
}

test('writes of many items through two nodes at once all reach the replica', { skip, timeout: 180_000 }, async () => {
  const table = uniqueTableName('interleaved')
  const east = nodes.map((node) => client(node, 'us-east-1'))
  await east[0]!.send(new CreateTableCommand({
    TableName: table, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  }))
  await east[0]!.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }))
  // Six writers, each updating its own item as fast as it can through one of the two nodes, for
  // a few seconds: the replication falls behind, and its batches hold the six items' changes
  // interleaved (a new item after a repeated one: each a lock taken late).
  const writers = 6
  const until = Date.now() + 8000
  await Promise.all(Array.from({ length: writers }, async (_, writer) => {
    for (let version = 1; Date.now() < until; version++) {
      await east[writer % 2]!.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `w${writer}` }, v: { N: String(version) } } }))
    }
  }))
  const source = await contents(east[0]!, table)
  assert.equal(source.size, writers)
  const west = client(nodes[1]!, 'us-west-2')
  // Bounded: about 40 s at most, far more than replication needs.
  await eventually(async () => {
    const replica = await contents(west, table)
    return [...source].every(([pk, item]) => replica.get(pk) === item)
  }, 'every item replicated at its last version', 400, 100)
})
