/**
 * A DAX node in front of a server with credentials checks callers on both of its protocols: the
 * official DAX client's authorizeConnection (right and wrong secrets) and the DynamoDB JSON
 * endpoint (the DynamoDB SDK pointed at the node). Keys with access policies are checked per
 * request as AWS DAX checks them: `dax:<Operation>` on the cluster's ARN, transactions item by
 * item with dax:EnclosingOperation; `dynamodb:` statements do not open a cluster, and a cluster
 * serves its own account's keys only. The wire protocol's metadata calls (endpoints,
 * defineKeySchema, defineAttributeList[Id]) are open to a key that may make some data call on
 * the cluster, so a key that may do nothing there is refused already at discovery, as AWS DAX
 * refuses it ("Client does not have permission to invoke Endpoints").
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb'
import { systemClock } from '../../src/api/context.js'
import { startDaxNode } from '../../src/dax/node.js'
import type { RunningDaxNode } from '../../src/dax/node-api.js'
import { createInProcessUpstream } from '../../src/dax/upstream/in-process.js'
import type { CborWriter } from '../../src/dax/wire/cbor.js'
import { createLogger } from '../../src/log.js'
import { daxClusterArn } from '../../src/security/dax-authorize.js'
import type { RunningServer } from '../../src/server.js'
import {
  defineAttributeListIdMethod, defineAttributeListMethod, defineKeySchemaMethod, endpointsMethod, RawClient,
  type RawCredentials, type RawReply,
} from '../dax/raw-wire-client.js'
import { alice, bob, operator, standardKeys, startSecureServer, temporary, policy, allow, deny } from './helpers.js'

const account = '000000000000'
const clusterArn = daxClusterArn('us-east-1', account, 'secure')
const otherClusterArn = daxClusterArn('us-east-1', account, 'other')

/** Keys of the server's own account, each with identity policies. */
const keys = {
  /** May only read single items through this cluster. */
  AKIDDAXREADER: policy(allow('dax:GetItem', clusterArn)),
  /** Everything on DAX but PutItem: the explicit Deny wins over dax:*. */
  AKIDDAXNOPUT: policy(allow('dax:*', 'arn:aws:dax:*:*:cache/*'), deny('dax:PutItem', clusterArn)),
  /** Full DynamoDB access and no dax: statement: AWS DAX refuses it. */
  AKIDDYNAMOONLY: policy(allow('dynamodb:*', '*')),
  /** DAX access to another cluster only. */
  AKIDOTHERCLUSTER: policy(allow('dax:*', otherClusterArn)),
  /** Writes only inside TransactWriteItems. */
  AKIDTXONLY: policy(allow(['dax:PutItem', 'dax:ConditionCheckItem'], clusterArn, { StringEquals: { 'dax:EnclosingOperation': 'TransactWriteItems' } })),
}
const secretOf = (accessKeyId: string) => `${accessKeyId.toLowerCase()}-secret`
const credentialsOf = (accessKeyId: keyof typeof keys) => ({ accessKeyId, secretAccessKey: secretOf(accessKeyId) })

const require = createRequire(import.meta.url)
const { Dax } = require('@amazon-dax-sdk/client-dax') as { Dax: new (config: object) => any }

let server: RunningServer
let node: RunningDaxNode
/** A second cluster on the same tables, which AKIDDAXREADER's policy does not name. */
let otherNode: RunningDaxNode
const shutdowns: (() => void)[] = []

before(async () => {
  server = await startSecureServer({}, {
    ...standardKeys,
    ...Object.fromEntries(Object.entries(keys).map(([accessKeyId, policies]) => [accessKeyId, { secretAccessKey: secretOf(accessKeyId), policies }])),
  })
  const upstream = createInProcessUpstream({ regions: server.regions, region: 'us-east-1' })
  await upstream.execute('CreateTable', {
    TableName: 'cached', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
  })
  await upstream.execute('PutItem', { TableName: 'cached', Item: { id: { S: 'seed' }, n: { N: '1' } } })
  node = await startNode(upstream, 'secure', clusterArn)
  otherNode = await startNode(upstream, 'other', otherClusterArn)
})

async function startNode(upstream: ReturnType<typeof createInProcessUpstream>, clusterName: string, arn: string): Promise<RunningDaxNode> {
  let port = 0
  const started = await startDaxNode({
    clusterName, clusterArn: arn, nodeId: 'node-1', role: 'primary', host: '127.0.0.1', wirePort: 0, httpPort: 0, upstream,
    settings: { recordTtlMillis: 300_000, queryTtlMillis: 300_000, cacheSizeBytes: 1 << 24 },
    clock: systemClock, log: createLogger('silent'), access: server.access,
    endpoints: () => [{ nodeId: 'node-1', hostname: '127.0.0.1', address: '127.0.0.1', port, role: 'primary', availabilityZone: 'local-1a' }],
  })
  port = started.wirePort
  return started
}

after(async () => {
  for (const shutdown of shutdowns) shutdown()
  await node.close()
  await otherNode.close()
  await server.close()
})

function daxClient(credentials: RawCredentials, config: { maxRetries?: number; maxRetryDelay?: number } = {}, target = node): any {
  const client = new Dax({ endpoints: [`dax://127.0.0.1:${target.wirePort}`], region: 'us-east-1', credentials, ...config })
  shutdowns.push(() => client.shutdown())
  return client
}

/**
 * A client for a key refused at discovery (or a failed handshake): it never learns a route, so
 * it fails with NoRouteException; a short retry delay makes it give up soon after discovery failed.
 */
function refusedClient(credentials: RawCredentials, target = node): any {
  return daxClient(credentials, { maxRetries: 0, maxRetryDelay: 200 }, target)
}

function assertNoRoute(error: any): boolean {
  assert.match(`${error.code} ${error.message}`, /NoRoute/)
  return true
}

/** Each metadata call with arguments the clients send: a table, a list of names, a list id. */
const metadataCalls: { call: string; method: number; args: (w: CborWriter) => void }[] = [
  { call: 'Endpoints', method: endpointsMethod, args: () => {} },
  { call: 'DefineKeySchema', method: defineKeySchemaMethod, args: (w) => w.bytes(Buffer.from('cached')) },
  { call: 'DefineAttributeListId', method: defineAttributeListIdMethod, args: (w) => w.arrayHeader(1).text('n') },
  // Id 1 is the empty list, which every node knows.
  { call: 'DefineAttributeList', method: defineAttributeListMethod, args: (w) => w.int(1) },
]

/** The replies to every metadata call, on one connection with the handshake the official client makes. */
async function metadataReplies(credentials: RawCredentials, target = node): Promise<Map<string, RawReply>> {
  const client = new RawClient(target.wirePort)
  try {
    client.preamble()
    client.authorizeAs(credentials)
    const replies = new Map<string, RawReply>()
    for (const { call, method, args } of metadataCalls) {
      client.send((w) => { w.int(1).int(method); args(w) })
      replies.set(call, await client.reply())
    }
    return replies
  } finally {
    client.close()
  }
}

/** A metadata call's denial, item by item: a client error with code AccessDeniedException and AWS DAX's message. */
function assertMetadataDenied(replies: Map<string, RawReply>): void {
  for (const [call, reply] of replies) {
    assert.deepEqual(reply.error?.codes, [4, 37, 38, 39], call)
    assert.equal(reply.error.message, `Client does not have permission to invoke ${call}`)
    assert.deepEqual(reply.error.detail.slice(1), ['AccessDeniedException', 400])
  }
}

function jsonClient(credentials: { accessKeyId: string; secretAccessKey: string }): DynamoDBClient {
  const client = new DynamoDBClient({ endpoint: `http://127.0.0.1:${node.httpPort}`, region: 'us-east-1', credentials, maxAttempts: 1 })
  shutdowns.push(() => client.destroy())
  return client
}

/** The denial DynamoDB's message shape gives, for a key of the server's account. */
function denial(accessKeyId: string, action: string, explicit = false, callerAccount = account): RegExp {
  const reason = explicit ? 'with an explicit deny in an identity-based policy'
    : `because no ${callerAccount === account ? 'identity' : 'resource'}-based policy allows the ${action} action`
  const text = `User: arn:aws:iam::${callerAccount}:user/${accessKeyId} is not authorized to perform: ${action} on resource: ${clusterArn} ${reason}`
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
}

/**
 * The DAX client's error for a denied request: AccessDeniedException with status 400 and
 * DynamoDB's message, from the wire's client-error codes, so it is not retried.
 */
async function deniedOnWire(promise: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: any) => {
    assert.equal(error.code, 'AccessDeniedException', error.message)
    assert.equal(error.statusCode, 400)
    assert.deepEqual(error.codeSeq, [4, 37, 38, 39])
    assert.equal(error.retryable, false)
    assert.match(error.message, message)
    return true
  })
}

const key = { id: { S: 'seed' } }

test('the DAX wire protocol serves the right secret and refuses a wrong one', async () => {
  const right = daxClient(operator)
  await right.putItem({ TableName: 'cached', Item: { id: { S: 'a' } } })
  assert.deepEqual((await right.getItem({ TableName: 'cached', Key: { id: { S: 'a' } } })).Item, { id: { S: 'a' } })
  const wrong = refusedClient({ ...credentialsOf('AKIDDAXREADER'), secretAccessKey: 'wrong' })
  await assert.rejects(wrong.getItem({ TableName: 'cached', Key: key }),
    (error: any) => /AuthenticationRequired|NoRoute/.test(`${error.code} ${error.name} ${error.message}`))
})

test('temporary credentials need their session token on the wire too', async () => {
  const { accessKeyId, secretAccessKey, sessionToken } = temporary
  // temporary belongs to another account than the cluster's: even discovery is denied to it, but
  // only after a valid handshake, which is what tells the cases apart.
  assertMetadataDenied(await metadataReplies({ accessKeyId, secretAccessKey, sessionToken }))
  for (const credentials of [{ accessKeyId, secretAccessKey, sessionToken: 'not-issued' }, { accessKeyId, secretAccessKey }]) {
    for (const reply of (await metadataReplies(credentials)).values()) {
      assert.deepEqual(reply.error?.codes, [4, 23, 31, 33])
      assert.equal(reply.error.detail[1], 'AuthenticationRequiredException')
    }
  }
})

test('a key allowed dax:GetItem on one cluster reads there, is denied PutItem and Query, and cannot discover another cluster', async () => {
  const reader = daxClient(credentialsOf('AKIDDAXREADER'))
  // Discovery and the key schema (metadata calls) come before the read: a data action opens them.
  assert.deepEqual((await reader.getItem({ TableName: 'cached', Key: key })).Item, { id: { S: 'seed' }, n: { N: '1' } })
  // PutItem of an item with a non-key attribute defines its attribute list (metadata) before it is denied.
  await deniedOnWire(reader.putItem({ TableName: 'cached', Item: { id: { S: 'reader' }, n: { N: '7' } } }), denial('AKIDDAXREADER', 'dax:PutItem'))
  await deniedOnWire(reader.query({ TableName: 'cached', KeyConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': { S: 'seed' } } }),
    denial('AKIDDAXREADER', 'dax:Query'))
  // The denied write never reached the table; the connection still serves the allowed read.
  assert.equal((await reader.getItem({ TableName: 'cached', Key: { id: { S: 'reader' } } })).Item, undefined)
  for (const [call, reply] of await metadataReplies(credentialsOf('AKIDDAXREADER'))) assert.ok(reply.payload, call)

  // On a cluster its policy does not name, the same key may not even discover the nodes.
  assertMetadataDenied(await metadataReplies(credentialsOf('AKIDDAXREADER'), otherNode))
  await assert.rejects(refusedClient(credentialsOf('AKIDDAXREADER'), otherNode).getItem({ TableName: 'cached', Key: key }), assertNoRoute)
})

test('an explicit Deny wins over an Allow of dax:*', async () => {
  const client = daxClient(credentialsOf('AKIDDAXNOPUT'))
  await client.updateItem({ TableName: 'cached', Key: key, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '2' } } })
  assert.deepEqual((await client.getItem({ TableName: 'cached', Key: key })).Item, { id: { S: 'seed' }, n: { N: '2' } })
  await deniedOnWire(client.putItem({ TableName: 'cached', Item: { id: { S: 'noput' } } }), denial('AKIDDAXNOPUT', 'dax:PutItem', true))
})

test('a key of another account is refused at discovery, even without policies: DAX has no resource-based policies', async () => {
  assertMetadataDenied(await metadataReplies(bob))
  assertMetadataDenied(await metadataReplies(alice))
  await assert.rejects(refusedClient(alice).putItem({ TableName: 'cached', Item: { id: { S: 'alice' } } }), assertNoRoute)
  assert.equal((await daxClient(operator).getItem({ TableName: 'cached', Key: { id: { S: 'alice' } } })).Item, undefined)
})

test('dynamodb: statements do not open a DAX cluster, nor dax: statements on another cluster', async () => {
  assertMetadataDenied(await metadataReplies(credentialsOf('AKIDDYNAMOONLY')))
  assertMetadataDenied(await metadataReplies(credentialsOf('AKIDOTHERCLUSTER')))
  await assert.rejects(refusedClient(credentialsOf('AKIDDYNAMOONLY')).getItem({ TableName: 'cached', Key: key }), assertNoRoute)
  // The cluster the policy names serves it.
  assert.deepEqual((await daxClient(credentialsOf('AKIDOTHERCLUSTER'), {}, otherNode).getItem({ TableName: 'cached', Key: key })).Item?.id, { S: 'seed' })
})

test('transactions are checked item by item, with dax:EnclosingOperation', async () => {
  const client = daxClient(credentialsOf('AKIDTXONLY'))
  await client.transactWriteItems({
    TransactItems: [
      { Put: { TableName: 'cached', Item: { id: { S: 'tx' } } } },
      { ConditionCheck: { TableName: 'cached', Key: key, ConditionExpression: 'attribute_exists(id)' } },
    ],
  })
  // The same write outside a transaction does not satisfy the condition.
  await deniedOnWire(client.putItem({ TableName: 'cached', Item: { id: { S: 'tx-plain' } } }), denial('AKIDTXONLY', 'dax:PutItem'))
  // One item whose action is not allowed denies the whole transaction.
  await deniedOnWire(client.transactWriteItems({
    TransactItems: [
      { Put: { TableName: 'cached', Item: { id: { S: 'tx-2' } } } },
      { Delete: { TableName: 'cached', Key: { id: { S: 'tx' } } } },
    ],
  }), denial('AKIDTXONLY', 'dax:DeleteItem'))
  const check = daxClient(operator)
  assert.deepEqual((await check.getItem({ TableName: 'cached', Key: { id: { S: 'tx' } } })).Item, { id: { S: 'tx' } })
  assert.equal((await check.getItem({ TableName: 'cached', Key: { id: { S: 'tx-2' } } })).Item, undefined)
})

test('the DAX JSON endpoint verifies signatures and evaluates dax: policies', async () => {
  await jsonClient(operator).send(new ListTablesCommand({}))
  await assert.rejects(jsonClient({ ...operator, secretAccessKey: 'wrong' }).send(new ListTablesCommand({})),
    (error: Error) => error.name === 'InvalidSignatureException')
  const reader = jsonClient(credentialsOf('AKIDDAXREADER'))
  // Read three times: the node then answers this GetItem's text from memory (repeated-get-items.ts),
  // and the denials below, sent as the same text, show that callers are still checked.
  for (let read = 0; read < 3; read++) {
    assert.deepEqual((await reader.send(new GetItemCommand({ TableName: 'cached', Key: key }))).Item?.id, { S: 'seed' })
  }
  await assert.rejects(jsonClient({ ...credentialsOf('AKIDDAXREADER'), secretAccessKey: 'wrong' }).send(new GetItemCommand({ TableName: 'cached', Key: key })),
    (error: Error) => error.name === 'InvalidSignatureException')
  const deniedOnHttp = async (promise: Promise<unknown>, message: RegExp) => {
    await assert.rejects(promise, (error: any) => {
      assert.equal(error.name, 'AccessDeniedException', error.message)
      assert.equal(error.$metadata?.httpStatusCode, 400)
      assert.match(error.message, message)
      return true
    })
  }
  await deniedOnHttp(reader.send(new PutItemCommand({ TableName: 'cached', Item: { id: { S: 'http' } } })), denial('AKIDDAXREADER', 'dax:PutItem'))
  await deniedOnHttp(reader.send(new ListTablesCommand({})), denial('AKIDDAXREADER', 'dax:ListTables'))
  await deniedOnHttp(jsonClient(bob).send(new GetItemCommand({ TableName: 'cached', Key: key })), denial(bob.accessKeyId, 'dax:GetItem', false, bob.accountId))
  await deniedOnHttp(jsonClient(credentialsOf('AKIDDYNAMOONLY')).send(new GetItemCommand({ TableName: 'cached', Key: key })), denial('AKIDDYNAMOONLY', 'dax:GetItem'))
  await deniedOnHttp(jsonClient(credentialsOf('AKIDDAXNOPUT')).send(new PutItemCommand({ TableName: 'cached', Item: { id: { S: 'http' } } })),
    denial('AKIDDAXNOPUT', 'dax:PutItem', true))
  const transactional = jsonClient(credentialsOf('AKIDTXONLY'))
  await transactional.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'cached', Item: { id: { S: 'http-tx' } } } }] }))
  await deniedOnHttp(transactional.send(new PutItemCommand({ TableName: 'cached', Item: { id: { S: 'http-plain' } } })), denial('AKIDTXONLY', 'dax:PutItem'))
})

test('a DAX cluster created through the management API caches its creator\'s account', async () => {
  const { DAXClient, CreateClusterCommand, DeleteClusterCommand } = await import('@aws-sdk/client-dax')
  const { CreateTableCommand } = await import('@aws-sdk/client-dynamodb')
  const dynamodb = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: alice, maxAttempts: 1 })
  const management = new DAXClient({ endpoint: server.url, region: 'us-east-1', credentials: alice, maxAttempts: 1 })
  shutdowns.push(() => { dynamodb.destroy(); management.destroy() })
  // The server's own account has a table 'cached' (made in before()); alice's account has its own.
  await dynamodb.send(new CreateTableCommand({
    TableName: 'cached', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
  }))
  await dynamodb.send(new PutItemCommand({ TableName: 'cached', Item: { id: { S: 'a' }, owner: { S: 'alice' } } }))
  const { Cluster } = await management.send(new CreateClusterCommand({
    ClusterName: 'alices', NodeType: 'dax.t3.small', ReplicationFactor: 1, IamRoleArn: `arn:aws:iam::${alice.accountId}:role/dax`,
  }))
  assert.equal(Cluster!.ClusterArn, daxClusterArn('us-east-1', alice.accountId, 'alices'))
  const discovery = Cluster!.ClusterDiscoveryEndpoint!
  const dax = new Dax({ endpoints: [`${discovery.Address}:${discovery.Port}`], region: 'us-east-1', credentials: alice })
  shutdowns.push(() => dax.shutdown())
  assert.deepEqual((await dax.getItem({ TableName: 'cached', Key: { id: { S: 'a' } } })).Item, { id: { S: 'a' }, owner: { S: 'alice' } })
  await management.send(new DeleteClusterCommand({ ClusterName: 'alices' }))
})
