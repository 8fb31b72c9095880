/**
 * Input shapes of the global-table operations besides UpdateTable: the replica auto-scaling pair
 * (2019.11.21) and the legacy 2017.11.29 API.
 */
import { integer, list, long, operation, string, structure } from './shape.js'
import { indexName, tableNamePattern } from './common.js'
import { controlPlaneTableName, tableClass } from './table-definitions.js'
import { tableNameFirst } from '../validate/first-checks.js'

const globalTableName = () => string({ notNull: true, pattern: tableNamePattern, lengthMin: 3, lengthMax: 255 })
const regionName = () => string({ notNull: true })

export interface GlobalTableNameInput { GlobalTableName: string }
export interface CreateGlobalTableInput extends GlobalTableNameInput { ReplicationGroup: Array<{ RegionName: string }> }
export interface UpdateGlobalTableInput extends GlobalTableNameInput {
  ReplicaUpdates: Array<{ Create?: { RegionName: string }; Delete?: { RegionName: string } }>
}
export interface ListGlobalTablesInput { ExclusiveStartGlobalTableName?: string; Limit?: number; RegionName?: string }
export interface UpdateGlobalTableSettingsInput extends GlobalTableNameInput {
  GlobalTableBillingMode?: string
  GlobalTableProvisionedWriteCapacityUnits?: number
}

export const describeTableReplicaAutoScalingShape = operation<{ TableName: string }>({
  firstCheck: tableNameFirst,
  input: structure('DescribeTableReplicaAutoScalingInput', { TableName: controlPlaneTableName() }),
})

export const updateTableReplicaAutoScalingShape = operation<{ TableName: string }>({
  firstCheck: tableNameFirst,
  input: structure('UpdateTableReplicaAutoScalingInput', { TableName: controlPlaneTableName() }),
})

export const createGlobalTableShape = operation<CreateGlobalTableInput>({
  input: structure('CreateGlobalTableInput', {
    GlobalTableName: globalTableName(),
    ReplicationGroup: list(structure('Replica', { RegionName: string() }), { notNull: true }),
  }),
})

export const globalTableByNameShape = (name: string) => operation<GlobalTableNameInput>({
  input: structure(name, { GlobalTableName: globalTableName() }),
})

export const updateGlobalTableShape = operation<UpdateGlobalTableInput>({
  input: structure('UpdateGlobalTableInput', {
    GlobalTableName: globalTableName(),
    ReplicaUpdates: list(structure('ReplicaUpdate', {
      Create: structure('CreateReplicaAction', { RegionName: regionName() }),
      Delete: structure('DeleteReplicaAction', { RegionName: regionName() }),
    }), { notNull: true }),
  }),
})

export const listGlobalTablesShape = operation<ListGlobalTablesInput>({
  input: structure('ListGlobalTablesInput', {
    ExclusiveStartGlobalTableName: string({ pattern: tableNamePattern, lengthMin: 3, lengthMax: 255 }),
    Limit: integer({ valueMin: 1 }),
    RegionName: string(),
  }),
})

export const updateGlobalTableSettingsShape = operation<UpdateGlobalTableSettingsInput>({
  input: structure('UpdateGlobalTableSettingsInput', {
    GlobalTableName: globalTableName(),
    GlobalTableBillingMode: string({ enum: ['PROVISIONED', 'PAY_PER_REQUEST'] }),
    GlobalTableProvisionedWriteCapacityUnits: long({ valueMin: 1 }),
    // The lists' constraints are the model's, checked before the global table is looked up;
    // the auto scaling settings inside them are neither checked nor kept.
    GlobalTableGlobalSecondaryIndexSettingsUpdate: list(structure('GlobalTableGlobalSecondaryIndexSettingsUpdate', {
      IndexName: indexName({ notNull: true }),
      ProvisionedWriteCapacityUnits: long({ valueMin: 1 }),
    }), { lengthMin: 1, lengthMax: 20 }),
    ReplicaSettingsUpdate: list(structure('ReplicaSettingsUpdate', {
      RegionName: regionName(),
      ReplicaProvisionedReadCapacityUnits: long({ valueMin: 1 }),
      ReplicaGlobalSecondaryIndexSettingsUpdate: list(structure('ReplicaGlobalSecondaryIndexSettingsUpdate', {
        IndexName: indexName({ notNull: true }),
        ProvisionedReadCapacityUnits: long({ valueMin: 1 }),
      }), { lengthMin: 1, lengthMax: 20 }),
      ReplicaTableClass: tableClass(),
    }), { lengthMin: 1, lengthMax: 50 }),
  }),
})
