/**
 * Global-table replication on nodes sharing one PostgreSQL database: each region's replication
 * runs on the one node holding its 'global-table-replication' lease (not once per node), and
 * killing (-9) that node moves it to the survivor, which carries on from the stored checkpoint:
 * writes made after the kill reach the other replica, and nothing written before is lost.
 *
 * Also (first, while both nodes run): replication from a table written through both nodes at
 * once. The changes of a few items then come interleaved in the log, and a batch applying them
 * names each item again and again. On PostgreSQL an item write locks its item (and its version)
 * by key, and a lock asked for after the transaction's first write makes the attempt run again
 * with that lock taken first: one more item per attempt. A batch of more items than attempts
 * failed every time, and replication of the table stopped for good; a batch now locks every item
 * it writes up front.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb'
import { cliMissingReason, killHard, startCli, type CliServer } from '../helpers/cli.js'
import { postgresSkipReason, startPostgres, type PostgresCluster } from '../helpers/postgres.js'
import { uniqueTableName } from '../helpers/server.js'
import { contents, createKeyTable, eventually, regionClient } from '../replication/helpers.js'
import { leaseHolderPid } from './lease-holder.js'

const skip = postgresSkipReason() ?? cliMissingReason
const leaseName = 'global-table-replication'
let cluster: PostgresCluster | undefined
let storageUrl = ''
const nodes: CliServer[] = []
const clients: DynamoDBClient[] = []

before(async () => {
  if (skip) return
  cluster = await startPostgres()
  storageUrl = await cluster.createDatabase('replication_lease')
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

/** The pid of the node holding the region's replication lease, while it is held. */
const replicationLeaseHolder = (region: string) => leaseHolderPid(storageUrl, region, leaseName)

/** How many replication pairs from `source` for `table` a node runs (its status route). */
async function pairsRunBy(node: CliServer, source: string, table: string): Promise<number> {
  const status = await (await fetch(`${node.url}/_eddydb/status`)).json() as { replication: Array<{ source: string; table: string }> }
  return status.replication.filter((pair) => pair.source === source && pair.table === table).length
}

test('writes of many items through two nodes at once all reach the replica', { skip, timeout: 180_000 }, async () => {
  const table = uniqueTableName('interleaved')
  const east = nodes.map((node) => client(node, 'us-east-1'))
  await east[0]!.send(new CreateTableCommand({
    TableName: table, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  }))
  await east[0]!.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }))
  // Six writers, each updating its own item 800 times as fast as it can, through one of the two
  // nodes: the replication falls behind, and its batches hold the six items' changes interleaved
  // (a new item after a repeated one: each a lock taken late). A count, not a time: how far
  // replication falls behind does not decide the outcome, only whether it ever catches up.
  const writers = 6
  const writesEach = 800
  await Promise.all(Array.from({ length: writers }, async (_, writer) => {
    for (let version = 1; version <= writesEach; version++) {
      await east[writer % 2]!.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `w${writer}` }, v: { N: String(version) } } }))
    }
  }))
  const source = await contents(east[0]!, table)
  assert.equal(source.size, writers)
  const west = client(nodes[1]!, 'us-west-2')
  // Waits for the replica to catch up; the bound (about 2 minutes of looks) only keeps a broken
  // build from hanging the suite.
  await eventually(async () => {
    const replica = await contents(west, table)
    return [...source].every(([pk, item]) => replica.get(pk) === item)
  }, 'every item replicated at its last version', 1200, 100)
})

test('replication runs on the lease holder only, and moves to the survivor when that node is killed', { skip, timeout: 180_000 }, async () => {
  const table = uniqueTableName('leased-replication')
  const [eastOnA, eastOnB] = [client(nodes[0]!, 'us-east-1'), client(nodes[1]!, 'us-east-1')]
  const westOnB = client(nodes[1]!, 'us-west-2')
  await createKeyTable(eastOnA, table)
  await eastOnA.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }))
  const inWest = async (pk: string, reader = westOnB) =>
    (await reader.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } }, ConsistentRead: true }))).Item !== undefined

  for (let index = 0; index < 5; index++) await eastOnB.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `before-${index}` } } }))
  await eventually(async () => (await Promise.all([0, 4].map((index) => inWest(`before-${index}`)))).every(Boolean), 'writes before the kill replicated')

  // Exactly one node runs the us-east-1 → us-west-2 pair: the one whose process holds the lease.
  // Read until held: a renewal delayed on a loaded machine may leave the row past its expiry for a moment.
  let holder: number | undefined
  await eventually(async () => (holder = await replicationLeaseHolder('us-east-1')) !== undefined, 'the replication lease held')
  const counts = await Promise.all(nodes.map((node) => pairsRunBy(node, 'us-east-1', table)))
  assert.deepEqual(counts, nodes.map((node) => (node.process.pid === holder ? 1 : 0)))

  const victim = nodes.find((node) => node.process.pid === holder)!
  const survivor = nodes.find((node) => node !== victim)!
  await killHard(victim.process)
  const eastOnSurvivor = client(survivor, 'us-east-1')
  const westOnSurvivor = client(survivor, 'us-west-2')
  for (let index = 0; index < 5; index++) await eastOnSurvivor.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `after-${index}` } } }))

  await eventually(async () => (await replicationLeaseHolder('us-east-1')) === survivor.process.pid, 'lease moved to the survivor')
  await eventually(async () => (await Promise.all([0, 1, 2, 3, 4].map((index) => inWest(`after-${index}`, westOnSurvivor)))).every(Boolean),
    'writes after the kill replicated by the survivor')
  for (let index = 0; index < 5; index++) assert.ok(await inWest(`before-${index}`, westOnSurvivor))
  assert.equal(await pairsRunBy(survivor, 'us-east-1', table), 1)
})
