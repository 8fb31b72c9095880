/** Tiny table helpers: create a table and wait until it is ACTIVE. */
import {
  CreateTableCommand, DescribeTableCommand, waitUntilTableExists,
  type CreateTableCommandInput, type DynamoDBClient, type TableDescription,
} from '@aws-sdk/client-dynamodb'
import { startTestServer, uniqueTableName, type TestServer } from './server.js'

const tableActiveWaitSeconds = 60

/** Creates the table (on-demand unless the input says otherwise) and waits for ACTIVE. */
export async function createTable(
  client: DynamoDBClient, input: Omit<CreateTableCommandInput, 'BillingMode'> & Partial<CreateTableCommandInput>,
): Promise<TableDescription> {
  const billing = input.ProvisionedThroughput ? {} : { BillingMode: 'PAY_PER_REQUEST' as const }
  await client.send(new CreateTableCommand({ ...billing, ...input }))
  return waitForActive(client, input.TableName!)
}

export async function waitForActive(client: DynamoDBClient, tableName: string): Promise<TableDescription> {
  await waitUntilTableExists(
    { client, maxWaitTime: tableActiveWaitSeconds, minDelay: 1, maxDelay: 1 }, { TableName: tableName },
  )
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }))
  return Table!
}

/** A table keyed by a string partition key `pk` (and a string or number sort key `sk` if asked). */
export async function createKeyTable(
  client: DynamoDBClient, prefix: string, sortKeyType?: 'S' | 'N' | 'B',
): Promise<string> {
  const tableName = uniqueTableName(prefix)
  const sortKey = sortKeyType ? [{ AttributeName: 'sk', KeyType: 'RANGE' as const }] : []
  const sortAttribute = sortKeyType ? [{ AttributeName: 'sk', AttributeType: sortKeyType }] : []
  await createTable(client, {
    TableName: tableName,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, ...sortKey],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, ...sortAttribute],
  })
  return tableName
}

/**
 * A fresh test server with one key table (createKeyTable) on it: what many suites set up in
 * before(). The caller closes the server in after().
 */
export async function startKeyTableServer(
  prefix: string, sortKeyType?: 'S' | 'N' | 'B',
): Promise<{ server: TestServer; client: DynamoDBClient; table: string }> {
  const server = await startTestServer()
  return { server, client: server.client, table: await createKeyTable(server.client, prefix, sortKeyType) }
}
