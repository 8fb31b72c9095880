/** UpdateTable's ReplicaUpdates (global tables version 2019.11.21). */
import { indexName } from './common.js'
import { list, string, structure, long } from './shape.js'
import { onDemandThroughput, tableClass } from './table-definitions.js'

export interface ReplicaOverrides {
  RegionName: string
  KMSMasterKeyId?: string
  ProvisionedThroughputOverride?: { ReadCapacityUnits?: number }
  OnDemandThroughputOverride?: { MaxReadRequestUnits?: number }
  GlobalSecondaryIndexes?: Array<{ IndexName: string; ProvisionedThroughputOverride?: { ReadCapacityUnits?: number }; OnDemandThroughputOverride?: { MaxReadRequestUnits?: number } }>
  TableClassOverride?: string
}

export interface ReplicationGroupUpdate {
  Create?: ReplicaOverrides
  Update?: ReplicaOverrides
  Delete?: { RegionName: string }
  /** Leaves the group, keeping the table (replication/disassociate.ts). */
  Disassociate?: { RegionName: string; DisassociationMode: 'WAIT_FOR_REPLICATION' }
}

const regionName = () => string({ notNull: true })
const throughputOverride = () => structure('ProvisionedThroughputOverride', { ReadCapacityUnits: long({ valueMin: 1 }) })
const indexOverrides = () => list(structure('ReplicaGlobalSecondaryIndex', {
  IndexName: indexName({ notNull: true }),
  ProvisionedThroughputOverride: throughputOverride(),
  OnDemandThroughputOverride: onDemandThroughput(),
}), { lengthMin: 1 })

function replicaAction(name: string) {
  return structure(name, {
    RegionName: regionName(),
    KMSMasterKeyId: string(),
    ProvisionedThroughputOverride: throughputOverride(),
    OnDemandThroughputOverride: onDemandThroughput(),
    GlobalSecondaryIndexes: indexOverrides(),
    TableClassOverride: tableClass(),
  })
}

/** UpdateTable's GlobalTableWitnessUpdates: a multi-Region strongly consistent group's witness, one per request. */
export interface WitnessGroupUpdate {
  Create?: { RegionName: string }
  Delete?: { RegionName: string }
}

export const witnessUpdates = () => list(structure('GlobalTableWitnessGroupUpdate', {
  Create: structure('CreateGlobalTableWitnessGroupMemberAction', { RegionName: regionName() }),
  Delete: structure('DeleteGlobalTableWitnessGroupMemberAction', { RegionName: regionName() }),
}), { lengthMin: 1, lengthMax: 1 })

export const multiRegionConsistency = () => string({ enum: ['EVENTUAL', 'STRONG'] })

export const replicaUpdates = () => list(structure('ReplicationGroupUpdate', {
  Create: replicaAction('CreateReplicationGroupMemberAction'),
  Update: replicaAction('UpdateReplicationGroupMemberAction'),
  Delete: structure('DeleteReplicationGroupMemberAction', { RegionName: regionName() }),
  Disassociate: structure('DisassociateReplicationGroupMemberAction', {
    RegionName: regionName(),
    DisassociationMode: string({ notNull: true, enum: ['WAIT_FOR_REPLICATION'] }),
  }),
}), { lengthMin: 1 })
