/**
 * Two servers on one PostgreSQL database, reached through the AWS SDK as clients behind a load
 * balancer reach them: what one node changes, the other acts on at once. A table deleted through
 * A takes writes through B no more, and nothing lands in it; an index created through A gets the
 * items written through B right after; and what the node running a trigger mapping saw (its last
 * result, its last error, its counters) is what GetEventSourceMapping and the status route show
 * through either node. (test/cluster/definition-fence.test.ts makes node B's catalog late for
 * certain; here the nodes are real servers, with their notifications.)
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  DeleteTableCommand, DynamoDBClient, PutItemCommand, QueryCommand, UpdateTableCommand,
} from '@aws-sdk/client-dynamodb'
import { CreateEventSourceMappingCommand, GetEventSourceMappingCommand, LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda'
import { startServer, type RunningServer } from '../../src/server.js'
import { statusPath } from '../../src/status-route.js'
import { testCredentials } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { postgresSkipReason, startPostgres, storedItemCount, type PostgresCluster } from '../helpers/postgres.js'
import { Collector, createStreamTable, eventually } from '../triggers/harness.js'

const skip = postgresSkipReason()
let cluster: PostgresCluster | undefined
let storageUrl = ''
const collector = new Collector()
const servers: RunningServer[] = []
const nodes: Array<{ url: string; dynamo: DynamoDBClient; lambda: LambdaClient }> = []

before(async () => {
  if (skip) return
  cluster = await startPostgres()
  storageUrl = await cluster.createDatabase('two_nodes')
  await collector.start()
  for (let index = 0; index < 2; index++) {
    const server = await startServer({ port: 0, logLevel: 'silent', storageUrl, functions: { record: { url: `${collector.url}/record` } } })
    servers.push(server)
    const options = { endpoint: server.url, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 }
    nodes.push({ url: server.url, dynamo: new DynamoDBClient(options), lambda: new LambdaClient(options) })
  }
})
after(async () => {
  for (const node of nodes) {
    node.dynamo.destroy()
    node.lambda.destroy()
  }
  for (const server of servers) await server.close()
  await collector.close()
  await cluster?.stop()
})

const [nodeA, nodeB] = [0, 1].map((index) => () => nodes[index]!)


/** Resolves once a write through `node` to the table succeeds (the node knows the table). */
async function knownOn(node: () => { dynamo: DynamoDBClient }, table: string): Promise<void> {
  await eventually(() => node().dynamo.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'known' } } })).then(() => true, () => false), `${table} known`)
}

test('a write through B right after a DeleteTable through A is ResourceNotFoundException, and nothing is stored', { skip }, async () => {
  const table = await createKeyTable(nodeA().dynamo, 'deleted-on-a')
  await knownOn(nodeB, table)
  const { TableDescription } = await nodeA().dynamo.send(new DeleteTableCommand({ TableName: table }))
  await assert.rejects(nodeB().dynamo.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'after-delete' } } })),
    { name: 'ResourceNotFoundException' })
  assert.equal(await storedItemCount(storageUrl, TableDescription!.TableId!), 0)
})

test('an item written through B right after a GSI is created through A is in the index', { skip }, async () => {
  const table = await createKeyTable(nodeA().dynamo, 'indexed-on-a')
  await knownOn(nodeB, table)
  await nodeA().dynamo.send(new UpdateTableCommand({
    TableName: table,
    AttributeDefinitions: [{ AttributeName: 'color', AttributeType: 'S' }],
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byColor', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
  }))
  await nodeB().dynamo.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'after-create' }, color: { S: 'red' } } }))
  // The index answers queries once its backfill is done (CREATING until then).
  let found: string[] = []
  await eventually(async () => {
    const answer = await nodeA().dynamo.send(new QueryCommand({
      TableName: table, IndexName: 'byColor', KeyConditionExpression: 'color = :red', ExpressionAttributeValues: { ':red': { S: 'red' } },
    })).catch(() => undefined)
    found = answer?.Items?.map((item) => item.pk!.S!) ?? []
    return answer !== undefined
  }, 'the index active')
  assert.deepEqual(found, ['after-create'])
})

interface StatusMapping { uuid: string; lastProcessingResult: string; deliveredBatches: number; failures: number; lastFailure?: { errorMessage: string } }

async function mappingStatus(url: string, uuid: string): Promise<StatusMapping | undefined> {
  const status = await (await fetch(`${url}${statusPath}`)).json() as { regions: Array<{ mappings: StatusMapping[] }> }
  return status.regions.flatMap((region) => region.mappings).find((mapping) => mapping.uuid === uuid)
}

test('a trigger mapping\'s last result, last error and counters are the same through either node', { skip }, async () => {
  collector.respond = () => ({ status: 500, body: { message: 'record store down' } })
  const streamArn = await createStreamTable(nodeA().dynamo, 'triggered')
  const { UUID } = await nodeA().lambda.send(new CreateEventSourceMappingCommand({
    FunctionName: 'record', EventSourceArn: streamArn, StartingPosition: 'TRIM_HORIZON', BatchSize: 1,
  }))
  await knownOn(nodeB, 'triggered')
  // One node holds the trigger lease and runs the mapping; either way, one of the two does not.
  await eventually(async () => {
    const results = await Promise.all(nodes.map(async (node) => (await node.lambda.send(new GetEventSourceMappingCommand({ UUID }))).LastProcessingResult))
    return results.every((result) => result?.startsWith('PROBLEM: Function call failed: WebhookError: '))
  }, 'the failure shown through both nodes')
  for (const node of nodes) {
    const shown = await mappingStatus(node.url, UUID!)
    assert.ok(shown!.failures >= 1)
    assert.match(shown!.lastFailure!.errorMessage, /answered HTTP 500: .*record store down/)
  }

  // The function recovers; the next batch without a failure makes the result OK on both nodes.
  collector.respond = () => ({ status: 200, body: null })
  await nodeB().dynamo.send(new PutItemCommand({ TableName: 'triggered', Item: { pk: { S: 'after-recovery' } } }))
  await eventually(async () => {
    const listed = await Promise.all(nodes.map(async (node) => (await node.lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: streamArn }))).EventSourceMappings![0]!.LastProcessingResult))
    return listed.every((result) => result === 'OK')
  }, 'OK shown through both nodes')
  await eventually(async () => {
    const shown = await Promise.all(nodes.map((node) => mappingStatus(node.url, UUID!)))
    return shown.every((mapping) => mapping!.deliveredBatches >= 1 && mapping!.lastProcessingResult === 'OK')
  }, 'the delivered batch counted on both nodes')
})
