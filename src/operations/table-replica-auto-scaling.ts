/**
 * DescribeTableReplicaAutoScaling and UpdateTableReplicaAutoScaling: EddyDB has no auto scaling
 * (capacity is never throttled), so both answer with the table's replicas and no scaling policies.
 */
import type { OperationHandler, RequestContext } from '../api/context.js'
import { memberRegions } from '../replication/replica-set.js'

function autoScalingDescription(ctx: RequestContext, name: string): object {
  const record = ctx.catalog.requireRecord(name)
  const regions = record.replication ? memberRegions(record.replication) : [ctx.region]
  return {
    TableAutoScalingDescription: {
      TableName: name,
      TableStatus: record.description.TableStatus,
      Replicas: regions.map((region) => ({
        RegionName: region,
        GlobalSecondaryIndexes: (record.description.GlobalSecondaryIndexes ?? []).map((index) => ({ IndexName: index.IndexName, IndexStatus: index.IndexStatus })),
        ReplicaStatus: record.replication?.replicas.find((replica) => replica.RegionName === region)?.ReplicaStatus ?? 'ACTIVE',
      })),
    },
  }
}

export const describeTableReplicaAutoScaling: OperationHandler<{ TableName: string }> = async (ctx, input) =>
  autoScalingDescription(ctx, input.TableName)

export const updateTableReplicaAutoScaling: OperationHandler<{ TableName: string }> = async (ctx, input) =>
  autoScalingDescription(ctx, input.TableName)
