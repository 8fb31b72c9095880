/**
 * Starts and stops the nodes of DAX clusters. Each node is a DAX endpoint on a port of this
 * server (ports.ts); a cluster's first node is its primary, which writes through to the cluster's
 * upstream, and every later one a replica, whose item cache hears the primary's writes after the
 * replication lag; every node's read-miss fills reach the others the same way (replication.ts). The cluster registry (clusters.ts) decides when.
 */
import type { Clock } from '../../api/context.js'
import type { Logger } from '../../log.js'
import type { ServerAccess } from '../../security/access.js'
import type { DaxCacheSettings, StartDaxNode } from '../node-api.js'
import { nodeIdFor, type ClusterNode, type DaxCluster } from './cluster.js'
import { InsufficientClusterCapacityFault } from './errors.js'
import { isAddressInUse, PortAllocator } from './ports.js'

export interface NodeLauncherOptions {
  startNode: StartDaxNode
  /** Where nodes listen, e.g. '127.0.0.1'. */
  host: string
  /** The first node's port (DAX's 8111); 0 lets the system pick every node's port. */
  basePort: number
  clock: Clock
  log: Logger
  /** Who may call each node; default: anyone with a well-formed signature. */
  access?: ServerAccess
  /** A cluster's cache settings now (its parameter group's TTLs), for a node it starts. */
  settingsFor(cluster: DaxCluster): DaxCacheSettings
}

/** The zones nodes are placed in, in turn, when the caller names none: <region>a, b, c. */
export const zoneSuffixes = 'abc'

export class NodeLauncher {
  readonly #options: NodeLauncherOptions
  readonly #ports: PortAllocator

  constructor(options: NodeLauncherOptions) {
    this.#options = options
    this.#ports = new PortAllocator(options.basePort)
  }

  /** Starts `count` nodes, one at a time, in the zones given or else in turn. */
  async addNodes(cluster: DaxCluster, count: number, availabilityZones: readonly string[] | undefined): Promise<void> {
    for (let added = 0; added < count; added++) {
      const zone = availabilityZones?.[added]
        ?? `${cluster.identity.region}${zoneSuffixes[cluster.nextNodeIndex % zoneSuffixes.length]}`
      cluster.nodes.push(await this.#startNode(cluster, zone))
    }
  }

  /** Stops the named nodes; `keepListed` leaves them in the cluster for the DeleteCluster reply. */
  async stopNodes(cluster: DaxCluster, nodeIds: readonly string[], options: { keepListed?: boolean } = {}): Promise<void> {
    const stopping = cluster.nodes.filter((node) => nodeIds.includes(node.nodeId))
    if (!options.keepListed) {
      const kept = cluster.nodes.filter((node) => !nodeIds.includes(node.nodeId))
      cluster.nodes.splice(0, cluster.nodes.length, ...kept)
    }
    await Promise.all(stopping.map(async (node) => {
      cluster.replication.removeNode(node.nodeId)
      try {
        await node.running.close()
      } finally {
        this.#ports.release(node.running.wirePort)
      }
    }))
  }

  async #startNode(cluster: DaxCluster, availabilityZone: string): Promise<ClusterNode> {
    const role = cluster.nodes.length === 0 ? 'primary' : 'replica'
    const nodeId = nodeIdFor(cluster.name, cluster.nextNodeIndex++)
    const replicaUpstream = role === 'replica' ? cluster.replication.replicaUpstream(cluster.upstream) : undefined
    const { clock, log, host } = this.#options
    let running
    try {
      running = await this.#ports.start(this.#options.startNode, {
        clusterName: cluster.name, clusterArn: cluster.identity.arn, nodeId, role, host,
        upstream: replicaUpstream ?? cluster.replication.primaryUpstream(cluster.upstream),
        settings: this.#options.settingsFor(cluster), clock, log,
        endpoints: () => cluster.endpoints(), access: this.#options.access,
        onItemFill: cluster.replication.fillPublisher(nodeId),
      })
    } catch (error) {
      if (!isAddressInUse(error)) throw error
      throw new InsufficientClusterCapacityFault(`No free port for DAX node ${nodeId}: ${String(error)}`)
    }
    cluster.replication.addNode(running, replicaUpstream)
    log.info('dax node started', { cluster: cluster.name, nodeId, role, port: running.wirePort })
    return { nodeId, role, availabilityZone, createdAtMs: clock.now(), running }
  }
}
