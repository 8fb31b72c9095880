/**
 * UpdateTable applied to a stored record: billing mode switches, throughput bookkeeping,
 * streams, encryption and the rules on which changes may share one request.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { newTableRecord } from './new-table.js'
import type { CreateTableInput } from './new-table.js'
import type { TableRecord } from './record.js'
import { billingModeOf, settleRecord } from './record.js'
import { effectiveWarmThroughput } from './warm-throughput.js'
import { applyTableUpdate } from './table-update.js'
import { checkCombination, checkSomethingToUpdate } from './update-input.js'
import type { UpdateTableInput } from './update-input.js'

const placement = { region: 'us-east-1', accountId: '123456789012', nowMs: 86_400_000 }

/** A table as stored once it has become ACTIVE. */
function provisionedTable(extra: Partial<CreateTableInput> = {}): TableRecord {
  const record = newTableRecord({
    TableName: 'things',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    GlobalSecondaryIndexes: [{
      IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' },
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
    }],
    ...extra,
  }, placement, 0)
  settleRecord(record, placement.nowMs)
  return record
}

function update(record: TableRecord, input: Omit<UpdateTableInput, 'TableName'>, nowMs = placement.nowMs) {
  return applyTableUpdate(record, { TableName: 'things', ...input }, { ...placement, nowMs }, 0)
}

function rejects(action: () => unknown, message: string): void {
  assert.throws(action, (error: any) => {
    assert.equal(error.message, message)
    return true
  })
}

test('an UpdateTable that changes nothing names what it could change', () => {
  rejects(() => checkSomethingToUpdate({ TableName: 'things' }),
    'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ' +
    'ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, ' +
    'OnDemandThroughput, WarmThroughput or TableClass is required')
  // DynamoDB quirk: a member already in the request drops out of the list.
  rejects(() => checkSomethingToUpdate({ TableName: 'things', MultiRegionConsistency: 'STRONG' }),
    'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ' +
    'ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, DeletionProtectionEnabled, ' +
    'OnDemandThroughput, WarmThroughput or TableClass is required')
})

test('some changes must be made on their own', () => {
  rejects(() => checkCombination({ TableName: 't', SSESpecification: { Enabled: true }, DeletionProtectionEnabled: true }),
    'One or more parameter values were invalid: Server-Side Encryption modification must be the only operation in the request')
  rejects(() => checkCombination({ TableName: 't', TableClass: 'STANDARD', DeletionProtectionEnabled: true }),
    'One or more parameter values were invalid: TableClass modification must be the only operation in the request')
  rejects(() => checkCombination({ TableName: 't', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }, StreamSpecification: { StreamEnabled: false } }),
    'One or more parameter values were invalid: You cannot modify stream status while updating table IOPS')
  checkCombination({ TableName: 't', BillingMode: 'PAY_PER_REQUEST', StreamSpecification: { StreamEnabled: false } })
  rejects(() => checkCombination({ TableName: 't', StreamSpecification: { StreamEnabled: false }, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'x' } }] }),
    'One or more parameter values were invalid: You cannot create or delete index while changing stream status')
  // The API-quirks lab's catalogue, against AWS, 2026-10: the order SSE > TableClass > DP > ODT > Warm,
  // a GSI create named beside WarmThroughput, and an empty WarmThroughput beside another change.
  rejects(() => checkCombination({ TableName: 't', OnDemandThroughput: { MaxReadRequestUnits: 5 }, WarmThroughput: { ReadUnitsPerSecond: 13000 } }),
    'One or more parameter values were invalid: OnDemandThroughput can only be combined with BillingMode in an UpdateTable request')
  const create = { IndexName: 'x', KeySchema: [{ AttributeName: 'x', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' as const } }
  rejects(() => checkCombination({ TableName: 't', WarmThroughput: { ReadUnitsPerSecond: 13000 }, GlobalSecondaryIndexUpdates: [{ Create: create }] }),
    'One or more parameter values were invalid: Create global secondary index cannot be specified when updating WarmThroughput')
  checkCombination({ TableName: 't', WarmThroughput: {}, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } })
  rejects(() => checkCombination({ TableName: 't', WarmThroughput: { ReadUnitsPerSecond: 13000 }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
    'One or more parameter values were invalid: WarmThroughput must be the only operation in the request')
})

test('throughput changes keep the increase/decrease bookkeeping', () => {
  const record = provisionedTable()
  update(record, { ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 2 } })
  const throughput = record.description.ProvisionedThroughput
  assert.deepEqual(throughput, {
    NumberOfDecreasesToday: 1, ReadCapacityUnits: 10, WriteCapacityUnits: 2,
    LastIncreaseDateTime: 86_400, LastDecreaseDateTime: 86_400,
  })
  assert.equal(record.description.TableStatus, 'UPDATING')
  rejects(() => update(record, { ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 2 } }),
    'The provisioned throughput for the table will not change. The requested value equals the current value. ' +
    'Current ReadCapacityUnits provisioned for the table: 10. Requested ReadCapacityUnits: 10. ' +
    'Current WriteCapacityUnits provisioned for the table: 2. Requested WriteCapacityUnits: 2. ' +
    'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.')
})

test('switching to on-demand zeroes capacity; switching back needs capacity for table and GSIs', () => {
  const record = provisionedTable()
  // Capacity with the switch is refused in other words than capacity for a table already on demand (DDB-TABLE-056).
  rejects(() => update(record, { BillingMode: 'PAY_PER_REQUEST', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
    'One or more parameter values were invalid: ProvisionedThroughput cannot be specified when BillingMode is PAY_PER_REQUEST')
  update(record, { BillingMode: 'PAY_PER_REQUEST' })
  assert.deepEqual(record.description.BillingModeSummary, { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: 86_400 })
  assert.equal(record.description.GlobalSecondaryIndexes![0]!.ProvisionedThroughput.ReadCapacityUnits, 0)
  rejects(() => update(record, { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
    'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST')
  rejects(() => update(record, { BillingMode: 'PROVISIONED' }),
    'One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED')
  rejects(() => update(record, { BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
    'One or more parameter values were invalid: ProvisionedThroughput must be specified for index: byG')
  update(record, {
    BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 },
    GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byG', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } } }],
  })
  assert.deepEqual(record.description.BillingModeSummary, { BillingMode: 'PROVISIONED', LastUpdateToPayPerRequestDateTime: 86_400 })
  assert.equal(record.description.GlobalSecondaryIndexes![0]!.ProvisionedThroughput.WriteCapacityUnits, 2)
})

test('streams are enabled with a new label, and disabled keeping the last ARN', () => {
  const record = provisionedTable()
  rejects(() => update(record, { StreamSpecification: { StreamEnabled: true } }),
    'One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required')
  rejects(() => update(record, { StreamSpecification: { StreamEnabled: false } }), 'Table has no stream to disable: TableName: things')
  update(record, { StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } })
  assert.equal(record.description.LatestStreamLabel, '1970-01-02T00:00:00.000')
  rejects(() => update(record, { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }),
    'Table already has an enabled stream: TableName: things')
  rejects(() => update(record, { StreamSpecification: { StreamEnabled: false, StreamViewType: 'NEW_IMAGE' } }),
    'One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be specified')
  update(record, { StreamSpecification: { StreamEnabled: false } })
  assert.equal(record.description.StreamSpecification, undefined)
  assert.equal(record.description.LatestStreamArn, 'arn:aws:dynamodb:us-east-1:123456789012:table/things/stream/1970-01-02T00:00:00.000')
})

test('encryption can be turned on with a KMS key and back to the default', () => {
  const record = provisionedTable()
  rejects(() => update(record, { SSESpecification: { Enabled: false } }),
    'One or more parameter values were invalid: Table is already encrypted by default')
  update(record, { SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'key-1' } })
  assert.deepEqual(record.description.SSEDescription, {
    Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/key-1',
  })
  // Naming the key in use by its ARN is a refused no-op; by its id DynamoDB accepts it (DDB-TABLE-082).
  rejects(() => update(record, { SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'arn:aws:kms:us-east-1:123456789012:key/key-1' } }),
    'One or more parameter values were invalid: Table is already encrypted with given KMSMasterKeyId. ' +
    'Use KMSMasterKeyId parameter if you want to change Master Key')
  update(record, { SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'key-1' } })
  update(record, { SSESpecification: { Enabled: false } })
  assert.equal(record.description.SSEDescription, undefined)
})

test('GSI updates: one structural change at a time, known names only', () => {
  const record = provisionedTable()
  const create = (name: string) => ({ Create: { IndexName: name, KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } })
  const definitions = [{ AttributeName: 'g', AttributeType: 'S' as const }]
  rejects(() => update(record, { AttributeDefinitions: definitions, GlobalSecondaryIndexUpdates: [create('a1'), create('a2')] }),
    'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table')
  rejects(() => update(record, { GlobalSecondaryIndexUpdates: [create('a1')] }),
    'One or more parameter values were invalid: AttributeDefinitions is not specified for index: a1')
  rejects(() => update(record, { GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'nope' } }] }), 'Requested resource not found: Index nope for table things')
  rejects(() => update(record, { GlobalSecondaryIndexUpdates: [{}] }),
    'One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null')
  rejects(() => update(record, { GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byG', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } }] }),
    'The provisioned throughput for the index byG will not change. The requested value equals the current value. ' +
    'Current ReadCapacityUnits provisioned for index byG: 1. Requested ReadCapacityUnits: 1. ' +
    'Current WriteCapacityUnits provisioned for index byG: 1. Requested WriteCapacityUnits: 1. ' +
    'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.')
  const changes = update(record, { AttributeDefinitions: definitions, GlobalSecondaryIndexUpdates: [create('a1')] })
  assert.deepEqual(changes, { created: ['a1'], deleted: [] })
  const added = record.description.GlobalSecondaryIndexes!.at(-1)!
  assert.equal(added.IndexStatus, 'CREATING')
  assert.equal(added.Backfilling, true)
})

// A new index on a PROVISIONED table needs its capacity, in UpdateTable's own words (the API-quirks
// lab's catalogue of DynamoDB's ValidationExceptions, verified 2026).
test('a new GSI on a PROVISIONED table without capacity is refused in UpdateTable\'s words', () => {
  rejects(() => update(provisionedTable(), {
    AttributeDefinitions: [{ AttributeName: 'h', AttributeType: 'S' }],
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byH', KeySchema: [{ AttributeName: 'h', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
  }), 'One or more parameter values were invalid: Both ReadCapacityUnits and WriteCapacityUnits must be specified for index: byH')
})

test('on a provisioned table a warm throughput decrease is named before the capacity (DDB-TABLE-059)', () => {
  const record = provisionedTable()
  update(record, { WarmThroughput: { ReadUnitsPerSecond: 9, WriteUnitsPerSecond: 9 } })
  settleRecord(record, placement.nowMs)
  rejects(() => update(record, { WarmThroughput: { ReadUnitsPerSecond: 1 } }),
    'One or more parameter values were invalid: Requested ReadUnitsPerSecond for WarmThroughput for table is lower than current WarmThroughput, decreasing WarmThroughput is not supported')
})

test('a GSI keeps the warm throughput it reached when its capacity or the billing mode lowers it (DDB-TABLE-134, -153)', () => {
  const record = provisionedTable()
  const indexWarm = () => {
    const index = record.description.GlobalSecondaryIndexes![0]!
    const warm = effectiveWarmThroughput(index.WarmThroughput, billingModeOf(record.description), index.ProvisionedThroughput)
    return [warm.ReadUnitsPerSecond, warm.WriteUnitsPerSecond]
  }
  update(record, { GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byG', ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 3 } } }] })
  settleRecord(record, placement.nowMs)
  update(record, { GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byG', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } } }] })
  settleRecord(record, placement.nowMs)
  assert.deepEqual(indexWarm(), [3, 3])
  update(record, { BillingMode: 'PAY_PER_REQUEST' })
  settleRecord(record, placement.nowMs)
  update(record, { BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byG', ProvisionedThroughput: { ReadCapacityUnits: 50, WriteCapacityUnits: 50 } } }] })
  assert.deepEqual(indexWarm(), [12000, 4000])
})
