/**
 * DescribeTableReplicaAutoScaling and UpdateTableReplicaAutoScaling: EddyDB has no auto scaling
 * (capacity is never throttled), so both answer with the table's replicas, in region order, and
 * no scaling policies. Both serve only 2019.11.21 global tables: for any other table, as for a
 * missing one, DynamoDB answers ResourceNotFoundException (an API-quirks lab, against AWS, 2026-10).
 */
import type { OperationHandler, RequestContext } from '../api/context.js'
import { ResourceNotFoundException } from '../errors.js'
import { memberRegions } from '../replication/replica-set.js'

function autoScalingDescription(ctx: RequestContext, name: string): object {
  const record = ctx.catalog.record(name)
  if (record?.replication?.version !== '2019.11.21') throw new ResourceNotFoundException(`Global table with name: '${name}' does not exist.`)
  const regions = memberRegions(record.replication).sort()
  return {
    TableAutoScalingDescription: {
      TableName: name,
      TableStatus: record.description.TableStatus,
      Replicas: regions.map((region) => ({
        RegionName: region,
        GlobalSecondaryIndexes: (record.description.GlobalSecondaryIndexes ?? []).map((index) => ({ IndexName: index.IndexName, IndexStatus: index.IndexStatus })),
        ReplicaStatus: record.replication!.replicas.find((replica) => replica.RegionName === region)?.ReplicaStatus ?? 'ACTIVE',
      })),
    },
  }
}

export const describeTableReplicaAutoScaling: OperationHandler<{ TableName: string }> = async (ctx, input) =>
  autoScalingDescription(ctx, input.TableName)

export const updateTableReplicaAutoScaling: OperationHandler<{ TableName: string }> = async (ctx, input) =>
  autoScalingDescription(ctx, input.TableName)
