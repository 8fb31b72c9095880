/**
 * The Kinesis Client Library keeps its shard leases in a DynamoDB table, which users point at
 * EddyDB's own DynamoDB endpoint. This test sends the DynamoDB requests KCL's lease code sends
 * (software.amazon.kinesis.leases.dynamodb: DynamoDBLeaseRefresher and DynamoDBLeaseSerializer,
 * KCL 2.x and 3.x), in the same request shapes (legacy Expected/AttributeUpdates, which KCL still
 * uses), and checks what KCL relies on in each answer: the conditional writes that make a lease
 * owned by one worker at a time, the paged Scan that lists leases, and KCL 3's
 * LeaseOwnerToLeaseKeyIndex, added to the existing table by UpdateTable and queried by owner.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  ConditionalCheckFailedException, CreateTableCommand, DeleteItemCommand, DescribeTableCommand, GetItemCommand,
  PutItemCommand, QueryCommand, ResourceInUseException, ScanCommand, UpdateItemCommand, UpdateTableCommand,
  type AttributeValue, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { startTestServer, uniqueTableName, type TestServer } from '../helpers/server.js'
import { waitForActive } from '../helpers/tables.js'

let server: TestServer
let client: DynamoDBClient
const table = uniqueTableName('kcl-leases')
const shardCount = 7

before(async () => {
  server = await startTestServer()
  client = server.client
})

after(() => server.close())

const counter = (value: number): AttributeValue => ({ N: String(value) })

/** The item DynamoDBLeaseSerializer.toDynamoRecord writes for a new lease of a shard. */
function newLease(shardId: string, parents: string[] = []): Record<string, AttributeValue> {
  return {
    leaseKey: { S: shardId },
    leaseCounter: counter(0),
    ownerSwitchesSinceCheckpoint: counter(0),
    checkpoint: { S: 'TRIM_HORIZON' },
    checkpointSubSequenceNumber: counter(0),
    ...(parents.length > 0 ? { parentShardId: { SS: parents } } : {}),
  }
}

const shardId = (index: number): string => `shardId-${String(index).padStart(12, '0')}`

async function lease(key: string): Promise<Record<string, AttributeValue> | undefined> {
  // KCL reads leases with the consistentReads setting; it is on here, as KCL's tests run it.
  return (await client.send(new GetItemCommand({ TableName: table, Key: { leaseKey: { S: key } }, ConsistentRead: true }))).Item
}

/** createLeaseTableIfNotExists: leaseKey (S) as HASH key, PAY_PER_REQUEST (KCL's default billing mode). */
test('the lease table is created as KCL creates it, and a second create is ResourceInUseException', async () => {
  const request = {
    TableName: table,
    KeySchema: [{ AttributeName: 'leaseKey', KeyType: 'HASH' as const }],
    AttributeDefinitions: [{ AttributeName: 'leaseKey', AttributeType: 'S' as const }],
    BillingMode: 'PAY_PER_REQUEST' as const,
  }
  await client.send(new CreateTableCommand(request))
  // leaseTableExists: DescribeTable until ACTIVE (or UPDATING).
  const description = await waitForActive(client, table)
  assert.equal(description.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST')
  // Another worker creating the table at the same time gets ResourceInUseException, which KCL treats as "exists".
  await assert.rejects(client.send(new CreateTableCommand(request)), ResourceInUseException)
})

/** createLeaseIfNotExists: PutItem with Expected {leaseKey: {Exists: false}}; a second worker's put fails the condition. */
test('leases are created once: conditional PutItem on a missing leaseKey', async () => {
  for (let index = 0; index < shardCount; index += 1) {
    const parents = index >= 5 ? [shardId(index - 5)] : []
    await client.send(new PutItemCommand({ TableName: table, Item: newLease(shardId(index), parents), Expected: { leaseKey: { Exists: false } } }))
  }
  await assert.rejects(
    client.send(new PutItemCommand({ TableName: table, Item: newLease(shardId(0)), Expected: { leaseKey: { Exists: false } } })),
    ConditionalCheckFailedException,
  )
  // The expression form other lease libraries (and KCL's newer code paths) send behaves the same.
  await assert.rejects(
    client.send(new PutItemCommand({ TableName: table, Item: newLease(shardId(1)), ConditionExpression: 'attribute_not_exists(leaseKey)' })),
    ConditionalCheckFailedException,
  )
  const stored = await lease(shardId(5))
  assert.deepEqual(stored?.parentShardId, { SS: [shardId(0)] })
  assert.deepEqual(stored?.leaseCounter, counter(0))
})

/** listLeases: Scan page by page with Limit and ExclusiveStartKey until no LastEvaluatedKey; isLeaseTableEmpty: Limit 1. */
test('leases are listed by a paged Scan that returns every lease once', async () => {
  const seen: string[] = []
  let startKey: Record<string, AttributeValue> | undefined
  let pages = 0
  do {
    const page = await client.send(new ScanCommand({ TableName: table, Limit: 2, ExclusiveStartKey: startKey }))
    seen.push(...page.Items!.map((item) => item.leaseKey!.S!))
    startKey = page.LastEvaluatedKey
    pages += 1
    assert.ok(pages <= shardCount + 1, 'the scan ends')
  } while (startKey)
  assert.deepEqual(seen.sort(), Array.from({ length: shardCount }, (_, index) => shardId(index)))
  const first = await client.send(new ScanCommand({ TableName: table, Limit: 1 }))
  assert.equal(first.Items!.length, 1)
  assert.ok(first.LastEvaluatedKey, 'more leases follow')
})

/**
 * takeLease: Expected {leaseCounter: {Value: n}}, AttributeUpdates leaseCounter PUT n+1 and
 * leaseOwner PUT (plus ownerSwitchesSinceCheckpoint ADD 1 when the owner changes). Two workers
 * that read counter n race; exactly one wins.
 */
test('taking a lease is a compare-and-set on leaseCounter: one of two racing workers wins', async () => {
  const key = { leaseKey: { S: shardId(0) } }
  const take = (owner: string, expectedCounter: number, switchesOwner: boolean) => client.send(new UpdateItemCommand({
    TableName: table, Key: key,
    Expected: { leaseCounter: { Value: counter(expectedCounter) } },
    AttributeUpdates: {
      leaseCounter: { Value: counter(expectedCounter + 1), Action: 'PUT' },
      leaseOwner: { Value: { S: owner }, Action: 'PUT' },
      ...(switchesOwner ? { ownerSwitchesSinceCheckpoint: { Value: counter(1), Action: 'ADD' as const } } : {}),
    },
  }))
  const outcomes = await Promise.allSettled([take('worker-a', 0, false), take('worker-b', 0, false)])
  assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1)
  const rejected = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult
  assert.ok(rejected.reason instanceof ConditionalCheckFailedException)
  const winner = (await lease(shardId(0)))!.leaseOwner!.S!
  assert.deepEqual((await lease(shardId(0)))!.leaseCounter, counter(1))
  // The loser steals it later from the counter it now reads: the owner switch is counted.
  const loser = winner === 'worker-a' ? 'worker-b' : 'worker-a'
  await take(loser, 1, true)
  const stolen = (await lease(shardId(0)))!
  assert.equal(stolen.leaseOwner!.S, loser)
  assert.deepEqual(stolen.leaseCounter, counter(2))
  assert.deepEqual(stolen.ownerSwitchesSinceCheckpoint, counter(1))
})

/** renewLease: Expected {leaseCounter: {Value: n}}, AttributeUpdates leaseCounter PUT n+1; a stale counter fails. */
test('renewing with the current counter succeeds; with a stale one it fails and changes nothing', async () => {
  const renew = (expectedCounter: number) => client.send(new UpdateItemCommand({
    TableName: table, Key: { leaseKey: { S: shardId(0) } },
    Expected: { leaseCounter: { Value: counter(expectedCounter) } },
    AttributeUpdates: { leaseCounter: { Value: counter(expectedCounter + 1), Action: 'PUT' } },
  }))
  await renew(2)
  await assert.rejects(renew(2), ConditionalCheckFailedException)
  assert.deepEqual((await lease(shardId(0)))!.leaseCounter, counter(3))
})

/**
 * updateLease (checkpointing): the counter condition, checkpoint and checkpointSubSequenceNumber
 * PUT, ownerSwitchesSinceCheckpoint reset, and pendingCheckpoint DELETE without a value (an
 * attribute that is absent: DynamoDB ignores the delete).
 */
test('checkpointing writes the sequence number and deletes the pending checkpoint', async () => {
  const sequenceNumber = '49590338271490256608559692538361571095921575989136588898'
  await client.send(new UpdateItemCommand({
    TableName: table, Key: { leaseKey: { S: shardId(0) } },
    Expected: { leaseCounter: { Value: counter(3) } },
    AttributeUpdates: {
      leaseCounter: { Value: counter(4), Action: 'PUT' },
      checkpoint: { Value: { S: sequenceNumber }, Action: 'PUT' },
      checkpointSubSequenceNumber: { Value: counter(0), Action: 'PUT' },
      ownerSwitchesSinceCheckpoint: { Value: counter(0), Action: 'PUT' },
      pendingCheckpoint: { Action: 'DELETE' },
      pendingCheckpointSubSequenceNumber: { Action: 'DELETE' },
    },
  }))
  const stored = (await lease(shardId(0)))!
  assert.equal(stored.checkpoint!.S, sequenceNumber)
  assert.deepEqual(stored.ownerSwitchesSinceCheckpoint, counter(0))
  assert.equal(stored.pendingCheckpoint, undefined)
  // A shard read to its end is checkpointed SHARD_END, with its children recorded.
  await client.send(new UpdateItemCommand({
    TableName: table, Key: { leaseKey: { S: shardId(0) } },
    Expected: { leaseCounter: { Value: counter(4) } },
    AttributeUpdates: {
      leaseCounter: { Value: counter(5), Action: 'PUT' },
      checkpoint: { Value: { S: 'SHARD_END' }, Action: 'PUT' },
      childShardId: { Value: { SS: [shardId(5)] }, Action: 'PUT' },
    },
  }))
  assert.deepEqual((await lease(shardId(0)))!.childShardId, { SS: [shardId(5)] })
})

/**
 * KCL 3: createLeaseOwnerToLeaseKeyIndexIfNotExists adds a GSI (leaseOwner HASH, leaseKey RANGE,
 * KEYS_ONLY) to the existing table; waitUntilLeaseOwnerToLeaseKeyIndexExists polls DescribeTable
 * for IndexStatus ACTIVE; the lease discoverer then queries the index by worker id.
 */
test('KCL 3 adds LeaseOwnerToLeaseKeyIndex and finds a worker\'s leases through it', async () => {
  await client.send(new UpdateTableCommand({
    TableName: table,
    AttributeDefinitions: [{ AttributeName: 'leaseOwner', AttributeType: 'S' }, { AttributeName: 'leaseKey', AttributeType: 'S' }],
    GlobalSecondaryIndexUpdates: [{
      Create: {
        IndexName: 'LeaseOwnerToLeaseKeyIndex',
        KeySchema: [{ AttributeName: 'leaseOwner', KeyType: 'HASH' }, { AttributeName: 'leaseKey', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    }],
  }))
  const indexStatus = async () => (await client.send(new DescribeTableCommand({ TableName: table }))).Table!.GlobalSecondaryIndexes
    ?.find((index) => index.IndexName === 'LeaseOwnerToLeaseKeyIndex')?.IndexStatus
  for (let polls = 0; (await indexStatus()) !== 'ACTIVE'; polls += 1) {
    assert.ok(polls < 600, 'the index becomes ACTIVE')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  // Give worker-c two more leases (unowned leases have no leaseOwner, so they are not in the index).
  for (const index of [3, 4]) {
    await client.send(new UpdateItemCommand({
      TableName: table, Key: { leaseKey: { S: shardId(index) } },
      Expected: { leaseCounter: { Value: counter(0) } },
      AttributeUpdates: { leaseCounter: { Value: counter(1), Action: 'PUT' }, leaseOwner: { Value: { S: 'worker-c' }, Action: 'PUT' } },
    }))
  }
  const leasesOf = async (owner: string) => (await client.send(new QueryCommand({
    TableName: table, IndexName: 'LeaseOwnerToLeaseKeyIndex',
    KeyConditionExpression: '#owner = :owner', ExpressionAttributeNames: { '#owner': 'leaseOwner' },
    ExpressionAttributeValues: { ':owner': { S: owner } },
  }))).Items!.map((item) => item.leaseKey!.S!)
  assert.deepEqual(await leasesOf('worker-c'), [shardId(3), shardId(4)])
  const owner0 = (await lease(shardId(0)))!.leaseOwner!.S!
  assert.deepEqual(await leasesOf(owner0), [shardId(0)])

  // evictLease: Expected {leaseOwner: {Value: owner}}, leaseOwner DELETE: the lease leaves the owner's index partition.
  await assert.rejects(client.send(new UpdateItemCommand({
    TableName: table, Key: { leaseKey: { S: shardId(3) } },
    Expected: { leaseOwner: { Value: { S: 'someone-else' } } },
    AttributeUpdates: { leaseCounter: { Value: counter(2), Action: 'PUT' }, leaseOwner: { Action: 'DELETE' } },
  })), ConditionalCheckFailedException)
  await client.send(new UpdateItemCommand({
    TableName: table, Key: { leaseKey: { S: shardId(3) } },
    Expected: { leaseOwner: { Value: { S: 'worker-c' } } },
    AttributeUpdates: { leaseCounter: { Value: counter(2), Action: 'PUT' }, leaseOwner: { Action: 'DELETE' } },
  }))
  assert.deepEqual(await leasesOf('worker-c'), [shardId(4)])
  // evictLease of a lease KCL believes unowned expects {leaseOwner: {Exists: false}}: true now.
  await client.send(new UpdateItemCommand({
    TableName: table, Key: { leaseKey: { S: shardId(3) } },
    Expected: { leaseOwner: { Exists: false } },
    AttributeUpdates: { leaseCounter: { Value: counter(3), Action: 'PUT' } },
  }))
})

/** deleteLease: a plain DeleteItem by leaseKey (garbage collection of finished shards). */
test('finished leases are deleted by key', async () => {
  await client.send(new DeleteItemCommand({ TableName: table, Key: { leaseKey: { S: shardId(6) } } }))
  assert.equal(await lease(shardId(6)), undefined)
  const remaining = await client.send(new ScanCommand({ TableName: table, Select: 'COUNT' }))
  assert.equal(remaining.Count, shardCount - 1)
})
