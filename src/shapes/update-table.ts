/** UpdateTable: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html */
import { throughputBoundsProblem } from '../validate/table-checks.js'
import { globalIndexKeySchemaLengthMax } from '../tables/index-key-schema.js'
import { indexName } from './common.js'
import { multiRegionConsistency, replicaUpdates, witnessUpdates, type ReplicationGroupUpdate, type WitnessGroupUpdate } from './replica-updates.js'
import { boolean, list, operation, structure } from './shape.js'
import {
  attributeDefinitions, billingMode, controlPlaneTableName, keySchema, onDemandThroughput, projection,
  provisionedThroughput, sseSpecification, streamSpecification, warmThroughput,
  type AttributeDefinition, type BillingMode, type KeySchemaElement, type OnDemandThroughput, type Projection,
  type ProvisionedThroughput, type SSESpecification, type StreamSpecification, type TableClass, tableClassName, tableClassProblem,
} from './table-definitions.js'
import { tableNameFirst } from '../validate/first-checks.js'
import { nothingToUpdateProblem } from '../tables/update-input.js'
import { vectorIndex } from './create-table.js'
import type { VectorIndexUpdate } from '../vectors/index-updates.js'

export interface GlobalSecondaryIndexUpdate {
  Update?: { IndexName: string; ProvisionedThroughput?: ProvisionedThroughput; OnDemandThroughput?: OnDemandThroughput }
  Create?: {
    IndexName: string
    KeySchema: KeySchemaElement[]
    Projection: Projection
    ProvisionedThroughput?: ProvisionedThroughput
    OnDemandThroughput?: OnDemandThroughput
  }
  Delete?: { IndexName: string }
}

export interface UpdateTableInput {
  TableName: string
  AttributeDefinitions?: AttributeDefinition[]
  BillingMode?: BillingMode
  ProvisionedThroughput?: ProvisionedThroughput
  GlobalSecondaryIndexUpdates?: GlobalSecondaryIndexUpdate[]
  StreamSpecification?: StreamSpecification
  SSESpecification?: SSESpecification
  TableClass?: TableClass
  DeletionProtectionEnabled?: boolean
  /** A global table replica's own protection against Disassociate: src/replication/disassociate.ts. */
  DisassociationProtectionEnabled?: boolean
  OnDemandThroughput?: OnDemandThroughput
  /** Global tables (version 2019.11.21): src/replication/replica-updates.ts. */
  ReplicaUpdates?: ReplicationGroupUpdate[]
  /** Multi-Region strong consistency: src/replication/strong-consistency.ts. */
  MultiRegionConsistency?: 'EVENTUAL' | 'STRONG'
  GlobalTableWitnessUpdates?: WitnessGroupUpdate[]
  VectorIndexUpdates?: VectorIndexUpdate[]
}

const globalSecondaryIndexUpdate = structure('GlobalSecondaryIndexUpdate', {
  Update: structure('UpdateGlobalSecondaryIndexAction', {
    IndexName: indexName({ notNull: true }),
    ProvisionedThroughput: provisionedThroughput(),
    OnDemandThroughput: onDemandThroughput(),
    WarmThroughput: warmThroughput(),
  }),
  Create: structure('CreateGlobalSecondaryIndexAction', {
    Projection: projection(),
    IndexName: indexName({ notNull: true }),
    ProvisionedThroughput: provisionedThroughput(),
    KeySchema: keySchema(globalIndexKeySchemaLengthMax),
    OnDemandThroughput: onDemandThroughput(),
    WarmThroughput: warmThroughput(),
  }),
  Delete: structure('DeleteGlobalSecondaryIndexAction', { IndexName: indexName({ notNull: true }) }),
})

export const updateTableShape = operation<UpdateTableInput>({
  firstCheck: tableNameFirst,
  input: structure('UpdateTableInput', {
    TableName: controlPlaneTableName(),
    ProvisionedThroughput: provisionedThroughput(),
    BillingMode: billingMode(),
    GlobalSecondaryIndexUpdates: list(globalSecondaryIndexUpdate),
    AttributeDefinitions: attributeDefinitions(),
    StreamSpecification: streamSpecification(),
    SSESpecification: sseSpecification(),
    TableClass: tableClassName(),
    DeletionProtectionEnabled: boolean(),
    DisassociationProtectionEnabled: boolean(),
    OnDemandThroughput: onDemandThroughput(),
    WarmThroughput: warmThroughput(),
    ReplicaUpdates: replicaUpdates(),
    MultiRegionConsistency: multiRegionConsistency(),
    GlobalTableWitnessUpdates: witnessUpdates(),
    VectorIndexUpdates: list(structure('VectorIndexUpdate', {
      Create: vectorIndex,
      Delete: structure('DeleteVectorIndexAction', { IndexName: indexName({ notNull: true }) }),
    })),
  }),
  check: (input) =>
    nothingToUpdateProblem(input as unknown as Record<string, unknown>) ??
    tableClassProblem(input.TableClass) ??
    (input.BillingMode === 'PROVISIONED' && input.ProvisionedThroughput === undefined
      ? 'One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED'
      : undefined) ??
    (input.ProvisionedThroughput ? throughputBoundsProblem(input.ProvisionedThroughput) : undefined) ??
    indexUpdatesProblem(input.GlobalSecondaryIndexUpdates),
})

function indexUpdatesProblem(updates: GlobalSecondaryIndexUpdate[] | undefined): string | undefined {
  const seenNames = new Set<string>()
  for (const update of updates ?? []) {
    const action = update.Update ?? update.Create ?? update.Delete
    if (action === undefined) {
      return 'One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Update, ' +
        'GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null'
    }
    if (seenNames.has(action.IndexName)) {
      return 'One or more parameter values were invalid: Only one global secondary index update per index is ' +
        `allowed simultaneously. Index: ${action.IndexName}`
    }
    seenNames.add(action.IndexName)
    const throughput = update.Update?.ProvisionedThroughput
    const boundsProblem = throughput && throughputBoundsProblem(throughput, ` for index ${action.IndexName}`)
    if (boundsProblem) return boundsProblem
  }
  return undefined
}
