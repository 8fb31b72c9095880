/**
 * Input shapes of the DAX management operations (model dax-2017-04-19), declared with the same
 * shape vocabulary as DynamoDB's. DAX runs on the same Coral framework, so a wrong JSON type is a
 * SerializationException and a missing required member is a ValidationException
 * ("Value null at 'clusterName' failed to satisfy constraint: Member must not be null").
 * Member order is the model's order: it decides the order of reported violations.
 */
import { boolean, integer, list, string, structure, timestamp, type StructureShape } from '../../shapes/shape.js'
import { coerceInput } from '../../validate/coerce.js'
import { checkConstraints } from '../../validate/constraints.js'

const required = { notNull: true } as const
const strings = list(string())
const tags = list(structure('Tag', { Key: string(), Value: string() }))

export interface TagInput { Key?: string; Value?: string }

export interface CreateClusterInput {
  ClusterName: string
  NodeType: string
  Description?: string
  ReplicationFactor: number
  AvailabilityZones?: string[]
  SubnetGroupName?: string
  SecurityGroupIds?: string[]
  PreferredMaintenanceWindow?: string
  NotificationTopicArn?: string
  IamRoleArn: string
  ParameterGroupName?: string
  Tags?: TagInput[]
  SSESpecification?: { Enabled: boolean }
  ClusterEndpointEncryptionType?: 'NONE' | 'TLS'
}

export interface UpdateClusterInput {
  ClusterName: string
  Description?: string
  PreferredMaintenanceWindow?: string
  NotificationTopicArn?: string
  NotificationTopicStatus?: string
  ParameterGroupName?: string
  SecurityGroupIds?: string[]
}

export interface ReplicationFactorInput {
  ClusterName: string
  NewReplicationFactor: number
  AvailabilityZones?: string[]
  NodeIdsToRemove?: string[]
}

export interface PageInput { MaxResults?: number; NextToken?: string }

export interface ParameterNameValue { ParameterName?: string; ParameterValue?: string }

export interface SubnetGroupInput { SubnetGroupName: string; Description?: string; SubnetIds?: string[] }

export type EventSourceType = 'CLUSTER' | 'PARAMETER_GROUP' | 'SUBNET_GROUP'

export interface DescribeEventsInput extends PageInput {
  SourceName?: string
  SourceType?: EventSourceType
  /** JSON 1.1 timestamps: seconds since the epoch. */
  StartTime?: number
  EndTime?: number
  /** Minutes. */
  Duration?: number
}

export const daxShapes = {
  CreateCluster: structure('CreateClusterRequest', {
    ClusterName: string(required),
    NodeType: string(required),
    Description: string(),
    ReplicationFactor: integer(required),
    AvailabilityZones: strings,
    SubnetGroupName: string(),
    SecurityGroupIds: strings,
    PreferredMaintenanceWindow: string(),
    NotificationTopicArn: string(),
    IamRoleArn: string(required),
    ParameterGroupName: string(),
    Tags: tags,
    SSESpecification: structure('SSESpecification', { Enabled: boolean(required) }),
    ClusterEndpointEncryptionType: string({ enum: ['NONE', 'TLS'] }),
    NetworkType: string({ enum: ['ipv4', 'ipv6', 'dual_stack'] }),
  }),
  DescribeClusters: structure('DescribeClustersRequest', {
    ClusterNames: strings, MaxResults: integer(), NextToken: string(),
  }),
  DeleteCluster: structure('DeleteClusterRequest', { ClusterName: string(required) }),
  UpdateCluster: structure('UpdateClusterRequest', {
    ClusterName: string(required),
    Description: string(),
    PreferredMaintenanceWindow: string(),
    NotificationTopicArn: string(),
    NotificationTopicStatus: string(),
    ParameterGroupName: string(),
    SecurityGroupIds: strings,
  }),
  IncreaseReplicationFactor: structure('IncreaseReplicationFactorRequest', {
    ClusterName: string(required), NewReplicationFactor: integer(required), AvailabilityZones: strings,
  }),
  DecreaseReplicationFactor: structure('DecreaseReplicationFactorRequest', {
    ClusterName: string(required),
    NewReplicationFactor: integer(required),
    AvailabilityZones: strings,
    NodeIdsToRemove: strings,
  }),
  RebootNode: structure('RebootNodeRequest', { ClusterName: string(required), NodeId: string(required) }),
  CreateParameterGroup: structure('CreateParameterGroupRequest', {
    ParameterGroupName: string(required), Description: string(),
  }),
  UpdateParameterGroup: structure('UpdateParameterGroupRequest', {
    ParameterGroupName: string(required),
    ParameterNameValues: list(structure('ParameterNameValue', { ParameterName: string(), ParameterValue: string() }), required),
  }),
  DescribeParameterGroups: structure('DescribeParameterGroupsRequest', {
    ParameterGroupNames: strings, MaxResults: integer(), NextToken: string(),
  }),
  DescribeParameters: structure('DescribeParametersRequest', {
    ParameterGroupName: string(required), Source: string(), MaxResults: integer(), NextToken: string(),
  }),
  DeleteParameterGroup: structure('DeleteParameterGroupRequest', { ParameterGroupName: string(required) }),
  DescribeDefaultParameters: structure('DescribeDefaultParametersRequest', {
    MaxResults: integer(), NextToken: string(),
  }),
  TagResource: structure('TagResourceRequest', { ResourceName: string(required), Tags: list(tags.member, required) }),
  UntagResource: structure('UntagResourceRequest', { ResourceName: string(required), TagKeys: list(string(), required) }),
  ListTags: structure('ListTagsRequest', { ResourceName: string(required), NextToken: string() }),
  CreateSubnetGroup: structure('CreateSubnetGroupRequest', {
    SubnetGroupName: string(required), Description: string(), SubnetIds: list(string(), required),
  }),
  DescribeSubnetGroups: structure('DescribeSubnetGroupsRequest', {
    SubnetGroupNames: strings, MaxResults: integer(), NextToken: string(),
  }),
  UpdateSubnetGroup: structure('UpdateSubnetGroupRequest', {
    SubnetGroupName: string(required), Description: string(), SubnetIds: strings,
  }),
  DeleteSubnetGroup: structure('DeleteSubnetGroupRequest', { SubnetGroupName: string(required) }),
  DescribeEvents: structure('DescribeEventsRequest', {
    SourceName: string(),
    SourceType: string({ enum: ['CLUSTER', 'PARAMETER_GROUP', 'SUBNET_GROUP'] }),
    StartTime: timestamp(),
    EndTime: timestamp(),
    Duration: integer(),
    MaxResults: integer(),
    NextToken: string(),
  }),
} satisfies Record<string, StructureShape>

export type DaxAction = keyof typeof daxShapes

/**
 * Coral's first two validation steps for a DAX request: JSON types (SerializationException), then
 * required members (ValidationException). Normalizes the input in place and returns it typed.
 */
export function validateDaxInput<Input>(action: DaxAction, input: unknown): Input {
  const shape = daxShapes[action]
  const checked = coerceInput(input, shape)
  checkConstraints(checked, shape)
  return checked as Input
}
