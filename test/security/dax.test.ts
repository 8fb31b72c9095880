/**
 * A DAX node in front of a server with credentials checks callers on both of its protocols: the
 * official DAX client's authorizeConnection (right and wrong secrets) and the DynamoDB JSON
 * endpoint (the DynamoDB SDK pointed at the node). Keys with access policies are refused on both,
 * since DAX nodes do not evaluate policies.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { systemClock } from '../../src/api/context.js'
import { startDaxNode } from '../../src/dax/node.js'
import type { RunningDaxNode } from '../../src/dax/node-api.js'
import { createInProcessUpstream } from '../../src/dax/upstream/in-process.js'
import { createLogger } from '../../src/log.js'
import type { RunningServer } from '../../src/server.js'
import { alice, standardKeys, startSecureServer } from './helpers.js'

/** A key with access policies: DAX nodes do not evaluate policies, so they refuse it. */
const restricted = { accessKeyId: 'AKIDRESTRICTED', secretAccessKey: 'restricted-secret' }

const require = createRequire(import.meta.url)
const { Dax } = require('@amazon-dax-sdk/client-dax') as { Dax: new (config: object) => any }

let server: RunningServer
let node: RunningDaxNode

before(async () => {
  server = await startSecureServer({}, {
    ...standardKeys,
    [restricted.accessKeyId]: { secretAccessKey: restricted.secretAccessKey, policies: [{ Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }] }] },
  })
  const upstream = createInProcessUpstream({ regions: server.regions, region: 'us-east-1' })
  await upstream.execute('CreateTable', {
    TableName: 'cached', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
  })
  let port = 0
  node = await startDaxNode({
    clusterName: 'secure', nodeId: 'node-1', role: 'primary', host: '127.0.0.1', wirePort: 0, httpPort: 0, upstream,
    settings: { recordTtlMillis: 300_000, queryTtlMillis: 300_000, cacheSizeBytes: 1 << 24 },
    clock: systemClock, log: createLogger('silent'), access: server.access,
    endpoints: () => [{ nodeId: 'node-1', hostname: '127.0.0.1', address: '127.0.0.1', port, role: 'primary', availabilityZone: 'local-1a' }],
  })
  port = node.wirePort
})

after(async () => {
  await node.close()
  await server.close()
})

function daxClient(secretAccessKey: string, accessKeyId = alice.accessKeyId): any {
  return new Dax({ endpoints: [`dax://127.0.0.1:${node.wirePort}`], region: 'us-east-1', credentials: { accessKeyId, secretAccessKey } })
}

test('the DAX wire protocol serves the right secret and refuses a wrong one', async () => {
  const right = daxClient(alice.secretAccessKey)
  try {
    await right.putItem({ TableName: 'cached', Item: { id: { S: 'a' } } })
    assert.deepEqual((await right.getItem({ TableName: 'cached', Key: { id: { S: 'a' } } })).Item, { id: { S: 'a' } })
  } finally {
    right.shutdown()
  }
  for (const refused of [daxClient('wrong'), daxClient(restricted.secretAccessKey, restricted.accessKeyId)]) {
    try {
      await assert.rejects(refused.getItem({ TableName: 'cached', Key: { id: { S: 'a' } } }),
        (error: any) => /AuthenticationRequired|NoRoute/.test(`${error.code} ${error.name} ${error.message}`))
    } finally {
      refused.shutdown()
    }
  }
})

test('the DAX JSON endpoint verifies signatures', async () => {
  const client = (secretAccessKey: string) => new DynamoDBClient({
    endpoint: `http://127.0.0.1:${node.httpPort}`, region: 'us-east-1', credentials: { ...alice, secretAccessKey }, maxAttempts: 1,
  })
  const right = client(alice.secretAccessKey)
  const wrong = client('wrong')
  const withPolicies = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${node.httpPort}`, region: 'us-east-1', credentials: restricted, maxAttempts: 1,
  })
  try {
    await right.send(new ListTablesCommand({}))
    await assert.rejects(wrong.send(new ListTablesCommand({})), (error: Error) => error.name === 'InvalidSignatureException')
    await assert.rejects(withPolicies.send(new ListTablesCommand({})), (error: Error) => error.name === 'AccessDeniedException')
  } finally {
    right.destroy()
    wrong.destroy()
    withPolicies.destroy()
  }
})

test('a DAX cluster created through the management API caches its creator\'s account', async () => {
  const { DAXClient, CreateClusterCommand, DeleteClusterCommand } = await import('@aws-sdk/client-dax')
  const { CreateTableCommand, PutItemCommand } = await import('@aws-sdk/client-dynamodb')
  const dynamodb = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: alice, maxAttempts: 1 })
  const management = new DAXClient({ endpoint: server.url, region: 'us-east-1', credentials: alice, maxAttempts: 1 })
  let dax: any
  try {
    // The server's own account has a table 'cached' (made in before()); alice's account has its own.
    await dynamodb.send(new CreateTableCommand({
      TableName: 'cached', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
    }))
    await dynamodb.send(new PutItemCommand({ TableName: 'cached', Item: { id: { S: 'a' }, owner: { S: 'alice' } } }))
    const { Cluster } = await management.send(new CreateClusterCommand({
      ClusterName: 'alices', NodeType: 'dax.t3.small', ReplicationFactor: 1, IamRoleArn: `arn:aws:iam::${alice.accountId}:role/dax`,
    }))
    const discovery = Cluster!.ClusterDiscoveryEndpoint!
    dax = new Dax({ endpoints: [`${discovery.Address}:${discovery.Port}`], region: 'us-east-1', credentials: alice })
    assert.deepEqual((await dax.getItem({ TableName: 'cached', Key: { id: { S: 'a' } } })).Item, { id: { S: 'a' }, owner: { S: 'alice' } })
    await management.send(new DeleteClusterCommand({ ClusterName: 'alices' }))
  } finally {
    dax?.shutdown()
    dynamodb.destroy()
    management.destroy()
  }
})
