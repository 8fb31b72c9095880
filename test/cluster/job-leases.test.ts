/**
 * Background copy jobs on nodes sharing one PostgreSQL database: a job runs on one node only.
 * Node A starts a restore and holds it in progress; node B, starting meanwhile, finds the
 * restore IN_PROGRESS (its startup scan) and leaves it to A, whose lease it cannot take. Without
 * the lease, B would copy the items too (and A again after it), into one table.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { BatchWriteItemCommand, CreateBackupCommand, DescribeTableCommand, DynamoDBClient, RestoreTableFromBackupCommand } from '@aws-sdk/client-dynamodb'
import { startServer, type RunningServer } from '../../src/server.js'
import { jobsOf } from '../../src/backups/jobs.js'
import { resumeRestores } from '../../src/backups/restore-table.js'
import { testCredentials, uniqueTableName } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { postgresSkipReason, startPostgres, type PostgresCluster } from '../helpers/postgres.js'
import { scanAll, waitUntilRestored } from '../backups/helpers.js'

const skip = postgresSkipReason()
let cluster: PostgresCluster | undefined
let storageUrl = ''
const servers: RunningServer[] = []
const clients: DynamoDBClient[] = []

async function startNode(): Promise<{ server: RunningServer; client: DynamoDBClient }> {
  const server = await startServer({ port: 0, logLevel: 'silent', storageUrl })
  const client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 })
  servers.push(server)
  clients.push(client)
  return { server, client }
}

before(async () => {
  if (skip) return
  cluster = await startPostgres()
  storageUrl = await cluster.createDatabase('job_leases')
})
after(async () => {
  for (const client of clients) client.destroy()
  for (const server of servers) await server.close()
  await cluster?.stop()
})

test('a restore in progress on node A is left to A by node B, and ends with every item once', { skip }, async () => {
  const nodeA = await startNode()
  const source = await createKeyTable(nodeA.client, 'job-lease-source')
  const keys = Array.from({ length: 60 }, (_, index) => `k${index}`)
  for (let start = 0; start < keys.length; start += 25) {
    await nodeA.client.send(new BatchWriteItemCommand({ RequestItems: {
      [source]: keys.slice(start, start + 25).map((key) => ({ PutRequest: { Item: { pk: { S: key }, n: { N: String(start) } } } })),
    } }))
  }
  const { BackupDetails } = await nodeA.client.send(new CreateBackupCommand({ TableName: source, BackupName: 'lease' }))
  const regionA = await nodeA.server.regions.get('us-east-1')
  const release = jobsOf(regionA).hold()
  const target = uniqueTableName('job-lease-target')
  try {
    await nodeA.client.send(new RestoreTableFromBackupCommand({ TargetTableName: target, BackupArn: BackupDetails!.BackupArn }))

    const nodeB = await startNode()
    const regionB = await nodeB.server.regions.get('us-east-1')
    // What B's startup does, awaited here: take up the restores it finds IN_PROGRESS.
    await resumeRestores(regionB)
    await jobsOf(regionB).whenIdle()
    const { Table } = await nodeB.client.send(new DescribeTableCommand({ TableName: target }))
    assert.equal(Table!.TableStatus, 'CREATING', 'node B did not run the restore that node A holds')
  } finally {
    release()
  }
  const restored = await waitUntilRestored(nodeA.client, target)
  assert.equal(restored.ItemCount, keys.length)
  const items = [...(await scanAll(nodeA.client, target)).values()]
  assert.deepEqual(items.map((item) => item.pk!.S).sort(), [...keys].sort())
})

// A node paused longer than its job's lease (another node has taken the job over) must write
// nothing more when it resumes, even before its renewals notice: each page's transaction checks
// the lease first, and the job then ends quietly here. Restores wrote one more page, and both
// nodes failed on the duplicate rows.
test('a job whose lease another node took writes nothing more: its next page fails the fence', { skip }, async () => {
  const node = await startNode()
  const region = await node.server.regions.get('us-east-1')
  let pageWritten = false
  await jobsOf(region).run(region, 'fence-test', async () => {
    const fence = jobsOf(region).fence()
    // What another node does once the lease has expired: take it, under its own holder and token
    // (held for good here: the fence compares holder and token, and nothing may hinge on time).
    await region.storage.transact((tx) => tx.putState('leases', 'job/fence-test',
      JSON.stringify({ holder: 'another-node', token: 999_999, expiresAtMs: Number.MAX_SAFE_INTEGER })))
    await region.storage.transact(async (tx) => {
      await fence(tx)
      pageWritten = true
    })
  })
  assert.equal(pageWritten, false)
  assert.equal(jobsOf(region).isRunning('fence-test'), false)
})
