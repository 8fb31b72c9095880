/**
 * TableDescription shapes: what DynamoDB shows for provisioned and on-demand tables, for
 * local and global indexes, and the data-plane schema derived from the same record.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { describeRecord } from './describe.js'
import { newTableRecord } from './new-table.js'
import { schemaOf, settleRecord } from './record.js'
import { checkResourceArn } from './resource-arn.js'

const placement = { region: 'eu-west-1', accountId: '000000000000', nowMs: 1_600_000_000_500 }

const withIndexes = newTableRecord({
  TableName: 'orders',
  AttributeDefinitions: [
    { AttributeName: 'customer', AttributeType: 'S' }, { AttributeName: 'placed', AttributeType: 'N' },
    { AttributeName: 'status', AttributeType: 'S' },
  ],
  KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'placed', KeyType: 'RANGE' }],
  ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 },
  LocalSecondaryIndexes: [{
    IndexName: 'byStatus', KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'status', KeyType: 'RANGE' }],
    Projection: { ProjectionType: 'KEYS_ONLY' },
  }],
  GlobalSecondaryIndexes: [{
    IndexName: 'statusDate', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }, { AttributeName: 'placed', KeyType: 'RANGE' }],
    Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] },
    ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 2 },
  }],
}, placement, 0)

test('a provisioned table without BillingMode has no BillingModeSummary', () => {
  const described = describeRecord(withIndexes, { table: { count: 2, bytes: 40 }, indexes: { statusDate: { count: 1, bytes: 9 } } })
  assert.equal(described.BillingModeSummary, undefined)
  assert.deepEqual(described.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 3, WriteCapacityUnits: 4 })
  assert.equal(described.CreationDateTime, 1_600_000_000.5)
  assert.equal(described.ItemCount, 2)
  assert.equal(described.TableSizeBytes, 40)
})

test('index descriptions: LSIs have no status or throughput, GSIs do', () => {
  const described = describeRecord(withIndexes, { table: { count: 0, bytes: 0 }, indexes: { statusDate: { count: 1, bytes: 9 } } })
  assert.deepEqual(described.LocalSecondaryIndexes, [{
    IndexName: 'byStatus',
    KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'status', KeyType: 'RANGE' }],
    Projection: { ProjectionType: 'KEYS_ONLY' },
    IndexSizeBytes: 0, ItemCount: 0,
    IndexArn: 'arn:aws:dynamodb:eu-west-1:000000000000:table/orders/index/byStatus',
  }])
  assert.deepEqual(described.GlobalSecondaryIndexes, [{
    IndexName: 'statusDate',
    KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }, { AttributeName: 'placed', KeyType: 'RANGE' }],
    Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] },
    IndexStatus: 'CREATING',
    ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 1, WriteCapacityUnits: 2 },
    IndexSizeBytes: 9, ItemCount: 1,
    IndexArn: 'arn:aws:dynamodb:eu-west-1:000000000000:table/orders/index/statusDate',
    // A provisioned index is warm to its capacity (src/tables/warm-throughput.ts).
    WarmThroughput: { ReadUnitsPerSecond: 1, WriteUnitsPerSecond: 2, Status: 'ACTIVE' },
  }])
})

test('the schema names keys, attribute types and indexes; settling makes GSIs ACTIVE', () => {
  const record = structuredClone(withIndexes)
  assert.equal(settleRecord(record, placement.nowMs - 1), false)
  assert.equal(settleRecord(record, placement.nowMs), true)
  const schema = schemaOf(record)
  assert.deepEqual(schema.key, { partitionKey: 'customer', sortKey: 'placed' })
  assert.deepEqual(schema.attributeTypes, { customer: 'S', placed: 'N', status: 'S' })
  assert.deepEqual(schema.indexes.map((index) => [index.name, index.kind, index.status, index.projectionType]), [
    ['byStatus', 'local', 'ACTIVE', 'KEYS_ONLY'], ['statusDate', 'global', 'ACTIVE', 'INCLUDE'],
  ])
  assert.equal(schema.billingMode, 'PROVISIONED')
  assert.equal(schema.streamEnabled, false)
})

test('resource ARNs are checked in DynamoDB order', () => {
  const check = (arn: string) => () => checkResourceArn(arn, 'eu-west-1', '000000000000')
  assert.throws(check('arn:aws:s3:::bucket'), { message: 'One or more parameter values were invalid: Provided Arn is not a DynamoDB resource arn: arn:aws:s3:::bucket' })
  const indexArn = 'arn:aws:dynamodb:eu-west-1:000000000000:table/orders/index/byStatus'
  assert.throws(check(indexArn), { message: `One or more parameter values were invalid: Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${indexArn}` })
  const otherRegion = 'arn:aws:dynamodb:us-east-1:000000000000:table/orders'
  assert.throws(check(otherRegion), { message: `Invalid TableArn: Invalid ResourceArn provided as input ${otherRegion}` })
  assert.equal(check('arn:aws:dynamodb:eu-west-1:000000000000:table/orders')(), 'arn:aws:dynamodb:eu-west-1:000000000000:table/orders')
})

test('the decreases of the day start again at 00:00 UTC, in the description and at the next decrease', async () => {
  const { changedThroughput } = await import('./capacity-update.js')
  const lastDecreaseMs = Date.UTC(2026, 11, 5, 23, 30)
  const decreased = { LastDecreaseDateTime: lastDecreaseMs / 1000, NumberOfDecreasesToday: 3, ReadCapacityUnits: 2, WriteCapacityUnits: 2 }
  const record = structuredClone(withIndexes)
  record.description.ProvisionedThroughput = decreased
  record.description.GlobalSecondaryIndexes![0]!.ProvisionedThroughput = decreased
  const decreasesAt = (nowMs: number) => {
    const described = describeRecord(record, undefined, undefined, nowMs) as any
    return [described.ProvisionedThroughput.NumberOfDecreasesToday, described.GlobalSecondaryIndexes[0].ProvisionedThroughput.NumberOfDecreasesToday]
  }
  assert.deepEqual(decreasesAt(Date.UTC(2026, 11, 5, 23, 59, 59)), [3, 3])
  assert.deepEqual(decreasesAt(Date.UTC(2026, 11, 6, 0, 0, 1)), [0, 0])
  const lower = { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }
  assert.equal(changedThroughput(decreased, lower, Date.UTC(2026, 11, 5, 23, 45)).NumberOfDecreasesToday, 4)
  assert.equal(changedThroughput(decreased, lower, Date.UTC(2026, 11, 6, 0, 15)).NumberOfDecreasesToday, 1)
})

test('after four decreases in a UTC day, one an hour, the next at the hour or at midnight, whichever comes first', async () => {
  const { requestedThroughput } = await import('./capacity-update.js')
  const fourDone = (lastMs: number) => ({ LastDecreaseDateTime: lastMs / 1000, NumberOfDecreasesToday: 4, ReadCapacityUnits: 5, WriteCapacityUnits: 5 })
  const lower = { ReadCapacityUnits: 4, WriteCapacityUnits: 5 }
  const refusal = (lastMs: number, nowMs: number) => {
    try {
      requestedThroughput(fourDone(lastMs), lower, nowMs)
    } catch (error) {
      return (error as Error).message.replace(/^.*Last decrease at /, 'Last decrease at ')
    }
    return undefined
  }
  assert.equal(refusal(Date.UTC(2026, 9, 8, 23, 20, 48), Date.UTC(2026, 9, 8, 23, 30)),
    'Last decrease at Thursday, October 8, 2026 at 11:20:48 PM Coordinated Universal Time. ' +
    'Next decrease can be made at Friday, October 9, 2026 at 12:00:00 AM Coordinated Universal Time.')
  assert.equal(refusal(Date.UTC(2026, 9, 8, 9, 30), Date.UTC(2026, 9, 8, 10, 0)),
    'Last decrease at Thursday, October 8, 2026 at 9:30:00 AM Coordinated Universal Time. ' +
    'Next decrease can be made at Thursday, October 8, 2026 at 10:30:00 AM Coordinated Universal Time.')
  assert.equal(refusal(Date.UTC(2026, 9, 8, 9, 30), Date.UTC(2026, 9, 8, 10, 30)), undefined)
  assert.equal(requestedThroughput(fourDone(Date.UTC(2026, 9, 8, 9, 30)), lower, Date.UTC(2026, 9, 8, 10, 31)).NumberOfDecreasesToday, 5)
  assert.equal(refusal(Date.UTC(2026, 9, 8, 23, 20), Date.UTC(2026, 9, 9, 0, 0)), undefined, 'a new day')
  assert.doesNotThrow(() => requestedThroughput(fourDone(Date.UTC(2026, 9, 8, 9, 30)), { ReadCapacityUnits: 6, WriteCapacityUnits: 6 }, Date.UTC(2026, 9, 8, 10, 0)))
})

test('a global table is UPDATING while a replica it gained is being created, ACTIVE again once it is', () => {
  const record = newTableRecord({
    TableName: 'global', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST',
  }, placement, 0)
  settleRecord(record, placement.nowMs + 60_000)
  const replica = (RegionName: string, ReplicaStatus: 'CREATING' | 'ACTIVE') => ({ RegionName, ReplicaStatus })
  record.replication = { version: '2019.11.21', replicas: [replica('eu-west-1', 'ACTIVE'), replica('us-east-1', 'CREATING')] } as typeof record.replication
  assert.equal(record.description.TableStatus, 'ACTIVE')
  assert.equal(describeRecord(record).TableStatus, 'UPDATING')
  record.replication!.replicas[1]!.ReplicaStatus = 'ACTIVE'
  assert.equal(describeRecord(record).TableStatus, 'ACTIVE')
  // The new replica's own description: the table it was copied from is ACTIVE, so it is too.
  record.replication!.replicas[0]!.ReplicaStatus = 'CREATING'
  record.replication!.replicas[1]!.ReplicaStatus = 'ACTIVE'
  assert.equal(describeRecord(record).TableStatus, 'ACTIVE')
})
