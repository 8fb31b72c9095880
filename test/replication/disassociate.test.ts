/**
 * Disassociating a replica (ReplicaUpdates' Disassociate) and its protection
 * (DisassociationProtectionEnabled), as DynamoDB's UpdateTable reference and its "Disassociating a
 * global table replica" guide describe them: protection on by default and turned off first, in a
 * request of its own; the replica leaves once writes on both sides are replicated
 * (WAIT_FOR_REPLICATION) and keeps its table, items and stream; of two members both stand alone.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  GetItemCommand, PutItemCommand, UpdateTableCommand, type DynamoDBClient, type UpdateTableCommandInput,
} from '@aws-sdk/client-dynamodb'
import { uniqueTableName } from '../helpers/server.js'
import { expectError } from '../helpers/errors.js'
import { addWestReplica, createKeyTable, describeIn, eventually, threeRegions, type RegionsUnderTest } from './helpers.js'

describe('disassociating a replica', () => {
  let regions: RegionsUnderTest
  let east: DynamoDBClient
  let west: DynamoDBClient
  let europe: DynamoDBClient

  before(async () => {
    regions = await threeRegions()
    ;({ east, west, europe } = regions)
  })
  after(() => regions.close())

  const update = (client: DynamoDBClient, TableName: string, input: Omit<UpdateTableCommandInput, 'TableName'>) =>
    client.send(new UpdateTableCommand({ TableName, ...input }))
  const disassociate = (client: DynamoDBClient, table: string, RegionName: string) =>
    update(client, table, { ReplicaUpdates: [{ Disassociate: { RegionName, DisassociationMode: 'WAIT_FOR_REPLICATION' } }] })
  const put = (client: DynamoDBClient, table: string, pk: string) =>
    client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk } } }))
  const has = async (client: DynamoDBClient, table: string, pk: string) =>
    (await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } }, ConsistentRead: true }))).Item !== undefined
  const invalid = 'One or more parameter values were invalid: '

  async function threeMemberTable(prefix: string): Promise<string> {
    const table = uniqueTableName(prefix)
    await createKeyTable(east, table)
    await addWestReplica(east, table)
    await update(east, table, { ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] })
    await eventually(async () => (await describeIn(east, table)).Replicas?.every((replica) => replica.ReplicaStatus === 'ACTIVE') === true,
      'every replica ACTIVE')
    return table
  }

  it('is protected by default, per replica, and the protection changes alone and in place', async () => {
    const table = await threeMemberTable('disassociation-protection')
    for (const client of [east, west, europe]) assert.equal((await describeIn(client, table)).DisassociationProtectionEnabled, true)

    await expectError(disassociate(west, table, 'us-west-2'), 'ValidationException',
      `Cannot disassociate table ${table} in region us-west-2 because it has disassociation protection enabled. Disable disassociation protection first.`)
    await expectError(update(west, table, { DisassociationProtectionEnabled: false, DeletionProtectionEnabled: true }), 'ValidationException',
      `${invalid}DeletionProtection modification must be the only operation in the request`)
    await expectError(update(west, table, { DisassociationProtectionEnabled: false, TableClass: 'STANDARD_INFREQUENT_ACCESS' }), 'ValidationException',
      `${invalid}TableClass modification must be the only operation in the request`)
    await expectError(update(west, table, { DisassociationProtectionEnabled: false, BillingMode: 'PAY_PER_REQUEST' }), 'ValidationException',
      `${invalid}DisassociationProtection modification must be the only operation in the request`)

    const answer = (await update(west, table, { DisassociationProtectionEnabled: false })).TableDescription!
    assert.equal(answer.TableStatus, 'ACTIVE')
    assert.equal(answer.DisassociationProtectionEnabled, false)
    assert.equal((await describeIn(west, table)).DisassociationProtectionEnabled, false)
    assert.equal((await describeIn(east, table)).DisassociationProtectionEnabled, true)

    // A table that is not global has no such setting.
    const single = uniqueTableName('not-global')
    await createKeyTable(east, single)
    assert.equal((await describeIn(east, single)).DisassociationProtectionEnabled, undefined)
    await expectError(update(east, single, { DisassociationProtectionEnabled: false }), 'ValidationException',
      `${invalid}DisassociationProtectionEnabled can only be specified for a replica of a global table using version 2019.11.21 with multi-Region eventual consistency`)
    await expectError(disassociate(east, single, 'us-east-1'), 'ValidationException', `${invalid}Table ${single} in region us-east-1 is not a replica of a global table`)
  })

  it('refuses a Disassociate of another region, beside other replica updates, or without its mode', async () => {
    const table = await threeMemberTable('disassociate-refusals')
    await update(west, table, { DisassociationProtectionEnabled: false })
    await expectError(disassociate(west, table, 'us-east-1'), 'ValidationException',
      `${invalid}Disassociate can only name the replica in the region of the request (us-west-2), not us-east-1`)
    await expectError(update(west, table, { ReplicaUpdates: [
      { Disassociate: { RegionName: 'us-west-2', DisassociationMode: 'WAIT_FOR_REPLICATION' } },
      { Update: { RegionName: 'eu-west-1', TableClassOverride: 'STANDARD' } },
    ] }), 'ValidationException', `${invalid}Disassociate must be the only replica update in the request`)
    await expectError(update(west, table, { ReplicaUpdates: [
      { Disassociate: { RegionName: 'us-west-2', DisassociationMode: 'NOW' as 'WAIT_FOR_REPLICATION' } },
    ] }), 'ValidationException', /Member must satisfy enum value set: \[WAIT_FOR_REPLICATION\]/)
    assert.equal((await describeIn(west, table)).Replicas?.length, 2)
  })

  it('leaves the group once both sides\' writes are replicated; the replica keeps its table, the others stay global', async () => {
    const table = await threeMemberTable('disassociate-three')
    await update(west, table, { DisassociationProtectionEnabled: false })
    const streamBefore = (await describeIn(west, table)).LatestStreamArn
    // Written just before: WAIT_FOR_REPLICATION lets them reach the other side first.
    await Promise.all([put(west, table, 'from-west'), put(east, table, 'from-east')])

    const answer = (await disassociate(west, table, 'us-west-2')).TableDescription!
    assert.equal(answer.TableStatus, 'UPDATING')
    assert.deepEqual(answer.Replicas?.map((replica) => replica.RegionName).sort(), ['eu-west-1', 'us-east-1'])

    await eventually(async () => (await describeIn(west, table)).TableStatus === 'ACTIVE', 'us-west-2 ACTIVE')
    const alone = await describeIn(west, table)
    assert.equal(alone.Replicas, undefined)
    assert.equal(alone.GlobalTableVersion, undefined)
    assert.equal(alone.DisassociationProtectionEnabled, undefined)
    assert.equal(alone.LatestStreamArn, streamBefore)
    assert.equal(await has(west, table, 'from-east'), true)
    for (const client of [east, europe]) assert.equal(await has(client, table, 'from-west'), true)
    assert.deepEqual((await describeIn(east, table)).Replicas?.map((replica) => replica.RegionName), ['eu-west-1'])
    assert.deepEqual((await describeIn(europe, table)).Replicas?.map((replica) => replica.RegionName), ['us-east-1'])

    // Replication goes on between the two others, and no longer reaches the table that left, either way.
    await put(east, table, 'after')
    await eventually(() => has(europe, table, 'after'), 'a write in us-east-1 replicated to eu-west-1')
    assert.equal(await has(west, table, 'after'), false)
    await put(west, table, 'west-only')
    await put(europe, table, 'marker')
    await eventually(() => has(east, table, 'marker'), 'a write in eu-west-1 replicated to us-east-1')
    assert.equal(await has(east, table, 'west-only'), false)
    // The table that left can be changed like any table: its stream can be turned off now.
    await update(west, table, { StreamSpecification: { StreamEnabled: false } })
  })

  it('leaves both members of a group of two standing alone', async () => {
    const table = uniqueTableName('disassociate-two')
    await createKeyTable(east, table)
    await addWestReplica(east, table)
    await update(east, table, { DisassociationProtectionEnabled: false })
    await disassociate(east, table, 'us-east-1')
    for (const client of [east, west]) {
      const described = await describeIn(client, table)
      assert.equal(described.Replicas, undefined)
      assert.equal(described.GlobalTableVersion, undefined)
    }
    await put(west, table, 'west-after')
    await put(east, table, 'east-after')
    assert.equal(await has(east, table, 'west-after'), false)
    assert.equal(await has(west, table, 'east-after'), false)
  })
})
