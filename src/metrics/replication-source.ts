/**
 * Global-table replication as a metrics source: per replica pair (source region, target region,
 * table), the backlog and the latency DynamoDB reports as PendingReplicationCount and
 * ReplicationLatency, plus the changes applied so far.
 */
import type { GlobalTables } from '../replication/global-tables.js'
import type { MetricsSource, SourceSample } from './registry.js'

export function replicationSource(globalTables: GlobalTables): MetricsSource {
  return {
    name: 'replication',
    collect(): SourceSample[] {
      return globalTables.replicationStatus().map((pair) => ({
        labels: { source: pair.source, target: pair.target, table: pair.table },
        values: {
          PendingReplicationCount: pair.pendingReplicationCount,
          ReplicatedChanges: pair.replicatedChanges,
          // No latency until a first batch has been applied.
          ...(pair.replicationLatencyMs === null ? {} : { ReplicationLatency: pair.replicationLatencyMs }),
        },
      }))
    },
  }
}
