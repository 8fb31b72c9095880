/**
 * A global table's replica group as each replica's catalog record keeps it (TableRecord
 * .replication): every member region, the asking one included, with its status and per-replica
 * overrides. Each member holds the same list; the region that changes the group publishes it to
 * the others (control.ts).
 */

export type GlobalTableVersion = '2019.11.21' | '2017.11.29'

export type ReplicaStatus = 'CREATING' | 'CREATION_FAILED' | 'UPDATING' | 'DELETING' | 'ACTIVE'

/** One member, in DescribeTable's `Replicas` spelling. */
export interface ReplicaEntry {
  RegionName: string
  ReplicaStatus: ReplicaStatus
  KMSMasterKeyId?: string
  ProvisionedThroughputOverride?: { ReadCapacityUnits?: number }
  OnDemandThroughputOverride?: { MaxReadRequestUnits?: number }
  GlobalSecondaryIndexes?: Array<Record<string, unknown>>
  ReplicaTableClassSummary?: { TableClass: string; LastUpdateDateTime?: number }
}

export interface ReplicationRecord {
  version: GlobalTableVersion
  replicas: ReplicaEntry[]
  /** When the legacy CreateGlobalTable made the group (epoch seconds); absent for 2019.11.21. */
  legacyCreatedAt?: number
  /** Which member each replica was created from, and when (ms): the 24-hour rule of source-rule.ts. */
  sources?: Record<string, { region: string; atMs: number }>
  /** Set for multi-Region strong consistency (strong-consistency.ts); absent means eventual, which DynamoDB never names. */
  consistency?: 'STRONG'
  /** A strongly consistent group's witness: a region that holds no table (DescribeTable's GlobalTableWitnesses). */
  witnesses?: WitnessEntry[]
}

export interface WitnessEntry {
  RegionName: string
  WitnessStatus: 'CREATING' | 'ACTIVE' | 'DELETING'
}

/**
 * Whether a table is a replica that can be disassociated (disassociate.ts): a member of a
 * 2019.11.21 group with multi-Region eventual consistency. Only such a table has a disassociation
 * protection setting.
 */
export function isDisassociable(record: { replication?: ReplicationRecord }): boolean {
  return record.replication?.version === '2019.11.21' && !isStrong(record.replication) && memberRegions(record.replication).length > 1
}

/** A replica's disassociation protection: on unless an UpdateTable of its own turned it off. */
export function disassociationProtectionEnabled(record: { disassociationProtectionDisabled?: true }): boolean {
  return record.disassociationProtectionDisabled !== true
}

/** The region of a table ARN (arn:PARTITION:dynamodb:REGION:ACCOUNT:table/NAME). */
export function regionOfArn(arn: string): string {
  return arn.split(':')[3] ?? ''
}

/** The account of a table ARN. */
export function accountOfArn(arn: string): string {
  return arn.split(':')[4] ?? ''
}

/**
 * DynamoDB's settings replication mode of a 2019.11.21 group, at the table's level and each
 * replica's, whenever the table has replicas (an API-quirks lab, against AWS, 2026-10): settings
 * are kept the same everywhere, but for the per-replica overrides.
 */
const settingsReplicationMode = 'ENABLED_WITH_OVERRIDES'

/**
 * DescribeTable's global-table members: GlobalTableVersion and every replica but the one asked
 * (what LocalStack users asked for, and one of the two forms AWS has been seen answering). A
 * 2019.11.21 replica entry shows the settings replication mode and the table's warm throughput,
 * as DynamoDB's do (replicas share the write capacity and billing mode the figures come from).
 */
export function describeReplication(replication: ReplicationRecord, tableArn: string, warmThroughput?: object): Record<string, unknown> {
  const here = regionOfArn(tableArn)
  const current = replication.version === '2019.11.21'
  const described: Record<string, unknown> = {
    GlobalTableVersion: replication.version,
    Replicas: replication.replicas.filter((replica) => replica.RegionName !== here).map((replica) => (current
      ? { ...replica, ...(warmThroughput ? { WarmThroughput: { ...warmThroughput } } : {}), GlobalTableSettingsReplicationMode: settingsReplicationMode }
      : { ...replica })),
  }
  if (current) described.GlobalTableSettingsReplicationMode = settingsReplicationMode
  if (replication.consistency) described.MultiRegionConsistency = replication.consistency
  if (replication.witnesses?.length) described.GlobalTableWitnesses = replication.witnesses.map((witness) => ({ ...witness }))
  return described
}

/** Whether a group is strongly consistent (strong-consistency.ts). */
export function isStrong(replication: ReplicationRecord | undefined): boolean {
  return replication?.consistency === 'STRONG'
}

export function memberRegions(replication: ReplicationRecord | undefined): string[] {
  return (replication?.replicas ?? []).map((replica) => replica.RegionName)
}

/** The regions a replica sends its own writes to: every other member not being deleted. */
export function replicationTargets(replication: ReplicationRecord | undefined, here: string): string[] {
  return (replication?.replicas ?? [])
    .filter((replica) => replica.RegionName !== here && replica.ReplicaStatus !== 'DELETING')
    .map((replica) => replica.RegionName)
}
