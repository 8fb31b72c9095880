/**
 * The cluster registry behind the DAX management API: per region, the clusters, parameter groups,
 * subnet groups and events, and the nodes each cluster runs. Creating a cluster starts its nodes
 * (one primary and ReplicationFactor - 1 replicas, node-launcher.ts, through an injected
 * StartDaxNode); deleting it stops them. Everything lives in memory: none of it survives a
 * restart (a startup config can create clusters again).
 */
import type { ServerAccess } from '../../security/access.js'
import { daxClusterArn } from '../../security/dax-authorize.js'
import type { Clock } from '../../api/context.js'
import type { Logger } from '../../log.js'
import type { DaxCacheSettings, DynamoDbExecutor, StartDaxNode } from '../node-api.js'
import { DaxCluster } from './cluster.js'
import {
  ClusterAlreadyExistsFault,
  ClusterNotFoundFault,
  InvalidClusterStateFault,
  InvalidParameterValueException,
  NodeNotFoundFault,
  NodeQuotaForClusterExceededFault,
  NodeQuotaForCustomerExceededFault,
} from './errors.js'
import { DaxEvents, eventMessages } from './events.js'
import { normalizeClusterName, validateIamRoleArn } from './names.js'
import { cacheSettingsOf } from './parameters.js'
import { defaultParameterGroupName, ParameterGroups } from './parameter-groups.js'
import { NodeLauncher } from './node-launcher.js'
import { ClusterReplication } from './replication.js'
import { defaultSubnetGroupName, SubnetGroups } from './subnet-groups.js'
import { setTags } from './tags.js'
import type { CreateClusterInput, UpdateClusterInput } from './shapes.js'

/** "A DAX cluster holds 1 to 11 nodes": one primary and up to ten read replicas. */
export const nodesPerClusterMax = 11

/** DAX's default quota of nodes per account and region; each node here is a TCP listener. */
export const nodesPerRegionMax = 50

export interface DaxClustersOptions {
  startNode: StartDaxNode
  /** The DynamoDB endpoint a cluster created in `region` caches (this server's region, usually). */
  upstreamFor(region: string, accountId: string): DynamoDbExecutor
  /** Where nodes listen, e.g. '127.0.0.1'. */
  host: string
  /** The first node's port (DAX's 8111); 0 lets the system pick every node's port. */
  basePort: number
  /** Each node's cache memory budget, in estimated bytes. */
  cacheSizeBytes: number
  /** Opt-in difference from DAX: writes also drop the table's query cache. */
  coherent?: boolean
  /** How long a write through the primary takes to reach the replicas' item caches. */
  replicationLagMs: number
  clock: Clock
  log: Logger
  /** Who may call each node; default: anyone with a well-formed signature. */
  access?: ServerAccess
}

export interface RegionScope { region: string; accountId: string }

interface RegionState {
  clusters: Map<string, DaxCluster>
  parameterGroups: ParameterGroups
  subnetGroups: SubnetGroups
  events: DaxEvents
}

/** A wildcard listen address is no address to give a client. */
function advertisedHostFor(host: string): string {
  return host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host
}

export class DaxClusters {
  readonly #options: DaxClustersOptions
  readonly #nodes: NodeLauncher
  readonly #regions = new Map<string, RegionState>()
  #closed = false

  constructor(options: DaxClustersOptions) {
    this.#options = options
    const { startNode, host, basePort, clock, log, access } = options
    this.#nodes = new NodeLauncher({
      startNode, host, basePort, clock, log, access, settingsFor: (cluster) => this.settingsFor(cluster),
    })
  }

  parameterGroups(region: string): ParameterGroups {
    return this.#region(region).parameterGroups
  }

  subnetGroups(region: string): SubnetGroups {
    return this.#region(region).subnetGroups
  }

  events(region: string): DaxEvents {
    return this.#region(region).events
  }

  /** The clusters of a region, by name (the lower-case form DAX stores). */
  clusters(region: string): ReadonlyMap<string, DaxCluster> {
    return this.#region(region).clusters
  }

  /** A cluster that exists; `describing` picks the DescribeClusters wording of the fault. */
  get(region: string, name: string, describing = false): DaxCluster {
    const cluster = this.#region(region).clusters.get(name.toLowerCase())
    if (!cluster) throw new ClusterNotFoundFault(describing ? name : undefined)
    return cluster
  }

  async create(scope: RegionScope, input: CreateClusterInput): Promise<DaxCluster> {
    const name = normalizeClusterName(input.ClusterName)
    validateIamRoleArn(input.IamRoleArn)
    const state = this.#region(scope.region)
    if (state.clusters.has(name)) throw new ClusterAlreadyExistsFault('Cluster already exists.')
    this.#checkNodeCounts(scope.region, input.ReplicationFactor, 0)
    if (input.ClusterEndpointEncryptionType === 'TLS') {
      throw new InvalidParameterValueException('ClusterEndpointEncryptionType TLS is not supported by this server; use NONE.')
    }
    const subnetGroup = state.subnetGroups.get(input.SubnetGroupName ?? defaultSubnetGroupName)
    const parameterGroupName = input.ParameterGroupName ?? defaultParameterGroupName
    state.parameterGroups.get(parameterGroupName)
    const cluster = new DaxCluster(
      {
        name, region: scope.region, arn: daxClusterArn(scope.region, scope.accountId, name),
        nodeType: input.NodeType, iamRoleArn: input.IamRoleArn, subnetGroup: subnetGroup.name,
        sseEnabled: input.SSESpecification?.Enabled === true, encryptionType: 'NONE',
      },
      {
        description: input.Description, parameterGroupName,
        preferredMaintenanceWindow: input.PreferredMaintenanceWindow ?? 'sun:05:00-sun:06:00',
        notificationTopicArn: input.NotificationTopicArn, securityGroupIds: input.SecurityGroupIds ?? [],
      },
      advertisedHostFor(this.#options.host),
      this.#options.upstreamFor(scope.region, scope.accountId),
      new ClusterReplication({ lagMs: this.#options.replicationLagMs, log: this.#options.log, now: () => this.#options.clock.now() }),
    )
    setTags(cluster, input.Tags ?? [])
    // Reserved before the first await, so a concurrent CreateCluster of the same name fails.
    state.clusters.set(name, cluster)
    try {
      await this.#nodes.addNodes(cluster, input.ReplicationFactor, input.AvailabilityZones)
      // The server began shutting down while the nodes started: close() did not see them.
      if (this.#closed) throw new InvalidClusterStateFault('The server is shutting down.')
    } catch (error) {
      state.clusters.delete(name)
      await this.#nodes.stopNodes(cluster, cluster.nodes.map((node) => node.nodeId))
      throw error
    }
    cluster.status = 'available'
    state.events.record('CLUSTER', name, eventMessages.clusterCreated)
    return cluster
  }

  /** Stops every node and forgets the cluster; returns it as DeleteCluster describes it. */
  async delete(region: string, name: string): Promise<DaxCluster> {
    const cluster = this.#available(region, name)
    cluster.status = 'deleting'
    this.#region(region).clusters.delete(cluster.name)
    cluster.replication.close()
    await this.#nodes.stopNodes(cluster, cluster.nodes.map((node) => node.nodeId), { keepListed: true })
    this.#recordNodeEvents(region, cluster.name, cluster.nodes.map((node) => node.nodeId), eventMessages.nodeRemoved)
    this.events(region).record('CLUSTER', cluster.name, eventMessages.clusterDeleted)
    return cluster
  }

  async increaseReplicationFactor(region: string, name: string, replicationFactor: number, availabilityZones?: string[]): Promise<DaxCluster> {
    const cluster = this.#available(region, name)
    const current = cluster.nodes.length
    if (replicationFactor <= current) {
      throw new InvalidParameterValueException(`NewReplicationFactor must be greater than the current replication factor (${current}).`)
    }
    this.#checkNodeCounts(region, replicationFactor, current)
    await this.#modifying(cluster, () => this.#nodes.addNodes(cluster, replicationFactor - current, availabilityZones))
    this.#recordNodeEvents(region, cluster.name, cluster.nodes.slice(current).map((node) => node.nodeId), eventMessages.nodeAdded)
    return cluster
  }

  async decreaseReplicationFactor(region: string, name: string, replicationFactor: number, nodeIdsToRemove?: string[]): Promise<DaxCluster> {
    const cluster = this.#available(region, name)
    const removed = nodesToRemove(cluster, replicationFactor, nodeIdsToRemove)
    await this.#modifying(cluster, () => this.#nodes.stopNodes(cluster, removed))
    this.#recordNodeEvents(region, cluster.name, removed, eventMessages.nodeRemoved)
    return cluster
  }

  /** UpdateCluster: the members given replace the cluster's; a new parameter group applies at once. */
  update(region: string, input: UpdateClusterInput): DaxCluster {
    const cluster = this.#available(region, input.ClusterName)
    if (input.ParameterGroupName !== undefined) this.parameterGroups(region).get(input.ParameterGroupName)
    const { settings } = cluster
    if (input.Description !== undefined) settings.description = input.Description
    if (input.PreferredMaintenanceWindow !== undefined) settings.preferredMaintenanceWindow = input.PreferredMaintenanceWindow
    if (input.NotificationTopicArn !== undefined) settings.notificationTopicArn = input.NotificationTopicArn
    if (input.NotificationTopicStatus !== undefined) settings.notificationTopicStatus = input.NotificationTopicStatus
    if (input.SecurityGroupIds !== undefined) settings.securityGroupIds = [...input.SecurityGroupIds]
    if (input.ParameterGroupName !== undefined && input.ParameterGroupName !== settings.parameterGroupName) {
      settings.parameterGroupName = input.ParameterGroupName
      const cacheSettings = this.settingsFor(cluster)
      for (const node of cluster.nodes) node.running.updateSettings(cacheSettings)
    }
    return cluster
  }

  /**
   * RebootNode restarts nothing here and keeps the node's caches, as DAX's reboot "does not
   * remove the contents of the cache" (the RebootNode API reference); only its event is recorded.
   */
  rebootNode(region: string, name: string, nodeId: string): DaxCluster {
    const cluster = this.#available(region, name)
    const node = cluster.node(nodeId)
    if (!node) throw nodeNotFound(nodeId)
    this.#recordNodeEvents(region, cluster.name, [nodeId], eventMessages.nodeRebooted)
    return cluster
  }

  /** Pushes a parameter group's current values to every running node that uses it. */
  applyParameterGroup(region: string, groupName: string): void {
    for (const cluster of this.#region(region).clusters.values()) {
      if (cluster.settings.parameterGroupName !== groupName) continue
      const settings = this.settingsFor(cluster)
      for (const node of cluster.nodes) node.running.updateSettings(settings)
    }
  }

  isParameterGroupInUse(region: string, groupName: string): boolean {
    return [...this.#region(region).clusters.values()].some((cluster) => cluster.settings.parameterGroupName === groupName)
  }

  isSubnetGroupInUse(region: string, groupName: string): boolean {
    return [...this.#region(region).clusters.values()].some((cluster) => cluster.identity.subnetGroup === groupName)
  }

  settingsFor(cluster: DaxCluster): DaxCacheSettings {
    const group = this.#region(cluster.identity.region).parameterGroups.get(cluster.settings.parameterGroupName)
    return cacheSettingsOf(group.values, { cacheSizeBytes: this.#options.cacheSizeBytes, coherent: this.#options.coherent })
  }

  /** Stops every node of every cluster (server shutdown). */
  async close(): Promise<void> {
    this.#closed = true
    const clusters = [...this.#regions.values()].flatMap((state) => [...state.clusters.values()])
    this.#regions.clear()
    await Promise.all(clusters.map(async (cluster) => {
      cluster.replication.close()
      await this.#nodes.stopNodes(cluster, cluster.nodes.map((node) => node.nodeId))
    }))
  }

  #region(region: string): RegionState {
    let state = this.#regions.get(region)
    if (!state) {
      const events = new DaxEvents(() => this.#options.clock.now())
      state = { clusters: new Map(), parameterGroups: new ParameterGroups(events), subnetGroups: new SubnetGroups(region, events), events }
      this.#regions.set(region, state)
    }
    return state
  }

  /** A node's events name its cluster as their source, as DAX's do. */
  #recordNodeEvents(region: string, clusterName: string, nodeIds: readonly string[], message: (nodeId: string) => string): void {
    const events = this.events(region)
    for (const nodeId of nodeIds) events.record('CLUSTER', clusterName, message(nodeId))
  }

  #available(region: string, name: string): DaxCluster {
    const cluster = this.get(region, name)
    if (cluster.status !== 'available') {
      throw new InvalidClusterStateFault('The requested DAX cluster is not in the available state.')
    }
    return cluster
  }

  async #modifying(cluster: DaxCluster, change: () => Promise<void>): Promise<void> {
    cluster.status = 'modifying'
    try {
      await change()
    } finally {
      cluster.status = 'available'
    }
  }

  #checkNodeCounts(region: string, replicationFactor: number, currentNodes: number): void {
    if (replicationFactor < 1) {
      throw new InvalidParameterValueException('The replication factor must be at least 1.')
    }
    if (replicationFactor > nodesPerClusterMax) {
      throw new NodeQuotaForClusterExceededFault('You have attempted to exceed the maximum number of nodes for a DAX cluster.')
    }
    const regionNodes = [...this.#region(region).clusters.values()].reduce((sum, cluster) => sum + cluster.nodes.length, 0)
    if (regionNodes - currentNodes + replicationFactor > nodesPerRegionMax) {
      throw new NodeQuotaForCustomerExceededFault('You have attempted to exceed the maximum number of nodes for your AWS account.')
    }
  }
}

function nodeNotFound(nodeId: string): NodeNotFoundFault {
  return new NodeNotFoundFault(`Node ${nodeId} not found.`)
}

/**
 * The replicas DecreaseReplicationFactor removes: the ones named, or else the newest. The primary
 * stays: without failover, removing it would leave the cluster with no node to write through.
 */
function nodesToRemove(cluster: DaxCluster, replicationFactor: number, nodeIdsToRemove: readonly string[] | undefined): string[] {
  const current = cluster.nodes.length
  if (replicationFactor >= current) {
    throw new InvalidParameterValueException(`NewReplicationFactor must be less than the current replication factor (${current}).`)
  }
  if (replicationFactor < 1) throw new InvalidParameterValueException('The replication factor must be at least 1.')
  if (nodeIdsToRemove === undefined || nodeIdsToRemove.length === 0) {
    return cluster.nodes.slice(replicationFactor).map((node) => node.nodeId)
  }
  for (const nodeId of nodeIdsToRemove) {
    const node = cluster.node(nodeId)
    if (!node) throw nodeNotFound(nodeId)
    if (node.role === 'primary') throw new InvalidParameterValueException(`The primary node ${nodeId} cannot be removed.`)
  }
  if (new Set(nodeIdsToRemove).size !== current - replicationFactor) {
    throw new InvalidParameterValueException(
      `The number of nodes to remove (${nodeIdsToRemove.length}) must equal the current replication factor minus NewReplicationFactor (${current - replicationFactor}).`,
    )
  }
  return [...nodeIdsToRemove]
}
