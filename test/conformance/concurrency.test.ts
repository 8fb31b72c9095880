/**
 * Concurrency. DynamoDB applies each single-item write atomically, so the classic optimistic-locking
 * pattern (read the item and its version, write with ConditionExpression "version = :seen", retry on
 * ConditionalCheckFailedException) never loses an update, however many clients race. Transactions
 * are serializable: concurrent transfers between two items preserve the total.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DynamoDBMapper.OptimisticLocking.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-conflict-handling
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  GetItemCommand, PutItemCommand, TransactWriteItemsCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { createKeyTable } from '../helpers/tables.js'

let server: TestServer
let table: string
before(async () => {
  server = await startTestServer()
  table = await createKeyTable(server.client, 'concurrency')
})
after(async () => { await server?.close() })

const clientCount = 50
const attemptsMax = 500

/** One optimistic increment: read, then write conditioned on the version read; retry on conflict. */
async function incrementWithVersion(client: DynamoDBClient, key: { pk: { S: string } }): Promise<number> {
  for (let attempt = 1; attempt <= attemptsMax; attempt++) {
    const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))
    const version = Number(Item!.version!.N)
    const count = Number(Item!.count!.N)
    try {
      await client.send(new PutItemCommand({
        TableName: table, Item: { ...key, version: { N: String(version + 1) }, count: { N: String(count + 1) } },
        ConditionExpression: 'version = :seen', ExpressionAttributeValues: { ':seen': { N: String(version) } },
      }))
      return attempt
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error
    }
  }
  throw new Error('increment never succeeded')
}

// 50 clients each increment once; with optimistic locking the final count is exactly 50 and the
// version moved once per successful write. At least some writes must have lost a race and retried,
// or the test did not exercise contention.
test('50 concurrent clients with optimistic locking lose no increment', async () => {
  const key = { pk: { S: 'counter' } }
  await server.client.send(new PutItemCommand({ TableName: table, Item: { ...key, version: { N: '0' }, count: { N: '0' } } }))
  const clients = Array.from({ length: clientCount }, () => server.newClient())
  const attempts = await Promise.all(clients.map((client) => incrementWithVersion(client, key)))
  const { Item } = await server.client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))
  assert.equal(Item!.count!.N, String(clientCount))
  assert.equal(Item!.version!.N, String(clientCount))
  assert.ok(attempts.some((count) => count > 1), 'no client ever had to retry')
})

// Concurrent transactions moving 1 unit from A to B (each conditioned on A's balance) are
// serializable: every transfer that succeeded moved exactly one unit, and A + B stays 100.
// Conflicting transactions are cancelled (TransactionConflict) and retried.
test('concurrent transfers in transactions preserve the total', async () => {
  const accountA = { pk: { S: 'accountA' } }
  const accountB = { pk: { S: 'accountB' } }
  await server.client.send(new PutItemCommand({ TableName: table, Item: { ...accountA, balance: { N: '100' } } }))
  await server.client.send(new PutItemCommand({ TableName: table, Item: { ...accountB, balance: { N: '0' } } }))
  const transferCount = 30
  const transfer = async (client: DynamoDBClient) => {
    for (let attempt = 0; attempt < attemptsMax; attempt++) {
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: [
          { Update: { TableName: table, Key: accountA, UpdateExpression: 'SET balance = balance - :one',
            ConditionExpression: 'balance >= :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
          { Update: { TableName: table, Key: accountB, UpdateExpression: 'SET balance = balance + :one',
            ExpressionAttributeValues: { ':one': { N: '1' } } } },
        ] }))
        return
      } catch (error) {
        const name = (error as Error).name
        if (name !== 'TransactionCanceledException' && name !== 'TransactionConflictException') throw error
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20))
      }
    }
    throw new Error('transfer never succeeded')
  }
  const clients = Array.from({ length: transferCount }, () => server.newClient())
  await Promise.all(clients.map(transfer))
  const balanceOf = async (key: typeof accountA) =>
    Number((await server.client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item!.balance!.N)
  assert.equal(await balanceOf(accountA), 100 - transferCount)
  assert.equal(await balanceOf(accountB), transferCount)
})
