/**
 * The DAX management API (X-Amz-Target `AmazonDAXV3.<Action>`, JSON 1.1): one handler per action.
 * These operations have no DynamoDB shape, so each handler validates its input first (types,
 * then required members), then asks the cluster registry to do the work.
 */
import type { OperationHandler, RequestContext } from '../../api/context.js'
import type { ServiceOperations } from '../../api/dispatch.js'
import { selfValidatingOperation } from '../../api/operation.js'
import type { DaxClusters } from './clusters.js'
import { normalizeClusterName } from './names.js'
import { pageOf } from './paging.js'
import { defaultParameterValues, describeParameters } from './parameters.js'
import { describeParameterGroup } from './parameter-groups.js'
import { describeSubnetGroup } from './subnet-groups.js'
import { tagOperations } from './tags.js'
import {
  validateDaxInput,
  type CreateClusterInput,
  type DescribeEventsInput,
  type PageInput,
  type ParameterNameValue,
  type ReplicationFactorInput,
  type SubnetGroupInput,
  type UpdateClusterInput,
} from './shapes.js'

interface ClusterNameInput { ClusterName: string }
interface ParameterGroupNameInput { ParameterGroupName: string }

/** The operations the lead registers under the target prefix 'AmazonDAXV3'. */
export function daxManagementOperations(clusters: DaxClusters): ServiceOperations {
  const handlers = {
    ...clusterOperations(clusters),
    ...parameterGroupOperations(clusters),
    ...subnetGroupOperations(clusters),
    ...tagOperations(clusters),
    DescribeEvents: async (ctx: RequestContext, body: unknown) =>
      clusters.events(ctx.region).describe(validateDaxInput<DescribeEventsInput>('DescribeEvents', body)),
  }
  return Object.fromEntries(Object.entries(handlers).map(([action, handler]) => [action, selfValidatingOperation(handler)]))
}

/** Each handler takes the body as parsed and validates it first (validateDaxInput). */
type DaxHandlers = Record<string, OperationHandler<unknown>>

function clusterOperations(clusters: DaxClusters): DaxHandlers {
  return {
    CreateCluster: async (ctx: RequestContext, body: unknown) => {
      const input = validateDaxInput<CreateClusterInput>('CreateCluster', body)
      return { Cluster: (await clusters.create(ctx, input)).describe() }
    },
    DescribeClusters: async (ctx: RequestContext, body: unknown) => {
      const input = validateDaxInput<PageInput & { ClusterNames?: string[] }>('DescribeClusters', body)
      const named = input.ClusterNames?.length ? input.ClusterNames : undefined
      const found = named
        ? named.map((name) => clusters.get(ctx.region, normalizeClusterName(name), true))
        : [...clusters.clusters(ctx.region).values()]
      const page = pageOf(found, input.MaxResults, input.NextToken)
      return { Clusters: page.entries.map((cluster) => cluster.describe()), ...nextTokenOf(page.nextToken) }
    },
    DeleteCluster: async (ctx: RequestContext, body: unknown) => {
      const input = validateDaxInput<ClusterNameInput>('DeleteCluster', body)
      return { Cluster: (await clusters.delete(ctx.region, input.ClusterName)).describe() }
    },
    UpdateCluster: async (ctx: RequestContext, body: unknown) => {
      const input = validateDaxInput<UpdateClusterInput>('UpdateCluster', body)
      return { Cluster: clusters.update(ctx.region, input).describe() }
    },
    IncreaseReplicationFactor: async (ctx: RequestContext, body: unknown) => {
      const input = validateDaxInput<ReplicationFactorInput>('IncreaseReplicationFactor', body)
      const cluster = await clusters.increaseReplicationFactor(
        ctx.region, input.ClusterName, input.NewReplicationFactor, input.AvailabilityZones,
      )
      return { Cluster: cluster.describe() }
    },
    DecreaseReplicationFactor: async (ctx: RequestContext, body: unknown) => {
      const input = validateDaxInput<ReplicationFactorInput>('DecreaseReplicationFactor', body)
      const cluster = await clusters.decreaseReplicationFactor(
        ctx.region, input.ClusterName, input.NewReplicationFactor, input.NodeIdsToRemove,
      )
      return { Cluster: cluster.describe() }
    },
    RebootNode: async (ctx: RequestContext, body: unknown) => {
      const input = validateDaxInput<ClusterNameInput & { NodeId: string }>('RebootNode', body)
      return { Cluster: clusters.rebootNode(ctx.region, input.ClusterName, input.NodeId).describe() }
    },
  }
}

function parameterGroupOperations(clusters: DaxClusters): DaxHandlers {
  return {
    CreateParameterGroup: async (ctx: RequestContext, body: unknown) => {
      const input = validateDaxInput<ParameterGroupNameInput & { Description?: string }>('CreateParameterGroup', body)
      const group = clusters.parameterGroups(ctx.region).create(input.ParameterGroupName, input.Description)
      return { ParameterGroup: describeParameterGroup(group) }
    },
    UpdateParameterGroup: async (ctx: RequestContext, body: unknown) => {
      const input = validateDaxInput<ParameterGroupNameInput & { ParameterNameValues: ParameterNameValue[] }>('UpdateParameterGroup', body)
      const group = clusters.parameterGroups(ctx.region).update(input.ParameterGroupName, input.ParameterNameValues)
      // ChangeType IMMEDIATE: running nodes take the new TTLs without a reboot.
      clusters.applyParameterGroup(ctx.region, group.name)
      return { ParameterGroup: describeParameterGroup(group) }
    },
    DescribeParameterGroups: async (ctx: RequestContext, body: unknown) => {
      const input = validateDaxInput<PageInput & { ParameterGroupNames?: string[] }>('DescribeParameterGroups', body)
      const groups = clusters.parameterGroups(ctx.region).list(input.ParameterGroupNames)
      const page = pageOf(groups, input.MaxResults, input.NextToken)
      return { ParameterGroups: page.entries.map(describeParameterGroup), ...nextTokenOf(page.nextToken) }
    },
    DescribeParameters: async (ctx: RequestContext, body: unknown) => {
      const input = validateDaxInput<PageInput & ParameterGroupNameInput & { Source?: string }>('DescribeParameters', body)
      const group = clusters.parameterGroups(ctx.region).get(input.ParameterGroupName)
      const parameters = describeParameters(group.values)
        .filter((parameter) => input.Source === undefined || parameter.Source === input.Source)
      const page = pageOf(parameters, input.MaxResults, input.NextToken)
      return { Parameters: page.entries, ...nextTokenOf(page.nextToken) }
    },
    DeleteParameterGroup: async (ctx: RequestContext, body: unknown) => {
      const input = validateDaxInput<ParameterGroupNameInput>('DeleteParameterGroup', body)
      const name = input.ParameterGroupName
      clusters.parameterGroups(ctx.region).delete(name, (groupName) => clusters.isParameterGroupInUse(ctx.region, groupName))
      return { DeletionMessage: `Parameter group ${name} has been deleted.` }
    },
    DescribeDefaultParameters: async (_ctx: RequestContext, body: unknown) => {
      const input = validateDaxInput<PageInput>('DescribeDefaultParameters', body)
      const page = pageOf(describeParameters(defaultParameterValues), input.MaxResults, input.NextToken)
      return { Parameters: page.entries, ...nextTokenOf(page.nextToken) }
    },
  }
}

/** Subnet groups are stored and echoed: there is no VPC here (subnet-groups.ts). */
function subnetGroupOperations(clusters: DaxClusters): DaxHandlers {
  return {
    CreateSubnetGroup: async (ctx: RequestContext, body: unknown) => {
      const input = validateDaxInput<SubnetGroupInput & { SubnetIds: string[] }>('CreateSubnetGroup', body)
      return { SubnetGroup: describeSubnetGroup(clusters.subnetGroups(ctx.region).create(input)) }
    },
    DescribeSubnetGroups: async (ctx: RequestContext, body: unknown) => {
      const input = validateDaxInput<PageInput & { SubnetGroupNames?: string[] }>('DescribeSubnetGroups', body)
      const page = pageOf(clusters.subnetGroups(ctx.region).list(input.SubnetGroupNames), input.MaxResults, input.NextToken)
      return { SubnetGroups: page.entries.map(describeSubnetGroup), ...nextTokenOf(page.nextToken) }
    },
    UpdateSubnetGroup: async (ctx: RequestContext, body: unknown) => {
      const input = validateDaxInput<SubnetGroupInput>('UpdateSubnetGroup', body)
      return { SubnetGroup: describeSubnetGroup(clusters.subnetGroups(ctx.region).update(input)) }
    },
    DeleteSubnetGroup: async (ctx: RequestContext, body: unknown) => {
      const input = validateDaxInput<{ SubnetGroupName: string }>('DeleteSubnetGroup', body)
      clusters.subnetGroups(ctx.region).delete(input.SubnetGroupName, (groupName) => clusters.isSubnetGroupInUse(ctx.region, groupName))
      // The name as the caller gave it, as in the AWS CLI's example ("Subnet group daxSubnetGroup has been deleted.").
      return { DeletionMessage: `Subnet group ${input.SubnetGroupName} has been deleted.` }
    },
  }
}

function nextTokenOf(nextToken: string | undefined): { NextToken?: string } {
  return nextToken === undefined ? {} : { NextToken: nextToken }
}
