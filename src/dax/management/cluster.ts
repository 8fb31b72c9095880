/**
 * One DAX cluster: its settings as the management API sees them and the nodes that serve it.
 * Node 0 is the primary; the others are read replicas that converge through ClusterReplication.
 * `describe()` renders the API's Cluster structure (DescribeClusters and the other responses).
 */
import type { DaxEndpoint, DynamoDbExecutor, RunningDaxNode } from '../node-api.js'
import type { ClusterReplication } from './replication.js'

export type ClusterStatus = 'creating' | 'available' | 'modifying' | 'deleting'

export interface ClusterNode {
  readonly nodeId: string
  readonly role: 'primary' | 'replica'
  readonly availabilityZone: string
  readonly createdAtMs: number
  readonly running: RunningDaxNode
}

/** What CreateCluster fixes for the cluster's life. */
export interface ClusterIdentity {
  readonly name: string
  readonly region: string
  readonly arn: string
  readonly nodeType: string
  readonly iamRoleArn: string
  readonly subnetGroup: string
  readonly sseEnabled: boolean
  readonly encryptionType: 'NONE' | 'TLS'
}

/** What UpdateCluster may change. */
export interface ClusterSettings {
  description?: string
  parameterGroupName: string
  preferredMaintenanceWindow: string
  notificationTopicArn?: string
  notificationTopicStatus?: string
  securityGroupIds: string[]
}

export interface EndpointDescription { Address: string; Port: number; URL: string }

export class DaxCluster {
  status: ClusterStatus = 'creating'
  readonly nodes: ClusterNode[] = []
  /** Node ids are the cluster name plus a letter per node ever created: name-a, name-b, ... */
  nextNodeIndex = 0
  /** Tag values by key, in the order first set (CreateCluster's Tags, then TagResource; tags.ts). */
  readonly tags = new Map<string, string | undefined>()

  constructor(
    readonly identity: ClusterIdentity,
    readonly settings: ClusterSettings,
    /** The address clients are told to connect to (the nodes' listen host, unless wildcard). */
    readonly advertisedHost: string,
    readonly upstream: DynamoDbExecutor,
    readonly replication: ClusterReplication,
  ) {}

  get name(): string { return this.identity.name }

  primary(): ClusterNode | undefined {
    return this.nodes.find((node) => node.role === 'primary')
  }

  node(nodeId: string): ClusterNode | undefined {
    return this.nodes.find((node) => node.nodeId === nodeId)
  }

  /** Every node, for the DAX `endpoints` discovery call; the primary comes first. */
  endpoints(): DaxEndpoint[] {
    return this.nodes.map((node) => ({
      nodeId: node.nodeId,
      hostname: this.advertisedHost,
      address: this.advertisedHost,
      port: node.running.wirePort,
      role: node.role,
      availabilityZone: node.availabilityZone,
    }))
  }

  /** The Cluster structure of the management API. */
  describe(): Record<string, unknown> {
    const { identity, settings } = this
    const primary = this.primary()
    const listed = this.status !== 'deleting'
    return {
      ClusterName: identity.name,
      ...(settings.description !== undefined && { Description: settings.description }),
      ClusterArn: identity.arn,
      TotalNodes: this.nodes.length,
      ActiveNodes: listed ? this.nodes.length : 0,
      NodeType: identity.nodeType,
      Status: this.status,
      ...(primary && { ClusterDiscoveryEndpoint: this.#endpointOf(primary) }),
      ...(listed && { Nodes: this.nodes.map((node) => this.#describeNode(node)) }),
      PreferredMaintenanceWindow: settings.preferredMaintenanceWindow,
      ...(settings.notificationTopicArn !== undefined && {
        NotificationConfiguration: { TopicArn: settings.notificationTopicArn, TopicStatus: settings.notificationTopicStatus ?? 'active' },
      }),
      SubnetGroup: identity.subnetGroup,
      SecurityGroups: settings.securityGroupIds.map((id) => ({ SecurityGroupIdentifier: id, Status: 'active' })),
      IamRoleArn: identity.iamRoleArn,
      ParameterGroup: { ParameterGroupName: settings.parameterGroupName, ParameterApplyStatus: 'in-sync', NodeIdsToReboot: [] },
      SSEDescription: { Status: identity.sseEnabled ? 'ENABLED' : 'DISABLED' },
      ClusterEndpointEncryptionType: identity.encryptionType,
    }
  }

  #describeNode(node: ClusterNode): Record<string, unknown> {
    return {
      NodeId: node.nodeId,
      Endpoint: this.#endpointOf(node),
      // JSON 1.1 timestamps are seconds since the epoch.
      NodeCreateTime: node.createdAtMs / 1000,
      AvailabilityZone: node.availabilityZone,
      NodeStatus: 'available',
      ParameterGroupStatus: 'in-sync',
    }
  }

  #endpointOf(node: ClusterNode): EndpointDescription {
    const port = node.running.wirePort
    return { Address: this.advertisedHost, Port: port, URL: `dax://${hostForUrl(this.advertisedHost)}:${port}` }
  }
}

/** The letter suffix DAX gives the n-th node of a cluster (a, b, ... z, then numbers). */
export function nodeIdFor(clusterName: string, index: number): string {
  return index < 26 ? `${clusterName}-${String.fromCharCode(97 + index)}` : `${clusterName}-${index}`
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host
}
