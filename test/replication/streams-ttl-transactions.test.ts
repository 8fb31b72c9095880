/**
 * What each replica's stream shows, and how transactions and TTL deletes replicate: every change
 * applied in a region is in that region's stream with its awsRegion; replicated writes carry no
 * userIdentity (not even replicated TTL deletes); a transaction's items replicate one by one.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  DescribeTableCommand, GetItemCommand, PutItemCommand, TransactWriteItemsCommand, UpdateTableCommand,
  UpdateTimeToLiveCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { startServer, type RunningServer } from '../../src/server.js'
import { testCredentials, uniqueTableName } from '../helpers/server.js'
import { readAll } from '../streams/helpers.js'
import { createKeyTable, eventually, regionClient } from './helpers.js'

describe('replica streams, transactions and TTL on a global table', () => {
  let server: RunningServer
  let east: DynamoDBClient
  let west: DynamoDBClient
  let westStreams: DynamoDBStreamsClient
  let eastStreams: DynamoDBStreamsClient
  let clockMs = Date.UTC(2026, 0, 1)

  before(async () => {
    server = await startServer({ port: 0, inMemory: true, logLevel: 'silent', ttlSweepIntervalMs: 10, clock: { now: () => clockMs } })
    east = regionClient(server.url, 'us-east-1')
    west = regionClient(server.url, 'us-west-2')
    const streamsClient = (region: string) => new DynamoDBStreamsClient({ endpoint: server.url, region, credentials: testCredentials, maxAttempts: 1 })
    eastStreams = streamsClient('us-east-1')
    westStreams = streamsClient('us-west-2')
  })
  after(async () => {
    for (const client of [east, west, eastStreams, westStreams]) client.destroy()
    await server.close()
  })

  const get = async (client: DynamoDBClient, table: string, pk: string) =>
    (await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } }, ConsistentRead: true }))).Item

  it('puts replicated writes, transactions and TTL deletes in the replica\'s own stream', async () => {
    const table = uniqueTableName('global-streams')
    await createKeyTable(east, table)
    await east.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }))
    await east.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }))
    await east.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'plain' } } }))
    await east.send(new TransactWriteItemsCommand({
      TransactItems: [
        { Put: { TableName: table, Item: { pk: { S: 'tx-1' } } } },
        { Put: { TableName: table, Item: { pk: { S: 'tx-2' } } } },
      ],
    }))
    const expiresAt = Math.floor(clockMs / 1000) + 60
    await east.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'short-lived' }, expires: { N: String(expiresAt) } } }))
    await eventually(async () => (await get(west, table, 'short-lived')) !== undefined, 'expiring item replicated')
    assert.ok(await get(west, table, 'tx-1'))
    assert.ok(await get(west, table, 'tx-2'))
    clockMs += 120_000
    await eventually(async () => (await get(west, table, 'short-lived')) === undefined, 'TTL delete replicated')

    const westArn = (await west.send(new DescribeTableCommand({ TableName: table }))).Table!.LatestStreamArn!
    assert.match(westArn, /^arn:aws:dynamodb:us-west-2:/)
    const westRecords = await readAll(westStreams, westArn, 5)
    // A stream orders the records of each item; the two items of one transaction may come either way
    // round (a transaction replicates item by item, as in DynamoDB).
    const seen = westRecords.map((record) => `${record.eventName} ${record.dynamodb?.Keys?.pk?.S}`)
    assert.deepEqual([...seen].sort(), ['INSERT plain', 'INSERT short-lived', 'INSERT tx-1', 'INSERT tx-2', 'REMOVE short-lived'])
    assert.ok(seen.indexOf('INSERT short-lived') < seen.indexOf('REMOVE short-lived'), seen.join(', '))
    for (const record of westRecords) {
      assert.equal(record.awsRegion, 'us-west-2')
      assert.equal(record.userIdentity, undefined)
      assert.equal(record.dynamodb?.StreamViewType, 'NEW_AND_OLD_IMAGES')
    }
    assert.ok(westRecords.at(-1)!.dynamodb?.OldImage, 'the replicated REMOVE carries the old image')

    const eastArn = (await east.send(new DescribeTableCommand({ TableName: table }))).Table!.LatestStreamArn!
    const eastRemove = (await readAll(eastStreams, eastArn)).find((record) => record.eventName === 'REMOVE')!
    assert.equal(eastRemove.awsRegion, 'us-east-1')
    assert.deepEqual(eastRemove.userIdentity, { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' })
  })
})
