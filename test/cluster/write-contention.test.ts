/**
 * Three servers on one PostgreSQL database, written to at once through the AWS SDK with retries
 * off, so that every answer is seen. DynamoDB accepts UpdateTable and DeleteTable on a table
 * under load, and does not fail a write because other items are written at the same moment; a
 * request it cannot serve for now is throttled (HTTP 400, retried by every SDK), never a 500.
 *
 * - A stream turned on and off, and the table deleted, through node A while node B and C write
 *   continuously: each call succeeds. (The stream's start and end used to read the end of the
 *   table's change log inside the serializable transaction, and DeleteTable read every row, so
 *   each concurrent write was a read/write conflict, and the call failed with a 500 after its
 *   retries.) Each stream holds every write made after its enable answered and before its
 *   disable was sent, and none made before the enable was sent or after the disable answered.
 * - CreateBackup three times, RestoreTableToPointInTime and DeleteTable of a PITR table through A
 *   while B and C write: each call succeeds. (They read the table's log or rows in a serializable
 *   transaction, and lost all their retries to the writes beside them while those were
 *   serializable too.)
 * - One item incremented through all three nodes at once (UpdateItem ADD): none fails, the count
 *   is the acknowledged increments, and its stream goes 0→1, 1→2, ... in order, so each item's
 *   changes are logged in commit order while its writers take turns on its lock.
 * - Batches and transactions of distinct new keys through two nodes, two clients each: item
 *   writes lock their keys rather than run serializable (storage/postgres/transaction.ts), so
 *   none conflicts with another and every request succeeds at once. (Under serializable
 *   isolation they conflicted over shared index pages, and one in 60 to 240 lost every retry.)
 *   The table ends holding exactly the acknowledged items.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  type AttributeValue, BatchWriteItemCommand, CreateBackupCommand, DeleteTableCommand, DynamoDBClient, GetItemCommand,
  PutItemCommand, RestoreTableToPointInTimeCommand, ScanCommand, TransactWriteItemsCommand, UpdateContinuousBackupsCommand,
  UpdateItemCommand, UpdateTableCommand,
} from '@aws-sdk/client-dynamodb'
import {
  DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams'
import { testCredentials } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'
import { postgresSkipReason, startPostgresNodes, stopPostgresNodes, storedItemCount, type PostgresNodes } from '../helpers/postgres.js'

const skip = postgresSkipReason()
let postgres: PostgresNodes | undefined
const nodes: Array<{ dynamo: DynamoDBClient; streams: DynamoDBStreamsClient }> = []

/** Writers per writing node, and a bound on each writer's writes in case a phase never ends. */
const writersPerNode = 2
const writesPerWriterMax = 5000
/** Stream on/off rounds, each with its own stream checked. */
const streamRounds = 3
/** Increments per client of the hot item (three nodes, two clients each). */
const hotIncrementsPerClient = 30
/** Requests per client in the contention test (two nodes, two clients each). */
const requestsPerClient = 40
const batchItems = 25
const transactionItems = 10

before(async () => {
  if (skip) return
  postgres = await startPostgresNodes('write_contention', 3)
  for (const server of postgres.servers) {
    // maxAttempts 1: no SDK retry hides an answer.
    const options = { endpoint: server.url, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 }
    nodes.push({ dynamo: new DynamoDBClient(options), streams: new DynamoDBStreamsClient(options) })
  }
})
after(async () => {
  for (const node of nodes) {
    node.dynamo.destroy()
    node.streams.destroy()
  }
  await stopPostgresNodes(postgres)
})

/** Where the control calls are: each write records the phase it began in and the phase it was answered in. */
let phase = 0
interface Write { key: string; startedIn: number; answeredIn: number; acknowledged: boolean; error?: string }

/** Writes new keys through `node` until `stopped()`, one at a time, recording each answer. */
async function writeUntil(node: number, writer: string, table: string, stopped: () => boolean, log: Write[]): Promise<void> {
  for (let count = 0; count < writesPerWriterMax && !stopped(); count++) {
    const key = `${writer}-${count}`
    const startedIn = phase
    try {
      await nodes[node]!.dynamo.send(new PutItemCommand({ TableName: table, Item: { pk: { S: key } } }))
      log.push({ key, startedIn, answeredIn: phase, acknowledged: true })
    } catch (error) {
      log.push({ key, startedIn, answeredIn: phase, acknowledged: false, error: (error as Error).name })
    }
  }
}

/** The keys of every record of a disabled stream, read through node C from each shard's start to its end. */
async function streamKeys(streamArn: string): Promise<Set<string>> {
  const { StreamDescription } = await nodes[2]!.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))
  const keys = new Set<string>()
  for (const shard of StreamDescription!.Shards!) {
    let iterator = (await nodes[2]!.streams.send(new GetShardIteratorCommand({
      StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON',
    }))).ShardIterator
    // A closed shard ends with no next iterator; the bound only stops a test that would hang.
    for (let page = 0; iterator && page < 1000; page++) {
      const result = await nodes[2]!.streams.send(new GetRecordsCommand({ ShardIterator: iterator }))
      for (const record of result.Records ?? []) keys.add(record.dynamodb!.Keys!.pk!.S!)
      iterator = result.NextShardIterator
      // Its end shows once no older transaction can still commit: pause on an empty page, not spin.
      if (iterator && (result.Records ?? []).length === 0) await new Promise((resolve) => setTimeout(resolve, 20))
    }
    assert.equal(iterator, undefined, `shard ${shard.ShardId} read to its end`)
  }
  return keys
}

test('streams turned on and off and the table deleted through A while B and C write: every call succeeds, each stream exact', { skip }, async () => {
  const table = await createKeyTable(nodes[0]!.dynamo, 'control-under-load')
  let stopped = false
  const log: Write[] = []
  const writers = [1, 2].flatMap((node) => Array.from({ length: writersPerNode }, (_, index) =>
    writeUntil(node, `n${node}w${index}`, table, () => stopped, log)))
  const rounds: Array<{ streamArn: string; enabledIn: number; disabledIn: number }> = []
  try {
    for (let round = 0; round < streamRounds; round++) {
      phase++
      const enabled = await nodes[0]!.dynamo.send(new UpdateTableCommand({
        TableName: table, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
      }))
      phase++
      const enabledIn = phase
      // Let writes land in the stream before it is disabled (bounded: writers could have stopped).
      const landed = log.length
      for (let wait = 0; wait < 2000 && log.length < landed + 20; wait++) await new Promise((resolve) => setTimeout(resolve, 5))
      phase++
      await nodes[0]!.dynamo.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: false } }))
      phase++
      rounds.push({ streamArn: enabled.TableDescription!.LatestStreamArn!, enabledIn, disabledIn: phase })
    }
    phase++
    const { TableDescription } = await nodes[0]!.dynamo.send(new DeleteTableCommand({ TableName: table }))
    stopped = true
    await Promise.all(writers)
    // Writes begun before the delete either landed before its rows were dropped or failed; none is left.
    assert.equal(await storedItemCount(postgres!.storageUrl, TableDescription!.TableId!), 0)
  } finally {
    stopped = true
    await Promise.all(writers)
  }
  assert.deepEqual(log.filter((write) => !write.acknowledged && write.error !== 'ResourceNotFoundException' && write.error !== 'ThrottlingException'), [])
  for (const { streamArn, enabledIn, disabledIn } of rounds) {
    const keys = await streamKeys(streamArn)
    for (const write of log) {
      // Begun after the enable answered and answered before the disable was sent: in the stream.
      if (write.acknowledged && write.startedIn >= enabledIn && write.answeredIn < disabledIn - 1) assert.ok(keys.has(write.key), `${write.key} in ${streamArn}`)
      // Answered before the enable was sent, begun after the disable answered, or never applied: not in it.
      if (write.answeredIn < enabledIn - 1 || write.startedIn >= disabledIn || !write.acknowledged) assert.ok(!keys.has(write.key), `${write.key} not in ${streamArn}`)
    }
    assert.ok(keys.size > 0, 'the stream saw writes')
  }
})

test('backups and a point-in-time restore of a PITR table, and its deletion, through A while B and C write: every call succeeds', { skip }, async () => {
  const table = await createKeyTable(nodes[0]!.dynamo, 'pitr-under-load')
  await nodes[0]!.dynamo.send(new UpdateContinuousBackupsCommand({
    TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  }))
  let stopped = false
  const log: Write[] = []
  const writers = [1, 2].flatMap((node) => Array.from({ length: writersPerNode }, (_, index) =>
    writeUntil(node, `n${node}w${index}`, table, () => stopped, log)))
  try {
    // Each call reads the table's log or rows in a serializable transaction; the writes beside
    // it lock their items instead (storage/postgres/transaction.ts), so nothing conflicts.
    for (let backup = 0; backup < 3; backup++) {
      const landed = log.length
      for (let wait = 0; wait < 2000 && log.length < landed + 10; wait++) await new Promise((resolve) => setTimeout(resolve, 5))
      await nodes[0]!.dynamo.send(new CreateBackupCommand({ TableName: table, BackupName: `under-load-${backup}` }))
    }
    await nodes[0]!.dynamo.send(new RestoreTableToPointInTimeCommand({
      SourceTableName: table, TargetTableName: `${table}-restored`, UseLatestRestorableTime: true,
    }))
    await nodes[0]!.dynamo.send(new DeleteTableCommand({ TableName: table }))
  } finally {
    stopped = true
    await Promise.all(writers)
  }
  assert.ok(log.some((write) => write.acknowledged), 'the writers wrote')
  assert.deepEqual(log.filter((write) => !write.acknowledged && write.error !== 'ResourceNotFoundException'), [])
})

test('one hot item incremented through three nodes at once: every increment counted once, and its stream rises by one at each record', { skip }, async () => {
  const table = await createKeyTable(nodes[0]!.dynamo, 'hot-item')
  const { TableDescription } = await nodes[0]!.dynamo.send(new UpdateTableCommand({
    TableName: table, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  }))
  const errors: string[] = []
  let acknowledged = 0
  // Writers of one item wait for its lock in turn (storage/postgres/transaction.ts): none fails.
  const client = async (node: number): Promise<void> => {
    for (let request = 0; request < hotIncrementsPerClient; request++) {
      try {
        await nodes[node]!.dynamo.send(new UpdateItemCommand({
          TableName: table, Key: { pk: { S: 'hot' } }, UpdateExpression: 'ADD #count :one',
          ExpressionAttributeNames: { '#count': 'count' }, ExpressionAttributeValues: { ':one': { N: '1' } },
        }))
        acknowledged++
      } catch (error) {
        errors.push((error as Error).name)
      }
    }
  }
  await Promise.all([0, 1, 2].flatMap((node) => [client(node), client(node)]))
  assert.deepEqual(errors, [])
  const { Item } = await nodes[1]!.dynamo.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'hot' } }, ConsistentRead: true }))
  assert.equal(Number(Item!.count!.N), acknowledged)
  // The change records in stream order: each takes the count from the one before to one more.
  // A change logged out of its commit order would show as a step back.
  const counts: Array<[number, number]> = []
  const { StreamDescription } = await nodes[2]!.streams.send(new DescribeStreamCommand({ StreamArn: TableDescription!.LatestStreamArn! }))
  for (const shard of StreamDescription!.Shards!) {
    let iterator = (await nodes[2]!.streams.send(new GetShardIteratorCommand({
      StreamArn: TableDescription!.LatestStreamArn!, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON',
    }))).ShardIterator
    // An open shard has no end: read until every acknowledged increment is in (bounded: a hang guard).
    for (let page = 0; iterator && counts.length < acknowledged && page < 2000; page++) {
      const result = await nodes[2]!.streams.send(new GetRecordsCommand({ ShardIterator: iterator }))
      for (const record of result.Records ?? []) {
        counts.push([Number(record.dynamodb!.OldImage?.count?.N ?? 0), Number(record.dynamodb!.NewImage!.count!.N)])
      }
      iterator = result.NextShardIterator
      if (iterator && (result.Records ?? []).length === 0) await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
  assert.deepEqual(counts, Array.from({ length: acknowledged }, (_, index) => [index, index + 1]))
})

test('batches and transactions of distinct new keys through two nodes all succeed, and store exactly what was acknowledged', { skip }, async () => {
  const table = await createKeyTable(nodes[0]!.dynamo, 'distinct-keys')
  const acknowledged: string[] = []
  const errors: string[] = []
  const client = async (node: number, name: string): Promise<void> => {
    for (let request = 0; request < requestsPerClient; request++) {
      const prefix = `${name}-${request}`
      const keys = Array.from({ length: request % 2 === 0 ? batchItems : transactionItems }, (_, index) => `${prefix}-${index}`)
      try {
        if (request % 2 === 0) {
          const result = await nodes[node]!.dynamo.send(new BatchWriteItemCommand({
            RequestItems: { [table]: keys.map((key) => ({ PutRequest: { Item: { pk: { S: key } } } })) },
          }))
          const unprocessed = new Set((result.UnprocessedItems?.[table] ?? []).map((entry) => entry.PutRequest!.Item!.pk!.S!))
          acknowledged.push(...keys.filter((key) => !unprocessed.has(key)))
        } else {
          await nodes[node]!.dynamo.send(new TransactWriteItemsCommand({
            TransactItems: keys.map((key) => ({ Put: { TableName: table, Item: { pk: { S: key } } } })),
          }))
          acknowledged.push(...keys)
        }
      } catch (error) {
        errors.push((error as Error).name)
      }
    }
  }
  await Promise.all([client(0, 'a0'), client(0, 'a1'), client(1, 'b0'), client(1, 'b1')])
  // Writers of different keys never conflict: nothing is throttled, nothing fails.
  assert.deepEqual(errors, [])
  assert.equal(acknowledged.length, 4 * (requestsPerClient / 2) * (batchItems + transactionItems))
  const stored: string[] = []
  let startKey: Record<string, AttributeValue> | undefined
  for (let page = 0; page < 100; page++) {
    const result = await nodes[1]!.dynamo.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: startKey }))
    stored.push(...(result.Items ?? []).map((item) => item.pk!.S!))
    startKey = result.LastEvaluatedKey
    if (!startKey) break
  }
  assert.deepEqual(stored.sort(), acknowledged.sort())
})

