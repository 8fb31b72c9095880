/**
 * The PostgreSQL server goes away under a running node and comes back. While it is gone every
 * request fails with DynamoDB's InternalServerError (HTTP 500) and the node's background work
 * (leases, the catalog refresh, trigger mappings) fails and is retried, without taking the node
 * down: a trigger-mapping round once left its failure unhandled, and Node ended the process.
 * Once the database is back the same node serves again, with what was written before the outage.
 * The node is a real `eddydb serve` process, so that a crash shows as its exit.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { testCredentials } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { cliMissingReason, killHard, startCli } from '../helpers/cli.js'
import { postgresSkipReason, startPostgres, type PostgresCluster } from '../helpers/postgres.js'
import { eventually } from '../triggers/harness.js'

const skip = cliMissingReason ?? postgresSkipReason()
/** Requests sent while the database is gone; each must fail the same way. */
const requestsDuringOutage = 5
let cluster: PostgresCluster | undefined

before(async () => {
  if (!skip) cluster = await startPostgres()
})
after(async () => {
  await cluster?.stop()
})

test('postgres: a node outlives an outage of the database, failing requests with InternalServerError meanwhile', { skip, timeout: 120_000 }, async () => {
  const storageUrl = await cluster!.createDatabase('outage')
  const node = await startCli(['--port', '0', '--storage-url', storageUrl])
  let exitCode: number | null | undefined
  node.process.once('exit', (code) => { exitCode = code })
  const client = new DynamoDBClient({ endpoint: node.url, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 })
  const put = (id: string) => client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: id } } }))
  const table = await createKeyTable(client, 'outage')
  try {
    await put('before')

    await cluster!.halt()
    for (let index = 0; index < requestsDuringOutage; index++) {
      await assert.rejects(put(`during-${index}`), (error: { name: string; $metadata?: { httpStatusCode?: number } }) =>
        error.name === 'InternalServerError' && error.$metadata?.httpStatusCode === 500)
    }
    // The background loops have each met the outage at least once (their failures are logged).
    await eventually(() => node.stderr().includes('trigger mappings could not be loaded'), 'failed trigger-mapping round')
    await eventually(() => node.stderr().includes('lease step failed'), 'failed lease step')
    assert.equal(exitCode, undefined, `the node exited during the outage: ${node.stderr().slice(-2000)}`)

    await cluster!.resume()
    await eventually(() => put('after').then(() => true, () => false), 'a write accepted once the database is back')
    for (const id of ['before', 'after']) {
      const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: id } }, ConsistentRead: true }))
      assert.equal(Item?.pk?.S, id)
    }
    for (let index = 0; index < requestsDuringOutage; index++) {
      const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: `during-${index}` } }, ConsistentRead: true }))
      assert.equal(Item, undefined, 'a write that failed during the outage landed')
    }
    assert.equal(exitCode, undefined)
  } finally {
    client.destroy()
    await killHard(node.process)
  }
})
