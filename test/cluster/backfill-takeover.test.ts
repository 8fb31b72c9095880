/**
 * A GSI backfill on nodes sharing one PostgreSQL database runs as a leased job: when the node
 * filling a new index dies (kill -9, a real process), another node takes the backfill up once
 * the lease has expired, and the index becomes ACTIVE with every item. Before, it stayed
 * CREATING (and unreadable) until some node started again.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  BatchWriteItemCommand, DescribeTableCommand, DynamoDBClient, ScanCommand, UpdateTableCommand, type TableDescription,
} from '@aws-sdk/client-dynamodb'
import { startServer, type RunningServer } from '../../src/server.js'
import { testCredentials } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { postgresSkipReason, startPostgres, type PostgresCluster } from '../helpers/postgres.js'
import { cliMissingReason, killHard, startCli, type CliServer } from '../helpers/cli.js'

const skip = postgresSkipReason() ?? cliMissingReason
const itemCount = 6000
let cluster: PostgresCluster | undefined
let storageUrl = ''
let survivor: RunningServer | undefined
let doomed: CliServer | undefined
const clients: DynamoDBClient[] = []

function clientOf(url: string): DynamoDBClient {
  const client = new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 })
  clients.push(client)
  return client
}

before(async () => {
  if (skip) return
  cluster = await startPostgres()
  storageUrl = await cluster.createDatabase('backfill_takeover')
})
after(async () => {
  for (const client of clients) client.destroy()
  if (doomed) await killHard(doomed.process)
  await survivor?.close()
  await cluster?.stop()
})

test('the backfill of a node killed mid-way is finished by another node', { skip }, async () => {
  doomed = await startCli(['--port', '0', '--storage-url', storageUrl])
  survivor = await startServer({ port: 0, logLevel: 'silent', storageUrl })
  const viaDoomed = clientOf(doomed.url)
  const viaSurvivor = clientOf(survivor.url)
  const TableName = await createKeyTable(viaSurvivor, 'takeover')
  for (let start = 0; start < itemCount; start += 25) {
    const writes = Array.from({ length: 25 }, (_, offset) => ({ PutRequest: { Item: { pk: { S: `k${start + offset}` }, color: { S: 'red' } } } }))
    await viaSurvivor.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: writes } }))
  }
  await viaDoomed.send(new UpdateTableCommand({
    TableName, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'color', AttributeType: 'S' }],
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byColor', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
  }))
  await killHard(doomed.process)
  const indexOf = async (): Promise<NonNullable<TableDescription['GlobalSecondaryIndexes']>[number]> =>
    (await viaSurvivor.send(new DescribeTableCommand({ TableName }))).Table!.GlobalSecondaryIndexes![0]!
  assert.equal((await indexOf()).Backfilling, true, 'the killed node finished the backfill before it died')

  // Waits for ACTIVE (a lease lasts 4 s, the survivor looks every 5 s, then fills the index). The
  // bound on looks, 5 minutes at the least, only keeps a broken build from hanging the suite.
  let index = await indexOf()
  for (let look = 0; look < 3000 && index.IndexStatus !== 'ACTIVE'; look++) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    index = await indexOf()
  }
  assert.equal(index.IndexStatus, 'ACTIVE')
  let counted = 0
  let start: Record<string, any> | undefined
  do {
    const page = await viaSurvivor.send(new ScanCommand({ TableName, IndexName: 'byColor', Select: 'COUNT', ExclusiveStartKey: start }))
    counted += page.Count!
    start = page.LastEvaluatedKey
  } while (start)
  assert.equal(counted, itemCount)
})
