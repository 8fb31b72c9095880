/**
 * Another replica's settings applied to a replica's record: new and deleted GSIs, billing mode,
 * write capacity from the source, read capacity kept per replica (its own, or its override).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { newTableRecord } from '../tables/new-table.js'
import type { TableRecord } from '../tables/record.js'
import { settleRecord } from '../tables/record.js'
import { applyTableUpdate } from '../tables/table-update.js'
import { applyReplicatedSettings, replicatedSettingsOf } from './replicated-settings.js'

const nowMs = 86_400_000

function provisionedTable(region: string, readUnits: number): TableRecord {
  const record = newTableRecord({
    TableName: 'things',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    ProvisionedThroughput: { ReadCapacityUnits: readUnits, WriteCapacityUnits: 5 },
  }, { region, accountId: '123456789012', nowMs }, 0)
  settleRecord(record, nowMs)
  record.replication = { version: '2019.11.21', replicas: [{ RegionName: 'us-east-1', ReplicaStatus: 'ACTIVE' }, { RegionName: 'eu-west-1', ReplicaStatus: 'ACTIVE' }] }
  return record
}

/** The source's settings after an UpdateTable that creates the index byG. */
function sourceWithNewIndex() {
  const source = provisionedTable('us-east-1', 4)
  applyTableUpdate(source, {
    TableName: 'things',
    AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
    GlobalSecondaryIndexUpdates: [{ Create: {
      IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' },
      ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
    } }],
  }, { region: 'us-east-1', accountId: '123456789012', nowMs }, 0)
  return replicatedSettingsOf(source, 'us-east-1')
}

test('a created GSI is added CREATING with the replica\'s own ARN, the key definition and the source\'s write units', () => {
  const replica = provisionedTable('eu-west-1', 8)
  const result = applyReplicatedSettings(replica, sourceWithNewIndex(), 'eu-west-1', nowMs, 0)
  assert.deepEqual(result, { created: ['byG'], deleted: [], changed: true })
  const index = replica.description.GlobalSecondaryIndexes![0]!
  assert.equal(index.IndexStatus, 'CREATING')
  assert.equal(index.Backfilling, true)
  assert.match(index.IndexArn, /:eu-west-1:123456789012:table\/things\/index\/byG$/)
  assert.deepEqual([index.ProvisionedThroughput.ReadCapacityUnits, index.ProvisionedThroughput.WriteCapacityUnits], [2, 3])
  assert.deepEqual(replica.description.AttributeDefinitions.map((each) => each.AttributeName), ['pk', 'g'])
  assert.equal(replica.description.TableStatus, 'UPDATING')
  // The replica's own table read units stay.
  assert.equal(replica.description.ProvisionedThroughput.ReadCapacityUnits, 8)
})

test('a replica\'s GSI read override is kept on a created GSI', () => {
  const replica = provisionedTable('eu-west-1', 8)
  replica.replication!.replicas[1]!.GlobalSecondaryIndexes = [{ IndexName: 'byG', ProvisionedThroughputOverride: { ReadCapacityUnits: 9 } }]
  applyReplicatedSettings(replica, sourceWithNewIndex(), 'eu-west-1', nowMs, 0)
  assert.equal(replica.description.GlobalSecondaryIndexes![0]!.ProvisionedThroughput.ReadCapacityUnits, 9)
})

test('settings the replica already has change nothing', () => {
  const replica = provisionedTable('eu-west-1', 8)
  const source = replicatedSettingsOf(provisionedTable('us-east-1', 4), 'us-east-1')
  assert.deepEqual(applyReplicatedSettings(replica, source, 'eu-west-1', nowMs, 0), { created: [], deleted: [], changed: false })
  assert.equal(replica.description.TableStatus, 'ACTIVE')
})

test('on-demand billing zeroes the replica\'s capacity; turning provisioned takes the source\'s units unless overridden', () => {
  const replica = provisionedTable('eu-west-1', 8)
  const onDemand = { ...replicatedSettingsOf(provisionedTable('us-east-1', 4), 'us-east-1'), billingMode: 'PAY_PER_REQUEST' as const }
  onDemand.provisionedThroughput = { ReadCapacityUnits: 0, WriteCapacityUnits: 0 }
  applyReplicatedSettings(replica, onDemand, 'eu-west-1', nowMs, 0)
  assert.equal(replica.description.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST')
  assert.equal(replica.description.ProvisionedThroughput.ReadCapacityUnits, 0)

  const provisioned = replicatedSettingsOf(provisionedTable('us-east-1', 4), 'us-east-1')
  replica.replication!.replicas[1]!.ProvisionedThroughputOverride = { ReadCapacityUnits: 6 }
  applyReplicatedSettings(replica, provisioned, 'eu-west-1', nowMs, 0)
  assert.equal(replica.description.BillingModeSummary?.BillingMode, 'PROVISIONED')
  assert.deepEqual([replica.description.ProvisionedThroughput.ReadCapacityUnits, replica.description.ProvisionedThroughput.WriteCapacityUnits], [6, 5])
})

test('a deleted GSI goes with the key definitions only it used', () => {
  const replica = provisionedTable('eu-west-1', 8)
  applyReplicatedSettings(replica, sourceWithNewIndex(), 'eu-west-1', nowMs, 0)
  const deleted = { ...sourceWithNewIndex(), globalSecondaryIndexes: [] }
  assert.deepEqual(applyReplicatedSettings(replica, deleted, 'eu-west-1', nowMs, 0), { created: [], deleted: ['byG'], changed: true })
  assert.equal(replica.description.GlobalSecondaryIndexes, undefined)
  assert.deepEqual(replica.description.AttributeDefinitions.map((each) => each.AttributeName), ['pk'])
})

test('a GSI\'s write units follow the source; its read units stay the replica\'s', () => {
  const replica = provisionedTable('eu-west-1', 8)
  applyReplicatedSettings(replica, sourceWithNewIndex(), 'eu-west-1', nowMs, 0)
  replica.description.GlobalSecondaryIndexes![0]!.IndexStatus = 'ACTIVE'
  const settings = sourceWithNewIndex()
  settings.globalSecondaryIndexes[0]!.ProvisionedThroughput = { ...settings.globalSecondaryIndexes[0]!.ProvisionedThroughput, ReadCapacityUnits: 7, WriteCapacityUnits: 10 }
  assert.equal(applyReplicatedSettings(replica, settings, 'eu-west-1', nowMs, 0).changed, true)
  const index = replica.description.GlobalSecondaryIndexes![0]!
  assert.deepEqual([index.ProvisionedThroughput.ReadCapacityUnits, index.ProvisionedThroughput.WriteCapacityUnits, index.IndexStatus], [2, 10, 'UPDATING'])
})

test('a snapshot that missed several changes brings the replica to the source\'s GSIs: creates what it lacks, drops what the source dropped', () => {
  const replica = provisionedTable('eu-west-1', 8)
  applyReplicatedSettings(replica, sourceWithNewIndex(), 'eu-west-1', nowMs, 0)
  // Meanwhile the source deleted byG and created byH (and the replica heard of neither).
  const later = sourceWithNewIndex()
  later.globalSecondaryIndexes[0] = { ...later.globalSecondaryIndexes[0]!, IndexName: 'byH' }
  assert.deepEqual(applyReplicatedSettings(replica, later, 'eu-west-1', nowMs, 0), { created: ['byH'], deleted: ['byG'], changed: true })
  assert.deepEqual(replica.description.GlobalSecondaryIndexes?.map((index) => index.IndexName), ['byH'])
})

test('a deleted GSI takes the replicas\' overrides for it along: an index made later under its name starts afresh', () => {
  const replica = provisionedTable('eu-west-1', 8)
  replica.replication!.replicas[1]!.GlobalSecondaryIndexes = [{ IndexName: 'byG', ProvisionedThroughputOverride: { ReadCapacityUnits: 9 } }]
  applyReplicatedSettings(replica, sourceWithNewIndex(), 'eu-west-1', nowMs, 0)
  applyReplicatedSettings(replica, { ...sourceWithNewIndex(), globalSecondaryIndexes: [] }, 'eu-west-1', nowMs, 0)
  assert.equal(replica.replication!.replicas[1]!.GlobalSecondaryIndexes, undefined)
  applyReplicatedSettings(replica, sourceWithNewIndex(), 'eu-west-1', nowMs, 0)
  assert.equal(replica.description.GlobalSecondaryIndexes![0]!.ProvisionedThroughput.ReadCapacityUnits, 2)
})

test('a replica with its own TableClassOverride sends no class; one without sends the group\'s', () => {
  const source = provisionedTable('us-west-2', 4)
  source.replication!.replicas.push({ RegionName: 'us-west-2', ReplicaStatus: 'ACTIVE', ReplicaTableClassSummary: { TableClass: 'STANDARD_INFREQUENT_ACCESS' } })
  source.description.TableClassSummary = { TableClass: 'STANDARD_INFREQUENT_ACCESS' }
  const fromOverride = replicatedSettingsOf(source, 'us-west-2')
  assert.equal(fromOverride.tableClass, undefined)
  const replica = provisionedTable('eu-west-1', 8)
  applyReplicatedSettings(replica, fromOverride, 'eu-west-1', nowMs, 0)
  assert.equal(replica.description.TableClassSummary?.TableClass ?? 'STANDARD', 'STANDARD')
  assert.equal(replicatedSettingsOf(source, 'us-east-1').tableClass, 'STANDARD_INFREQUENT_ACCESS')
})
