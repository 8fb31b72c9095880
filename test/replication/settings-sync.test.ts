/**
 * Global tables (2019.11.21) keep some table settings the same on every replica after it is
 * created, as DynamoDB does: GSIs created or deleted on any replica (each replica backfills a new
 * one from its own items), the billing mode and the write capacity. Read capacity stays per
 * replica. And DynamoDB's 24-hour rule: a replica that sourced a new replica cannot be deleted
 * for 24 hours while that replica exists (the test moves the server's clock; no sleeping).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  DeleteTableCommand, DescribeTableCommand, PutItemCommand, QueryCommand, UpdateTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { uniqueTableName } from '../helpers/server.js'
import { expectError } from '../helpers/errors.js'
import { manualClock } from '../streams/helpers.js'
import { addWestReplica, createKeyTable, describeIn, eventually, threeRegions, type RegionsUnderTest } from './helpers.js'

const indexStatus = async (client: DynamoDBClient, table: string, index: string) =>
  (await describeIn(client, table)).GlobalSecondaryIndexes?.find((each) => each.IndexName === index)?.IndexStatus

const colourKeys = async (client: DynamoDBClient, table: string, colour: string): Promise<string[]> => {
  const page = await client.send(new QueryCommand({
    TableName: table, IndexName: 'byColour', KeyConditionExpression: 'colour = :c', ExpressionAttributeValues: { ':c': { S: colour } },
  }))
  return (page.Items ?? []).map((item) => item.pk!.S!).sort()
}

describe('global tables keep GSIs, billing mode and write capacity in step', () => {
  let regions: RegionsUnderTest
  let east: DynamoDBClient
  let west: DynamoDBClient

  before(async () => {
    regions = await threeRegions()
    ;({ east, west } = regions)
  })
  after(() => regions.close())

  const put = (client: DynamoDBClient, table: string, pk: string, colour: string) =>
    client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, colour: { S: colour } } }))

  it('builds a GSI created in one region in every replica, each from its own items, and deletes it everywhere', async () => {
    const table = uniqueTableName('gsi-sync')
    await createKeyTable(east, table)
    await put(east, table, 'a', 'red')
    await put(east, table, 'b', 'blue')
    await addWestReplica(east, table)
    await put(west, table, 'c', 'red')

    await east.send(new UpdateTableCommand({
      TableName: table,
      AttributeDefinitions: [{ AttributeName: 'colour', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byColour', KeySchema: [{ AttributeName: 'colour', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
    }))
    // The replica in us-west-2 has the index too, under its own ARN, and fills it from its own items,
    // those written to us-east-1 before the index existed included.
    await eventually(async () => (await indexStatus(west, table, 'byColour')) === 'ACTIVE', 'index ACTIVE in us-west-2')
    const inWest = await describeIn(west, table)
    assert.match(inWest.GlobalSecondaryIndexes![0]!.IndexArn!, new RegExp(`:us-west-2:.*table/${table}/index/byColour$`))
    assert.deepEqual(inWest.AttributeDefinitions?.map((definition) => definition.AttributeName).sort(), ['colour', 'pk'])
    await eventually(async () => (await colourKeys(west, table, 'red')).join() === 'a,c', 'us-west-2 index has a and c')
    await eventually(async () => (await indexStatus(east, table, 'byColour')) === 'ACTIVE', 'index ACTIVE in us-east-1')
    // Later writes in either region reach the other's index through replication.
    await put(east, table, 'd', 'blue')
    await eventually(async () => (await colourKeys(west, table, 'blue')).join() === 'b,d', 'replicated write indexed in us-west-2')

    // Deleted in the replica, the index goes from the region the table was created in too.
    await west.send(new UpdateTableCommand({ TableName: table, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byColour' } }] }))
    // Settings reach the other replicas asynchronously, as in DynamoDB.
    await eventually(async () => (await describeIn(east, table)).GlobalSecondaryIndexes === undefined, 'index deleted in us-east-1')
    const inEast = await describeIn(east, table)
    assert.deepEqual(inEast.AttributeDefinitions?.map((definition) => definition.AttributeName), ['pk'])
    await expectError(colourKeys(east, table, 'red'), 'ValidationException')
  })

  it('changes the billing mode of every replica, and their write capacity, keeping each one\'s read capacity', async () => {
    const table = uniqueTableName('billing-sync')
    await createKeyTable(east, table)
    await addWestReplica(east, table)

    await east.send(new UpdateTableCommand({ TableName: table, BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 7 } }))
    await eventually(async () => (await describeIn(west, table)).BillingModeSummary?.BillingMode === 'PROVISIONED', 'us-west-2 provisioned')
    let inWest = await describeIn(west, table)
    assert.deepEqual([inWest.ProvisionedThroughput?.ReadCapacityUnits, inWest.ProvisionedThroughput?.WriteCapacityUnits], [5, 7])

    // Write capacity set in the replica reaches the others; its read capacity stays its own.
    await west.send(new UpdateTableCommand({ TableName: table, ProvisionedThroughput: { ReadCapacityUnits: 9, WriteCapacityUnits: 11 } }))
    await eventually(async () => (await describeIn(east, table)).ProvisionedThroughput?.WriteCapacityUnits === 11, 'write units in us-east-1')
    const inEast = await describeIn(east, table)
    assert.deepEqual([inEast.ProvisionedThroughput?.ReadCapacityUnits, inEast.ProvisionedThroughput?.WriteCapacityUnits], [5, 11])
    inWest = await describeIn(west, table)
    assert.deepEqual([inWest.ProvisionedThroughput?.ReadCapacityUnits, inWest.ProvisionedThroughput?.WriteCapacityUnits], [9, 11])

    await west.send(new UpdateTableCommand({ TableName: table, BillingMode: 'PAY_PER_REQUEST' }))
    await eventually(async () => (await describeIn(east, table)).BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST', 'us-east-1 on demand')
  })

  it('takes a table class change made on any replica to every replica, but one with its own class override', async () => {
    const table = uniqueTableName('class-sync')
    await createKeyTable(east, table)
    await addWestReplica(east, table)
    await east.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1', TableClassOverride: 'STANDARD' } }] }))
    await eventually(async () => (await describeIn(east, table)).Replicas?.every((replica) => replica.ReplicaStatus === 'ACTIVE') === true, 'replicas ACTIVE')
    await eventually(async () => (await describeIn(east, table)).TableStatus === 'ACTIVE', 'us-east-1 ACTIVE')
    await east.send(new UpdateTableCommand({ TableName: table, TableClass: 'STANDARD_INFREQUENT_ACCESS' }))
    await eventually(async () => (await describeIn(west, table)).TableClassSummary?.TableClass === 'STANDARD_INFREQUENT_ACCESS', 'class in us-west-2')
    await eventually(async () => (await describeIn(east, table)).Replicas?.every((replica) => replica.ReplicaStatus === 'ACTIVE') === true, 'delivered everywhere')
    assert.equal((await describeIn(regions.europe, table)).TableClassSummary?.TableClass, 'STANDARD')
    // A change made on the replica with the override carries its settings, not its class.
    await eventually(async () => (await describeIn(regions.europe, table)).TableStatus === 'ACTIVE', 'eu-west-1 ACTIVE')
    await regions.europe.send(new UpdateTableCommand({ TableName: table, BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 } }))
    await eventually(async () => (await describeIn(east, table)).BillingModeSummary?.BillingMode === 'PROVISIONED', 'us-east-1 provisioned')
    await eventually(async () => (await describeIn(west, table)).BillingModeSummary?.BillingMode === 'PROVISIONED', 'us-west-2 provisioned')
    assert.equal((await describeIn(east, table)).TableClassSummary?.TableClass, 'STANDARD_INFREQUENT_ACCESS')
    assert.equal((await describeIn(west, table)).TableClassSummary?.TableClass, 'STANDARD_INFREQUENT_ACCESS')
    // And back, from the replica.
    await eventually(async () => (await describeIn(west, table)).TableStatus === 'ACTIVE', 'us-west-2 ACTIVE')
    await west.send(new UpdateTableCommand({ TableName: table, TableClass: 'STANDARD' }))
    await eventually(async () => (await describeIn(east, table)).TableClassSummary?.TableClass === 'STANDARD', 'class back in us-east-1')
  })

  it('refuses, on the replication route, a settings message that is not one and an action it does not know', async () => {
    // A peer's request the server cannot carry out must not be acknowledged: the sender would stop retrying.
    const table = uniqueTableName('bad-settings')
    await createKeyTable(east, table)
    const post = async (body: unknown) => {
      const response = await fetch(`${regions.server.endpoint}/_eddydb/replication`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      return { status: response.status, type: String(((await response.json()) as { __type?: string }).__type).split('#').pop() }
    }
    assert.deepEqual(await post({ action: 'applySettings', region: 'us-east-1', tableName: table, message: { kind: 'table', version: { timeMicros: 1 } } }),
      { status: 400, type: 'ValidationException' })
    assert.deepEqual(await post({ action: 'syncEverything', region: 'us-east-1', tableName: table }), { status: 400, type: 'ValidationException' })
    assert.equal((await describeIn(east, table)).TableStatus, 'ACTIVE')
  })

  it('refuses a replica change made together with another change', async () => {
    const table = uniqueTableName('replica-alone')
    await createKeyTable(east, table)
    await expectError(east.send(new UpdateTableCommand({
      TableName: table, BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }],
    })), 'ValidationException', 'One or more parameter values were invalid: Replica modification must be the only operation in the request')
  })
})

describe('the 24-hour rule for a replica that sourced a new one', () => {
  const clock = manualClock(Date.now())
  let regions: RegionsUnderTest
  let east: DynamoDBClient
  let west: DynamoDBClient

  before(async () => {
    regions = await threeRegions({ clock })
    ;({ east, west } = regions)
  })
  after(() => regions.close())

  const message = 'Replica cannot be deleted because it has acted as a source region for new replica(s) being added to the table in the last 24 hours.'

  it('refuses to delete the source for 24 hours, by DeleteTable or from another replica', async () => {
    const table = uniqueTableName('source-rule')
    await createKeyTable(east, table)
    await addWestReplica(east, table)
    await expectError(east.send(new DeleteTableCommand({ TableName: table })), 'ValidationException', message)
    await expectError(west.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Delete: { RegionName: 'us-east-1' } }] })),
      'ValidationException', message)
    clock.advance(24 * 60 * 60 * 1000 - 1)
    await expectError(east.send(new DeleteTableCommand({ TableName: table })), 'ValidationException', message)
    clock.advance(1)
    await east.send(new DeleteTableCommand({ TableName: table }))
    const alone = await describeIn(west, table)
    assert.equal(alone.Replicas, undefined)
  })

  it('lets the source go at once when the replica it sourced is deleted first', async () => {
    const table = uniqueTableName('source-rule-leaf')
    await createKeyTable(east, table)
    await addWestReplica(east, table)
    await east.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Delete: { RegionName: 'us-west-2' } }] }))
    await east.send(new DeleteTableCommand({ TableName: table }))
    await expectError(east.send(new DescribeTableCommand({ TableName: table })), 'ResourceNotFoundException')
  })
})
