/**
 * Multi-Region strong consistency (MRSC) global tables, every region in one process, through the
 * AWS SDK: made in one UpdateTable on an empty table, frozen, dissolved in one request; writes
 * answered only once every replica has them; concurrent writes from two regions refused with
 * ReplicatedWriteConflictException; DynamoDB's refusals in its words.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  CreateTableCommand, DeleteTableCommand, DescribeTableCommand, GetItemCommand, ListTablesCommand, PutItemCommand,
  TransactGetItemsCommand, TransactWriteItemsCommand, UpdateItemCommand, UpdateTableCommand, UpdateTimeToLiveCommand,
  type DynamoDBClient, type UpdateTableCommandInput,
} from '@aws-sdk/client-dynamodb'
import { uniqueTableName } from '../helpers/server.js'
import { expectError } from '../helpers/errors.js'
import { createKeyTable, describeIn, eventually, regionClient, sameContents, threeRegions, type RegionsUnderTest } from './helpers.js'

const strongSuffix = 'for global tables with MultiRegionConsistency set to STRONG'

describe('global tables with multi-Region strong consistency', () => {
  let regions: RegionsUnderTest
  let east: DynamoDBClient
  let west: DynamoDBClient
  let europe: DynamoDBClient
  /** us-east-2: the witness region, where no table is made. */
  let witnessRegion: DynamoDBClient

  before(async () => {
    regions = await threeRegions()
    ;({ east, west, europe } = regions)
    witnessRegion = regionClient(regions.server.endpoint, 'us-east-2')
  })
  after(async () => {
    witnessRegion.destroy()
    await regions.close()
  })

  const get = async (client: DynamoDBClient, table: string, pk: string) =>
    (await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } }, ConsistentRead: true }))).Item
  const update = (table: string, input: Omit<UpdateTableCommandInput, 'TableName'>) => east.send(new UpdateTableCommand({ TableName: table, ...input }))

  /** A strongly consistent table in us-east-1 and us-west-2 with its witness in us-east-2, all ACTIVE. */
  async function strongTableWithWitness(): Promise<string> {
    const table = uniqueTableName('mrsc')
    await createKeyTable(east, table)
    const answer = await update(table, {
      MultiRegionConsistency: 'STRONG',
      ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }],
      GlobalTableWitnessUpdates: [{ Create: { RegionName: 'us-east-2' } }],
    })
    assert.equal(answer.TableDescription?.TableStatus, 'UPDATING')
    assert.equal(answer.TableDescription?.MultiRegionConsistency, 'STRONG')
    assert.equal(answer.TableDescription?.GlobalTableVersion, '2019.11.21')
    await eventually(async () => {
      const described = await describeIn(east, table)
      return described.Replicas?.[0]?.ReplicaStatus === 'ACTIVE' && described.GlobalTableWitnesses?.[0]?.WitnessStatus === 'ACTIVE'
    }, 'replica and witness ACTIVE')
    return table
  }

  it('refuses malformed strong groups with DynamoDB\'s messages, before anything changes', async () => {
    const table = uniqueTableName('mrsc-refused')
    await createKeyTable(east, table)
    const cases: Array<[Omit<UpdateTableCommandInput, 'TableName'>, string]> = [
      [{ MultiRegionConsistency: 'STRONG', ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] },
        `Unsupported replica count ${strongSuffix}.`],
      [{ ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }], GlobalTableWitnessUpdates: [{ Create: { RegionName: 'us-east-2' } }] },
        'MultiRegionConsistency must be set as STRONG when GlobalTableWitnessUpdates parameter is present.'],
      [{ MultiRegionConsistency: 'EVENTUAL', ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }], GlobalTableWitnessUpdates: [{ Create: { RegionName: 'us-east-2' } }] },
        'MultiRegionConsistency must be set as STRONG when GlobalTableWitnessUpdates parameter is present.'],
      [{ MultiRegionConsistency: 'STRONG', ReplicaUpdates: [{ Create: { RegionName: 'us-west-1' } }], GlobalTableWitnessUpdates: [{ Create: { RegionName: 'us-east-2' } }] },
        `Unsupported Region(s) specified ${strongSuffix}: [us-west-1].`],
      [{ MultiRegionConsistency: 'STRONG', ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }], GlobalTableWitnessUpdates: [{ Create: { RegionName: 'us-west-2' } }] },
        'Cannot target multiple regions with the same action'],
      [{ MultiRegionConsistency: 'STRONG', ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }], GlobalTableWitnessUpdates: [{ Create: { RegionName: 'us-east-1' } }] },
        'Cannot add a witness in the same region as an existing replica when creating a global table with MultiRegionConsistency set to STRONG.'],
      [{ MultiRegionConsistency: 'STRONG', ReplicaUpdates: [{ Delete: { RegionName: 'us-west-2' } }] },
        'Only Replica Create actions are supported when MultiRegionConsistency parameter is provided.'],
      [{ ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }, { Create: { RegionName: 'eu-west-1' } }] },
        'Update table operation with more than one create or delete replica actions not allowed'],
      [{ MultiRegionConsistency: 'STRONG', ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }], GlobalTableWitnessUpdates: [{ Create: { RegionName: 'us-east-2' } }], DeletionProtectionEnabled: true },
        'One or more parameter values were invalid: Requests that modify replicas or witnesses must not also modify other fields'],
    ]
    for (const [input, message] of cases) await expectError(update(table, input), 'ValidationException', message)
    // Neither the mode nor a witness alone is a change.
    await expectError(update(table, { MultiRegionConsistency: 'STRONG' }), 'ValidationException', /^At least one of ProvisionedThroughput, .*ReplicaTransitRoleArn, DeletionProtectionEnabled/)
    await expectError(update(table, { GlobalTableWitnessUpdates: [{ Create: { RegionName: 'us-east-2' } }] }), 'ValidationException', /^At least one of /)
    await expectError(update(table, {
      MultiRegionConsistency: 'STRONG', ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }],
      GlobalTableWitnessUpdates: [{ Create: { RegionName: 'us-east-2' } }, { Create: { RegionName: 'eu-west-1' } }],
    }), 'ValidationException', /at 'globalTableWitnessUpdates' failed to satisfy constraint: Member must have length less than or equal to 1/)
    // A table must be empty to become strongly consistent.
    await east.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'one' } } }))
    await expectError(update(table, {
      MultiRegionConsistency: 'STRONG', ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }, { Create: { RegionName: 'eu-west-1' } }],
    }), 'ValidationException', 'A table with items cannot become a global table with MultiRegionConsistency set to STRONG.')
    const described = await describeIn(east, table)
    assert.equal(described.Replicas, undefined)
    assert.equal(described.MultiRegionConsistency, undefined)
    assert.ok(!(await west.send(new ListTablesCommand({}))).TableNames?.includes(table))
  })

  it('makes a replica and a witness in one request; the witness region has no table', async () => {
    const table = await strongTableWithWitness()
    for (const [client, other] of [[east, 'us-west-2'], [west, 'us-east-1']] as const) {
      const described = await describeIn(client, table)
      assert.equal(described.MultiRegionConsistency, 'STRONG')
      assert.deepEqual(described.GlobalTableWitnesses, [{ RegionName: 'us-east-2', WitnessStatus: 'ACTIVE' }])
      assert.deepEqual(described.Replicas?.map((replica) => [replica.RegionName, replica.ReplicaStatus]), [[other, 'ACTIVE']])
    }
    // DynamoDB turns no stream on for a strongly consistent group; one may be turned on and off.
    for (const client of [east, west]) assert.equal((await describeIn(client, table)).StreamSpecification, undefined)
    await update(table, { StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } })
    assert.equal((await describeIn(east, table)).StreamSpecification?.StreamViewType, 'KEYS_ONLY')
    await eventually(async () => (await describeIn(east, table)).TableStatus === 'ACTIVE', 'table ACTIVE after the stream change')
    await update(table, { StreamSpecification: { StreamEnabled: false } })
    await expectError(witnessRegion.send(new DescribeTableCommand({ TableName: table })), 'ResourceNotFoundException')
    assert.ok(!(await witnessRegion.send(new ListTablesCommand({}))).TableNames?.includes(table))
    // An eventually consistent global table never names its mode.
    const eventual = uniqueTableName('mrec')
    await createKeyTable(east, eventual)
    await update(eventual, { ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] })
    assert.equal((await describeIn(east, eventual)).MultiRegionConsistency, undefined)
    await expectError(update(eventual, {
      MultiRegionConsistency: 'STRONG', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }], GlobalTableWitnessUpdates: [{ Create: { RegionName: 'us-east-2' } }],
    }), 'ValidationException', 'MultiRegionConsistency parameter is unsupported on existing global table')
  })

  it('answers a write only once the other replica has it: every read after it, in either region, sees it', async () => {
    const table = await strongTableWithWitness()
    for (let round = 0; round < 20; round++) {
      const [writer, reader] = round % 2 === 0 ? [east, west] : [west, east]
      await writer.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `item-${round % 5}` }, round: { N: String(round) } } }))
      assert.equal((await get(reader, table, `item-${round % 5}`))?.round?.N, String(round), `round ${round}`)
    }
    // Many writes at once, each read in the other region as soon as it is answered: replication
    // lags behind a burst, so a write answered before its replica had it would be missed here.
    await Promise.all(Array.from({ length: 60 }, async (_, index) => {
      const [writer, reader] = index % 2 === 0 ? [east, west] : [west, east]
      await writer.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `burst-${index}` } } }))
      assert.ok(await get(reader, table, `burst-${index}`), `burst-${index} not in the other region after its answer`)
    }))
    await east.send(new UpdateItemCommand({
      TableName: table, Key: { pk: { S: 'item-0' } }, UpdateExpression: 'SET round = round + :one', ExpressionAttributeValues: { ':one': { N: '100' } },
    }))
    assert.equal((await get(west, table, 'item-0'))?.round?.N, '115')
  })

  it('refuses a write to an item another region is writing with ReplicatedWriteConflictException, and the replicas agree', async () => {
    const table = await strongTableWithWitness()
    const keys = Array.from({ length: 40 }, (_, index) => `contended-${index}`)
    const outcomes = await Promise.all(keys.flatMap((pk) => [east, west].map(async (client, writer) => {
      try {
        await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, writer: { N: String(writer) } } }))
        return 'written'
      } catch (error) {
        const failure = error as Error & { $metadata?: { httpStatusCode?: number } }
        assert.equal(failure.name, 'ReplicatedWriteConflictException', failure.message)
        assert.equal(failure.message, 'The request was rejected because one or more items in the request are being modified by a request in another Region.')
        assert.equal(failure.$metadata?.httpStatusCode, 400)
        return 'conflict'
      }
    })))
    assert.ok(outcomes.includes('conflict'), 'no write met another region\'s write of the same item')
    assert.ok(outcomes.includes('written'))
    // Every item was written by someone, and both replicas hold the same version of it.
    for (const pk of keys) assert.ok(await get(east, table, pk), pk)
    assert.ok(await sameContents([east, west], table), 'replicas differ')
  })

  it('refuses transactions, Time to Live, new replicas, single deletions and mode changes', async () => {
    const table = await strongTableWithWitness()
    await expectError(east.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: table, Item: { pk: { S: 'a' } } } }] })),
      'ValidationException', `Transactions are not supported ${strongSuffix}.`)
    await expectError(west.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: table, Key: { pk: { S: 'a' } } } }] })),
      'ValidationException', `Transactions are not supported ${strongSuffix}.`)
    await expectError(east.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true } })),
      'ValidationException', `Time to Live is not supported ${strongSuffix}.`)
    await expectError(update(table, { ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }),
      'ValidationException', 'Cannot add replicas to a global table with strong MultiRegionConsistency')
    await expectError(update(table, { MultiRegionConsistency: 'STRONG', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }),
      'ValidationException', `Unsupported replica count ${strongSuffix}.`)
    await expectError(update(table, { MultiRegionConsistency: 'EVENTUAL', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }),
      'ValidationException', 'MultiRegionConsistency parameter is unsupported on existing global table')
    await expectError(update(table, { ReplicaUpdates: [{ Delete: { RegionName: 'us-west-2' } }] }),
      'ValidationException', 'Update table delete operation does not include all witnesses.')
    await expectError(update(table, { ReplicaUpdates: [{ Delete: { RegionName: 'us-west-2' } }], GlobalTableWitnessUpdates: [{ Delete: { RegionName: 'eu-west-1' } }] }),
      'ValidationException', 'Update global table operation failed because one or more witnesses were not part of the global table. Please retry the request without these witnesses: [eu-west-1].')
    for (const client of [east, west]) {
      await expectError(client.send(new DeleteTableCommand({ TableName: table })), 'ValidationException', `Deletion of only one table replica is not supported ${strongSuffix}.`)
    }
    assert.equal((await describeIn(west, table)).MultiRegionConsistency, 'STRONG')
  })

  it('dissolves a group in one request deleting the replica and the witness, leaving an ordinary table', async () => {
    const table = await strongTableWithWitness()
    await east.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'kept' } } }))
    const answer = await update(table, {
      ReplicaUpdates: [{ Delete: { RegionName: 'us-west-2' } }], GlobalTableWitnessUpdates: [{ Delete: { RegionName: 'us-east-2' } }],
    })
    assert.equal(answer.TableDescription?.TableStatus, 'UPDATING')
    await expectError(west.send(new DescribeTableCommand({ TableName: table })), 'ResourceNotFoundException')
    const described = await describeIn(east, table)
    for (const member of ['Replicas', 'GlobalTableVersion', 'MultiRegionConsistency', 'GlobalTableWitnesses'] as const) assert.equal(described[member], undefined, member)
    assert.ok(await get(east, table, 'kept'))
    // An ordinary table again: transactions work, and it can be deleted.
    await east.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: table, Item: { pk: { S: 'after' } } } }] }))
    await east.send(new DeleteTableCommand({ TableName: table }))
  })

  it('makes a group of three replicas in one request, replicated to both before each answer', async () => {
    const table = uniqueTableName('mrsc-three')
    await createKeyTable(east, table)
    await update(table, { MultiRegionConsistency: 'STRONG', ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }, { Create: { RegionName: 'eu-west-1' } }] })
    await eventually(async () => (await describeIn(east, table)).Replicas?.every((replica) => replica.ReplicaStatus === 'ACTIVE') === true, 'replicas ACTIVE')
    const described = await describeIn(europe, table)
    assert.equal(described.MultiRegionConsistency, 'STRONG')
    assert.equal(described.GlobalTableWitnesses, undefined)
    assert.deepEqual(described.Replicas?.map((replica) => replica.RegionName).sort(), ['us-east-1', 'us-west-2'])
    for (let round = 0; round < 6; round++) {
      const writer = [east, west, europe][round % 3]!
      await writer.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'shared' }, round: { N: String(round) } } }))
      for (const reader of [east, west, europe]) assert.equal((await get(reader, table, 'shared'))?.round?.N, String(round), `round ${round}`)
    }
    await expectError(update(table, { ReplicaUpdates: [{ Delete: { RegionName: 'eu-west-1' } }] }),
      'ValidationException', `Deletion of only one table replica is not supported ${strongSuffix}.`)
    await update(table, { ReplicaUpdates: [{ Delete: { RegionName: 'us-west-2' } }, { Delete: { RegionName: 'eu-west-1' } }] })
    assert.equal((await describeIn(east, table)).Replicas, undefined)
    await expectError(europe.send(new DescribeTableCommand({ TableName: table })), 'ResourceNotFoundException')
  })

  it('refuses a table with local secondary indexes or Time to Live', async () => {
    const withIndex = uniqueTableName('mrsc-lsi')
    await east.send(new CreateTableCommand({
      TableName: withIndex, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'other', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      LocalSecondaryIndexes: [{ IndexName: 'byOther', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'other', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
    }))
    const strong: Omit<UpdateTableCommandInput, 'TableName'> = { MultiRegionConsistency: 'STRONG', ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }, { Create: { RegionName: 'eu-west-1' } }] }
    await expectError(update(withIndex, strong), 'ValidationException', `Local secondary indexes are not supported ${strongSuffix}.`)
    const withTimeToLive = uniqueTableName('mrsc-ttl')
    await createKeyTable(east, withTimeToLive)
    await east.send(new UpdateTimeToLiveCommand({ TableName: withTimeToLive, TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true } }))
    await expectError(update(withTimeToLive, strong), 'ValidationException', `Time to Live is not supported ${strongSuffix}.`)
  })
})
